import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { MessageSource } from '../transport/transport-types.js';
import type { InviteServerTransaction } from './invite-server-transaction.js';
import type { ServerTransaction } from './server-transaction.js';

/** What the transaction layer delivers to the layer above it (the UA core or dialog layer). */
export interface TransactionUser {
  /**
   * Asked first about a new request (not ACK, not CANCEL): a response the TU can give from the
   * request alone, such as a digest challenge, goes out statelessly (§8.2.7) and no transaction
   * is created for it; undefined goes on to onRequest. A retransmitted request is simply asked
   * again. Optional: without it, every request gets a transaction.
   */
  answerStatelessly?(request: SipRequest, source: MessageSource): SipResponse | undefined;
  /** A new request (not ACK, not CANCEL), with the server transaction to answer it through. */
  onRequest(request: SipRequest, tx: ServerTransaction): void;
  /** An ACK that belongs to no transaction: the ACK for a 2xx (§17.1.1.3, RFC 6026 §7.1). */
  onAck(ack: SipRequest, source: MessageSource): void;
  /**
   * A CANCEL for an INVITE still waiting for its final response. The layer has already answered
   * the CANCEL with 200 (§9.2); the TU should now answer the INVITE, normally with 487.
   */
  onCancel(cancel: SipRequest, inviteTx: InviteServerTransaction): void;
  /** A 2xx to INVITE matching no client transaction: a forked or late 2xx to re-ACK (§13.2.2.4). */
  onStray2xx(response: SipResponse, source: MessageSource): void;
}
