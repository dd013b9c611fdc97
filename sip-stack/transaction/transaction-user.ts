import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { MessageSource } from '../transport/transport-types.js';
import type { InviteServerTransaction } from './invite-server-transaction.js';
import type { ServerTransaction } from './server-transaction.js';

/** What the transaction layer delivers to the layer above it (the UA core or dialog layer). */
export interface TransactionUser {
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
