import type { MessageSender, SendTarget, TransportError } from '../transport/transport-types.js';

/**
 * The transport as transactions see it. Besides messages it takes wire bytes serialised
 * earlier, so that a transaction past its final response can retransmit (§17.1.1.3, §17.2.1,
 * §17.2.2) while keeping only those bytes, not the message with its parsed views.
 */
export interface TransactionSender extends MessageSender {
  /** Sends bytes as they are; failure is reported through `onError`, never thrown. */
  sendBytes(bytes: Buffer, target: SendTarget, onError?: (error: TransportError) => void): void;
}
