import { DQUOTE, GT, LT, SEMI, SLASH, SP } from '../parser/char-codes.js';
import { type CSeq, MAX_CSEQ, methodAt } from './cseq.js';
import { SipParseError } from '../parser/sip-parse-error.js';
import { BYTE_CLASS, HOST, TOKEN, paramMap, picked, scanParams } from './fast-params.js';
import { fastEnd, fastPort, fastSipUri, portValue } from './fast-uri.js';
import type { NameAddr } from './name-addr.js';
import { NO_PARAMS, type Params, parseParams } from './params.js';
import type { SipUri } from './sip-uri.js';
import type { Via } from './via.js';

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

const TRANSPORTS = ['UDP', 'TCP', 'TLS', 'WS', 'WSS', 'SCTP'];
const TRANSPORT_BYTES = TRANSPORTS.map((name) => Uint8Array.from(Buffer.from(name, 'latin1')));

/**
 * `SIP/2.0/UDP host[:port][;params]`: upper-case transport, lower-case host, no LWS but the one
 * SP. A message's view waits for a reader of its params; a `plain` object (what parseVia gives)
 * has them at once.
 */
export function fastVia(b: Buffer, t: string, start: number, end: number, plain = false): Via | undefined {
  if (end - start < 13 || b[start] !== 0x53 || b[start + 1] !== 0x49 || b[start + 2] !== 0x50 || b[start + 3] !== SLASH
    || b[start + 4] !== 0x32 || b[start + 5] !== 0x2e || b[start + 6] !== 0x30 || b[start + 7] !== SLASH) {
    return undefined;
  }
  let i = start + 8;
  while (i < end && b[i] !== SP) i++;
  const transport = transportAt(b, start + 8, i);
  if (transport === undefined || i >= end) return undefined;
  const hostStart = ++i;
  while (i < end && ((BYTE_CLASS[b[i] as number] as number) & HOST) !== 0) i++;
  if (i === hostStart) return undefined;
  const hostEnd = i;
  let port: number | undefined;
  if (i < end && b[i] === 0x3a) {
    i = fastPort(b, i + 1, end);
    if (i < 0) return undefined;
    port = portValue;
  }
  if (i < end && b[i] !== SEMI) return undefined;
  if (!scanParams(b, i, end)) return undefined;
  // RFC 3581: rport without a value asks for one; with one it must be a port (else the general parser says why not).
  let rport: number | null | undefined;
  if (picked.rport >= 0) {
    if (picked.rport === picked.rportEnd) rport = null;
    else if (fastPort(b, picked.rport, picked.rportEnd) === picked.rportEnd) rport = portValue;
    else return undefined;
  }
  const branch = pickedValue(t, picked.branch, picked.branchEnd) ?? undefined;
  const received = pickedValue(t, picked.received, picked.receivedEnd) ?? undefined;
  const host = t.slice(hostStart, hostEnd);
  if (!plain) return new WireVia(transport, host, port, branch, received, rport, t, i, end);
  return { protocolName: 'SIP', protocolVersion: '2.0', transport, host, port, params: paramMap(b, t, i, end), branch, received, rport };
}

/** The transport at bytes [start, end) as its constant, if it is a usual one in upper case. */
function transportAt(b: Buffer, start: number, end: number): string | undefined {
  for (let k = 0; k < TRANSPORTS.length; k++) {
    const bytes = TRANSPORT_BYTES[k] as Uint8Array;
    if (bytes.length !== end - start) continue;
    let i = 0;
    while (i < bytes.length && b[start + i] === bytes[i]) i++;
    if (i === bytes.length) return TRANSPORTS[k];
  }
  return undefined;
}

/**
 * `"Name" <sip:...>;params`, `Name <sip:...>;params` or `<sip:...>;params`: a display name
 * without backslashes, a sip or sips URI, header params as scanParams takes them; `plain` as
 * for fastVia.
 */
export function fastNameAddr(b: Buffer, t: string, start: number, end: number, plain = false): NameAddr | undefined {
  let i = start;
  let displayName: string | undefined;
  const first = b[i];
  if (first === DQUOTE) {
    i++;
    while (i < end && b[i] !== DQUOTE && b[i] !== 0x5c) i++;
    if (i >= end || b[i] !== DQUOTE) return undefined;
    displayName = t.slice(start + 1, i);
    i++;
    while (i < end && b[i] === SP) i++;
  } else if (first !== LT) {
    while (i < end && (((BYTE_CLASS[b[i] as number] as number) & TOKEN) !== 0 || b[i] === SP)) i++;
    let nameEnd = i;
    while (nameEnd > start && b[nameEnd - 1] === SP) nameEnd--;
    displayName = nameEnd > start ? t.slice(start, nameEnd) : undefined;
  }
  if (i >= end || b[i] !== LT) return undefined;
  const uri = fastSipUri(b, t, i + 1, end);
  if (uri === undefined || fastEnd >= end || b[fastEnd] !== GT) return undefined;
  const paramsStart = fastEnd + 1;
  if (!scanParams(b, paramsStart, end)) return undefined;
  const tag = pickedValue(t, picked.tag, picked.tagEnd);
  // A tag without a value is kept as such in the Map; tagOf() then reads it through params.
  if (tag === null) return undefined;
  if (!plain) return new WireNameAddr(displayName, uri, tag, t, paramsStart, end);
  return { displayName, uri, params: paramMap(b, t, paramsStart, end) };
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
