import { SipParseError } from '../parser/sip-parse-error.js';
import { DQUOTE, QUESTION, isTokenChar, isWhitespace, trimLws } from '../parser/char-codes.js';
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
  const s = trimLws(value);
  const lt = findOpeningAngle(s);
  if (lt instanceof SipParseError) return lt;
  if (lt < 0) return parseAddrSpec(s);
  const displayName = parseDisplayName(s.slice(0, lt));
  if (displayName instanceof SipParseError) return displayName;
  const gt = s.indexOf('>', lt);
  if (gt < 0) return new SipParseError('Missing > in name-addr');
  const uri = parseUri(s.slice(lt + 1, gt));
  if (uri instanceof SipParseError) return uri;
  const params = parseParams(s, gt + 1);
  if (params instanceof SipParseError) return params;
  return { displayName, uri, params };
}

/** Index of the `<` that opens the URI, skipping a quoted display name; -1 for addr-spec. */
function findOpeningAngle(s: string): number | SipParseError {
  let i = 0;
  if (s.charCodeAt(0) === DQUOTE) {
    i = skipQuoted(s, 0);
    if (i < 0) return new SipParseError('Unterminated quoted display name');
  }
  const lt = s.indexOf('<', i);
  if (i > 0 && lt < 0) return new SipParseError('Quoted display name without <URI>');
  return lt;
}

function parseDisplayName(raw: string): string | undefined | SipParseError {
  const s = trimLws(raw);
  if (s.length === 0) return undefined;
  if (s.charCodeAt(0) === DQUOTE) return unquote(s);
  // An unquoted display name is a sequence of tokens separated by LWS (§25.1).
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isTokenChar(c) && !isWhitespace(c)) return new SipParseError('Invalid character in display name');
  }
  return s;
}

function parseAddrSpec(s: string): NameAddr | SipParseError {
  const semi = s.indexOf(';');
  const uriRaw = semi >= 0 ? s.slice(0, semi) : s;
  // §20: a URI with ';', ',' or '?' must be enclosed in <>; the ';' already ends it here.
  if (uriRaw.indexOf('?') >= 0 || uriRaw.charCodeAt(uriRaw.length - 1) === QUESTION) {
    return new SipParseError('URI with headers must be enclosed in <>');
  }
  const uri = parseUri(trimLws(uriRaw));
  if (uri instanceof SipParseError) return uri;
  const params = semi >= 0 ? parseParams(s, semi) : new Map<string, string | null>();
  if (params instanceof SipParseError) return params;
  return { displayName: undefined, uri, params };
}

export function formatNameAddr(addr: NameAddr): string {
  const name = addr.displayName === undefined ? '' : `${quote(addr.displayName)} `;
  return `${name}<${formatUri(addr.uri)}>${formatParams(addr.params)}`;
}

