import type { SipMessage } from '../../../../sip-stack/message/sip-message.js';
import { SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';
import type { TransactionSender } from '../../../../sip-stack/transaction/transaction-sender.js';
import {
  type Endpoint, type SendTarget, TransportError, type TransportProtocol,
} from '../../../../sip-stack/transport/transport-types.js';

export interface SentMessage {
  /** The message sent, or for bytes sent as they are, those bytes parsed again. */
  readonly message: SipMessage;
  /** Set when the transaction sent serialised bytes rather than a message. */
  readonly bytes: Buffer | undefined;
  readonly target: SendTarget;
  readonly onError: ((error: TransportError) => void) | undefined;
}

/** An in-memory TransactionSender: records what the layer sends; TCP is the reliable transport. */
export class FakeSender implements TransactionSender {
  readonly sent: SentMessage[] = [];
  /** When set, every send reports this error at once, from inside send(). */
  failWith: string | undefined;
  localAddress = '192.0.2.1';

  send(message: SipMessage, target: SendTarget, onError?: (error: TransportError) => void): void {
    this.record({ message, bytes: undefined, target, onError });
  }

  sendBytes(bytes: Buffer, target: SendTarget, onError?: (error: TransportError) => void): void {
    const message = parseMessage(bytes);
    if (message instanceof SipParseError) throw new Error(`sent bytes that do not parse: ${message.reason}`);
    this.record({ message, bytes, target, onError });
  }

  localEndpoint(protocol: TransportProtocol): Endpoint {
    return { protocol, address: this.localAddress, port: 5060 };
  }

  isReliable(protocol: TransportProtocol): boolean {
    return protocol === 'tcp';
  }

  requests(method?: string): SipRequest[] {
    return this.messages().filter((m): m is SipRequest => m instanceof SipRequest && (method === undefined || m.method === method));
  }

  responses(status?: number): SipResponse[] {
    return this.messages().filter((m): m is SipResponse => m instanceof SipResponse && (status === undefined || m.status === status));
  }

  last(): SentMessage {
    const entry = this.sent[this.sent.length - 1];
    if (entry === undefined) throw new Error('nothing was sent');
    return entry;
  }

  /** Reports a transport error for the last send, later, as a TCP write failure would. */
  failLast(reason = 'connection reset'): TransportError {
    const { target, onError } = this.last();
    const error = new TransportError(reason, target);
    onError?.(error);
    return error;
  }

  /** The wire text of every response sent with `status`, in order. */
  responseTexts(status?: number): string[] {
    return this.responses(status).map((r) => r.toString());
  }

  private record(entry: SentMessage): void {
    this.sent.push(entry);
    if (this.failWith !== undefined) entry.onError?.(new TransportError(this.failWith, entry.target));
  }

  private messages(): SipMessage[] {
    return this.sent.map((s) => s.message);
  }
}
