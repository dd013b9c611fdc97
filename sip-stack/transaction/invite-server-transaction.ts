import { makeResponse } from '../message/make-response.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { MessageSource, SendTarget, TransportError } from '../transport/transport-types.js';
import type { InviteServerState, ServerTransaction } from './server-transaction.js';
import type { InviteServerEvent, InviteServerTimer } from './transaction-events.js';
import type { OnTerminated, TransactionContext } from './transaction-context.js';
import { TransactionTimers } from './transaction-timers.js';

export interface InviteServerInit {
  readonly context: TransactionContext;
  readonly request: SipRequest;
  readonly source: MessageSource;
  /** Where responses go (§18.2.2 routing is the transport's business). */
  readonly target: SendTarget;
  readonly onTerminated: OnTerminated<InviteServerTransaction>;
  /** Passes an ACK received in Accepted up to the TU (RFC 6026 §7.1). */
  readonly onAck: (ack: SipRequest, source: MessageSource) => void;
}

/**
 * RFC 3261 §17.2.1 INVITE server transaction, with the Accepted state of RFC 6026 §7.1.
 * Non-2xx finals are retransmitted here (Timer G); 2xx retransmission is the TU's job
 * (§13.3.1.4): in Accepted the transaction only passes the TU's 2xx through.
 */
export class InviteServerTransaction implements ServerTransaction {
  onTimeout: ((tx: ServerTransaction) => void) | undefined = undefined;
  onTransportError: ((error: TransportError, tx: ServerTransaction) => void) | undefined = undefined;
  private current: InviteServerState = 'Proceeding';
  private last: SipResponse | undefined;
  private readonly timers: TransactionTimers<InviteServerTimer>;
  private readonly reliable: boolean;
  private intervalG: number;
  private started = false;

  constructor(private readonly init: InviteServerInit) {
    const { clock, sender, timers } = init.context;
    this.timers = new TransactionTimers(clock, (timer) => this.handle({ type: 'timer', timer }));
    this.reliable = sender.isReliable(init.source.protocol);
    this.intervalG = timers.g;
  }

  get state(): InviteServerState {
    return this.current;
  }

  get request(): SipRequest {
    return this.init.request;
  }

  get source(): MessageSource {
    return this.init.source;
  }

  get lastResponse(): SipResponse | undefined {
    return this.last;
  }

  /**
   * Called once the TU has seen the INVITE. §17.2.1: 100 (Trying) is needed unless the TU
   * answers within 200 ms; one that answered at once (a 407 challenge, a 404) makes it
   * superfluous, and any other gets it now rather than after a timer. Runs once.
   */
  start(): void {
    if (this.started || this.current === 'Terminated') return;
    this.started = true;
    if (this.last === undefined) this.sendLast(makeResponse(this.request, 100));
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
        // §17.2.1: a retransmitted INVITE gets the most recent provisional response again.
        if (this.last !== undefined) this.send(this.last);
        return;
      case 'Completed':
        // §17.2.1: a retransmitted INVITE gets the final response again.
        if (this.last !== undefined) this.send(this.last);
        return;
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
        return this.init.onAck(ack, source);
      default:
        // §17.2.1: Confirmed absorbs ACK retransmissions; before a final, an ACK acknowledges nothing.
        return;
    }
  }

  private onTimer(timer: InviteServerTimer): void {
    switch (timer) {
      case 'G':
        // §17.2.1: Timer G retransmits the final, doubling up to T2.
        this.intervalG = Math.min(2 * this.intervalG, this.init.context.timers.t2);
        this.timers.arm('G', this.intervalG);
        if (this.last !== undefined) this.send(this.last);
        return;
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
    }
  }

  private onTuResponse(response: SipResponse): void {
    const status = response.status;
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
        if (status >= 200 && status < 300) this.sendLast(response);
        return;
      default:
        // §17.2.1: after a non-2xx final nothing more is sent on the TU's behalf.
        return;
    }
  }

  private accept(response: SipResponse): void {
    this.current = 'Accepted';
    this.timers.arm('L', this.init.context.timers.l);
    this.sendLast(response);
  }

  private complete(response: SipResponse): void {
    this.current = 'Completed';
    const { timers } = this.init.context;
    // §17.2.1: Timer G only on unreliable transports; Timer H on every transport.
    if (!this.reliable) this.timers.arm('G', this.intervalG);
    this.timers.arm('H', timers.h);
    this.sendLast(response);
  }

  private confirm(): void {
    this.current = 'Confirmed';
    this.timers.clearAll();
    // §17.2.1: Timer I is T4 on unreliable transports and zero on reliable ones.
    this.timers.arm('I', this.reliable ? 0 : this.init.context.timers.i);
  }

  private terminate(): void {
    if (this.current === 'Terminated') return;
    this.current = 'Terminated';
    this.timers.clearAll();
    this.init.onTerminated(this);
  }

  private sendLast(response: SipResponse): void {
    this.last = response;
    this.send(response);
  }

  private send(response: SipResponse): void {
    this.init.context.sender.send(response, this.init.target, this.onSendError);
  }

  private readonly onSendError = (error: TransportError): void => {
    this.handle({ type: 'transport-error', error });
  };
}
