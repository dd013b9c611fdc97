import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { MessageSource, SendTarget, TransportError } from '../transport/transport-types.js';
import type { NonInviteServerState, ServerTransaction } from './server-transaction.js';
import type { NonInviteServerEvent, NonInviteServerTimer } from './transaction-events.js';
import type { OnTerminated, TransactionContext } from './transaction-context.js';
import { TransactionTimers } from './transaction-timers.js';

export interface NonInviteServerInit {
  /** The §17.2.3 key the layer indexes it under, so that one shared onTerminated can unindex it. */
  readonly key: string;
  readonly context: TransactionContext;
  readonly request: SipRequest;
  readonly source: MessageSource;
  /** Where responses go (§18.2.2 routing is the transport's business). */
  readonly target: SendTarget;
  readonly onTerminated: OnTerminated<NonInviteServerTransaction>;
  /** The request's To tag, kept past the request for RFC 2543 matching (§17.2.3); absent otherwise. */
  readonly legacyToTag?: string | undefined;
}

/**
 * RFC 3261 §17.2.2 non-INVITE server transaction. Once the final response has gone it holds
 * only that response's bytes and where they go: Timer J keeps it for 64*T1, and a request or
 * its response kept that long would dominate the memory of a busy registrar.
 */
export class NonInviteServerTransaction implements ServerTransaction {
  onTimeout: ((tx: ServerTransaction) => void) | undefined = undefined;
  onTransportError: ((error: TransportError, tx: ServerTransaction) => void) | undefined = undefined;
  readonly key: string;
  readonly source: MessageSource;
  /** See NonInviteServerInit.legacyToTag. */
  readonly legacyToTag: string | undefined;
  private current: NonInviteServerState = 'Trying';
  private pending: SipRequest | undefined;
  private lastBytes: Buffer | undefined;
  private lastCode: number | undefined;
  private readonly context: TransactionContext;
  private readonly target: SendTarget;
  private readonly onTerminated: OnTerminated<NonInviteServerTransaction>;
  private readonly timers: TransactionTimers<NonInviteServerTimer>;
  private readonly reliable: boolean;

  constructor(init: NonInviteServerInit) {
    this.context = init.context;
    this.pending = init.request;
    this.key = init.key;
    this.source = init.source;
    this.target = init.target;
    this.onTerminated = init.onTerminated;
    this.legacyToTag = init.legacyToTag;
    this.timers = new TransactionTimers(init.context.clock, this);
    this.reliable = init.context.sender.isReliable(init.source.protocol);
  }

  get state(): NonInviteServerState {
    return this.current;
  }

  get request(): SipRequest | undefined {
    return this.pending;
  }

  get lastStatus(): number | undefined {
    return this.lastCode;
  }

  respond(response: SipResponse): void {
    this.handle({ type: 'tu-respond', response });
  }

  handle(event: NonInviteServerEvent): void {
    if (this.current === 'Terminated') return;
    switch (event.type) {
      case 'request':
        return this.onRetransmission();
      case 'timer':
        // §17.2.2: Timer J ends the wait for request retransmissions in Completed.
        return this.terminate();
      case 'transport-error':
        return this.transportFailed(event.error);
      case 'tu-respond':
        return this.onTuResponse(event.response);
    }
  }

  dispose(): void {
    this.terminate();
  }

  private onRetransmission(): void {
    switch (this.current) {
      case 'Trying':
        // §17.2.2: retransmissions in Trying are discarded: the TU has nothing to send yet.
        return;
      case 'Proceeding':
        // §17.2.2: a retransmission gets the most recent provisional response again.
        return this.resend();
      case 'Completed':
        // §17.2.2: a retransmission gets the final response again.
        return this.resend();
    }
  }

  private onTuResponse(response: SipResponse): void {
    if (this.current === 'Completed') return; // §17.2.2: later finals from the TU are discarded.
    // §17.2.2: a provisional in Trying or Proceeding is sent and the state is Proceeding.
    if (response.status < 200) {
      this.current = 'Proceeding';
      return this.sendLast(response);
    }
    // §17.2.2: a final response is sent and the transaction enters Completed.
    this.current = 'Completed';
    this.pending = undefined;
    // §17.2.2: Timer J is 64*T1 on unreliable transports and zero on reliable ones.
    this.timers.arm('J', this.reliable ? 0 : this.context.timers.j);
    this.sendLast(response);
  }

  private transportFailed(error: TransportError): void {
    // §17.2.2: Trying has sent nothing, so an error there cannot be ours.
    if (this.current === 'Trying') return;
    // §17.2.2: in Proceeding or Completed a transport error terminates and is reported to the TU.
    this.terminate();
    this.onTransportError?.(error, this);
  }

  private terminate(): void {
    if (this.current === 'Terminated') return;
    this.current = 'Terminated';
    this.pending = undefined;
    this.lastBytes = undefined;
    this.timers.clearAll();
    this.onTerminated(this);
  }

  private sendLast(response: SipResponse): void {
    this.lastCode = response.status;
    this.lastBytes = response.serialize();
    this.resend();
  }

  private resend(): void {
    // A closure per send rather than one kept per transaction: a completed transaction waits
    // out Timer J (32 s) and a busy registrar holds a great many of them.
    if (this.lastBytes !== undefined) {
      this.context.sender.sendBytes(this.lastBytes, this.target, (error) => this.handle({ type: 'transport-error', error }));
    }
  }
}
