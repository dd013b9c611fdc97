import type { SipMessage } from '../../../../sip-stack/message/sip-message.js';
import { SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';
import {
  type Endpoint, type MessageSender, type SendTarget, TransportError, type TransportProtocol,
} from '../../../../sip-stack/transport/transport-types.js';

export interface SentMessage {
  readonly message: SipMessage;
  readonly target: SendTarget;
  readonly onError: ((error: TransportError) => void) | undefined;
}

/** An in-memory MessageSender: records what the layer sends; TCP is the reliable transport. */
export class FakeSender implements MessageSender {
  readonly sent: SentMessage[] = [];
  /** When set, every send reports this error at once, from inside send(). */
  failWith: string | undefined;
  localAddress = '192.0.2.1';

  send(message: SipMessage, target: SendTarget, onError?: (error: TransportError) => void): void {
    this.sent.push({ message, target, onError });
    if (this.failWith !== undefined) onError?.(new TransportError(this.failWith, target));
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

  private messages(): SipMessage[] {
    return this.sent.map((s) => s.message);
  }
}
