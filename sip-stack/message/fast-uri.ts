import * as codes from '../parser/char-codes.js';
import { paramMap } from './fast-params.js';
import * as classes from './fast-params.js';
import { NO_PARAMS } from './params.js';
import type { SipUri } from './sip-uri.js';

// Hot loops read module-local constants: an imported binding is loaded from its module cell,
// with a check, at every use.
const BYTE_CLASS = classes.BYTE_CLASS;
const HOST = classes.HOST;
const URI_PARAM = classes.URI_PARAM;
const URI_PARAM_NAME = classes.URI_PARAM_NAME;
const USER = classes.USER;
const COLON = codes.COLON;
const EQUALS = codes.EQUALS;
const SEMI = codes.SEMI;

// The fast path for sip: URIs; see fast-params.ts for what fast paths promise.

/** Where the last fast parse stopped: the caller checks what stands there. */
export let fastEnd = 0;

/**
 * Where the last scanSipUri found each part, read by the builder right after it: offsets rather
 * than strings, so that a message that is only checked copies nothing out.
 */
const scanned = { sips: false, userStart: -1, userEnd: -1, hostStart: 0, hostEnd: 0, port: -1, paramsStart: 0 };

/**
 * A sip: or sips: URI from `start`, stopping at the first byte that cannot continue it (or at
 * `limit`); the caller checks fastEnd is where the URI must end (`>`, or the Request-URI's end).
 * Every class here excludes '@', so that the first '@' of the range, which the general parser
 * takes as the end of the user part, is never read past.
 */
export function fastSipUri(b: Buffer, t: string, start: number, limit: number): SipUri | undefined {
  const end = scanSipUri(b, start, limit);
  if (end < 0) return undefined;
  fastEnd = end;
  return scannedSipUri(b, t, end);
}

/** The URI the last scanSipUri accepted, ending at `end`, with its strings cut from `t`. */
export function scannedSipUri(b: Buffer, t: string, end: number): SipUri {
  const s = scanned;
  const user = s.userStart < 0 ? undefined : t.slice(s.userStart, s.userEnd);
  const port = s.port < 0 ? undefined : s.port;
  const params = s.paramsStart < end ? paramMap(b, t, s.paramsStart, end) : NO_PARAMS;
  return { scheme: s.sips ? 'sips' : 'sip', user, password: undefined, host: t.slice(s.hostStart, s.hostEnd), port, params, headers: undefined };
}

/** Fields saveUriScan keeps of a scan. */
export const URI_SCAN_SIZE = 7;

/** Keeps what the last scanSipUri found in r[at, at + URI_SCAN_SIZE), for restoreUriScan. */
export function saveUriScan(r: number[], at: number): void {
  const s = scanned;
  r[at] = s.sips ? 1 : 0;
  r[at + 1] = s.userStart;
  r[at + 2] = s.userEnd;
  r[at + 3] = s.hostStart;
  r[at + 4] = s.hostEnd;
  r[at + 5] = s.port;
  r[at + 6] = s.paramsStart;
}

/** Makes a scan saveUriScan kept the last one, so that scannedSipUri builds its URI. */
export function restoreUriScan(r: number[], at: number): void {
  const s = scanned;
  s.sips = r[at] === 1;
  s.userStart = r[at + 1] as number;
  s.userEnd = r[at + 2] as number;
  s.hostStart = r[at + 3] as number;
  s.hostEnd = r[at + 4] as number;
  s.port = r[at + 5] as number;
  s.paramsStart = r[at + 6] as number;
}

/**
 * fastSipUri without building anything: where the URI ends, or -1 when the fast path does not
 * take it. Where it ends is the general parser's business to judge, as for fastSipUri.
 */
export function scanSipUri(b: Buffer, start: number, limit: number): number {
  let i = start;
  if (limit - start < 5 || b[i] !== 0x73 || b[i + 1] !== 0x69 || b[i + 2] !== 0x70) return -1;
  i += 3;
  scanned.sips = b[i] === 0x73;
  if (scanned.sips) i++;
  if (b[i] !== COLON) return -1;
  const userStart = ++i;
  while (i < limit && ((BYTE_CLASS[b[i] as number] as number) & USER) !== 0) i++;
  scanned.userStart = -1;
  let hostStart = userStart;
  if (i < limit && b[i] === 0x40) {
    if (i === userStart) return -1;
    scanned.userStart = userStart;
    scanned.userEnd = i;
    hostStart = i + 1;
  }
  i = hostStart;
  while (i < limit && ((BYTE_CLASS[b[i] as number] as number) & HOST) !== 0) i++;
  if (i === hostStart) return -1;
  scanned.hostStart = hostStart;
  scanned.hostEnd = i;
  scanned.port = -1;
  if (i < limit && b[i] === COLON) {
    i = fastPort(b, i + 1, limit);
    if (i < 0) return -1;
    scanned.port = portValue;
  }
  scanned.paramsStart = i;
  return i < limit && b[i] === SEMI ? scanUriParams(b, i, limit) : i;
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

/**
 * `;name[=value]` uri-parameters from `i` (at a ';'), lower-case, no escapes; where they end,
 * or -1. Neither class holds ';' or '=', so paramMap splits the range back into the same pairs.
 */
function scanUriParams(b: Buffer, i: number, limit: number): number {
  while (i < limit && b[i] === SEMI) {
    const nameStart = ++i;
    while (i < limit && ((BYTE_CLASS[b[i] as number] as number) & URI_PARAM_NAME) !== 0) i++;
    if (i === nameStart) return -1;
    if (i < limit && b[i] === EQUALS) {
      const valueStart = ++i;
      while (i < limit && ((BYTE_CLASS[b[i] as number] as number) & URI_PARAM) !== 0) i++;
      if (i === valueStart) return -1;
    }
  }
  return i;
}
