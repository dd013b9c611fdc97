import { EMPTY, ParsedHead, type SipMessage, SipRequest, SipResponse } from '../message/sip-message.js';
import { methodAt } from '../message/cseq.js';
import { SipParseError } from './sip-parse-error.js';
import { found, scanHeaders } from './header-scan.js';
import { bodyEndAt } from './body-frame.js';
import { parseScanned } from './native-head.js';
import * as codes from './char-codes.js';

// Hot loops read module-local constants: an imported binding is loaded from its module cell,
// with a check, at every use.
const CR = codes.CR;
const HTAB = codes.HTAB;
const LF = codes.LF;
const SLASH = codes.SLASH;
const SP = codes.SP;
const isDigit = codes.isDigit;
const isTokenChar = codes.isTokenChar;

// checkMessage lives in its own file; it is exported here too, next to parseMessage.
export { KNOWN_METHODS, checkMessage } from './check-message.js';

export interface ParseOptions {
  /**
   * Stream transports frame by Content-Length before parsing, so a missing one is an error there;
   * in a datagram the body runs to the end (RFC 3261 §18.3, RFC 2543 compatibility).
   */
  readonly stream?: boolean;
}

const SIP_VERSION = 'SIP/2.0';
const DATAGRAM: ParseOptions = {};
const CRLFCRLF = Buffer.from('\r\n\r\n');
const LFLF = Buffer.from('\n\n');
/**
 * Messages up to this size are decoded whole in one call, body included, so that the header
 * scan finds the end of the head itself; larger ones (TCP) have their head found in the bytes
 * first, so that a big body is never decoded for nothing.
 */
const DECODE_WHOLE = 4096;

/**
 * Parses one SIP message from a buffer. Never throws: malformed input gives a SipParseError
 * whose reason becomes the 400 reason phrase. The head is read in one scan that records where
 * each header line lies; values are copied out and parsed only when something reads them. The
 * native head scanner, where it is built, reads the common message; what it does not take
 * is read here.
 */
export function parseMessage(buf: Buffer, options: ParseOptions = DATAGRAM): SipMessage | SipParseError {
  try {
    const scanned = parseScanned(buf, options.stream === true);
    if (scanned !== undefined) return scanned;
    const start = skipLeadingLineEnds(buf);
    return (buf.length <= DECODE_WHOLE ? parseWhole(buf, start, options) : undefined) ?? parseHead(buf, start, options);
  } catch {
    // Defence in depth: a parser bug on hostile bytes must cost a 400, never the process.
    return new SipParseError('Unparseable message');
  }
}

/**
 * The common case: decode the whole message at once (from offset 0: leading line ends are
 * ASCII) and let the scan stop at the empty line. When each char came from one byte (the text
 * is as long as the bytes: no multi-byte UTF-8), text offsets are byte offsets. Undefined sends
 * anything else (multi-byte text, bare-LF heads, no empty line) to parseHead.
 */
function parseWhole(buf: Buffer, start: number, options: ParseOptions): SipMessage | SipParseError | undefined {
  // Without arguments toString takes Node's direct UTF-8 path, skipping the encoding lookup.
  const text = buf.toString();
  if (text.length !== buf.length) return undefined;
  const head = new ParsedHead(buf, text, true);
  const firstEnd = text.indexOf('\n', start);
  if (firstEnd < 0) return undefined;
  const empty = scanHeaders(head, firstEnd + 1, true);
  if (empty < 0) return undefined;
  return finish(head, start, firstEnd, empty + 2, options);
}

/** The general case: find the end of the head in the bytes, then decode and scan the head alone. */
function parseHead(buf: Buffer, start: number, options: ParseOptions): SipMessage | SipParseError {
  const headEnd = headBoundary(buf, start, options);
  if (headEnd < 0) return new SipParseError('Missing end of headers');
  const bodyStart = headEnd === buf.length ? headEnd : headEnd + (buf[headEnd] === CR ? 4 : 2);
  const head = newHead(buf, headEnd);
  const nl = head.text.indexOf('\n', start);
  const firstEnd = nl < 0 ? headEnd : nl;
  scanHeaders(head, firstEnd + 1, false);
  return finish(head, start, firstEnd, bodyStart, options);
}

/**
 * Decodes bytes [0, end). When each char came from one byte, values are cut from the text;
 * otherwise the scan runs on a Latin-1 reading (char for byte) and values are decoded one by one.
 */
function newHead(buf: Buffer, end: number): ParsedHead {
  const text = buf.toString('utf8', 0, end);
  const ascii = text.length === end;
  return new ParsedHead(buf, ascii ? text : buf.toString('latin1', 0, end), ascii);
}

/** Frames the body, reads the start line and builds the message, once the head is scanned. */
function finish(head: ParsedHead, start: number, firstEnd: number, bodyStart: number, options: ParseOptions): SipMessage | SipParseError {
  const text = head.text;
  const next = text.charCodeAt(firstEnd + 1);
  if (next === SP || next === HTAB) return new SipParseError('Continuation of the start line');
  const frameEnd = bodyEnd(head.wire, bodyStart, options);
  if (frameEnd instanceof SipParseError) return frameEnd;
  head.frameStart = start;
  head.bodyStart = bodyStart;
  head.frameEnd = frameEnd;
  const lineEnd = firstEnd > start && text.charCodeAt(firstEnd - 1) === CR ? firstEnd - 1 : firstEnd;
  // §7.1: the version is case-insensitive; a method cannot hold '/', so "sip/" starts a response.
  return hasSipPrefix(text, start) ? buildResponse(head, start, lineEnd) : buildRequest(head, start, lineEnd);
}

/** §7.5: CRLFs before the start line are ignored. */
function skipLeadingLineEnds(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && (buf[i] === CR || buf[i] === LF)) i++;
  return i;
}

/**
 * Where the headers end (the empty line), or -1. A datagram whose last header line ends the
 * packet without the empty line is taken as having no body: the datagram bounds the message.
 */
function headBoundary(buf: Buffer, start: number, options: ParseOptions): number {
  const end = findHeaderEnd(buf, start);
  if (end >= 0) return end;
  if (options.stream || buf.length === start || buf[buf.length - 1] !== LF) return -1;
  return buf.length;
}

/** Index of the empty line that ends the headers (CRLFCRLF, or bare LFLF from lax peers). */
export function findHeaderEnd(buf: Buffer, from: number): number {
  const crlf = buf.indexOf(CRLFCRLF, from);
  if (crlf >= 0) return crlf;
  return buf.indexOf(LFLF, from);
}

/** Where the body ends, by the Content-Length the scan found (§18.3), or why it cannot. */
function bodyEnd(buf: Buffer, bodyStart: number, options: ParseOptions): number | SipParseError {
  return found.lengthError ?? bodyEndAt(buf, bodyStart, found.contentLength, options.stream === true);
}

/** Request-Line = Method SP Request-URI SP SIP-Version (§25.1): exactly one SP between each. */
function buildRequest(head: ParsedHead, start: number, end: number): SipRequest | SipParseError {
  // The usual line, read from the bytes: a token, one SP, a URI, one SP, "SIP/2.0".
  const b = head.wire;
  let sp1 = start;
  while (sp1 < end && isTokenChar(b[sp1] as number)) sp1++;
  let sp2 = sp1 + 1;
  while (sp2 < end && b[sp2] !== SP) sp2++;
  if (sp1 > start && b[sp1] === SP && sp2 > sp1 + 1 && sp2 < end && isSipVersion20(b, sp2 + 1, end)) {
    return request(head, start, sp1, sp2, SIP_VERSION);
  }
  // Anything else is judged the long way, for the same reason phrase whatever the defect.
  const line = head.text;
  sp1 = indexIn(line, SP, start, end);
  sp2 = sp1 < 0 ? -1 : indexIn(line, SP, sp1 + 1, end);
  if (sp1 <= start || sp2 < 0 || indexIn(line, SP, sp2 + 1, end) >= 0) return new SipParseError('Malformed Request-Line');
  for (let i = start; i < sp1; i++) if (!isTokenChar(line.charCodeAt(i))) return new SipParseError('Malformed method');
  const version = versionAt(line, sp2 + 1, end);
  if (version === undefined) return new SipParseError('Malformed SIP version');
  if (sp2 === sp1 + 1) return new SipParseError('Malformed Request-URI');
  return request(head, start, sp1, sp2, version);
}

function request(head: ParsedHead, start: number, sp1: number, sp2: number, version: string): SipRequest {
  head.uriStart = sp1 + 1;
  head.uriEnd = sp2;
  return new SipRequest(methodAt(head.wire, head.text, start, sp1), head.slice(sp1 + 1, sp2), head, EMPTY, version);
}

/** Whether bytes [start, end) are "SIP/2.0". */
function isSipVersion20(b: Buffer, start: number, end: number): boolean {
  return end - start === 7 && b[start] === 0x53 && b[start + 1] === 0x49 && b[start + 2] === 0x50 && b[start + 3] === SLASH
    && b[start + 4] === 0x32 && b[start + 5] === 0x2e && b[start + 6] === 0x30;
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§25.1). */
function buildResponse(head: ParsedHead, start: number, end: number): SipResponse | SipParseError {
  const b = head.wire;
  const sp1 = isSipVersion20(b, start, Math.min(start + 7, end)) && b[start + 7] === SP ? start + 7 : indexIn(head.text, SP, start, end);
  if (sp1 < 0) return new SipParseError('Malformed Status-Line');
  const version = sp1 === start + 7 && isSipVersion20(b, start, sp1) ? SIP_VERSION : versionAt(head.text, start, sp1);
  if (version === undefined) return new SipParseError('Malformed SIP version');
  const c0 = b[sp1 + 1] as number;
  const c1 = b[sp1 + 2] as number;
  const c2 = b[sp1 + 3] as number;
  if (sp1 + 4 > end || !isDigit(c0) || !isDigit(c1) || !isDigit(c2)) return new SipParseError('Malformed status code');
  if (sp1 + 4 < end && b[sp1 + 4] !== SP) return new SipParseError('Malformed status code');
  const status = (c0 - 48) * 100 + (c1 - 48) * 10 + (c2 - 48);
  if (status < 100 || status > 699) return new SipParseError('Status code out of range');
  const reason = sp1 + 5 <= end ? head.slice(sp1 + 5, end) : '';
  return new SipResponse(status, reason, head, EMPTY, version);
}

/** The first index of char code `c` in s[start, end), or -1 (bounded: s runs past the line). */
function indexIn(s: string, c: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === c) return i;
  return -1;
}

/** The normalised SIP-Version at s[start, end), or undefined; SIP/2.0 without allocating. */
function versionAt(s: string, start: number, end: number): string | undefined {
  if (end - start === SIP_VERSION.length && s.startsWith(SIP_VERSION, start)) return SIP_VERSION;
  const v = s.slice(start, end);
  return isSipVersion(v) ? normalVersion(v) : undefined;
}

/** "SIP/" 1*DIGIT "." 1*DIGIT; versions other than 2.0 parse, and are answered 505 above us. */
function isSipVersion(v: string): boolean {
  if (v === SIP_VERSION) return true;
  if (v.length < 7 || !hasSipPrefix(v)) return false;
  const dot = v.indexOf('.', 4);
  if (dot < 5 || dot === v.length - 1) return false;
  for (let i = 4; i < v.length; i++) if (i !== dot && !isDigit(v.charCodeAt(i))) return false;
  return true;
}

/** Starts with "SIP/" in any case. */
function hasSipPrefix(s: string, at = 0): boolean {
  const c0 = s.charCodeAt(at) | 0x20;
  const c1 = s.charCodeAt(at + 1) | 0x20;
  const c2 = s.charCodeAt(at + 2) | 0x20;
  return c0 === 0x73 && c1 === 0x69 && c2 === 0x70 && s.charCodeAt(at + 3) === SLASH;
}

/** The version with "SIP" upper-cased (§7.1: case-insensitive), without allocating for SIP/2.0. */
function normalVersion(v: string): string {
  return v === SIP_VERSION ? SIP_VERSION : v.toUpperCase();
}

/** False for a version other than SIP/2.0: a request is answered 505 (§21.5.7, RFC 4475 §3.1.2.16). */
export function isSupportedVersion(m: SipMessage): boolean {
  return (m instanceof SipRequest ? m.version : (m as SipResponse).version) === SIP_VERSION;
}
