import { SipParseError } from '../parser/sip-parse-error.js';
import {
  BACKSLASH, COMMA, CR, DQUOTE, EQUALS, LF, SEMI, isWhitespace, skipLws, trimEnd,
} from '../parser/char-codes.js';
import { commonParamName } from './param-names.js';

/**
 * Generic parameters (`;name[=value]`, RFC 3261 §25.1 generic-param). Names are case-insensitive
 * and stored lower-cased; values are kept as sent (quotes and %-escapes included); a parameter
 * without a value maps to null. Read-only: parsed lists without parameters share one empty map
 * (most URIs and To headers have none), so a changed copy is made with `new Map(params)`.
 */
export type Params = ReadonlyMap<string, string | null>;

/** The shared empty parameter list. */
export const NO_PARAMS: Params = new Map<string, string | null>();

/** End index of a quoted string that starts at `start` (the opening quote), or -1 if unterminated. */
export function skipQuoted(s: string, start: number, end = s.length): number {
  for (let i = start + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === DQUOTE) return i + 1;
  }
  return -1;
}

/** Parses `;a=b;c` in s[start, end), LWS allowed around every separator (§25.1 SEMI, EQUAL). */
export function parseParams(s: string, start: number, end = s.length): Params | SipParseError {
  let i = skipLws(s, start, end);
  if (i >= end) return NO_PARAMS;
  const params = new Map<string, string | null>();
  while (i < end) {
    if (s.charCodeAt(i) !== SEMI) return new SipParseError('Malformed parameter list');
    const next = readParam(s, i + 1, end, params);
    if (next instanceof SipParseError) return next;
    i = skipLws(s, next, end);
  }
  return params;
}

/** Reads one `name[=value]` from `i` into `params`; returns the index after it. */
function readParam(s: string, i: number, end: number, params: Map<string, string | null>): number | SipParseError {
  const nameStart = skipLws(s, i, end);
  let j = nameStart;
  let upper = false;
  for (; j < end; j++) {
    const c = s.charCodeAt(j);
    if (endsName(c)) break;
    if (c >= 65 && c <= 90) upper = true;
  }
  const nameEnd = j;
  if (nameEnd === nameStart) return new SipParseError('Empty or invalid parameter name');
  j = skipLws(s, j, end);
  let value: string | null = null;
  if (j < end && s.charCodeAt(j) === EQUALS) {
    const valueStart = skipLws(s, j + 1, end);
    j = valueEnd(s, valueStart, end);
    if (j < 0) return new SipParseError('Unterminated quoted parameter');
    const valueStop = trimEnd(s, valueStart, j);
    if (valueStop === valueStart) return new SipParseError('Empty parameter value');
    value = s.slice(valueStart, valueStop);
  } else if (j < end && s.charCodeAt(j) !== SEMI) {
    return new SipParseError('Empty or invalid parameter name');
  }
  params.set(upper ? s.slice(nameStart, nameEnd).toLowerCase() : paramName(s, nameStart, nameEnd), value);
  return j;
}

function paramName(s: string, start: number, end: number): string {
  return commonParamName(s, start, end) ?? s.slice(start, end);
}

function endsName(c: number): boolean {
  return c === EQUALS || c === SEMI || c === COMMA || c === DQUOTE || isWhitespace(c);
}

/** A value runs to the next `;` or `,` outside quotes (LWS inside is kept, as peers send it). */
function valueEnd(s: string, i: number, end: number): number {
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === DQUOTE) {
      const q = skipQuoted(s, i, end);
      if (q < 0) return -1;
      i = q - 1;
    } else if (c === SEMI || c === COMMA) return i;
  }
  return end;
}

export function formatParams(params: Params): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/** Removes the quotes and backslash escapes of a quoted-string (§25.1 quoted-pair). */
export function unquote(s: string): string {
  if (s.length < 2 || s.charCodeAt(0) !== DQUOTE) return s;
  if (s.indexOf('\\') < 0) return s.slice(1, -1);
  let out = '';
  for (let i = 1; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH && i + 1 < s.length - 1) i++;
    out += s[i];
  }
  return out;
}

/** Quotes a display name; CR and LF cannot be escaped (§25.1 quoted-pair) and become SP. */
export function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === CR || c === LF) {
      out += ' ';
      continue;
    }
    if (c === DQUOTE || c === BACKSLASH) out += '\\';
    out += s[i];
  }
  return out + '"';
}
