import { type Header, type HeaderReader, type SipMessage, SipRequest, SipResponse, EMPTY } from '../message/sip-message.js';
import { headerKey } from '../message/header-name.js';
import { SipParseError } from './sip-parse-error.js';
import { matchKnownName } from './known-header-names.js';
import { CR, HTAB, LF, SLASH, SP, isDigit, isToken, trimLws } from './char-codes.js';

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
 * Parses one SIP message from a buffer. Never throws: malformed input gives a SipParseError
 * whose reason becomes the 400 reason phrase. Only the headers every transaction needs (Via,
 * From, To, Call-ID, CSeq) are parsed here; the rest stay raw until asked for.
 */
export function parseMessage(buf: Buffer, options: ParseOptions = DATAGRAM): SipMessage | SipParseError {
  try {
    return parseUnsafe(buf, options);
  } catch {
    // Defence in depth: a parser bug on hostile bytes must cost a 400, never the process.
    return new SipParseError('Unparseable message');
  }
}

function parseUnsafe(buf: Buffer, options: ParseOptions): SipMessage | SipParseError {
  const start = skipLeadingLineEnds(buf);
  const headEnd = headBoundary(buf, start, options);
  if (headEnd < 0) return new SipParseError('Missing end of headers');
  const bodyStart = headEnd === buf.length ? headEnd : headEnd + (buf[headEnd] === CR ? 4 : 2);
  const head = buf.toString('utf8', start, headEnd);
  const firstEnd = lineEnd(head, 0);
  if (isFoldStart(head, firstEnd + 1)) return new SipParseError('Continuation of the start line');
  const body = extractBody(buf, bodyStart, findContentLength(head, firstEnd + 1), options);
  if (body instanceof SipParseError) return body;
  // The framed message only: leading line ends and octets after the body are not part of it.
  const end = bodyStart + body.length;
  const source = start === 0 && end === buf.length ? buf : buf.subarray(start, end);
  const reader = (): Header[] | SipParseError => parseHeaderLines(head, firstEnd + 1);
  return buildMessage(head.slice(0, trimCr(head, 0, firstEnd)), reader, body, source);
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

/** Splits header lines from `pos`, unfolding continuation lines (§7.3.1: equal to one SP). */
function parseHeaderLines(head: string, pos: number): Header[] | SipParseError {
  const headers: Header[] = [];
  while (pos < head.length) {
    const end = lineEnd(head, pos);
    let next = end + 1;
    while (isFoldStart(head, next)) next = lineEnd(head, next) + 1;
    if (trimCr(head, pos, end) > pos) {
      const header = parseHeaderLine(head, pos, end, next);
      if (header instanceof SipParseError) return header;
      headers.push(header);
    }
    pos = next;
  }
  return headers;
}

/**
 * Content-Length is needed to frame the body before the headers are split, so it is found by a
 * scan that only looks at lines that can start with its name or its compact form "l".
 */
function findContentLength(head: string, pos: number): number | undefined | SipParseError {
  let length: number | undefined;
  while (pos < head.length) {
    const end = lineEnd(head, pos);
    const c = head.charCodeAt(pos) | 0x20;
    if (c === 0x63 || c === 0x6c) {
      const value = contentLengthValue(head, pos, end);
      if (value instanceof SipParseError) return value;
      if (value !== undefined) {
        if (length !== undefined && length !== value) return new SipParseError('Conflicting Content-Length values');
        length = value;
      }
    }
    pos = end + 1;
  }
  return length;
}

/** The value if the line at `pos` is a Content-Length header, else undefined. */
function contentLengthValue(head: string, pos: number, end: number): number | undefined | SipParseError {
  const colon = head.indexOf(':', pos);
  if (colon < 0 || colon >= end) return undefined;
  let nameEnd = colon;
  while (nameEnd > pos && (head.charCodeAt(nameEnd - 1) === SP || head.charCodeAt(nameEnd - 1) === HTAB)) nameEnd--;
  const len = nameEnd - pos;
  if (len !== 1 && len !== 14) return undefined;
  const key = matchKnownName(head, pos, nameEnd)?.key ?? headerKey(head.slice(pos, nameEnd));
  if (key !== 'content-length') return undefined;
  let valueEnd = trimCr(head, colon + 1, end);
  // A folded Content-Length value is legal but exotic; read the continuation lines too.
  let value = trimLws(head, colon + 1, valueEnd);
  for (let next = end + 1; isFoldStart(head, next); next = valueEnd + 1) {
    valueEnd = lineEnd(head, next);
    value += trimLws(head, next, trimCr(head, next, valueEnd));
  }
  const n = parseDecimal(value);
  return n === undefined ? new SipParseError('Malformed Content-Length') : n;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

function trimCr(text: string, start: number, end: number): number {
  return end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end;
}

function isFoldStart(text: string, pos: number): boolean {
  const c = text.charCodeAt(pos);
  return c === SP || c === HTAB;
}

/** The header line at [pos, end), its continuation lines running to `next`. */
function parseHeaderLine(head: string, pos: number, end: number, next: number): Header | SipParseError {
  const colon = head.indexOf(':', pos);
  if (colon <= pos || colon >= end) return new SipParseError('Malformed header line');
  let nameEnd = colon;
  while (nameEnd > pos && (head.charCodeAt(nameEnd - 1) === SP || head.charCodeAt(nameEnd - 1) === HTAB)) nameEnd--;
  const known = matchKnownName(head, pos, nameEnd);
  const value = trimLws(head, colon + 1, trimCr(head, colon + 1, end));
  const unfolded = next > end + 1 ? unfold(head, value, end + 1, next) : value;
  if (known !== undefined) return { name: known.name, key: known.key, value: unfolded };
  const name = head.slice(pos, nameEnd);
  if (!isToken(name)) return new SipParseError('Malformed header name');
  return { name, key: headerKey(name), value: unfolded };
}

/** `value` with the continuation lines in [pos, next) appended, each joined by one SP. */
function unfold(head: string, value: string, pos: number, next: number): string {
  while (pos < next) {
    const foldEnd = lineEnd(head, pos);
    const piece = trimLws(head, pos, trimCr(head, pos, foldEnd));
    if (piece.length > 0) value = value.length > 0 ? `${value} ${piece}` : piece;
    pos = foldEnd + 1;
  }
  return value;
}

function extractBody(
  buf: Buffer, bodyStart: number, length: number | undefined | SipParseError, options: ParseOptions,
): Buffer | SipParseError {
  if (length instanceof SipParseError) return length;
  const available = Math.max(0, buf.length - bodyStart);
  if (length === undefined) {
    if (options.stream) return new SipParseError('Missing Content-Length');
    return available === 0 ? EMPTY : buf.subarray(bodyStart);
  }
  // §18.3: a datagram shorter than Content-Length is malformed; extra octets are discarded.
  if (length > available) return new SipParseError('Content-Length exceeds message');
  return length === 0 ? EMPTY : buf.subarray(bodyStart, bodyStart + length);
}

function parseDecimal(s: string): number | undefined {
  if (s.length === 0 || s.length > 9) return undefined;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return undefined;
  return Number(s);
}

function buildMessage(startLine: string, headers: HeaderReader, body: Buffer, source: Buffer | undefined): SipMessage | SipParseError {
  // §7.1: the version is case-insensitive; a method cannot hold '/', so "sip/" starts a response.
  if (hasSipPrefix(startLine)) return buildResponse(startLine, headers, body, source);
  return buildRequest(startLine, headers, body, source);
}

/** Request-Line = Method SP Request-URI SP SIP-Version (§25.1): exactly one SP between each. */
function buildRequest(line: string, headers: HeaderReader, body: Buffer, source: Buffer | undefined): SipRequest | SipParseError {
  const sp1 = line.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
  if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) return new SipParseError('Malformed Request-Line');
  const method = line.slice(0, sp1);
  const uri = line.slice(sp1 + 1, sp2);
  const version = line.slice(sp2 + 1);
  if (!isToken(method)) return new SipParseError('Malformed method');
  if (!isSipVersion(version)) return new SipParseError('Malformed SIP version');
  if (uri.length === 0) return new SipParseError('Malformed Request-URI');
  return new SipRequest(method, uri, headers, body, normalVersion(version), source);
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§25.1). */
function buildResponse(line: string, headers: HeaderReader, body: Buffer, source: Buffer | undefined): SipResponse | SipParseError {
  const sp1 = line.indexOf(' ');
  if (sp1 < 0) return new SipParseError('Malformed Status-Line');
  const version = line.slice(0, sp1);
  if (!isSipVersion(version)) return new SipParseError('Malformed SIP version');
  const code = line.slice(sp1 + 1, sp1 + 4);
  const after = line.charCodeAt(sp1 + 4);
  if (code.length !== 3 || !isDigit(code.charCodeAt(0)) || !isDigit(code.charCodeAt(1)) || !isDigit(code.charCodeAt(2))) {
    return new SipParseError('Malformed status code');
  }
  if (!Number.isNaN(after) && after !== SP) return new SipParseError('Malformed status code');
  const status = Number(code);
  if (status < 100 || status > 699) return new SipParseError('Status code out of range');
  return new SipResponse(status, line.slice(sp1 + 5), headers, body, normalVersion(version), source);
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
function hasSipPrefix(s: string): boolean {
  const c0 = s.charCodeAt(0) | 0x20;
  const c1 = s.charCodeAt(1) | 0x20;
  const c2 = s.charCodeAt(2) | 0x20;
  return c0 === 0x73 && c1 === 0x69 && c2 === 0x70 && s.charCodeAt(3) === SLASH;
}

/** The version with "SIP" upper-cased (§7.1: case-insensitive), without allocating for SIP/2.0. */
function normalVersion(v: string): string {
  return v === SIP_VERSION ? SIP_VERSION : v.toUpperCase();
}

/** False for a version other than SIP/2.0: a request is answered 505 (§21.5.7, RFC 4475 §3.1.2.16). */
export function isSupportedVersion(m: SipMessage): boolean {
  return (m instanceof SipRequest ? m.version : (m as SipResponse).version) === SIP_VERSION;
}
