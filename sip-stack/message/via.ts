import { SipParseError } from '../parser/sip-parse-error.js';
import { LBRACKET, SLASH, isTokenChar, isWhitespace, skipLws, trimEnd } from '../parser/char-codes.js';
import { type Params, formatParams, parseParams } from './params.js';
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

/** sent-protocol = protocol-name SLASH protocol-version SLASH transport, SLASH = SWS "/" SWS. */
interface Protocol {
  name: string;
  version: string;
  transport: string;
  end: number;
}

export function parseVia(value: string): Via | SipParseError {
  const protocol = parseProtocol(value);
  if (protocol === undefined) return new SipParseError('Malformed Via protocol');
  let semi = value.indexOf(';', protocol.end);
  if (semi < 0) semi = value.length;
  const hostPort = parseSentBy(value, protocol.end, semi);
  if (hostPort instanceof SipParseError) return new SipParseError('Malformed Via sent-by');
  const params = parseParams(value, semi);
  if (params instanceof SipParseError) return new SipParseError(`Malformed Via: ${params.reason}`);
  return buildVia(protocol, hostPort, params);
}

function parseProtocol(s: string): Protocol | undefined {
  const nameEnd = tokenEnd(s, skipLws(s, 0));
  const versionStart = afterSlash(s, nameEnd);
  const versionEnd = tokenEnd(s, versionStart);
  const transportStart = afterSlash(s, versionEnd);
  const transportEnd = tokenEnd(s, transportStart);
  if (versionStart < 0 || transportStart < 0 || transportEnd === transportStart) return undefined;
  // The sent-by is separated from the transport by LWS.
  if (!isWhitespace(s.charCodeAt(transportEnd))) return undefined;
  return {
    name: intern(s, skipLws(s, 0), nameEnd, 'SIP'),
    version: intern(s, versionStart, versionEnd, '2.0'),
    transport: transportName(s, transportStart, transportEnd),
    end: transportEnd,
  };
}

function tokenEnd(s: string, i: number): number {
  if (i < 0) return i;
  while (i < s.length && isTokenChar(s.charCodeAt(i))) i++;
  return i;
}

/** Index after `SWS "/" SWS` at `i`, or -1; the token before it must not be empty. */
function afterSlash(s: string, i: number): number {
  if (i <= 0 || !isTokenChar(s.charCodeAt(i - 1))) return -1;
  i = skipLws(s, i);
  if (s.charCodeAt(i) !== SLASH) return -1;
  return skipLws(s, i + 1);
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
  const close = s.charCodeAt(start) === LBRACKET ? s.indexOf(']', start) : -1;
  const colon = s.indexOf(':', close < 0 ? start : close);
  if (colon < 0 || colon >= end || !hasLwsAround(s, colon)) return parseHostPortAt(s, start, end, false);
  return parseHostPort(s.slice(start, trimEnd(s, start, colon)) + ':' + s.slice(skipLws(s, colon + 1, end), end));
}

function hasLwsAround(s: string, colon: number): boolean {
  return isWhitespace(s.charCodeAt(colon - 1)) || isWhitespace(s.charCodeAt(colon + 1));
}

function buildVia(protocol: Protocol, hostPort: HostPort, params: Params): Via | SipParseError {
  const rportRaw = params.get('rport');
  let rport: number | null | undefined = rportRaw === null ? null : undefined;
  if (typeof rportRaw === 'string') {
    rport = parsePort(rportRaw);
    if (rport === undefined) return new SipParseError('Malformed Via rport');
  }
  return {
    protocolName: protocol.name, protocolVersion: protocol.version, transport: protocol.transport,
    host: hostPort.host, port: hostPort.port, params,
    branch: params.get('branch') ?? undefined,
    received: params.get('received') ?? undefined,
    rport,
  };
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
