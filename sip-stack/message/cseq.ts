import { SipParseError } from '../parser/sip-parse-error.js';
import { isDigit, isTokenChar, isWhitespace } from '../parser/char-codes.js';

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

/** RFC 3261 §8.1.1.5: the sequence number MUST be less than 2**31. */
export const MAX_CSEQ = 2 ** 31 - 1;

export function parseCSeq(value: string): CSeq | SipParseError {
  return parseCSeqAt(value, 0, value.length);
}

/** parseCSeq of s[start, end), without copying it out first. */
export function parseCSeqAt(s: string, start: number, end: number): CSeq | SipParseError {
  let i = start;
  while (i < end && isWhitespace(s.charCodeAt(i))) i++;
  const digits = i;
  // At most 12 digits, so the value stays exact in a double and the range check means something.
  let seq = 0;
  while (i < end && isDigit(s.charCodeAt(i))) seq = seq * 10 + s.charCodeAt(i++) - 48;
  if (i === digits || i - digits > 12) return new SipParseError('Malformed CSeq number');
  if (seq > MAX_CSEQ) return new SipParseError('CSeq number out of range');
  if (i >= end || !isWhitespace(s.charCodeAt(i))) return new SipParseError('Malformed CSeq');
  while (i < end && isWhitespace(s.charCodeAt(i))) i++;
  while (end > i && isWhitespace(s.charCodeAt(end - 1))) end--;
  if (i === end) return new SipParseError('Malformed CSeq method');
  for (let j = i; j < end; j++) if (!isTokenChar(s.charCodeAt(j))) return new SipParseError('Malformed CSeq method');
  return { seq, method: methodName(s, i, end) };
}

/** The methods a stack sees all day, as constants: no copy, and comparisons by identity. */
const METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH',
  'INFO', 'REFER', 'MESSAGE', 'UPDATE'];
const METHOD_BYTES = METHODS.map((m) => Uint8Array.from(Buffer.from(m, 'latin1')));

/** s[start, end) as a string, reusing the constant when it is a common method. */
export function methodName(s: string, start: number, end: number): string {
  const length = end - start;
  const first = s.charCodeAt(start);
  for (const m of METHODS) if (m.length === length && m.charCodeAt(0) === first && s.startsWith(m, start)) return m;
  return s.slice(start, end);
}

/** methodName of bytes [start, end) of `b`, whose chars `t` holds at the same offsets. */
export function methodAt(b: Buffer, t: string, start: number, end: number): string {
  const length = end - start;
  for (let k = 0; k < METHOD_BYTES.length; k++) {
    const bytes = METHOD_BYTES[k] as Uint8Array;
    if (bytes.length !== length || bytes[0] !== b[start]) continue;
    let i = 1;
    while (i < length && b[start + i] === bytes[i]) i++;
    if (i === length) return METHODS[k] as string;
  }
  return t.slice(start, end);
}
