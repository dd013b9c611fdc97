import type { ParsedHead } from '../message/parsed-head.js';
import { type HeaderName, VIA_SLOT, describeHeaderName, singleHeaderBit } from '../message/header-name.js';
import { SipParseError } from './sip-parse-error.js';
import { knownName } from './known-header-names.js';
import { isAllDigits, isTokenChar, trimLws } from './char-codes.js';
import * as codes from './char-codes.js';

// Hot loops read module-local constants: an imported binding is loaded from its module cell,
// with a check, at every use.
const COLON = codes.COLON;
const CR = codes.CR;
const HTAB = codes.HTAB;
const LF = codes.LF;
const SP = codes.SP;

/** What a scan found besides the header lines: what framing the body needs. */
export interface ScanFindings {
  /** The Content-Length value, or -1 when there is none. */
  contentLength: number;
  /** A malformed or conflicting Content-Length. */
  lengthError: SipParseError | undefined;
}

/** Reused by every scan (one at a time: parsing never yields), so that a scan allocates none. */
export const found: ScanFindings = { contentLength: -1, lengthError: undefined };

/** The lines being recorded, copied out once at the end: one exact-size array per message. */
const scratch: Array<HeaderName | number> = [];
let recorded = 0;
/** The single-value bits of the names recorded so far. */
let seen = 0;

const CONTENT_LENGTH_BIT = singleHeaderBit('content-length');

/** Byte classes for the name scan: one table read per byte, not a chain of comparisons. */
const TOKEN = 1;
const LWS = 2;
const CLASS = new Uint8Array(256);
for (let c = 0; c < 128; c++) if (isTokenChar(c)) CLASS[c] = TOKEN;
CLASS[SP] = LWS;
CLASS[HTAB] = LWS;
/** SP, HTAB, CR, LF: what trimLws strips from a value. */
const TRIM = new Uint8Array(256);
TRIM[SP] = 1;
TRIM[HTAB] = 1;
TRIM[CR] = 1;
TRIM[LF] = 1;

/**
 * Reads the header lines of a head from byte `pos` in one pass: each line's name (packed and
 * resolved while its bytes are read), value range, folding (§7.3.1), the first duplicate
 * single-value header and Content-Length. Bytes are read from head.wire, which is cheaper than
 * chars of a string; head.text, char for char the same, serves indexOf. A malformed line
 * becomes head.error and ends the recording, though the scan goes on for Content-Length,
 * which frames the message regardless.
 *
 * With `untilEmptyLine` the text runs past the head: the scan stops at the first empty line and
 * returns where it starts, or -1 unless that line ends the first CRLFCRLF (a bare-LF head, or no
 * end at all, is left to the caller's general framing). Otherwise the text is the head alone,
 * empty lines are skipped, and the scan returns the text length.
 */
export function scanHeaders(head: ParsedHead, pos: number, untilEmptyLine: boolean): number {
  const text = head.text;
  const b = head.wire;
  const limit = text.length;
  found.contentLength = -1;
  found.lengthError = undefined;
  recorded = 0;
  seen = 0;
  let result = untilEmptyLine ? -1 : limit;
  while (pos < limit) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = limit;
    const first = b[pos];
    const empty = end === pos || (end === pos + 1 && first === CR);
    if (empty && untilEmptyLine) {
      if (end < limit && first === CR && b[pos - 1] === LF && b[pos - 2] === CR) result = pos;
      break;
    }
    let next = end + 1;
    while (b[next] === SP || b[next] === HTAB) next = lineEnd(text, next) + 1;
    if (untilEmptyLine && next > limit) break;
    if (!empty) scanLine(head, b, pos, end, next);
    pos = next;
  }
  head.lines = scratch.slice(0, recorded);
  return result;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** One header line of head.wire (`b`) at [pos, end), continued to `next`. */
function scanLine(head: ParsedHead, b: Buffer, pos: number, end: number, next: number): void {
  let i = pos;
  // The last 8 bytes of the name, packed as knownName() looks names up.
  let w0 = 0;
  let w1 = 0;
  let c = b[i] as number;
  // CR and LF are neither token nor LWS, so neither loop leaves the line.
  while (CLASS[c] === TOKEN) {
    w1 = (w1 << 8) | (w0 >>> 24);
    w0 = (w0 << 8) | c;
    c = b[++i] as number;
  }
  const nameEnd = i;
  while (CLASS[c] === LWS) c = b[++i] as number;
  if (nameEnd === pos || c !== COLON) {
    head.error ??= malformedLine(head.text, pos, end);
    return;
  }
  const name = knownName(b, pos, nameEnd, w0, w1) ?? describeHeaderName(head.text.slice(pos, nameEnd));
  let start = i + 1;
  let stop = end;
  while (start < stop && TRIM[b[start] as number] === 1) start++;
  while (stop > start && TRIM[b[stop - 1] as number] === 1) stop--;
  const bit = name.bit;
  if (bit === CONTENT_LENGTH_BIT) readContentLength(head, start, stop, end, next);
  if (head.error !== undefined) return;
  if (next > end + 1) {
    start = head.keep(unfold(head, head.slice(start, stop), end + 1, next));
    stop = 0;
  }
  if (name.view !== 0) noteView(head, name.view, recorded / 3);
  const at = recorded;
  scratch[at] = name;
  scratch[at + 1] = start;
  scratch[at + 2] = stop;
  recorded = at + 3;
  if (bit === 0) return;
  if ((seen & bit) !== 0) head.duplicate ??= name;
  seen |= bit;
}

/** Notes line `line` as one of the headers checkMessage reads (VIEW_SLOTS). */
function noteView(head: ParsedHead, slot: number, line: number): void {
  if ((head.first[slot] as number) < 0) head.first[slot] = line;
  if (slot === VIA_SLOT) head.lastVia = line;
}

/** Why a line is not `token LWS ":" value`: no colon on it at all, or a bad char in the name. */
function malformedLine(text: string, pos: number, end: number): SipParseError {
  const colon = text.indexOf(':', pos);
  return new SipParseError(colon <= pos || colon >= end ? 'Malformed header line' : 'Malformed header name');
}

/** `value` with the continuation lines in [pos, next) appended, each joined by one SP. */
function unfold(head: ParsedHead, value: string, pos: number, next: number): string {
  while (pos < next) {
    const foldEnd = lineEnd(head.text, pos);
    const piece = trimLws(head.slice(pos, foldEnd));
    if (piece.length > 0) value = value.length > 0 ? `${value} ${piece}` : piece;
    pos = foldEnd + 1;
  }
  return value;
}

/** Records a Content-Length whose value is bytes [start, stop): 1 to 9 digits, equal if repeated. */
function readContentLength(head: ParsedHead, start: number, stop: number, end: number, next: number): void {
  let value = decimal(head.wire, start, stop);
  if (next > end + 1) {
    // A folded value is legal but exotic: its pieces are joined and read as one number.
    let digits = head.slice(start, stop);
    for (let pos = end + 1; pos < next; pos = lineEnd(head.text, pos) + 1) digits += trimLws(head.slice(pos, lineEnd(head.text, pos)));
    value = isAllDigits(digits) && digits.length <= 9 ? Number(digits) : -1;
  }
  if (found.lengthError !== undefined) return;
  if (value < 0) found.lengthError = new SipParseError('Malformed Content-Length');
  else if (found.contentLength >= 0 && found.contentLength !== value) found.lengthError = new SipParseError('Conflicting Content-Length values');
  else found.contentLength = value;
}

/** Bytes [start, end) as a number of 1 to 9 digits, or -1. */
function decimal(b: Buffer, start: number, end: number): number {
  if (end === start || end - start > 9) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c < 48 || c > 57) return -1;
    n = n * 10 + c - 48;
  }
  return n;
}
