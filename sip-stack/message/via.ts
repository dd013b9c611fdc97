import { SipParseError } from '../parser/sip-parse-error.js';
import { SEMI, SLASH, isTokenChar, isWhitespace } from '../parser/char-codes.js';
import { type Params, formatParams, parseParams } from './params.js';
import { parseHostPort, parsePort } from './sip-uri.js';

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
  const cursor = { i: 0 };
  const protocolName = readToken(value, cursor, true);
  const protocolVersion = readToken(value, cursor, true);
  const transport = readToken(value, cursor, false);
  if (!protocolName || !protocolVersion || !transport) return new SipParseError('Malformed Via protocol');
  const semi = value.indexOf(';', cursor.i);
  const sentBy = stripLws(value.slice(cursor.i, semi >= 0 ? semi : value.length));
  const hostPort = parseHostPort(sentBy);
  if (hostPort instanceof SipParseError) return new SipParseError('Malformed Via sent-by');
  const params = semi >= 0 ? parseParams(value, semi) : new Map<string, string | null>();
  if (params instanceof SipParseError) return new SipParseError(`Malformed Via: ${params.reason}`);
  return buildVia(protocolName, protocolVersion, transport.toUpperCase(), hostPort, params);
}

function buildVia(
  protocolName: string, protocolVersion: string, transport: string,
  hostPort: { host: string; port: number | undefined }, params: Params,
): Via | SipParseError {
  const rportRaw = params.get('rport');
  let rport: number | null | undefined = rportRaw === null ? null : undefined;
  if (typeof rportRaw === 'string') {
    rport = parsePort(rportRaw);
    if (rport === undefined) return new SipParseError('Malformed Via rport');
  }
  return {
    protocolName, protocolVersion, transport, host: hostPort.host, port: hostPort.port, params,
    branch: params.get('branch') ?? undefined,
    received: params.get('received') ?? undefined,
    rport,
  };
}

/** Reads a token, skipping LWS around it and, if `slash`, the following "/" (§25.1 SLASH). */
function readToken(s: string, cursor: { i: number }, slash: boolean): string | undefined {
  let i = cursor.i;
  while (i < s.length && isWhitespace(s.charCodeAt(i))) i++;
  const start = i;
  while (i < s.length && isTokenChar(s.charCodeAt(i))) i++;
  if (i === start) return undefined;
  const token = s.slice(start, i);
  while (i < s.length && isWhitespace(s.charCodeAt(i))) i++;
  if (slash) {
    if (s.charCodeAt(i) !== SLASH) return undefined;
    i++;
  } else if (i < s.length && s.charCodeAt(i) === SEMI) {
    return undefined;
  }
  cursor.i = i;
  return token;
}

/** sent-by allows LWS around the colon (§25.1 HCOLON is not used there, but peers send it). */
function stripLws(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) if (!isWhitespace(s.charCodeAt(i))) out += s[i];
  return out;
}

export function formatVia(via: Via): string {
  const port = via.port === undefined ? '' : `:${via.port}`;
  return `${via.protocolName}/${via.protocolVersion}/${via.transport} ${via.host}${port}${formatParams(via.params)}`;
}

export function hasMagicCookie(branch: string | undefined): boolean {
  return branch !== undefined && branch.startsWith(MAGIC_COOKIE);
}
