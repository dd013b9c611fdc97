import { SipRequest, type SipResponse } from '../message/sip-message.js';
import { parseMessage } from '../parser/message-parser.js';
import { SipParseError } from '../parser/sip-parse-error.js';
import type { MessageSource, TransportCounters, TransportUser } from './transport-types.js';
import { stampReceived } from './via-received.js';

export function makeCounters(): TransportCounters {
  return {
    messagesIn: 0, messagesOut: 0, parseErrors: 0, framingErrors: 0, sendErrors: 0,
    keepAlivePings: 0, connectionsAccepted: 0, connectionsOpened: 0, connectionsRejected: 0,
  };
}

function reportToProcess(error: unknown): void {
  process.emitWarning(error instanceof Error ? error : String(error), 'TransportUserError');
}

/**
 * The inbound path every transport shares: parse, stamp received/rport on requests, count,
 * and hand the result to the transport user.
 */
export class InboundDispatcher {
  user: TransportUser | undefined;
  readonly counters: TransportCounters = makeCounters();

  constructor(private readonly onUserError: (error: unknown) => void = reportToProcess) {}

  /** `stream` bytes were framed by Content-Length; a datagram bounds its own body (§18.3). */
  dispatch(bytes: Buffer, source: MessageSource, stream: boolean): void {
    const parsed = parseMessage(bytes, { stream });
    if (parsed instanceof SipParseError) {
      this.counters.parseErrors++;
      this.deliver((user) => user.receiveMalformed(parsed, bytes, source));
      return;
    }
    this.counters.messagesIn++;
    if (parsed instanceof SipRequest) {
      stampReceived(parsed, source.address, source.port);
      this.deliver((user) => user.receiveRequest(parsed, source));
    } else {
      this.deliver((user) => user.receiveResponse(parsed as SipResponse, source));
    }
  }

  /** A bug above must not unwind into a socket callback and take every connection down. */
  private deliver(call: (user: TransportUser) => void): void {
    const user = this.user;
    if (user === undefined) return;
    try {
      call(user);
    } catch (error) {
      this.onUserError(error);
    }
  }
}
