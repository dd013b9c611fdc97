import { SipParseError } from '../parser/sip-parse-error.js';
import { AT, COLON, LBRACKET, QUESTION, RBRACKET, SEMI, isDigit, lowerSlice } from '../parser/char-codes.js';
import { type Params, formatParams } from './params.js';
import { unescapePercent, validEscapes } from './percent-escape.js';
import { isUriChar, parseUriParams } from './uri-params.js';
import { asciiBytes } from './fast-params.js';
import { fastEnd, fastSipUri } from './fast-uri.js';

/** A SIP or SIPS URI (RFC 3261 §19.1). `user` keeps its % escapes; compare with `unescape`. */
export interface SipUri {
  readonly scheme: 'sip' | 'sips';
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** Lower-cased; an IPv6 reference keeps its brackets. */
  readonly host: string;
  readonly port: number | undefined;
  /** Names lower-cased (and %-decoded when plain), values as sent. */
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

export function isTelUri(uri: Uri): uri is TelUri {
  return uri.scheme === 'tel';
}

/** Parses a URI in one pass; whitespace and control characters are errors anywhere in it. */
export function parseUri(raw: string): Uri | SipParseError {
  // The usual sip: URI is read from its bytes (fast-uri.ts), anything else the long way.
  const bytes = asciiBytes(raw);
  const fast = bytes === undefined ? undefined : fastSipUri(bytes, raw, 0, raw.length);
  return fast !== undefined && fastEnd === raw.length ? fast : parseUriAt(raw, 0, raw.length);
}

/** parseUri of s[start, end), without copying it out first. */
export function parseUriAt(s: string, start: number, end: number): Uri | SipParseError {
  const colon = schemeEnd(s, start, end);
  if (colon <= start) return new SipParseError(hasColon(s, start, end) ? 'Malformed URI scheme' : 'Malformed URI');
  const scheme = schemeName(s, start, colon);
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(scheme, s, colon + 1, end);
  if (scheme === 'tel') return parseTelUri(s, colon + 1, end);
  if (colon + 1 === end) return new SipParseError('Empty URI');
  if (!allUriChars(s, colon + 1, end)) return new SipParseError('Whitespace in URI');
  return { scheme, opaque: s.slice(colon + 1, end) };
}

/** The index of the ':' after scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), or -1. */
function schemeEnd(s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    const lower = c | 0x20;
    if (lower >= 97 && lower <= 122) continue;
    if (c === COLON) return i;
    if (i === start || !(isDigit(c) || c === 43 || c === 45 || c === 46)) return -1;
  }
  return -1;
}

/** Whether a ':' follows the first character (the reason a malformed URI gets differs). */
function hasColon(s: string, start: number, end: number): boolean {
  for (let i = start + 1; i < end; i++) if (s.charCodeAt(i) === COLON) return true;
  return false;
}

/** The lower-cased scheme; the usual ones without allocating. */
function schemeName(s: string, start: number, colon: number): string {
  if (colon - start === 3 && (s.charCodeAt(start) | 0x20) === 115 && (s.charCodeAt(start + 1) | 0x20) === 105
    && (s.charCodeAt(start + 2) | 0x20) === 112) {
    return 'sip';
  }
  const name = lowerSlice(s, start, colon);
  return name === 'sips' ? 'sips' : name === 'tel' ? 'tel' : name;
}

function allUriChars(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isUriChar(s.charCodeAt(i))) return false;
  return true;
}

/** The first index of char code `c` in s[start, end), or -1 (bounded, unlike indexOf). */
function indexIn(s: string, c: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === c) return i;
  return -1;
}

function parseSipUri(scheme: 'sip' | 'sips', s: string, start: number, end: number): SipUri | SipParseError {
  // An unescaped '@' cannot occur in params or headers (§25.1), so the first one ends userinfo.
  const at = indexIn(s, AT, start, end);
  if (at < 0) return parseHostAndRest(scheme, s, start, end, undefined, undefined);
  // Neither user nor password may hold an unescaped ':' (§25.1), so the first one splits them.
  let userEnd = indexIn(s, COLON, start, at);
  if (userEnd < 0) userEnd = at;
  if (userEnd === start) return new SipParseError('Empty URI user part');
  if (!allUriChars(s, start, at)) return new SipParseError('Invalid character in URI user part');
  if (!validEscapes(s, start, at)) return new SipParseError('Invalid escape in URI user part');
  const user = s.slice(start, userEnd);
  const password = userEnd < at ? s.slice(userEnd + 1, at) : undefined;
  return parseHostAndRest(scheme, s, at + 1, end, user, password);
}

function parseHostAndRest(
  scheme: 'sip' | 'sips', s: string, start: number, end: number, user: string | undefined, password: string | undefined,
): SipUri | SipParseError {
  const hostPort = parseHostPortAt(s, start, end, true);
  if (hostPort instanceof SipParseError) return hostPort;
  const params = parseUriParams(s, hostPort.end, end);
  if (params instanceof SipParseError) return params;
  const q = indexIn(s, QUESTION, hostPort.end, end);
  let headers: string | undefined;
  if (q >= 0) {
    if (q + 1 === end || !allUriChars(s, q + 1, end) || !validEscapes(s, q + 1, end)) {
      return new SipParseError('Malformed URI headers');
    }
    headers = s.slice(q + 1, end);
  }
  return { scheme, user, password, host: hostPort.host, port: hostPort.port, params, headers };
}

export interface HostPort {
  host: string;
  port: number | undefined;
}

/** Parses `host[:port]` where host is a hostname, IPv4 address or bracketed IPv6 reference. */
export function parseHostPort(s: string): HostPort | SipParseError {
  const parsed = parseHostPortAt(s, 0, s.length, false);
  return parsed instanceof SipParseError ? parsed : { host: parsed.host, port: parsed.port };
}

interface HostPortAt extends HostPort {
  /** Where the host[:port] ended (at `;`, `?` or `end`). */
  end: number;
}

/**
 * Parses host[:port] from `start`. In a URI (`inUri`) it ends at `;` or `?`; otherwise it must
 * fill s[start, end).
 */
export function parseHostPortAt(s: string, start: number, end: number, inUri: boolean): HostPortAt | SipParseError {
  const hostEnd = s.charCodeAt(start) === LBRACKET ? ipv6End(s, start, end) : hostnameEnd(s, start, end);
  if (hostEnd < 0) return new SipParseError('Malformed IPv6 reference');
  if (hostEnd === start) return new SipParseError('Malformed host');
  const host = hostUpper ? s.slice(start, hostEnd).toLowerCase() : s.slice(start, hostEnd);
  if (hostEnd === end || (inUri && isUriDelimiter(s.charCodeAt(hostEnd)))) return { host, port: undefined, end: hostEnd };
  if (s.charCodeAt(hostEnd) !== COLON) return new SipParseError('Malformed host');
  let portEnd = hostEnd + 1;
  while (portEnd < end && isDigit(s.charCodeAt(portEnd))) portEnd++;
  if (portEnd < end && !(inUri && isUriDelimiter(s.charCodeAt(portEnd)))) return new SipParseError('Malformed port');
  const port = portValue(s, hostEnd + 1, portEnd);
  return port === undefined ? new SipParseError('Malformed port') : { host, port, end: portEnd };
}

function isUriDelimiter(c: number): boolean {
  return c === SEMI || c === QUESTION;
}

/**
 * Whether the host the scanners just read holds upper-case letters: a side result rather than a
 * returned object, since this runs for every URI and Via and hosts are almost always lower case.
 */
let hostUpper = false;

/** hostname / IPv4address (§25.1): alphanumerics, '-' and '.'. */
function hostnameEnd(s: string, start: number, end: number): number {
  let upper = false;
  let i = start;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || isDigit(c) || c === 46 || c === 45) continue;
    if (c >= 65 && c <= 90) upper = true;
    else break;
  }
  hostUpper = upper;
  return i;
}

/** End of a `[...]` IPv6 reference holding hex digits, ':' and '.', or -1. */
function ipv6End(s: string, start: number, end: number): number {
  let i = start + 1;
  let upper = false;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c) || c === COLON || c === 46 || (c >= 97 && c <= 102)) continue;
    if (c >= 65 && c <= 70) upper = true;
    else break;
  }
  hostUpper = upper;
  if (i >= end || s.charCodeAt(i) !== RBRACKET || i - start < 3) return -1;
  return i + 1;
}

export function parsePort(s: string): number | undefined {
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return undefined;
  return portValue(s, 0, s.length);
}

/** A decimal 0..65535 of 1 to 5 digits (already checked to be digits). */
function portValue(s: string, start: number, end: number): number | undefined {
  if (end === start || end - start > 5) return undefined;
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n <= 65535 ? n : undefined;
}

function parseTelUri(s: string, start: number, end: number): TelUri | SipParseError {
  let semi = indexIn(s, SEMI, start, end);
  if (semi < 0) semi = end;
  // A tel URI has no headers part (RFC 3966 §3).
  if (semi === start || !allUriChars(s, start, semi) || indexIn(s, QUESTION, start, end) >= 0) return new SipParseError('Malformed tel URI');
  const params = parseUriParams(s, semi, end);
  if (params instanceof SipParseError) return params;
  return { scheme: 'tel', number: s.slice(start, semi), params };
}

/** Decodes %HH escapes once (RFC 3261 §19.1.4: escaped and unescaped forms are equal). */
export const unescapeUriPart = unescapePercent;

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
  if (isTelUri(uri)) return `tel:${uri.number}${formatParams(uri.params)}`;
  return `${uri.scheme}:${(uri as OtherUri).opaque}`;
}

/** The part a registrar keys bindings on: user@host, with the user unescaped (§10.3 step 5). */
export function addressOfRecord(uri: SipUri): string {
  const user = uri.user === undefined ? '' : `${unescapeUriPart(uri.user)}@`;
  return `${uri.scheme}:${user}${uri.host}`;
}
