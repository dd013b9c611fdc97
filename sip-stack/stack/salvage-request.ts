import { type SipMessage, SipRequest } from '../message/sip-message.js';
import { findHeaderEnd, parseMessage } from '../parser/message-parser.js';

/**
 * RFC 4475 §3.1.2.2/§3.1.2.3/§3.3.9: a datagram whose body framing is wrong (Content-Length too
 * large, negative, conflicting) is still answered 400 when its head is readable. The head alone
 * is parsed (no body, Content-Length ignored) only to address that answer.
 */
export function salvageRequest(bytes: Buffer): SipRequest | undefined {
  const end = findHeaderEnd(bytes, 0);
  if (end < 0) return undefined;
  const [first = '', ...rest] = bytes.toString('utf8', 0, end).split(/\r?\n/);
  const head = [repairRequestLine(first), ...rest.filter((line) => !isContentLength(line))].join('\r\n');
  const parsed: SipMessage | unknown = parseMessage(Buffer.from(`${head}\r\n\r\n`, 'utf8'));
  return parsed instanceof SipRequest ? parsed : undefined;
}

/**
 * RFC 4475 §3.1.2.8-10: a request line with extra whitespace is refused, but its headers are
 * readable; the line is rebuilt from its first and last words only to address the 400.
 */
function repairRequestLine(line: string): string {
  const words = line.trim().split(/\s+/);
  if (words.length < 3 || words[0]?.startsWith('SIP/')) return line;
  return `${words[0]} sip:invalid ${words[words.length - 1]}`;
}

function isContentLength(line: string): boolean {
  const colon = line.indexOf(':');
  const name = (colon < 0 ? line : line.slice(0, colon)).trim().toLowerCase();
  return name === 'content-length' || name === 'l';
}
