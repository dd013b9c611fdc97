import type { SipRequest, SipResponse } from '../message/sip-message.js';
import { checkMessage } from '../parser/message-parser.js';
import type { SipParseError } from '../parser/sip-parse-error.js';
import type { Clock } from '../timers/clock.js';
import { type TimerConfig, makeTimerConfig } from '../timers/timer-config.js';
import { TimerWheelClock } from '../timers/timer-wheel-clock.js';
import type { ClientTransaction, ClientTransactionUser } from '../transaction/client-transaction.js';
import { TransactionLayer } from '../transaction/transaction-layer.js';
import type { TransactionUser } from '../transaction/transaction-user.js';
import { type ListenSpec, TransportLayer } from '../transport/transport-layer.js';
import type { Endpoint, MessageSource, SendTarget, TransportProtocol, TransportUser } from '../transport/transport-types.js';
import { stampReceived } from '../transport/via-received.js';
import { salvageRequest } from './salvage-request.js';
import { type StackCapabilities, judgeRequest, rejectMalformed } from './stateless-answer.js';

export interface SipStackOptions {
  readonly listen: readonly ListenSpec[];
  readonly advertise?: string;
  readonly capabilities: StackCapabilities;
  readonly user: TransactionUser;
  readonly clock?: Clock;
  readonly timers?: TimerConfig;
  /** Told about every message the stack refused or dropped, for logs and metrics. */
  readonly onReject?: (what: string, reason: string, source: MessageSource) => void;
  readonly onUserError?: (error: unknown) => void;
}

/**
 * The SIP stack as an application sees it: transports, transactions, and the stateless answers
 * (400, 416, 420, 501, 505) given before a transaction is created, so that the application only
 * ever sees well-formed requests it has said it can handle.
 */
export class SipStack implements TransportUser {
  readonly clock: Clock;
  readonly timers: TimerConfig;
  readonly transport: TransportLayer;
  readonly transactions: TransactionLayer;
  private readonly ownedClock: TimerWheelClock | undefined;

  constructor(private readonly options: SipStackOptions) {
    this.ownedClock = options.clock ? undefined : new TimerWheelClock({ onError: options.onUserError });
    this.clock = options.clock ?? (this.ownedClock as TimerWheelClock);
    this.timers = options.timers ?? makeTimerConfig();
    this.transport = new TransportLayer({
      listen: options.listen, clock: this.clock, user: this,
      ...(options.advertise ? { advertise: options.advertise } : {}),
      ...(options.onUserError ? { onUserError: options.onUserError } : {}),
    });
    this.transactions = new TransactionLayer({
      sender: this.transport, clock: this.clock, timers: this.timers, user: options.user,
    });
  }

  start(): Promise<void> {
    return this.transport.start();
  }

  async stop(): Promise<void> {
    this.transactions.dispose();
    await this.transport.dispose();
    this.ownedClock?.dispose();
  }

  receiveRequest(request: SipRequest, source: MessageSource): void {
    const verdict = judgeRequest(request, this.options.capabilities);
    if (verdict.kind === 'accept') return this.transactions.receiveRequest(request, source);
    if (verdict.kind === 'reject') {
      this.options.onReject?.(request.method, `${verdict.response.status} ${verdict.response.reason}`, source);
      this.answer(verdict, source);
      return;
    }
    this.options.onReject?.(request.method, `dropped: ${verdict.reason}`, source);
  }

  receiveResponse(response: SipResponse, source: MessageSource): void {
    const error = checkMessage(response);
    // §18.1.2: a malformed response is dropped silently.
    if (error) return this.options.onReject?.('response', `dropped: ${error.reason}`, source);
    if (response.vias.length !== 1) {
      // §18.1.2: more than one Via in a response means it was not meant for us.
      return this.options.onReject?.('response', 'dropped: more than one Via', source);
    }
    this.transactions.receiveResponse(response, source);
  }

  /** Bytes that did not frame: a request is answered 400 if enough of it can be read. */
  receiveMalformed(error: SipParseError, bytes: Buffer, source: MessageSource): void {
    const request = salvageRequest(bytes);
    // §18.2.1, RFC 3581 §4: the 400 goes back where the datagram came from, like any response.
    if (request) stampReceived(request, source.address, source.port);
    const verdict = request && rejectMalformed(request, error);
    if (verdict?.kind === 'reject') {
      this.answer(verdict, source);
      return this.options.onReject?.(request?.method ?? 'message', `${error.status} ${error.reason}`, source);
    }
    this.options.onReject?.('message', `dropped: ${error.reason}`, source);
  }

  private answer(verdict: { response: SipResponse; toSource?: boolean }, source: MessageSource): void {
    if (!verdict.toSource) return this.transport.sendResponse(verdict.response, source);
    this.transport.send(verdict.response, { protocol: source.protocol, address: source.address, port: source.port, flowId: source.flowId });
  }

  sendRequest(request: SipRequest, target: SendTarget, user: ClientTransactionUser): ClientTransaction {
    return this.transactions.sendRequest(request, target, user);
  }

  sendAck(ack: SipRequest, target: SendTarget): void {
    this.transactions.sendAck(ack, target);
  }

  localEndpoint(protocol: TransportProtocol): Endpoint {
    return this.transport.localEndpoint(protocol);
  }

  /** Our Contact URI on a transport (§8.1.1.8). */
  contactUri(protocol: TransportProtocol): string {
    const local = this.localEndpoint(protocol);
    const host = local.address.includes(':') ? `[${local.address}]` : local.address;
    return protocol === 'udp' ? `sip:${host}:${local.port}` : `sip:${host}:${local.port};transport=${protocol}`;
  }

  isReliable(protocol: TransportProtocol): boolean {
    return this.transport.isReliable(protocol);
  }
}

