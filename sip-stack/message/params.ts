import { SipParseError } from '../parser/sip-parse-error.js';
import { BACKSLASH, COMMA, DQUOTE, EQUALS, SEMI, isWhitespace, trimLws } from '../parser/char-codes.js';

/**
 * Generic parameters (`;name[=value]`, RFC 3261 §25.1 generic-param). Names are case-insensitive
 * and stored lower-cased; a parameter without a value maps to null.
 */
export type Params = Map<string, string | null>;

/** End index of a quoted string that starts at `start` (the opening quote), or -1 if unterminated. */
export function skipQuoted(s: string, start: number): number {
  for (let i = start + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === DQUOTE) return i + 1;
  }
  return -1;
}

/** Parses `;a=b;c` from `start` to the end of `s` (which holds one list element). */
export function parseParams(s: string, start: number): Params | SipParseError {
  const params: Params = new Map();
  let i = start;
  while (i < s.length) {
    while (i < s.length && isWhitespace(s.charCodeAt(i))) i++;
    if (i >= s.length) break;
    if (s.charCodeAt(i) !== SEMI) return new SipParseError('Malformed parameter list');
    const end = paramEnd(s, i + 1);
    if (end < 0) return new SipParseError('Unterminated quoted parameter');
    const added = addParam(params, s, i + 1, end);
    if (added) return added;
    i = end;
  }
  return params;
}

function paramEnd(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === DQUOTE) {
      const q = skipQuoted(s, i);
      if (q < 0) return -1;
      i = q - 1;
    } else if (c === SEMI || c === COMMA) return i;
  }
  return s.length;
}

function addParam(params: Params, s: string, start: number, end: number): SipParseError | undefined {
  const eq = s.indexOf('=', start);
  const hasValue = eq >= 0 && eq < end;
  const name = trimLws(s, start, hasValue ? eq : end).toLowerCase();
  if (name.length === 0 || !isParamName(name)) return new SipParseError('Empty or invalid parameter name');
  const value = hasValue ? trimLws(s, eq + 1, end) : null;
  if (value !== null && value.length === 0) return new SipParseError(`Empty value for parameter ${name}`);
  params.set(name, value);
  return undefined;
}

function isParamName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (isWhitespace(c) || c === EQUALS || c === DQUOTE) return false;
  }
  return true;
}

export function formatParams(params: Params): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/** Removes the quotes and backslash escapes of a quoted-string (§25.1 quoted-pair). */
export function unquote(s: string): string {
  if (s.length < 2 || s.charCodeAt(0) !== DQUOTE) return s;
  let out = '';
  for (let i = 1; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH && i + 1 < s.length - 1) i++;
    out += s[i];
  }
  return out;
}

export function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === DQUOTE || c === BACKSLASH) out += '\\';
    out += s[i];
  }
  return out + '"';
}
