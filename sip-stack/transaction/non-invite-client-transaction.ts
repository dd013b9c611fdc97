import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { SendTarget, TransportError } from '../transport/transport-types.js';
import type { ClientTransaction, ClientTransactionUser, NonInviteClientState } from './client-transaction.js';
import type { NonInviteClientEvent, NonInviteClientTimer } from './transaction-events.js';
import type { OnTerminated, TransactionContext } from './transaction-context.js';
import { TransactionTimers } from './transaction-timers.js';

export interface NonInviteClientInit {
  readonly context: TransactionContext;
  /** The request (not INVITE, not ACK), with its top Via (and branch) already in place. */
  readonly request: SipRequest;
  readonly target: SendTarget;
  readonly user: ClientTransactionUser;
  readonly onTerminated: OnTerminated<NonInviteClientTransaction>;
}

/**
 * RFC 3261 §17.1.2 non-INVITE client transaction. Completed only absorbs retransmitted
 * responses, so the request is let go when the final response comes.
 */
export class NonInviteClientTransaction implements ClientTransaction {
  readonly target: SendTarget;
  private current: NonInviteClientState = 'Trying';
  private pending: SipRequest | undefined;
  private readonly context: TransactionContext;
  private readonly user: ClientTransactionUser;
  private readonly onTerminated: OnTerminated<NonInviteClientTransaction>;
  private readonly timers: TransactionTimers<NonInviteClientTimer>;
  private readonly reliable: boolean;
  private intervalE: number;
  private started = false;

  constructor(init: NonInviteClientInit) {
    const { clock, sender, timers } = init.context;
    this.context = init.context;
    this.pending = init.request;
    this.target = init.target;
    this.user = init.user;
    this.onTerminated = init.onTerminated;
    this.timers = new TransactionTimers(clock, this);
    this.reliable = sender.isReliable(init.target.protocol);
    this.intervalE = timers.e;
  }

  get state(): NonInviteClientState {
    return this.current;
  }

  /** The request until its final response has come; then undefined. */
  get request(): SipRequest | undefined {
    return this.pending;
  }

  /** Enters Trying: sends the request and starts E (unreliable only) and F. Runs once. */
  start(): void {
    if (this.started || this.current === 'Terminated') return;
    this.started = true;
    // §17.1.2.2: Timer E only on unreliable transports; Timer F on every transport.
    if (!this.reliable) this.timers.arm('E', this.intervalE);
    this.timers.arm('F', this.context.timers.f);
    this.send();
  }

  /** §9.1: a CANCEL SHOULD NOT be sent for a non-INVITE request; nothing to do. */
  cancel(_reason?: string): void {}

  handle(event: NonInviteClientEvent): void {
    if (this.current === 'Terminated') return;
    switch (event.type) {
      case 'response':
        return this.onResponse(event.response);
      case 'timer':
        return this.onTimer(event.timer);
      case 'transport-error':
        return this.onTransportError(event.error);
    }
  }

  dispose(): void {
    this.terminate();
  }

  private onResponse(response: SipResponse): void {
    switch (this.current) {
      case 'Trying':
      case 'Proceeding':
        // §17.1.2.2: a 1xx moves Trying to Proceeding (or keeps it there) and goes to the TU.
        if (response.status < 200) return this.proceed(response);
        // §17.1.2.2: a final response goes to the TU and the transaction enters Completed.
        return this.complete(response);
      case 'Completed':
        // §17.1.2.2: Completed absorbs retransmitted responses.
        return;
    }
  }

  private onTimer(timer: NonInviteClientTimer): void {
    switch (timer) {
      case 'E':
        // §17.1.2.2: Timer E retransmits, doubling up to T2 in Trying and staying at T2 in Proceeding.
        this.intervalE = this.current === 'Trying' ? Math.min(2 * this.intervalE, this.t2) : this.t2;
        this.timers.arm('E', this.intervalE);
        return this.send();
      case 'F':
        // §17.1.2.2: Timer F in Trying or Proceeding: time out and tell the TU.
        this.terminate();
        return this.user.onTimeout(this);
      case 'K':
        // §17.1.2.2: Timer K ends the wait for response retransmissions.
        return this.terminate();
    }
  }

  private onTransportError(error: TransportError): void {
    // §17.1.2.2: in Trying or Proceeding a transport error terminates and is reported to the TU.
    if (this.current === 'Completed') return;
    this.terminate();
    this.user.onTransportError(error, this);
  }

  private proceed(response: SipResponse): void {
    // §17.1.2.2: E and F keep running from Trying; E is reset to T2 when it next fires.
    this.current = 'Proceeding';
    this.user.receiveResponse(response, this);
  }

  private complete(response: SipResponse): void {
    this.current = 'Completed';
    this.pending = undefined;
    this.timers.clearAll();
    // §17.1.2.2: Timer K is T4 on unreliable transports and zero on reliable ones.
    this.timers.arm('K', this.reliable ? 0 : this.context.timers.k);
    this.user.receiveResponse(response, this);
  }

  private get t2(): number {
    return this.context.timers.t2;
  }

  private terminate(): void {
    if (this.current === 'Terminated') return;
    this.current = 'Terminated';
    this.timers.clearAll();
    this.onTerminated(this);
  }

  private send(): void {
    if (this.pending !== undefined) this.context.sender.send(this.pending, this.target, this.onSendError);
  }

  private readonly onSendError = (error: TransportError): void => {
    this.handle({ type: 'transport-error', error });
  };
}
