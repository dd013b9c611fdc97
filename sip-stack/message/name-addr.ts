import { SipParseError } from '../parser/sip-parse-error.js';
import { COLON, COMMA, DQUOTE, GT, LT, QUESTION, SEMI, isTokenChar, isWhitespace, skipLws, trimEnd } from '../parser/char-codes.js';
import { type Params, formatParams, parseParams, quote, skipQuoted, unquote } from './params.js';
import { type Uri, formatUri, parseUri } from './sip-uri.js';

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
  const start = skipLws(value, 0);
  const end = trimEnd(value, start, value.length);
  if (start === end) return new SipParseError('Empty address');
  if (value.charCodeAt(start) === DQUOTE) return parseQuotedForm(value, start, end);
  const lt = openingAngle(value, start, end);
  if (lt < 0) return parseAddrSpec(value, start, end);
  const displayName = tokenDisplayName(value, start, lt);
  if (displayName instanceof SipParseError) return displayName;
  return parseAngleForm(value, lt, end, displayName);
}

/** `"display name" <uri>`: nothing but LWS may stand between the closing quote and `<`. */
function parseQuotedForm(s: string, start: number, end: number): NameAddr | SipParseError {
  const close = skipQuoted(s, start, end);
  if (close < 0) return new SipParseError('Unterminated quoted display name');
  const lt = skipLws(s, close, end);
  if (lt >= end || s.charCodeAt(lt) !== LT) return new SipParseError('Quoted display name without <URI>');
  return parseAngleForm(s, lt, end, unquote(s.slice(start, close)));
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
  const gt = s.indexOf('>', lt + 1);
  if (gt < 0 || gt >= end) return new SipParseError('Missing > in name-addr');
  const uri = parseUri(s.slice(lt + 1, gt));
  if (uri instanceof SipParseError) return uri;
  const params = parseParams(s, gt + 1, end);
  if (params instanceof SipParseError) return params;
  return { displayName, uri, params };
}

/** §20.10: without `<>` the first ';' ends the URI, and a URI with ',', '?' or ';' needs `<>`. */
function parseAddrSpec(s: string, start: number, end: number): NameAddr | SipParseError {
  let semi = s.indexOf(';', start);
  if (semi < 0 || semi > end) semi = end;
  const uriEnd = trimEnd(s, start, semi);
  for (let i = start; i < uriEnd; i++) {
    const c = s.charCodeAt(i);
    if (c === QUESTION || c === COMMA || c === LT || c === GT) return new SipParseError('URI with headers or separators must be enclosed in <>');
  }
  const uri = parseUri(s.slice(start, uriEnd));
  if (uri instanceof SipParseError) return uri;
  const params = parseParams(s, semi, end);
  if (params instanceof SipParseError) return params;
  return { displayName: undefined, uri, params };
}

export function formatNameAddr(addr: NameAddr): string {
  const name = addr.displayName === undefined ? '' : `${quote(addr.displayName)} `;
  return `${name}<${formatUri(addr.uri)}>${formatParams(addr.params)}`;
}
