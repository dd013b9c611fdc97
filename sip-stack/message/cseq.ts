import { SipParseError } from '../parser/sip-parse-error.js';
import { isDigit, isToken, isWhitespace } from '../parser/char-codes.js';

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

/** RFC 3261 §8.1.1.5: the sequence number MUST be less than 2**31. */
export const MAX_CSEQ = 2 ** 31 - 1;

export function parseCSeq(value: string): CSeq | SipParseError {
  let i = 0;
  while (i < value.length && isWhitespace(value.charCodeAt(i))) i++;
  const start = i;
  while (i < value.length && isDigit(value.charCodeAt(i))) i++;
  if (i === start || i - start > 12) return new SipParseError('Malformed CSeq number');
  const seq = Number(value.slice(start, i));
  if (seq > MAX_CSEQ) return new SipParseError('CSeq number out of range');
  if (i >= value.length || !isWhitespace(value.charCodeAt(i))) return new SipParseError('Malformed CSeq');
  let end = value.length;
  while (i < end && isWhitespace(value.charCodeAt(i))) i++;
  while (end > i && isWhitespace(value.charCodeAt(end - 1))) end--;
  const method = value.slice(i, end);
  if (!isToken(method)) return new SipParseError('Malformed CSeq method');
  return { seq, method };
}
