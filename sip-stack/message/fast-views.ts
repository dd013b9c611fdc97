import * as codes from '../parser/char-codes.js';
import { type CSeq, methodAt } from './cseq.js';
import * as cseq from './cseq.js';
import { SipParseError } from '../parser/sip-parse-error.js';
import { paramMap, scanParams } from './fast-params.js';
import * as classes from './fast-params.js';
import { URI_SCAN_SIZE, fastPort, portValue, restoreUriScan, saveUriScan, scanSipUri, scannedSipUri } from './fast-uri.js';
import type { NameAddr } from './name-addr.js';
import { NO_PARAMS, type Params, parseParams } from './params.js';
import type { SipUri } from './sip-uri.js';
import type { Via } from './via.js';

// Hot loops read module-local constants: an imported binding is loaded from its module cell,
// with a check, at every use.
const MAX_CSEQ = cseq.MAX_CSEQ;
const BYTE_CLASS = classes.BYTE_CLASS;
const HOST = classes.HOST;
const TOKEN = classes.TOKEN;
const picked = classes.picked;
const DQUOTE = codes.DQUOTE;
const GT = codes.GT;
const LT = codes.LT;
const SEMI = codes.SEMI;
const SLASH = codes.SLASH;
const SP = codes.SP;

// Fast paths for the views every message is checked for; see fast-params.ts for what they
// promise: a subset of the general grammar, read from bytes, undefined for the general parser.

/**
 * The params of a view read by the fast path, parsed on first use: readers of a received
 * message want branch, received, rport and tag, which are read at once. Private fields, so
 * that they stay out of equality checks and spreads; only the text is kept, not the bytes.
 */
function lazyParams(text: string, start: number, end: number): Params {
  // scanParams accepted the range, so the general parser reads it to the same Map.
  const params = parseParams(text, start, end);
  return params instanceof SipParseError ? NO_PARAMS : params;
}

/** A Via read by the fast path, its params Map built on first use. */
class WireVia implements Via {
  readonly protocolName = 'SIP';
  readonly protocolVersion = '2.0';
  readonly #text: string;
  readonly #start: number;
  readonly #end: number;
  #params: Params | undefined = undefined;

  constructor(
    readonly transport: string, readonly host: string, readonly port: number | undefined,
    readonly branch: string | undefined, readonly received: string | undefined, readonly rport: number | null | undefined,
    text: string, start: number, end: number,
  ) {
    this.#text = text;
    this.#start = start;
    this.#end = end;
  }

  get params(): Params {
    return (this.#params ??= lazyParams(this.#text, this.#start, this.#end));
  }
}

/** A name-addr read by the fast path; like WireVia, its params Map waits for a reader, its tag does not. */
class WireNameAddr implements NameAddr {
  readonly #text: string;
  readonly #start: number;
  readonly #end: number;
  readonly #tag: string | undefined;
  #params: Params | undefined = undefined;

  constructor(readonly displayName: string | undefined, readonly uri: SipUri, tag: string | undefined, text: string, start: number, end: number) {
    this.#tag = tag;
    this.#text = text;
    this.#start = start;
    this.#end = end;
  }

  get params(): Params {
    return (this.#params ??= lazyParams(this.#text, this.#start, this.#end));
  }

  get tag(): string | undefined {
    return this.#tag;
  }
}

/** The tag parameter of a name-addr, without building its params Map when it need not be. */
export function tagOf(addr: NameAddr): string | undefined {
  return addr instanceof WireNameAddr ? addr.tag : addr.params.get('tag') ?? undefined;
}

/** A value scanParams found: undefined when absent, null when without a value. */
function pickedValue(t: string, start: number, end: number): string | null | undefined {
  if (start < 0) return undefined;
  return start === end ? null : t.slice(start, end);
}

/** The transports the fast path takes, by index (the native head scanner numbers them alike). */
export const TRANSPORTS: readonly string[] = ['UDP', 'TCP', 'TLS', 'WS', 'WSS', 'SCTP'];

/** Where the last scanVia or scanNameAddr found each part, read by the builders right after. */
const scanned = {
  transport: 0, hostStart: 0, hostEnd: 0, port: -1, rport: undefined as number | null | undefined, paramsStart: 0,
  displayStart: -1, displayEnd: -1,
};

/**
 * `SIP/2.0/UDP host[:port][;params]`: upper-case transport, lower-case host, no LWS but the one
 * SP. A message's view waits for a reader of its params; a `plain` object (what parseVia gives)
 * has them at once.
 */
export function fastVia(b: Buffer, t: string, start: number, end: number, plain = false): Via | undefined {
  return scanVia(b, start, end) ? scannedVia(b, t, end, plain) : undefined;
}

/** The Via the last scanVia accepted, ending at `end`. */
function scannedVia(b: Buffer, t: string, end: number, plain: boolean): Via {
  const s = scanned;
  const transport = TRANSPORTS[s.transport] as string;
  const branch = pickedValue(t, picked.branch, picked.branchEnd) ?? undefined;
  const received = pickedValue(t, picked.received, picked.receivedEnd) ?? undefined;
  const host = t.slice(s.hostStart, s.hostEnd);
  const port = s.port < 0 ? undefined : s.port;
  if (!plain) return new WireVia(transport, host, port, branch, received, s.rport, t, s.paramsStart, end);
  return {
    protocolName: 'SIP', protocolVersion: '2.0', transport, host, port, params: paramMap(b, t, s.paramsStart, end),
    branch, received, rport: s.rport,
  };
}

/** fastVia without building anything: whether it takes bytes [start, end). */
export function scanVia(b: Buffer, start: number, end: number): boolean {
  if (end - start < 13 || b[start] !== 0x53 || b[start + 1] !== 0x49 || b[start + 2] !== 0x50 || b[start + 3] !== SLASH
    || b[start + 4] !== 0x32 || b[start + 5] !== 0x2e || b[start + 6] !== 0x30 || b[start + 7] !== SLASH) {
    return false;
  }
  let i = start + 8;
  while (i < end && b[i] !== SP) i++;
  const transport = transportAt(b, start + 8, i);
  if (transport < 0 || i >= end) return false;
  scanned.transport = transport;
  const hostStart = ++i;
  while (i < end && ((BYTE_CLASS[b[i] as number] as number) & HOST) !== 0) i++;
  if (i === hostStart) return false;
  scanned.hostStart = hostStart;
  scanned.hostEnd = i;
  scanned.port = -1;
  if (i < end && b[i] === 0x3a) {
    i = fastPort(b, i + 1, end);
    if (i < 0) return false;
    scanned.port = portValue;
  }
  if (i < end && b[i] !== SEMI) return false;
  scanned.paramsStart = i;
  return scanParams(b, i, end) && scanRport(b);
}

/** RFC 3581: rport without a value asks for one; with one it must be a port (else the general parser says why not). */
function scanRport(b: Buffer): boolean {
  scanned.rport = undefined;
  if (picked.rport < 0) return true;
  if (picked.rport === picked.rportEnd) scanned.rport = null;
  else if (fastPort(b, picked.rport, picked.rportEnd) === picked.rportEnd) scanned.rport = portValue;
  else return false;
  return true;
}

/** Bytes packed big-endian into an int, as the transports are below. */
function packed3(b: Buffer, i: number): number {
  return ((b[i] as number) << 16) | ((b[i + 1] as number) << 8) | (b[i + 2] as number);
}

function packedName(name: string): number {
  let code = 0;
  for (let i = 0; i < name.length; i++) code = (code << 8) | name.charCodeAt(i);
  return code;
}

const UDP = packedName('UDP');
const TCP = packedName('TCP');
const TLS = packedName('TLS');
const WSS = packedName('WSS');
const WS = packedName('WS');
const SCTP = packedName('SCTP');

/**
 * The index in TRANSPORTS of the transport at bytes [start, end), if it is a usual one in upper
 * case; else -1. By length, then the bytes packed into an int: no loop over the names.
 */
function transportAt(b: Buffer, start: number, end: number): number {
  switch (end - start) {
    case 3: {
      const code = packed3(b, start);
      return code === UDP ? 0 : code === TCP ? 1 : code === TLS ? 2 : code === WSS ? 4 : -1;
    }
    case 2: return (((b[start] as number) << 8) | (b[start + 1] as number)) === WS ? 3 : -1;
    case 4: return ((packed3(b, start) << 8) | (b[start + 3] as number)) === SCTP ? 5 : -1;
    default: return -1;
  }
}

/**
 * `"Name" <sip:...>;params`, `Name <sip:...>;params` or `<sip:...>;params`: a display name
 * without backslashes, a sip or sips URI, header params as scanParams takes them; `plain` as
 * for fastVia.
 */
export function fastNameAddr(b: Buffer, t: string, start: number, end: number, plain = false): NameAddr | undefined {
  return scanNameAddr(b, start, end) ? scannedNameAddr(b, t, end, plain) : undefined;
}

/** The name-addr the last scanNameAddr accepted, ending at `end`. */
function scannedNameAddr(b: Buffer, t: string, end: number, plain: boolean): NameAddr {
  const s = scanned;
  const displayName = s.displayStart < 0 ? undefined : t.slice(s.displayStart, s.displayEnd);
  const uri = scannedSipUri(b, t, s.paramsStart - 1);
  if (!plain) return new WireNameAddr(displayName, uri, pickedValue(t, picked.tag, picked.tagEnd) ?? undefined, t, s.paramsStart, end);
  return { displayName, uri, params: paramMap(b, t, s.paramsStart, end) };
}

/** fastNameAddr without building anything: whether it takes bytes [start, end). */
export function scanNameAddr(b: Buffer, start: number, end: number): boolean {
  let i = start;
  scanned.displayStart = -1;
  const first = b[i];
  if (first === DQUOTE) {
    i++;
    while (i < end && b[i] !== DQUOTE && b[i] !== 0x5c) i++;
    if (i >= end || b[i] !== DQUOTE) return false;
    scanned.displayStart = start + 1;
    scanned.displayEnd = i;
    i++;
    while (i < end && b[i] === SP) i++;
  } else if (first === SP) {
    // A value set by code may start with LWS, which the general parser trims from the name.
    return false;
  } else if (first !== LT) {
    while (i < end && (((BYTE_CLASS[b[i] as number] as number) & TOKEN) !== 0 || b[i] === SP)) i++;
    let nameEnd = i;
    while (nameEnd > start && b[nameEnd - 1] === SP) nameEnd--;
    if (nameEnd > start) {
      scanned.displayStart = start;
      scanned.displayEnd = nameEnd;
    }
  }
  if (i >= end || b[i] !== LT) return false;
  const uriEnd = scanSipUri(b, i + 1, end);
  if (uriEnd < 0 || uriEnd >= end || b[uriEnd] !== GT) return false;
  scanned.paramsStart = uriEnd + 1;
  // A tag without a value is kept as such in the Map; tagOf() then reads it through params.
  return scanParams(b, uriEnd + 1, end) && !(picked.tag >= 0 && picked.tag === picked.tagEnd);
}

/** `314159 INVITE`: one SP between a number and a method. */
export function fastCSeq(b: Buffer, t: string, start: number, end: number): CSeq | undefined {
  let i = start;
  let seq = 0;
  for (; i < end; i++) {
    const c = b[i] as number;
    if (c < 0x30 || c > 0x39) break;
    seq = seq * 10 + c - 0x30;
  }
  if (i === start || i - start > 10 || seq > MAX_CSEQ || b[i] !== SP) return undefined;
  const methodStart = ++i;
  while (i < end && ((BYTE_CLASS[b[i] as number] as number) & TOKEN) !== 0) i++;
  if (i === methodStart || i !== end) return undefined;
  return { seq, method: methodAt(b, t, methodStart, end) };
}

/** A Call-ID of printable ASCII. */
export function fastCallId(b: Buffer, t: string, start: number, end: number): string | undefined {
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c <= 0x20 || c >= 0x7f) return undefined;
  }
  return t.slice(start, end);
}

// A check scans the views of every message without building them (essentials-scan.ts); what
// the scans found is kept, so that the reader who builds a view later does not scan again.

/** Fields saveViaScan and saveNameAddrScan keep. */
export const VIA_SCAN_SIZE = 10;
export const NAME_ADDR_SCAN_SIZE = 5 + URI_SCAN_SIZE;

/** Keeps what the last scanVia found in r[at, at + VIA_SCAN_SIZE). */
export function saveViaScan(r: number[], at: number): void {
  const s = scanned;
  r[at] = s.transport;
  r[at + 1] = s.hostStart;
  r[at + 2] = s.hostEnd;
  r[at + 3] = s.port;
  r[at + 4] = s.paramsStart;
  r[at + 5] = picked.branch;
  r[at + 6] = picked.branchEnd;
  r[at + 7] = picked.received;
  r[at + 8] = picked.receivedEnd;
  r[at + 9] = s.rport === undefined ? -2 : s.rport === null ? -1 : s.rport;
}

/** The Via of bytes [.., end) whose scan saveViaScan kept at r[at]. */
export function savedVia(b: Buffer, t: string, end: number, r: number[], at: number): Via {
  const s = scanned;
  s.transport = r[at] as number;
  s.hostStart = r[at + 1] as number;
  s.hostEnd = r[at + 2] as number;
  s.port = r[at + 3] as number;
  s.paramsStart = r[at + 4] as number;
  picked.branch = r[at + 5] as number;
  picked.branchEnd = r[at + 6] as number;
  picked.received = r[at + 7] as number;
  picked.receivedEnd = r[at + 8] as number;
  const rport = r[at + 9] as number;
  s.rport = rport === -2 ? undefined : rport === -1 ? null : rport;
  return scannedVia(b, t, end, false);
}

/** Keeps what the last scanNameAddr found in r[at, at + NAME_ADDR_SCAN_SIZE). */
export function saveNameAddrScan(r: number[], at: number): void {
  const s = scanned;
  r[at] = s.displayStart;
  r[at + 1] = s.displayEnd;
  r[at + 2] = s.paramsStart;
  r[at + 3] = picked.tag;
  r[at + 4] = picked.tagEnd;
  saveUriScan(r, at + 5);
}

/** The name-addr of bytes [.., end) whose scan saveNameAddrScan kept at r[at]. */
export function savedNameAddr(b: Buffer, t: string, end: number, r: number[], at: number): NameAddr {
  const s = scanned;
  s.displayStart = r[at] as number;
  s.displayEnd = r[at + 1] as number;
  s.paramsStart = r[at + 2] as number;
  picked.tag = r[at + 3] as number;
  picked.tagEnd = r[at + 4] as number;
  restoreUriScan(r, at + 5);
  return scannedNameAddr(b, t, end, false);
}
