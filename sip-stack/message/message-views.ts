import { SipParseError } from '../parser/sip-parse-error.js';
import { isDigit, skipLws, trimEnd } from '../parser/char-codes.js';
import { type CSeq, parseCSeqAt } from './cseq.js';
import { type NameAddr, parseNameAddr, parseNameAddrAt } from './name-addr.js';
import { type Via, parseVia, parseViaAt } from './via.js';
import { fastCSeq, fastCallId, fastNameAddr, fastVia, savedNameAddr, savedVia } from './fast-views.js';
import { VIA_SCAN, nameAddrScan } from './essentials-scan.js';
import { asciiBytes } from './fast-params.js';
import { CALL_ID_SLOT, CSEQ_SLOT, FROM_SLOT, TO_SLOT, VIA_SLOT } from './header-name.js';
import type { ParsedHead } from './parsed-head.js';

/** Contact values, or '*' for the wildcard of §10.2.2. */
export type ContactList = NameAddr[] | '*';

/**
 * What a view parser reads from a message: header lines by key, each value as a range of a
 * string (the message text while it is unmodified), so that parsing copies nothing out first.
 */
export interface HeaderSource {
  /** The parser's record of an unmodified received message's lines. */
  parsedHead(): ParsedHead | undefined;
  findLine(key: string, from?: number): number;
  /** The bytes behind lineSource(i), offset for offset, when there are such (see fast-uri.ts). */
  lineBytes(i: number): Buffer | undefined;
  lineSource(i: number): string;
  lineStart(i: number): number;
  lineEnd(i: number): number;
  firstValue(key: string): string | undefined;
  listValues(key: string): string[] | SipParseError;
}

/** The typed views of a message (SipMessage.check), by key, and their parsers. */
export interface ViewTypes {
  via: Via[];
  from: NameAddr;
  to: NameAddr;
  'call-id': string;
  cseq: CSeq;
  contact: ContactList;
  route: NameAddr[];
  'record-route': NameAddr[];
  'max-forwards': number | undefined;
}

export type ViewKey = keyof ViewTypes;

export const VIEW_PARSERS: { [K in ViewKey]: (m: HeaderSource) => ViewTypes[K] | SipParseError } = {
  via: parseVias,
  from: (m) => nameAddrHeader(m, 'from', FROM_SLOT, 'From'),
  to: (m) => nameAddrHeader(m, 'to', TO_SLOT, 'To'),
  'call-id': callIdHeader,
  cseq: cseqHeader,
  contact: parseContacts,
  route: (m) => parseList(m, 'route', fastNameAddr, parseNameAddrAt, parseNameAddr),
  'record-route': (m) => parseList(m, 'record-route', fastNameAddr, parseNameAddrAt, parseNameAddr),
  'max-forwards': (m) => {
    const v = m.firstValue('max-forwards');
    return v === undefined ? undefined : parseMaxForwards(v);
  },
};

function parseContacts(m: HeaderSource): ContactList | SipParseError {
  const first = m.findLine('contact');
  if (first >= 0 && m.findLine('contact', first + 1) < 0 && isStar(m.lineSource(first), m.lineStart(first), m.lineEnd(first))) {
    return '*';
  }
  return parseList(m, 'contact', fastNameAddr, parseNameAddrAt, parseNameAddr);
}

/** A value that is `*` alone, LWS aside (a value set by code may carry some). */
function isStar(s: string, start: number, end: number): boolean {
  start = skipLws(s, start, end);
  return trimEnd(s, start, end) - start === 1 && s.charCodeAt(start) === 42;
}

/** Call-ID = word [ "@" word ] (§25.1): no whitespace inside. */
function parseCallId(s: string, start: number, end: number): string | SipParseError {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 127) return new SipParseError('Malformed Call-ID');
  }
  return s.slice(start, end);
}

// The views every received message is checked for. Each calls its own fast path and parser
// directly (a helper taking them as arguments would make every call megamorphic), on the value
// range `locate` finds: straight from the parser's record while the message is unmodified.

/** The value locate() found: a range of `source`, and the bytes behind it for the fast paths. */
const range = { source: '', start: 0, end: 0, bytes: undefined as Buffer | undefined };

/** Line i's value into `range`; a value of its own (set by code) gets its bytes copied out. */
function locateLine(m: HeaderSource, i: number): void {
  const source = m.lineSource(i);
  range.source = source;
  range.start = m.lineStart(i);
  range.end = m.lineEnd(i);
  range.bytes = m.lineBytes(i) ?? (range.start === 0 && range.end === source.length ? asciiBytes(source) : undefined);
}

/** The first line with key `key` (VIEW_SLOTS slot `slot`) into `range`; -1 if there is none. */
function locate(m: HeaderSource, key: string, slot: number): number {
  const head = m.parsedHead();
  if (head === undefined || !head.ascii) {
    const i = m.findLine(key);
    if (i >= 0) locateLine(m, i);
    return i;
  }
  const i = head.first[slot] as number;
  if (i < 0) return i;
  const start = head.lines[3 * i + 1] as number;
  if (start < 0) {
    locateLine(m, i);
    return i;
  }
  range.source = head.text;
  range.start = start;
  range.end = head.lines[3 * i + 2] as number;
  range.bytes = head.wire;
  return i;
}

function parseVias(m: HeaderSource): Via[] | SipParseError {
  const out: Via[] = [];
  // The parser noted the last Via line, so that the search for more stops there.
  const head = m.parsedHead();
  const last = head?.lastVia ?? Number.MAX_SAFE_INTEGER;
  for (let i = locate(m, 'via', VIA_SLOT); i >= 0; i = i >= last ? -1 : m.findLine('via', i + 1)) {
    if (out.length > 0) locateLine(m, i);
    const { source, start, end, bytes } = range;
    const scans = out.length === 0 ? head?.scans : undefined;
    const via = scans !== undefined && bytes !== undefined ? savedVia(bytes, source, end, scans, VIA_SCAN)
      : (bytes === undefined ? undefined : fastVia(bytes, source, start, end)) ?? parseViaAt(source, start, end);
    if (via instanceof SipParseError) return parseSplit(m.listValues('via'), parseVia);
    out.push(via);
  }
  return out;
}

function nameAddrHeader(m: HeaderSource, key: string, slot: number, name: string): NameAddr | SipParseError {
  if (locate(m, key, slot) < 0 || range.end === range.start) return new SipParseError(`Missing ${name} header`);
  const { source, start, end, bytes } = range;
  const scans = m.parsedHead()?.scans;
  if (scans !== undefined && bytes !== undefined) return savedNameAddr(bytes, source, end, scans, nameAddrScan(slot));
  const parsed = (bytes === undefined ? undefined : fastNameAddr(bytes, source, start, end)) ?? parseNameAddrAt(source, start, end);
  return parsed instanceof SipParseError ? new SipParseError(`Malformed ${name}: ${parsed.reason}`) : parsed;
}

function callIdHeader(m: HeaderSource): string | SipParseError {
  if (locate(m, 'call-id', CALL_ID_SLOT) < 0 || range.end === range.start) return new SipParseError('Missing Call-ID header');
  const { source, start, end, bytes } = range;
  const parsed = (bytes === undefined ? undefined : fastCallId(bytes, source, start, end)) ?? parseCallId(source, start, end);
  return parsed instanceof SipParseError ? new SipParseError(`Malformed Call-ID: ${parsed.reason}`) : parsed;
}

function cseqHeader(m: HeaderSource): CSeq | SipParseError {
  if (locate(m, 'cseq', CSEQ_SLOT) < 0 || range.end === range.start) return new SipParseError('Missing CSeq header');
  const { source, start, end, bytes } = range;
  const parsed = (bytes === undefined ? undefined : fastCSeq(bytes, source, start, end)) ?? parseCSeqAt(source, start, end);
  return parsed instanceof SipParseError ? new SipParseError(`Malformed CSeq: ${parsed.reason}`) : parsed;
}

type RangeParser<T> = (s: string, start: number, end: number) => T | SipParseError;
/** A fast path (fast-views.ts): the value, or undefined for the general parser to decide. */
type FastParser<T> = (b: Buffer, s: string, start: number, end: number) => T | undefined;

/** Line i parsed by the fast path where its bytes allow, else by the general parser. */
function parseLine<T>(m: HeaderSource, i: number, fast: FastParser<T>, parseAt: RangeParser<T>): T | SipParseError {
  const s = m.lineSource(i);
  const start = m.lineStart(i);
  const end = m.lineEnd(i);
  const b = m.lineBytes(i);
  return (b === undefined ? undefined : fast(b, s, start, end)) ?? parseAt(s, start, end);
}

/**
 * Every element of a list header. Nearly every line holds one element, so each line is first
 * parsed whole, in place: that succeeds only where no comma stands outside quotes and `<>`, the
 * one case where splitting would give the line itself. If any line fails, the lines are split
 * and parsed as §7.3.1 says, so that a list or a malformed value gets the very same outcome.
 */
function parseList<T>(
  m: HeaderSource, key: string, fast: FastParser<T>, parseAt: RangeParser<T>, parse: (v: string) => T | SipParseError,
): T[] | SipParseError {
  const out: T[] = [];
  for (let i = m.findLine(key); i >= 0; i = m.findLine(key, i + 1)) {
    const one = parseLine(m, i, fast, parseAt);
    if (one instanceof SipParseError) return parseSplit(m.listValues(key), parse);
    out.push(one);
  }
  return out;
}

function parseSplit<T>(values: string[] | SipParseError, parse: (v: string) => T | SipParseError): T[] | SipParseError {
  if (values instanceof SipParseError) return values;
  const out: T[] = [];
  for (const v of values) {
    const parsed = parse(v);
    if (parsed instanceof SipParseError) return parsed;
    out.push(parsed);
  }
  return out;
}

/** §20.22: an integer in the range 0-255 (leading zeros allowed: "0068" is 68). */
function parseMaxForwards(v: string): number | SipParseError {
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!isDigit(c)) return new SipParseError('Malformed Max-Forwards');
    n = n * 10 + c - 48;
    if (n > 255) return new SipParseError('Max-Forwards out of range');
  }
  return v.length === 0 ? new SipParseError('Malformed Max-Forwards') : n;
}
