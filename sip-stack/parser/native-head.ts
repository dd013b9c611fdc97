import { EMPTY, ParsedHead, type SipMessage, SipRequest, SipResponse } from '../message/sip-message.js';
import { CALL_ID_SLOT, CSEQ_SLOT, FROM_SLOT, type HeaderName, TO_SLOT, VIA_SLOT } from '../message/header-name.js';
import { methodAt } from '../message/cseq.js';
import { CSEQ_SCAN, FROM_SCAN, SCANS_SIZE, TO_SCAN, VIA_SCAN } from '../message/essentials-scan.js';
import { TRANSPORTS } from '../message/fast-views.js';
import * as classes from '../message/fast-params.js';
import { LISTED_NAMES, SPELLINGS, headerNameAt } from './known-header-names.js';
import { isTokenChar } from './char-codes.js';
import { bodyEndAt } from './body-frame.js';
import { type ScannerAddon, type ScannerTables, nativeScanner } from './native-scanner.js';
import { SipParseError } from './sip-parse-error.js';

// The layout head-scanner.c writes (its OUT_* constants).
const OUT_START = 0;
const OUT_FIRST_END = 1;
const OUT_HEAD_END = 2;
const OUT_CONTENT_LENGTH = 3;
const OUT_LINE_A = 4;
const OUT_LINE_B = 5;
const OUT_COUNT = 6;
const OUT_FLAGS = 7;
const OUT_SCANS = 8;
const OUT_FIRST_VIEWS = 45;
const OUT_LAST_VIA = 50;
const OUT_DUPLICATE = 51;
const OUT_KIND = 52;
const OUT_LINES = 56;
const LINE_SIZE = 5;
const MAX_LINES = 256;
const OUT_SIZE = OUT_LINES + LINE_SIZE * MAX_LINES;
const FLAG_ESSENTIALS = 1;
const FLAG_REQUEST_URI = 2;
const KIND_REQUEST = 1;
const CONTENT_LENGTH_ROLE = 6;
const SIP_VERSION = 'SIP/2.0';

/** What every scan writes; one per thread (scans never interleave: parsing never yields). */
const out = new Int32Array(OUT_SIZE);
const names = LISTED_NAMES;

/** The addon once given the tables; false once it refused them (then it is never used). */
let ready: ScannerAddon | false | undefined;

function scanner(): ScannerAddon | undefined {
  const addon = nativeScanner();
  if (addon === undefined) return undefined;
  ready ??= initialised(addon);
  return ready === false ? undefined : ready;
}

function initialised(addon: ScannerAddon): ScannerAddon | false {
  try {
    addon.init(scannerTables());
    return addon;
  } catch {
    // Tables this build of the scanner cannot hold: the TypeScript scan reads every message.
    return false;
  }
}

/** The parser's tables, as the scanner's init() takes them, and the array its scans write into. */
export function scannerTables(): ScannerTables {
  return {
    spellings: [...SPELLINGS],
    roles: roles(),
    singles: Int32Array.from(names, (n) => n.bit),
    byteClass: classes.BYTE_CLASS,
    bits: classBits(),
    token: tokenTable(),
    transports: [...TRANSPORTS],
    layout: layout(),
    out,
  };
}

/** The offsets both sides must agree on, in the order head-scanner.c checks them. */
function layout(): Int32Array {
  return Int32Array.of(
    OUT_SCANS, SCANS_SIZE, OUT_FIRST_VIEWS, OUT_LAST_VIA, OUT_DUPLICATE, OUT_KIND, OUT_LINES, LINE_SIZE, MAX_LINES, OUT_SIZE,
    VIA_SCAN, FROM_SCAN, TO_SCAN, CSEQ_SCAN, VIA_SLOT, FROM_SLOT, TO_SLOT, CALL_ID_SLOT, CSEQ_SLOT, CONTENT_LENGTH_ROLE,
  );
}

/**
 * Per listed name, what the scanner must know of it: its view slot, or Content-Length. A name the
 * scanner's table cannot hold (over 32 chars) keeps its id and is resolved here by name.
 */
function roles(): Int32Array {
  return Int32Array.from(names, (n) => (n.view !== 0 ? n.view : n.key === 'content-length' ? CONTENT_LENGTH_ROLE : 0));
}

/** The bits of fast-params.ts's byte classes, in the order head-scanner.c's ClassBits lists them. */
function classBits(): Int32Array {
  return Int32Array.of(classes.TOKEN, classes.LOWER_TOKEN, classes.HOST, classes.USER, classes.URI_PARAM, classes.URI_PARAM_NAME, classes.PARAM_VALUE);
}

function tokenTable(): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, c) => (isTokenChar(c) ? 1 : 0));
}

/**
 * The message the native head scanner read from `buf`, or undefined when it is not built or did
 * not take the message (then the TypeScript scan reads it). What it gives is what the TypeScript
 * scan would have recorded: the same lines, names, frame and, for the views checkMessage reads,
 * the same scans (essentials-scan.ts).
 */
export function parseScanned(buf: Buffer, stream: boolean): SipMessage | SipParseError | undefined {
  const addon = scanner();
  if (addon === undefined) return undefined;
  const text = addon.scan(buf);
  if (text === undefined) return undefined;
  const bodyStart = (out[OUT_HEAD_END] as number) + 2;
  const frameEnd = bodyEndAt(buf, bodyStart, out[OUT_CONTENT_LENGTH] as number, stream);
  if (frameEnd instanceof SipParseError) return frameEnd;
  const head = new ParsedHead(buf, text, true);
  head.frameStart = out[OUT_START] as number;
  head.bodyStart = bodyStart;
  head.frameEnd = frameEnd;
  readLines(head);
  if (((out[OUT_FLAGS] as number) & FLAG_ESSENTIALS) !== 0) head.scans = savedScans();
  return out[OUT_KIND] === KIND_REQUEST ? request(head) : response(head);
}

/** The header lines, and what the scanner noted of them as scanLine does (first of each view, last Via, duplicate). */
function readLines(head: ParsedHead): void {
  const count = out[OUT_COUNT] as number;
  // Sized once: growing it line by line costs more than the lines.
  const lines = new Array<HeaderName | number>(3 * count);
  for (let i = 0, o = OUT_LINES; i < count; i++, o += LINE_SIZE) {
    const id = out[o] as number;
    lines[3 * i] = id >= 0 ? names[id] as HeaderName : headerNameAt(head.wire, head.text, out[o + 1] as number, out[o + 2] as number);
    lines[3 * i + 1] = out[o + 3] as number;
    lines[3 * i + 2] = out[o + 4] as number;
  }
  head.lines = lines;
  const first = head.first;
  for (let slot = VIA_SLOT; slot <= CSEQ_SLOT; slot++) first[slot] = out[OUT_FIRST_VIEWS + slot - VIA_SLOT] as number;
  head.lastVia = out[OUT_LAST_VIA] as number;
  const duplicate = out[OUT_DUPLICATE] as number;
  if (duplicate >= 0) head.duplicate = lines[3 * duplicate] as HeaderName;
}

/**
 * The scans record (essentials-scan.ts), read from the output array. One literal of the reads
 * rather than a copy loop into newScans(): V8 builds it in place, in a third of the time.
 */
function savedScans(): number[] {
  const o = out;
  return [o[8], o[9], o[10], o[11], o[12], o[13], o[14], o[15], o[16], o[17], o[18], o[19], o[20], o[21], o[22], o[23], o[24], o[25], o[26], o[27], o[28], o[29], o[30], o[31], o[32], o[33], o[34], o[35], o[36], o[37], o[38], o[39], o[40], o[41], o[42], o[43], o[44]] as number[];
}

if (savedScans().length !== SCANS_SIZE || OUT_SCANS !== 8) throw new Error('native-head: savedScans() does not match SCANS_SIZE');

function request(head: ParsedHead): SipRequest {
  const start = out[OUT_START] as number;
  const sp1 = out[OUT_LINE_A] as number;
  const sp2 = out[OUT_LINE_B] as number;
  head.uriStart = sp1 + 1;
  head.uriEnd = sp2;
  head.uriScanned = ((out[OUT_FLAGS] as number) & FLAG_REQUEST_URI) !== 0;
  return new SipRequest(methodAt(head.wire, head.text, start, sp1), head.text.slice(sp1 + 1, sp2), head, EMPTY, SIP_VERSION);
}

function response(head: ParsedHead): SipResponse {
  const reasonStart = out[OUT_LINE_B] as number;
  // The start line ends with CRLF (the scanner takes no other); the reason stops before the CR.
  const reason = reasonStart < 0 ? '' : head.text.slice(reasonStart, (out[OUT_FIRST_END] as number) - 1);
  return new SipResponse(out[OUT_LINE_A] as number, reason, head, EMPTY, SIP_VERSION);
}
