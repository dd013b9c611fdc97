import { SipParseError } from '../parser/sip-parse-error.js';
import { DQUOTE, EQUALS, GT, LT, QUESTION, SEMI, lowerSlice } from '../parser/char-codes.js';
import { commonParamName } from './param-names.js';
import { NO_PARAMS, type Params } from './params.js';
import { unescapePercent, validEscapes } from './percent-escape.js';

/**
 * uri-parameters (RFC 3261 §19.1.1, §25.1): `;name[=value]` up to `?` or `end`, no LWS
 * anywhere. Names are lower-cased, and %-decoded when the result is plain (RFC 4475 §3.1.1.3:
 * `%6C%72` is lr); values are kept as sent, escapes included.
 */
export function parseUriParams(s: string, start: number, end: number): Params | SipParseError {
  if (start >= end || s.charCodeAt(start) !== SEMI) {
    return start < end && s.charCodeAt(start) !== QUESTION ? new SipParseError('Malformed URI parameter') : NO_PARAMS;
  }
  const params = new Map<string, string | null>();
  let i = start;
  while (i < end && s.charCodeAt(i) === SEMI) {
    const nameStart = i + 1;
    i = partEnd(s, nameStart, end, true);
    if (i === nameStart) return new SipParseError('Empty URI parameter name');
    const name = paramName(s, nameStart, i);
    if (i < end && s.charCodeAt(i) === EQUALS) {
      const valueStart = i + 1;
      i = partEnd(s, valueStart, end, false);
      if (i === valueStart) return new SipParseError('Empty URI parameter value');
      params.set(name, s.slice(valueStart, i));
    } else {
      params.set(name, null);
    }
  }
  if (i < end && s.charCodeAt(i) !== QUESTION) return new SipParseError('Malformed URI parameter');
  if (!validEscapes(s, start, i)) return new SipParseError('Invalid escape in URI parameter');
  return params;
}

/** The end of a name (at `=`, `;`, `?`) or value (at `;`, `?`), or where a bad char stands. */
function partEnd(s: string, i: number, end: number, isName: boolean): number {
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === SEMI || c === QUESTION || (isName && c === EQUALS) || !isUriChar(c)) return i;
  }
  return end;
}

/** Printable, and nothing that would break a name-addr or a header line when written back. */
export function isUriChar(c: number): boolean {
  return c > 0x20 && c !== 0x7f && c !== LT && c !== GT && c !== DQUOTE;
}

function paramName(s: string, start: number, end: number): string {
  const common = commonParamName(s, start, end);
  if (common !== undefined) return common;
  const name = lowerSlice(s, start, end);
  if (name.indexOf('%') < 0) return name;
  const decoded = unescapePercent(name);
  return isPlainParamName(decoded) ? decoded.toLowerCase() : name;
}

/** Characters a pname may hold unescaped (§25.1 paramchar without escaped). */
function isPlainParamName(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!alnum && "-_.!~*'()[]/:&+$".indexOf(s[i] as string) < 0) return false;
  }
  return s.length > 0;
}
