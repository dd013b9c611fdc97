import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { SendTarget, TransportError } from '../transport/transport-types.js';

export type InviteClientState = 'Calling' | 'Proceeding' | 'Completed' | 'Accepted' | 'Terminated';
export type NonInviteClientState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

/** What a client transaction reports to the TU that started it (§17.1). */
export interface ClientTransactionUser {
  /** Provisional and final responses, once each; retransmissions are absorbed (2xx excepted, RFC 6026 §7.2). */
  receiveResponse(response: SipResponse, tx: ClientTransaction): void;
  /** Timer B or F fired, or no final response came within 64*T1 of a CANCEL (§9.1). */
  onTimeout(tx: ClientTransaction): void;
  onTransportError(error: TransportError, tx: ClientTransaction): void;
}

/** The handle the TU gets back from TransactionLayer.sendRequest. */
export interface ClientTransaction {
  /** The request until a final response has come; then undefined, as the transaction lets it go. */
  readonly request: SipRequest | undefined;
  readonly target: SendTarget;
  readonly state: InviteClientState | NonInviteClientState;
  /**
   * §9.1: CANCELs an INVITE once a provisional response has come (waiting for one if need be),
   * never after a final one. A no-op for non-INVITE requests, which are not cancelled (§9.1).
   */
  cancel(reason?: string): void;
  /** Stops the transaction silently (no TU callbacks); idempotent. */
  dispose(): void;
}
