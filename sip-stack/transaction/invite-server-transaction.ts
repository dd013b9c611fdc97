import { makeResponse } from '../message/make-response.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { MessageSource, SendTarget, TransportError } from '../transport/transport-types.js';
import type { InviteServerState, ServerTransaction } from './server-transaction.js';
import type { InviteServerEvent, InviteServerTimer } from './transaction-events.js';
import type { OnTerminated, TransactionContext } from './transaction-context.js';
import { TransactionTimers } from './transaction-timers.js';

export interface InviteServerInit {
  /** The §17.2.3 key the layer indexes it under, so that one shared onTerminated can unindex it. */
  readonly key: string;
  readonly context: TransactionContext;
  readonly request: SipRequest;
  readonly source: MessageSource;
  /** Where responses go (§18.2.2 routing is the transport's business). */
  readonly target: SendTarget;
  readonly onTerminated: OnTerminated<InviteServerTransaction>;
  /** Passes an ACK received in Accepted up to the TU (RFC 6026 §7.1). */
  readonly onAck: (ack: SipRequest, source: MessageSource) => void;
  /** The request's To tag, kept past the request for RFC 2543 matching (§17.2.3); absent otherwise. */
  readonly legacyToTag?: string | undefined;
}

/**
 * RFC 3261 §17.2.1 INVITE server transaction, with the Accepted state of RFC 6026 §7.1.
 * Non-2xx finals are retransmitted here (Timer G); 2xx retransmission is the TU's job
 * (§13.3.1.4): in Accepted the transaction only passes the TU's 2xx through.
 * Past the final response it holds no message, only the bytes of a non-2xx final to send
 * again and the To tag that a CANCEL's 200 and an RFC 2543 ACK are matched with.
 */
export class InviteServerTransaction implements ServerTransaction {
  onTimeout: ((tx: ServerTransaction) => void) | undefined = undefined;
  onTransportError: ((error: TransportError, tx: ServerTransaction) => void) | undefined = undefined;
  readonly key: string;
  readonly source: MessageSource;
  /** See InviteServerInit.legacyToTag. */
  readonly legacyToTag: string | undefined;
  private current: InviteServerState = 'Proceeding';
  private pending: SipRequest | undefined;
  private lastBytes: Buffer | undefined;
  private lastCode: number | undefined;
  private lastTag: string | undefined;
  private readonly context: TransactionContext;
  private readonly target: SendTarget;
  private readonly onTerminated: OnTerminated<InviteServerTransaction>;
  private readonly onAck: (ack: SipRequest, source: MessageSource) => void;
  private readonly timers: TransactionTimers<InviteServerTimer>;
  private readonly reliable: boolean;
  private intervalG: number;
  private started = false;

  constructor(init: InviteServerInit) {
    const { clock, sender, timers } = init.context;
    this.context = init.context;
    this.pending = init.request;
    this.key = init.key;
    this.source = init.source;
    this.target = init.target;
    this.onTerminated = init.onTerminated;
    this.onAck = init.onAck;
    this.legacyToTag = init.legacyToTag;
    this.timers = new TransactionTimers(clock, this);
    this.reliable = sender.isReliable(init.source.protocol);
    this.intervalG = timers.g;
  }

  get state(): InviteServerState {
    return this.current;
  }

  get request(): SipRequest | undefined {
    return this.pending;
  }

  get lastStatus(): number | undefined {
    return this.lastCode;
  }

  /** The To tag of the last response sent (§9.2: the CANCEL's 200 SHOULD carry it). */
  get lastToTag(): string | undefined {
    return this.lastTag;
  }

  /**
   * Called once the TU has seen the INVITE. §17.2.1: 100 (Trying) is needed unless the TU
   * answers within 200 ms. A TU that answered at once (a 404) needs none; otherwise it is sent
   * when the Trying timer fires, unless a response came first: a B2BUA whose callee rings
   * within that time sends its 180 alone, one datagram fewer per call. Runs once.
   */
  start(): void {
    if (this.started || this.current === 'Terminated') return;
    this.started = true;
    if (this.lastCode === undefined) this.timers.arm('Trying', this.context.timers.trying);
  }

  /** The 100 (Trying) owed to an INVITE nothing has been sent for yet. */
  private sendTrying(): void {
    this.timers.clear('Trying');
    if (this.current === 'Proceeding' && this.lastCode === undefined && this.pending !== undefined) {
      this.sendLast(makeResponse(this.pending, 100));
    }
  }

  respond(response: SipResponse): void {
    this.handle({ type: 'tu-respond', response });
  }

  handle(event: InviteServerEvent): void {
    if (this.current === 'Terminated') return;
    switch (event.type) {
      case 'request':
        return this.onRetransmission();
      case 'ack':
        return this.onAckReceived(event.ack, event.source);
      case 'timer':
        return this.onTimer(event.timer);
      case 'transport-error':
        // RFC 6026 §8.8: inform the TU and remain in the current state (H, I or L still end it).
        return this.onTransportError?.(event.error, this);
      case 'tu-respond':
        return this.onTuResponse(event.response);
    }
  }

  dispose(): void {
    this.terminate();
  }

  private onRetransmission(): void {
    switch (this.current) {
      case 'Proceeding':
        // §17.2.1: a retransmitted INVITE gets the most recent provisional response again, or
        // the 100 it is owed by now if none has gone out yet.
        if (this.lastCode === undefined) return this.sendTrying();
        return this.resend();
      case 'Completed':
        // §17.2.1: a retransmitted INVITE gets the final response again.
        return this.resend();
      default:
        // RFC 6026 §7.1 (Accepted) and §17.2.1 (Confirmed): absorbed, never passed to the TU.
        return;
    }
  }

  private onAckReceived(ack: SipRequest, source: MessageSource): void {
    switch (this.current) {
      case 'Completed':
        // §17.2.1: the ACK for the non-2xx final moves Completed to Confirmed.
        return this.confirm();
      case 'Accepted':
        // RFC 6026 §7.1: an ACK received in Accepted is passed to the TU, not absorbed.
        return this.onAck(ack, source);
      default:
        // §17.2.1: Confirmed absorbs ACK retransmissions; before a final, an ACK acknowledges nothing.
        return;
    }
  }

  private onTimer(timer: InviteServerTimer): void {
    switch (timer) {
      case 'G':
        // §17.2.1: Timer G retransmits the final, doubling up to T2.
        this.intervalG = Math.min(2 * this.intervalG, this.context.timers.t2);
        this.timers.arm('G', this.intervalG);
        return this.resend();
      case 'H':
        // §17.2.1: Timer H means the ACK never came: terminate and tell the TU.
        this.terminate();
        return this.onTimeout?.(this);
      case 'I':
        // §17.2.1: Timer I ends the wait for ACK retransmissions in Confirmed.
        return this.terminate();
      case 'L':
        // RFC 6026 §7.1: Timer L ends the wait for INVITE retransmissions in Accepted.
        return this.terminate();
      case 'Trying':
        return this.sendTrying();
    }
  }

  private onTuResponse(response: SipResponse): void {
    const status = response.status;
    // Any response from the TU settles what the 100 was owed for.
    this.timers.clear('Trying');
    switch (this.current) {
      case 'Proceeding':
        // §17.2.1: a provisional from the TU is sent, and the state stays Proceeding.
        if (status < 200) return this.sendLast(response);
        // RFC 6026 §7.1: a 2xx is sent and the transaction enters Accepted.
        if (status < 300) return this.accept(response);
        // §17.2.1: a 300-699 is sent and the transaction enters Completed.
        return this.complete(response);
      case 'Accepted':
        // RFC 6026 §7.1: the TU's 2xx retransmissions pass through to the transport.
        if (status >= 200 && status < 300) this.send(response);
        return;
      default:
        // §17.2.1: after a non-2xx final nothing more is sent on the TU's behalf.
        return;
    }
  }

  private accept(response: SipResponse): void {
    this.current = 'Accepted';
    this.pending = undefined;
    this.timers.arm('L', this.context.timers.l);
    this.noteSent(response);
    // RFC 6026 §7.1: Accepted absorbs INVITE retransmissions, so the 2xx bytes are not kept.
    this.lastBytes = undefined;
    this.send(response);
  }

  private complete(response: SipResponse): void {
    this.current = 'Completed';
    this.pending = undefined;
    const { timers } = this.context;
    // §17.2.1: Timer G only on unreliable transports; Timer H on every transport.
    if (!this.reliable) this.timers.arm('G', this.intervalG);
    this.timers.arm('H', timers.h);
    this.sendLast(response);
  }

  private confirm(): void {
    this.current = 'Confirmed';
    this.timers.clearAll();
    // §17.2.1: Timer I is T4 on unreliable transports and zero on reliable ones.
    this.timers.arm('I', this.reliable ? 0 : this.context.timers.i);
    // §17.2.1: Confirmed only absorbs ACKs: the final is never sent again.
    this.lastBytes = undefined;
  }

  private terminate(): void {
    if (this.current === 'Terminated') return;
    this.current = 'Terminated';
    this.pending = undefined;
    this.lastBytes = undefined;
    this.timers.clearAll();
    this.onTerminated(this);
  }

  /** Sends a response that a retransmitted INVITE or Timer G may have to send again. */
  private sendLast(response: SipResponse): void {
    this.noteSent(response);
    this.lastBytes = response.serialize();
    this.resend();
  }

  private noteSent(response: SipResponse): void {
    this.lastCode = response.status;
    this.lastTag = response.toTag;
  }

  private resend(): void {
    if (this.lastBytes !== undefined) this.context.sender.sendBytes(this.lastBytes, this.target, this.onSendError);
  }

  private send(response: SipResponse): void {
    this.context.sender.send(response, this.target, this.onSendError);
  }

  private readonly onSendError = (error: TransportError): void => {
    this.handle({ type: 'transport-error', error });
  };
}
