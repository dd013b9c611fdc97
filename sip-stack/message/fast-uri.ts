import { COLON, EQUALS, SEMI } from '../parser/char-codes.js';
import { BYTE_CLASS, HOST, URI_PARAM, URI_PARAM_NAME, USER, commonParam, knownParam } from './fast-params.js';
import { NO_PARAMS } from './params.js';
import type { SipUri } from './sip-uri.js';

// The fast path for sip: URIs; see fast-params.ts for what fast paths promise.

/** Where the last fast parse stopped: the caller checks what stands there. */
export let fastEnd = 0;

/**
 * A sip: or sips: URI from `start`, stopping at the first byte that cannot continue it (or at
 * `limit`); the caller checks fastEnd is where the URI must end (`>`, or the Request-URI's end).
 * Every class here excludes '@', so that the first '@' of the range, which the general parser
 * takes as the end of the user part, is never read past.
 */
export function fastSipUri(b: Buffer, t: string, start: number, limit: number): SipUri | undefined {
  let i = start;
  if (limit - start < 5 || b[i] !== 0x73 || b[i + 1] !== 0x69 || b[i + 2] !== 0x70) return undefined;
  i += 3;
  let scheme: 'sip' | 'sips' = 'sip';
  if (b[i] === 0x73) {
    scheme = 'sips';
    i++;
  }
  if (b[i] !== COLON) return undefined;
  const userStart = ++i;
  while (i < limit && ((BYTE_CLASS[b[i] as number] as number) & USER) !== 0) i++;
  let user: string | undefined;
  let hostStart = userStart;
  if (i < limit && b[i] === 0x40) {
    if (i === userStart) return undefined;
    user = t.slice(userStart, i);
    hostStart = i + 1;
  }
  i = hostStart;
  while (i < limit && ((BYTE_CLASS[b[i] as number] as number) & HOST) !== 0) i++;
  if (i === hostStart) return undefined;
  const host = t.slice(hostStart, i);
  let port: number | undefined;
  if (i < limit && b[i] === COLON) {
    i = fastPort(b, i + 1, limit);
    if (i < 0) return undefined;
    port = portValue;
  }
  let params = NO_PARAMS;
  if (i < limit && b[i] === SEMI) {
    const map = new Map<string, string | null>();
    i = fastUriParams(b, t, i, limit, map);
    if (i < 0) return undefined;
    params = map;
  }
  fastEnd = i;
  return { scheme, user, password: undefined, host, port, params, headers: undefined };
}

/** The port fastPort read. */
export let portValue = 0;

/** 1 to 5 digits from `i`, up to 65535, into portValue; returns where they end, or -1. */
export function fastPort(b: Buffer, i: number, limit: number): number {
  const start = i;
  let n = 0;
  for (; i < limit; i++) {
    const c = b[i] as number;
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + c - 0x30;
  }
  if (i === start || i - start > 5 || n > 65535) return -1;
  portValue = n;
  return i;
}

/** `;name[=value]` uri-parameters from `i` (at a ';'), lower-case, no escapes; -1 if not. */
function fastUriParams(b: Buffer, t: string, i: number, limit: number, map: Map<string, string | null>): number {
  while (i < limit && b[i] === SEMI) {
    const nameStart = ++i;
    while (i < limit && ((BYTE_CLASS[b[i] as number] as number) & URI_PARAM_NAME) !== 0) i++;
    if (i === nameStart) return -1;
    const known = knownParam(b, nameStart, i);
    const name = known >= 0 ? commonParam(known) : t.slice(nameStart, i);
    if (i < limit && b[i] === EQUALS) {
      const valueStart = ++i;
      while (i < limit && ((BYTE_CLASS[b[i] as number] as number) & URI_PARAM) !== 0) i++;
      if (i === valueStart) return -1;
      map.set(name, t.slice(valueStart, i));
    } else {
      map.set(name, null);
    }
  }
  return i;
}

