import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { MessageSource, TransportError } from '../transport/transport-types.js';

export type InviteServerState = 'Proceeding' | 'Completed' | 'Accepted' | 'Confirmed' | 'Terminated';
export type NonInviteServerState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

/** The handle a TU gets with each new request (TransactionUser.onRequest). */
export interface ServerTransaction {
  /**
   * The request, until the final response has gone; then undefined, because from there on the
   * transaction keeps only the bytes it may have to send again (§17.2.1, §17.2.2).
   */
  readonly request: SipRequest | undefined;
  readonly source: MessageSource;
  readonly state: InviteServerState | NonInviteServerState;
  /** The status of the last response passed to the transport, if any. */
  readonly lastStatus: number | undefined;
  /**
   * Sends a response through the transaction; the retransmission rules of §17.2 apply. Responses
   * the current state does not allow (a second final, anything after Terminated) are dropped.
   */
  respond(response: SipResponse): void;
  /** Timer H fired: the ACK for a non-2xx final never came (§17.2.1). */
  onTimeout: ((tx: ServerTransaction) => void) | undefined;
  onTransportError: ((error: TransportError, tx: ServerTransaction) => void) | undefined;
  /** Stops the transaction silently; idempotent. */
  dispose(): void;
}
