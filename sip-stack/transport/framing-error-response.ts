import { randomBytes } from 'node:crypto';
import { headerKey } from '../message/header-name.js';
import { makeResponse } from '../message/make-response.js';
import { type Header, SipRequest } from '../message/sip-message.js';
import type { FramingError } from '../parser/stream-framer.js';

/**
 * The answer to a stream that could not be framed, when its header section was read and is a
 * request with a usable Via; otherwise undefined and the connection is simply closed. The
 * message parser cannot be used here: it rejects exactly the Content-Length that failed.
 */
export function framingErrorResponse(error: FramingError): Buffer | undefined {
  if (error.head === undefined) return undefined;
  const request = requestFromHead(error.head.toString('utf8'));
  if (request === undefined || request.method === 'ACK') return undefined;
  if (request.check('via') !== undefined || request.vias.length === 0) return undefined;
  // §8.2.6.2: a To tag is added when the To header is readable; a broken one is echoed as is.
  const toTag = request.check('to') === undefined ? randomBytes(6).toString('hex') : undefined;
  return makeResponse(request, error.status, { reason: error.reason, toTag }).serialize();
}

/** Request-Line and header lines, unfolded (§7.3.1), without looking at Content-Length. */
function requestFromHead(head: string): SipRequest | undefined {
  const lines = head.split(/\r?\n/);
  const [method, uri, version, extra] = (lines[0] ?? '').split(' ');
  if (method === undefined || uri === undefined || !version?.toUpperCase().startsWith('SIP/') || extra !== undefined) {
    return undefined;
  }
  const headers: Header[] = [];
  for (const line of lines.slice(1)) {
    const last = headers[headers.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      headers[headers.length - 1] = { ...last, value: `${last.value} ${line.trim()}` };
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    headers.push({ name, key: headerKey(name), value: line.slice(colon + 1).trim() });
  }
  return new SipRequest(method, uri, headers);
}
