import { SipParseError } from './sip-parse-error.js';

/**
 * Where the body that starts at `bodyStart` ends, by its Content-Length (`length`, -1 when there
 * is none), or why it cannot (RFC 3261 §18.3). A stream must carry Content-Length; a datagram
 * without one runs to its end, and a datagram shorter than its Content-Length is malformed
 * (extra octets after it are discarded).
 */
export function bodyEndAt(buf: Buffer, bodyStart: number, length: number, stream: boolean): number | SipParseError {
  if (length < 0) return stream ? new SipParseError('Missing Content-Length') : Math.max(buf.length, bodyStart);
  if (length > Math.max(0, buf.length - bodyStart)) return new SipParseError('Content-Length exceeds message');
  return bodyStart + length;
}
