import { SipParseError } from '../parser/sip-parse-error.js';
import { COLON, LBRACKET, RBRACKET, SEMI, SLASH, isTokenChar, isWhitespace, skipLws, trimEnd } from '../parser/char-codes.js';
import { NO_PARAMS, type Params, formatParams, parseParams } from './params.js';
import { asciiBytes } from './fast-params.js';
import { fastVia } from './fast-views.js';
import { type HostPort, parseHostPort, parseHostPortAt, parsePort } from './sip-uri.js';

/** RFC 3261 §8.1.1.7: branches of RFC 3261 elements start with this cookie. */
export const MAGIC_COOKIE = 'z9hG4bK';

/** One via-parm (§20.42). */
export interface Via {
  readonly protocolName: string;
  readonly protocolVersion: string;
  /** Upper-cased: UDP, TCP, TLS, SCTP, WS, ... */
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: Params;
  readonly branch: string | undefined;
  readonly received: string | undefined;
  /** RFC 3581: undefined when absent, null when present without a value. */
  readonly rport: number | null | undefined;
}

export function parseVia(value: string): Via | SipParseError {
  // The usual shape is read from the value's bytes (fast-views.ts), anything else the long way.
  const bytes = asciiBytes(value);
  return (bytes === undefined ? undefined : fastVia(bytes, value, 0, value.length, true)) ?? parseViaAt(value, 0, value.length);
}

/** parseVia of one via-parm in s[start, end), without copying it out first. */
export function parseViaAt(s: string, start: number, end: number): Via | SipParseError {
  const protocolEnd = parseProtocol(s, start, end);
  if (protocolEnd < 0) return new SipParseError('Malformed Via protocol');
  let semi = protocolEnd;
  while (semi < end && s.charCodeAt(semi) !== SEMI) semi++;
  const hostPort = parseSentBy(s, protocolEnd, semi);
  if (hostPort instanceof SipParseError) return new SipParseError('Malformed Via sent-by');
  const params = parseParams(s, semi, end);
  if (params instanceof SipParseError) return new SipParseError(`Malformed Via: ${params.reason}`);
  return buildVia(protocolName, protocolVersion, protocolTransport, hostPort.host, hostPort.port, params);
}

/**
 * The sent-protocol parseProtocol just read: side results rather than a returned object, since
 * this runs for every Via of every message.
 */
let protocolName = 'SIP';
let protocolVersion = '2.0';
let protocolTransport = 'UDP';

/**
 * sent-protocol = protocol-name SLASH protocol-version SLASH transport, SLASH = SWS "/" SWS;
 * returns where it ends, or -1.
 */
function parseProtocol(s: string, start: number, end: number): number {
  const nameStart = skipLws(s, start, end);
  const nameEnd = tokenEnd(s, nameStart, end);
  const versionStart = afterSlash(s, nameEnd, end);
  const versionEnd = tokenEnd(s, versionStart, end);
  const transportStart = afterSlash(s, versionEnd, end);
  const transportEnd = tokenEnd(s, transportStart, end);
  if (versionStart < 0 || transportStart < 0 || transportEnd === transportStart) return -1;
  // The sent-by is separated from the transport by LWS.
  if (transportEnd >= end || !isWhitespace(s.charCodeAt(transportEnd))) return -1;
  protocolName = intern(s, nameStart, nameEnd, 'SIP');
  protocolVersion = intern(s, versionStart, versionEnd, '2.0');
  protocolTransport = transportName(s, transportStart, transportEnd);
  return transportEnd;
}

function tokenEnd(s: string, i: number, end: number): number {
  if (i < 0) return i;
  while (i < end && isTokenChar(s.charCodeAt(i))) i++;
  return i;
}

/** Index after `SWS "/" SWS` at `i`, or -1; the token before it must not be empty. */
function afterSlash(s: string, i: number, end: number): number {
  if (i <= 0 || !isTokenChar(s.charCodeAt(i - 1))) return -1;
  i = skipLws(s, i, end);
  if (i >= end || s.charCodeAt(i) !== SLASH) return -1;
  return skipLws(s, i + 1, end);
}

/** s[start, end) as a string, reusing `common` when equal (no allocation for SIP and 2.0). */
function intern(s: string, start: number, end: number, common: string): string {
  return end - start === common.length && s.startsWith(common, start) ? common : s.slice(start, end);
}

const TRANSPORTS = ['UDP', 'TCP', 'TLS', 'SCTP', 'WS', 'WSS'];

function transportName(s: string, start: number, end: number): string {
  for (const t of TRANSPORTS) if (end - start === t.length && s.startsWith(t, start)) return t;
  return s.slice(start, end).toUpperCase();
}

/** sent-by = host [ COLON port ]; COLON = SWS ":" SWS (§25.1), so LWS may surround the colon. */
function parseSentBy(s: string, start: number, end: number): HostPort | SipParseError {
  start = skipLws(s, start, end);
  end = trimEnd(s, start, end);
  // The port's colon: after the `]` of an IPv6 reference, if there is one.
  let colon = start;
  if (s.charCodeAt(start) === LBRACKET) while (colon < end && s.charCodeAt(colon) !== RBRACKET) colon++;
  while (colon < end && s.charCodeAt(colon) !== COLON) colon++;
  if (colon >= end || !hasLwsAround(s, colon)) return parseHostPortAt(s, start, end, false);
  return parseHostPort(s.slice(start, trimEnd(s, start, colon)) + ':' + s.slice(skipLws(s, colon + 1, end), end));
}

function hasLwsAround(s: string, colon: number): boolean {
  return isWhitespace(s.charCodeAt(colon - 1)) || isWhitespace(s.charCodeAt(colon + 1));
}

/** The Via of a parsed sent-protocol, sent-by and params (RFC 3581 rport checked here). */
export function buildVia(
  name: string, version: string, transport: string, host: string, port: number | undefined, params: Params,
): Via | SipParseError {
  let rport: number | null | undefined;
  let branch: string | undefined;
  let received: string | undefined;
  if (params !== NO_PARAMS) {
    const rportRaw = params.get('rport');
    if (rportRaw === null) rport = null;
    else if (rportRaw !== undefined) {
      rport = parsePort(rportRaw);
      if (rport === undefined) return new SipParseError('Malformed Via rport');
    }
    branch = params.get('branch') ?? undefined;
    received = params.get('received') ?? undefined;
  }
  return { protocolName: name, protocolVersion: version, transport, host, port, params, branch, received, rport };
}

export function formatVia(via: Via): string {
  const port = via.port === undefined ? '' : `:${via.port}`;
  return `${via.protocolName}/${via.protocolVersion}/${via.transport} ${via.host}${port}${formatParams(via.params)}`;
}

/**
 * True for an RFC 3261 branch: the cookie followed by an identifier. A bare cookie identifies
 * nothing, so such requests are matched the RFC 2543 way (RFC 4475 §3.2.1).
 */
export function hasMagicCookie(branch: string | undefined): boolean {
  return branch !== undefined && branch.length > MAGIC_COOKIE.length && branch.startsWith(MAGIC_COOKIE);
}
