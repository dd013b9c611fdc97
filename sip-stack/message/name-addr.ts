import { SipParseError } from '../parser/sip-parse-error.js';
import {
  BACKSLASH, COLON, COMMA, DQUOTE, GT, LT, QUESTION, SEMI, isTokenChar, isWhitespace, skipLws, trimEnd,
} from '../parser/char-codes.js';
import { type Params, formatParams, parseParams, quote, skipQuoted, unquote } from './params.js';
import { type Uri, formatUri, parseUriAt } from './sip-uri.js';
import { asciiBytes } from './fast-params.js';
import { fastNameAddr } from './fast-views.js';

/**
 * A name-addr or addr-spec with header parameters (From, To, Contact, Route, Record-Route...).
 * In the addr-spec form (no `<>`), `;params` belong to the header, never the URI (§20.10).
 */
export interface NameAddr {
  readonly displayName: string | undefined;
  readonly uri: Uri;
  readonly params: Params;
}

export function parseNameAddr(value: string): NameAddr | SipParseError {
  // The usual shape is read from the value's bytes (fast-views.ts), anything else the long way.
  const bytes = asciiBytes(value);
  return (bytes === undefined ? undefined : fastNameAddr(bytes, value, 0, value.length, true)) ?? parseNameAddrAt(value, 0, value.length);
}

/** parseNameAddr of s[start, end), without copying it out first. */
export function parseNameAddrAt(s: string, start: number, end: number): NameAddr | SipParseError {
  start = skipLws(s, start, end);
  end = trimEnd(s, start, end);
  if (start === end) return new SipParseError('Empty address');
  if (s.charCodeAt(start) === DQUOTE) return parseQuotedForm(s, start, end);
  const lt = openingAngle(s, start, end);
  if (lt < 0) return parseAddrSpec(s, start, end);
  const displayName = tokenDisplayName(s, start, lt);
  if (displayName instanceof SipParseError) return displayName;
  return parseAngleForm(s, lt, end, displayName);
}

/** `"display name" <uri>`: nothing but LWS may stand between the closing quote and `<`. */
function parseQuotedForm(s: string, start: number, end: number): NameAddr | SipParseError {
  const close = skipQuoted(s, start, end);
  if (close < 0) return new SipParseError('Unterminated quoted display name');
  const lt = skipLws(s, close, end);
  if (lt >= end || s.charCodeAt(lt) !== LT) return new SipParseError('Quoted display name without <URI>');
  // Without a backslash the name is what lies between the quotes: one copy, not two.
  const plain = indexIn(s, BACKSLASH, start + 1, close) < 0;
  return parseAngleForm(s, lt, end, plain ? s.slice(start + 1, close - 1) : unquote(s.slice(start, close)));
}

/**
 * The `<` of a name-addr, or -1 for an addr-spec. An unquoted display name holds tokens and LWS
 * only, while an addr-spec has its scheme's ':' before any '<' (which may then occur in a
 * quoted header parameter).
 */
function openingAngle(s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === LT) return i;
    if (c === COLON || c === SEMI || c === DQUOTE) return -1;
  }
  return -1;
}

/** An unquoted display name is a sequence of tokens separated by LWS (§25.1). */
function tokenDisplayName(s: string, start: number, lt: number): string | undefined | SipParseError {
  const end = trimEnd(s, start, lt);
  if (end === start) return undefined;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isTokenChar(c) && !isWhitespace(c)) return new SipParseError('Invalid character in display name');
  }
  return s.slice(start, end);
}

function parseAngleForm(s: string, lt: number, end: number, displayName: string | undefined): NameAddr | SipParseError {
  const gt = indexIn(s, GT, lt + 1, end);
  if (gt < 0) return new SipParseError('Missing > in name-addr');
  const uri = parseUriAt(s, lt + 1, gt);
  if (uri instanceof SipParseError) return uri;
  const params = parseParams(s, gt + 1, end);
  if (params instanceof SipParseError) return params;
  return { displayName, uri, params };
}

/** §20.10: without `<>` the first ';' ends the URI, and a URI with ',', '?' or ';' needs `<>`. */
function parseAddrSpec(s: string, start: number, end: number): NameAddr | SipParseError {
  let semi = indexIn(s, SEMI, start, end);
  if (semi < 0) semi = end;
  const uriEnd = trimEnd(s, start, semi);
  for (let i = start; i < uriEnd; i++) {
    const c = s.charCodeAt(i);
    if (c === QUESTION || c === COMMA || c === LT || c === GT) return new SipParseError('URI with headers or separators must be enclosed in <>');
  }
  const uri = parseUriAt(s, start, uriEnd);
  if (uri instanceof SipParseError) return uri;
  const params = parseParams(s, semi, end);
  if (params instanceof SipParseError) return params;
  return { displayName: undefined, uri, params };
}

/** The first index of char code `c` in s[start, end), or -1 (bounded: s may be a whole message). */
function indexIn(s: string, c: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === c) return i;
  return -1;
}

export function formatNameAddr(addr: NameAddr): string {
  const name = addr.displayName === undefined ? '' : `${quote(addr.displayName)} `;
  return `${name}<${formatUri(addr.uri)}>${formatParams(addr.params)}`;
}
