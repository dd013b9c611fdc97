import { SipParseError } from '../parser/sip-parse-error.js';
import { COLON, LBRACKET, PERCENT, QUESTION, SEMI, isDigit, isWhitespace } from '../parser/char-codes.js';
import { type Params, formatParams, parseParams } from './params.js';

/** A SIP or SIPS URI (RFC 3261 §19.1). `user` keeps its % escapes; compare with `unescape`. */
export interface SipUri {
  readonly scheme: 'sip' | 'sips';
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** Lower-cased; an IPv6 reference keeps its brackets. */
  readonly host: string;
  readonly port: number | undefined;
  readonly params: Params;
  /** The raw `?a=b&c=d` part without the `?`, escapes kept. */
  readonly headers: string | undefined;
}

/** A tel URI (RFC 3966). */
export interface TelUri {
  readonly scheme: 'tel';
  readonly number: string;
  readonly params: Params;
}

/** Any other absoluteURI; kept opaque (answered 416 where a SIP URI is required). */
export interface OtherUri {
  readonly scheme: string;
  readonly opaque: string;
}

export type Uri = SipUri | TelUri | OtherUri;

export function isSipUri(uri: Uri): uri is SipUri {
  return uri.scheme === 'sip' || uri.scheme === 'sips';
}

export function parseUri(raw: string): Uri | SipParseError {
  const colon = raw.indexOf(':');
  if (colon <= 0) return new SipParseError('Malformed URI');
  const scheme = raw.slice(0, colon).toLowerCase();
  if (!isScheme(scheme)) return new SipParseError('Malformed URI scheme');
  for (let i = 0; i < raw.length; i++) {
    if (isWhitespace(raw.charCodeAt(i))) return new SipParseError('Whitespace in URI');
  }
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(scheme, raw, colon + 1);
  if (scheme === 'tel') return parseTelUri(raw.slice(colon + 1));
  return { scheme, opaque: raw.slice(colon + 1) };
}

function isScheme(s: string): boolean {
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const alpha = (c >= 97 && c <= 122);
    if (i === 0 ? !alpha : !(alpha || isDigit(c) || c === 43 || c === 45 || c === 46)) return false;
  }
  return s.length > 0;
}

function parseSipUri(scheme: 'sip' | 'sips', raw: string, start: number): SipUri | SipParseError {
  // Unescaped '@' cannot occur in params or headers, so the first one ends the userinfo.
  const at = raw.indexOf('@', start);
  let user: string | undefined;
  let password: string | undefined;
  let hostStart = start;
  if (at >= 0) {
    const colon = raw.indexOf(':', start);
    const userEnd = colon >= 0 && colon < at ? colon : at;
    user = raw.slice(start, userEnd);
    if (userEnd < at) password = raw.slice(userEnd + 1, at);
    if (!validEscapes(user) || (password !== undefined && !validEscapes(password))) {
      return new SipParseError('Invalid escape in URI user part');
    }
    hostStart = at + 1;
  }
  return parseHostAndRest(scheme, raw, hostStart, user, password);
}

function parseHostAndRest(
  scheme: 'sip' | 'sips', raw: string, start: number, user: string | undefined, password: string | undefined,
): SipUri | SipParseError {
  const hostEnd = findHostPortEnd(raw, start);
  const hostPort = parseHostPort(raw.slice(start, hostEnd));
  if (hostPort instanceof SipParseError) return hostPort;
  const q = raw.indexOf('?', hostEnd);
  const paramsEnd = q >= 0 ? q : raw.length;
  const params = parseParams(raw.slice(hostEnd, paramsEnd), 0);
  if (params instanceof SipParseError) return params;
  for (const v of params.values()) if (v !== null && !validEscapes(v)) return new SipParseError('Invalid escape in URI parameter');
  const headers = q >= 0 ? raw.slice(q + 1) : undefined;
  if (headers !== undefined && (headers.length === 0 || !validEscapes(headers))) return new SipParseError('Malformed URI headers');
  return { scheme, user, password, host: hostPort.host, port: hostPort.port, params, headers };
}

function findHostPortEnd(raw: string, start: number): number {
  let i = start;
  if (raw.charCodeAt(i) === LBRACKET) {
    const close = raw.indexOf(']', i);
    i = close < 0 ? raw.length : close + 1;
  }
  for (; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === SEMI || c === QUESTION) return i;
  }
  return raw.length;
}

export interface HostPort {
  host: string;
  port: number | undefined;
}

/** Parses `host[:port]` where host is a hostname, IPv4 address or bracketed IPv6 reference. */
export function parseHostPort(s: string): HostPort | SipParseError {
  let hostEnd: number;
  if (s.charCodeAt(0) === LBRACKET) {
    const close = s.indexOf(']');
    if (close < 0 || !isIpv6Body(s, 1, close)) return new SipParseError('Malformed IPv6 reference');
    hostEnd = close + 1;
  } else {
    const colon = s.indexOf(':');
    hostEnd = colon >= 0 ? colon : s.length;
    if (!isHostname(s, 0, hostEnd)) return new SipParseError('Malformed host');
  }
  const host = s.slice(0, hostEnd).toLowerCase();
  if (hostEnd === s.length) return { host, port: undefined };
  if (s.charCodeAt(hostEnd) !== COLON) return new SipParseError('Malformed host');
  const port = parsePort(s.slice(hostEnd + 1));
  return port === undefined ? new SipParseError('Malformed port') : { host, port };
}

export function parsePort(s: string): number | undefined {
  if (s.length === 0 || s.length > 5) return undefined;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

function isHostname(s: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    const ok = isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 46;
    if (!ok) return false;
  }
  return true;
}

function isIpv6Body(s: string, start: number, end: number): boolean {
  if (end - start < 2) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    const ok = isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === COLON || c === 46;
    if (!ok) return false;
  }
  return true;
}

function validEscapes(s: string): boolean {
  for (let i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
    if (!isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return false;
  }
  return true;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function parseTelUri(rest: string): TelUri | SipParseError {
  const semi = rest.indexOf(';');
  const number = semi >= 0 ? rest.slice(0, semi) : rest;
  if (number.length === 0) return new SipParseError('Malformed tel URI');
  const params = semi >= 0 ? parseParams(rest, semi) : new Map<string, string | null>();
  return params instanceof SipParseError ? params : { scheme: 'tel', number, params };
}

/** Decodes %HH escapes once (RFC 3261 §19.1.4: escaped and unescaped forms are equal). */
export function unescapeUriPart(s: string): string {
  if (s.indexOf('%') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === PERCENT && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out += s[i];
  }
  return out;
}

export function formatUri(uri: Uri): string {
  if (isSipUri(uri)) {
    let out = `${uri.scheme}:`;
    if (uri.user !== undefined) out += uri.password !== undefined ? `${uri.user}:${uri.password}@` : `${uri.user}@`;
    out += uri.host;
    if (uri.port !== undefined) out += `:${uri.port}`;
    out += formatParams(uri.params);
    if (uri.headers !== undefined) out += `?${uri.headers}`;
    return out;
  }
  if (uri.scheme === 'tel') {
    const tel = uri as TelUri;
    return `tel:${tel.number}${formatParams(tel.params)}`;
  }
  return `${uri.scheme}:${(uri as OtherUri).opaque}`;
}

/** The part a registrar keys bindings on: user@host, with the user unescaped (§10.3 step 5). */
export function addressOfRecord(uri: SipUri): string {
  const user = uri.user === undefined ? '' : `${unescapeUriPart(uri.user)}@`;
  return `${uri.scheme}:${user}${uri.host}`;
}
