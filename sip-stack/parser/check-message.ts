import { type SipMessage, SipRequest } from '../message/sip-message.js';
import { SipParseError } from './sip-parse-error.js';

/**
 * The checks every received message passes before a transaction sees it: well-formed header
 * lines, a valid Request-URI, and (§8.1.1) To, From, CSeq, Call-ID and Via present, parseable
 * and, for single-value headers, present once.
 */
export function checkMessage(m: SipMessage): SipParseError | undefined {
  const syntax = m.headerError;
  if (syntax) return syntax;
  const request = m instanceof SipRequest ? m : undefined;
  if (request !== undefined) {
    const uri = request.requestUriError();
    if (uri !== undefined) return new SipParseError(`Malformed Request-URI: ${uri.reason}`);
  }
  const duplicate = m.duplicateHeader();
  if (duplicate !== undefined) return new SipParseError(`Duplicate ${duplicate} header`);
  if (m.findLine('via') < 0) return new SipParseError('Missing Via header');
  const error = m.checkEssentials();
  if (error) return error;
  if (request !== undefined && request.cseq.method !== request.method) {
    return checkCSeqMethod(request);
  }
  return undefined;
}

/**
 * §8.1.1.5: the CSeq method MUST match the request method. Left to the layer above for unknown
 * methods, so that they get 501 rather than 400 (RFC 4475 §3.1.2.18).
 */
function checkCSeqMethod(m: SipRequest): SipParseError | undefined {
  return KNOWN_METHODS.has(m.method) ? new SipParseError('CSeq method does not match request method') : undefined;
}

export const KNOWN_METHODS = new Set([
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH',
  'INFO', 'REFER', 'MESSAGE', 'UPDATE',
]);

