import { makeCancel } from '../message/make-cancel.js';
import { makeNon2xxAck } from '../message/make-ack.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { SendTarget, TransportError } from '../transport/transport-types.js';
import type { ClientTransaction, ClientTransactionUser, InviteClientState } from './client-transaction.js';
import type { InviteClientEvent, InviteClientTimer } from './transaction-events.js';
import type { OnTerminated, TransactionContext } from './transaction-context.js';
import { TransactionTimers } from './transaction-timers.js';

export interface InviteClientInit {
  readonly context: TransactionContext;
  /** The INVITE, with its top Via (and branch) already in place. */
  readonly request: SipRequest;
  readonly target: SendTarget;
  readonly user: ClientTransactionUser;
  readonly onTerminated: OnTerminated<InviteClientTransaction>;
  /** Sends a CANCEL through a non-INVITE client transaction of its own (§9.1). */
  readonly sendCancel: (cancel: SipRequest) => void;
}

/**
 * RFC 3261 §17.1.1 INVITE client transaction, with the Accepted state of RFC 6026 §7.2.
 * The transaction ACKs non-2xx finals itself; a 2xx and its retransmissions go to the TU, whose
 * dialog ACKs them (§13.2.2.4). Once a final has come it lets the INVITE go: Timers D and M keep
 * it for 64*T1, holding only the bytes of its ACK to answer a retransmitted non-2xx final.
 */
export class InviteClientTransaction implements ClientTransaction {
  readonly target: SendTarget;
  private current: InviteClientState = 'Calling';
  private invite: SipRequest | undefined;
  private ackBytes: Buffer | undefined;
  private readonly context: TransactionContext;
  private readonly user: ClientTransactionUser;
  private readonly onTerminated: OnTerminated<InviteClientTransaction>;
  private readonly cancelThrough: (cancel: SipRequest) => void;
  private readonly timers: TransactionTimers<InviteClientTimer>;
  private readonly reliable: boolean;
  private intervalA: number;
  private started = false;
  private pendingCancel: { reason: string | undefined } | undefined;
  private cancelSent = false;

  constructor(init: InviteClientInit) {
    const { clock, sender, timers } = init.context;
    this.context = init.context;
    this.invite = init.request;
    this.target = init.target;
    this.user = init.user;
    this.onTerminated = init.onTerminated;
    this.cancelThrough = init.sendCancel;
    this.timers = new TransactionTimers(clock, this);
    this.reliable = sender.isReliable(init.target.protocol);
    this.intervalA = timers.a;
  }

  get state(): InviteClientState {
    return this.current;
  }

  /** The INVITE until a final response has come; then undefined (see the class comment). */
  get request(): SipRequest | undefined {
    return this.invite;
  }

  /** Enters Calling: sends the INVITE and starts A (unreliable only) and B. Runs once. */
  start(): void {
    if (this.started || this.current === 'Terminated') return;
    this.started = true;
    // §17.1.1.2: Timer A only on unreliable transports; Timer B on every transport.
    if (!this.reliable) this.timers.arm('A', this.intervalA);
    this.timers.arm('B', this.context.timers.b);
    this.sendInvite();
  }

  cancel(reason?: string): void {
    this.handle({ type: 'tu-cancel', reason });
  }

  handle(event: InviteClientEvent): void {
    if (this.current === 'Terminated') return;
    switch (event.type) {
      case 'response':
        return this.onResponse(event.response);
      case 'timer':
        return this.onTimer(event.timer);
      case 'transport-error':
        return this.onTransportError(event.error);
      case 'tu-cancel':
        return this.onCancelRequested(event.reason);
    }
  }

  dispose(): void {
    this.terminate();
  }

  private onResponse(response: SipResponse): void {
    const status = response.status;
    switch (this.current) {
      case 'Calling':
      case 'Proceeding':
        // §17.1.1.2: a 1xx moves Calling to Proceeding and goes to the TU.
        if (status < 200) return this.proceed(response);
        // RFC 6026 §7.2: a 2xx goes to the TU and the transaction enters Accepted.
        if (status < 300) return this.accept(response);
        // §17.1.1.2: 300-699 is ACKed here, goes to the TU, and the transaction enters Completed.
        return this.complete(response);
      case 'Completed':
        // §17.1.1.2: a retransmitted final is ACKed again and not passed up.
        if (status >= 300) this.sendAckAgain();
        return;
      case 'Accepted':
        // RFC 6026 §7.2: further 2xx (retransmitted or forked) go to the TU, which ACKs them.
        if (status >= 200 && status < 300) this.user.receiveResponse(response, this);
        return;
    }
  }

  private onTimer(timer: InviteClientTimer): void {
    switch (timer) {
      case 'A':
        // §17.1.1.2: Timer A retransmits the INVITE and doubles (T1, 2*T1, 4*T1...).
        this.intervalA *= 2;
        this.timers.arm('A', this.intervalA);
        return this.sendInvite();
      case 'B':
        // §17.1.1.2 in Calling, §9.1 in Proceeding after a CANCEL: time out and tell the TU.
        this.terminate();
        return this.user.onTimeout(this);
      case 'D':
        // §17.1.1.2: Timer D ends the wait for final retransmissions.
        return this.terminate();
      case 'M':
        // RFC 6026 §7.2: Timer M ends the wait for 2xx retransmissions.
        return this.terminate();
    }
  }

  private onTransportError(error: TransportError): void {
    // §17.1.1.2: in Calling and Completed (where this transaction sends), inform the TU and
    // terminate. In Proceeding and Accepted it sends nothing: the error is a stale one, moot now.
    if (this.current !== 'Calling' && this.current !== 'Completed') return;
    this.terminate();
    this.user.onTransportError(error, this);
  }

  private onCancelRequested(reason: string | undefined): void {
    switch (this.current) {
      case 'Calling':
        // §9.1: no provisional yet, so the CANCEL MUST wait for one.
        this.pendingCancel ??= { reason };
        return;
      case 'Proceeding':
        // §9.1: a provisional has arrived, so the CANCEL can go now (once).
        if (!this.cancelSent) this.sendCancel(reason);
        return;
      default:
        // §9.1: a final response has arrived: there is nothing left to cancel.
        return;
    }
  }

  private proceed(response: SipResponse): void {
    if (this.current === 'Calling') {
      // §17.1.1.2: no more retransmissions in Proceeding, and Timer B only guards Calling.
      this.current = 'Proceeding';
      this.timers.clearAll();
    }
    this.user.receiveResponse(response, this);
    if (this.current === 'Proceeding' && this.pendingCancel !== undefined && !this.cancelSent) {
      this.sendCancel(this.pendingCancel.reason);
    }
  }

  private accept(response: SipResponse): void {
    this.current = 'Accepted';
    this.timers.clearAll();
    this.pendingCancel = undefined;
    // RFC 6026 §7.2: Accepted only passes 2xx up; nothing of the INVITE is sent again.
    this.invite = undefined;
    this.timers.arm('M', this.context.timers.m);
    this.user.receiveResponse(response, this);
  }

  private complete(response: SipResponse): void {
    this.current = 'Completed';
    this.timers.clearAll();
    this.pendingCancel = undefined;
    // §17.1.1.2: Timer D is zero on reliable transports, where no final is retransmitted.
    this.timers.arm('D', this.reliable ? 0 : this.context.timers.d);
    const ack = this.invite === undefined ? undefined : makeNon2xxAck(this.invite, response).serialize();
    this.invite = undefined;
    this.ackBytes = ack;
    this.user.receiveResponse(response, this);
    // Sent even if the TU disposed of the transaction meanwhile: the final still needs its ACK.
    if (ack !== undefined) this.context.sender.sendBytes(ack, this.target, this.onSendError);
  }

  /** §17.1.1.3: the same ACK, byte for byte, for each retransmission of the final. */
  private sendAckAgain(): void {
    if (this.ackBytes !== undefined) this.context.sender.sendBytes(this.ackBytes, this.target, this.onSendError);
  }

  private sendCancel(reason: string | undefined): void {
    if (this.invite === undefined) return;
    this.cancelSent = true;
    this.pendingCancel = undefined;
    // §9.1: if no final response comes within 64*T1 of the CANCEL, the INVITE times out.
    this.timers.arm('B', this.context.timers.b);
    this.cancelThrough(makeCancel(this.invite, reason));
  }

  private terminate(): void {
    if (this.current === 'Terminated') return;
    this.current = 'Terminated';
    this.ackBytes = undefined;
    this.timers.clearAll();
    this.onTerminated(this);
  }

  private sendInvite(): void {
    if (this.invite !== undefined) this.context.sender.send(this.invite, this.target, this.onSendError);
  }

  private readonly onSendError = (error: TransportError): void => {
    this.handle({ type: 'transport-error', error });
  };
}
