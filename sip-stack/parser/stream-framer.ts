import { CR, HTAB, LF, SP, isAllDigits, trimLws } from './char-codes.js';
import { SipParseError } from './sip-parse-error.js';

export interface StreamFramerOptions {
  /** Largest header section (start line through the empty line) accepted. Default 16 KiB. */
  readonly maxHeaderBytes?: number;
  /** Largest Content-Length accepted. Default 64 KiB. */
  readonly maxBodyBytes?: number;
}

export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** One complete message: start line through the last body byte, nothing before or after. */
export interface FramedMessage {
  readonly type: 'message';
  readonly bytes: Buffer;
}

/** RFC 5626 §3.5.1: a CRLFCRLF ping between messages; the transport answers with one CRLF. */
export interface KeepAlivePing {
  readonly type: 'ping';
}

/** The stream cannot be framed any further; the connection must be answered and closed. */
export interface FramingError {
  readonly type: 'error';
  /** 400, or 513 when the body is larger than allowed. */
  readonly status: number;
  readonly reason: string;
  /** The complete header section when it was read, so the transport can answer a request. */
  readonly head: Buffer | undefined;
}

export type FramerEvent = FramedMessage | KeepAlivePing | FramingError;

type State = 'idle' | 'head' | 'body' | 'failed';

const PING: KeepAlivePing = { type: 'ping' };
const NO_LF = Number.NEGATIVE_INFINITY;

/**
 * Cuts a TCP byte stream into SIP messages by Content-Length (RFC 3261 §18.3). Chunks are kept
 * in a list and every byte is looked at once: the header-end search resumes where it stopped,
 * and bytes are copied into one buffer only when a message is complete, so a byte-at-a-time
 * feed costs linear time. Any split or coalescing of the same bytes yields the same events.
 * Positions below are absolute offsets in the stream.
 */
export class StreamFramer {
  private readonly maxHeader: number;
  private readonly maxBody: number;
  private chunks: Buffer[] = [];
  /** Stream offset of chunks[0][0]. */
  private base = 0;
  private end = 0;
  /** Scan position, and the chunk holding it with that chunk's stream offset. */
  private pos = 0;
  private index = 0;
  private indexStart = 0;
  private state: State = 'idle';
  /** Line ends seen between messages: two make a ping. */
  private lineEnds = 0;
  private msgStart = 0;
  private bodyEnd = 0;
  /** Header-end search state carried across chunks. */
  private prevLf = NO_LF;
  private prevLfAfterCr = false;
  private prevByte = 0;

  constructor(options: StreamFramerOptions = {}) {
    this.maxHeader = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    this.maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /** Feeds bytes; returns what they completed. After an error event every push returns []. */
  push(chunk: Buffer): FramerEvent[] {
    const events: FramerEvent[] = [];
    if (this.state === 'failed' || chunk.length === 0) return events;
    this.chunks.push(chunk);
    this.end += chunk.length;
    this.run(events);
    if (this.state === 'idle') this.dropBefore(this.pos);
    return events;
  }

  /** Bytes held for a message not yet complete. */
  get bufferedBytes(): number {
    return this.end - this.base;
  }

  get failed(): boolean {
    return this.state === 'failed';
  }

  private run(events: FramerEvent[]): void {
    for (;;) {
      if (this.state === 'failed') return;
      if (this.state === 'body') {
        if (!this.takeBody(events)) return;
        continue;
      }
      const chunk = this.currentChunk();
      if (chunk === undefined) return;
      const offset = this.pos - this.indexStart;
      if (this.state === 'idle') this.skipLineEnds(chunk, offset, events);
      else this.scanHead(chunk, offset, events);
    }
  }

  private currentChunk(): Buffer | undefined {
    let chunk = this.chunks[this.index];
    while (chunk !== undefined && this.pos >= this.indexStart + chunk.length) {
      this.indexStart += chunk.length;
      chunk = this.chunks[++this.index];
    }
    return chunk;
  }

  /** §7.5: CRLFs before a start line are ignored; RFC 5626 §3.5.1: CRLFCRLF is a ping. */
  private skipLineEnds(chunk: Buffer, offset: number, events: FramerEvent[]): void {
    for (let i = offset; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === LF) {
        if (++this.lineEnds === 2) {
          this.lineEnds = 0;
          events.push(PING);
        }
      } else if (c !== CR) {
        this.startHead(this.indexStart + i);
        return;
      }
    }
    this.pos = this.indexStart + chunk.length;
  }

  private startHead(at: number): void {
    this.state = 'head';
    this.lineEnds = 0;
    this.msgStart = at;
    this.pos = at;
    this.prevLf = NO_LF;
    this.prevLfAfterCr = false;
    this.prevByte = 0;
    this.dropBefore(at);
  }

  /**
   * Looks for the empty line (CRLFCRLF, or LFLF from lax peers, as findHeaderEnd does) by
   * jumping from LF to LF; the bytes just before an LF may sit at the end of the last chunk.
   */
  private scanHead(chunk: Buffer, offset: number, events: FramerEvent[]): void {
    for (let i = chunk.indexOf(LF, offset); i >= 0; i = chunk.indexOf(LF, i + 1)) {
      const at = this.indexStart + i;
      const afterCr = (i > 0 ? chunk[i - 1] : this.prevByte) === CR;
      if (at - 1 === this.prevLf || (at - 2 === this.prevLf && afterCr && this.prevLfAfterCr)) {
        this.endHead(at + 1, events);
        return;
      }
      this.prevLf = at;
      this.prevLfAfterCr = afterCr;
    }
    this.prevByte = chunk[chunk.length - 1] ?? 0;
    this.pos = this.indexStart + chunk.length;
    // Any empty line still to come ends past this point, so the section is already too large.
    if (this.pos - this.msgStart >= this.maxHeader) this.fail(400, 'Header section too large', undefined, events);
  }

  private endHead(bodyStart: number, events: FramerEvent[]): void {
    if (bodyStart - this.msgStart > this.maxHeader) {
      this.fail(400, 'Header section too large', undefined, events);
      return;
    }
    const head = this.slice(this.msgStart, bodyStart, false);
    const length = readContentLength(head);
    if (length instanceof SipParseError) this.fail(length.status, length.reason, head, events);
    else if (length > this.maxBody) this.fail(513, 'Message body too large', head, events);
    else {
      this.state = 'body';
      this.bodyEnd = bodyStart + length;
      this.pos = bodyStart;
    }
  }

  private takeBody(events: FramerEvent[]): boolean {
    if (this.end < this.bodyEnd) {
      this.pos = this.end;
      return false;
    }
    events.push({ type: 'message', bytes: this.slice(this.msgStart, this.bodyEnd, true) });
    this.state = 'idle';
    this.lineEnds = 0;
    this.pos = this.bodyEnd;
    this.dropBefore(this.bodyEnd);
    return true;
  }

  private fail(status: number, reason: string, head: Buffer | undefined, events: FramerEvent[]): void {
    this.state = 'failed';
    this.chunks = [];
    this.base = this.end;
    events.push({ type: 'error', status, reason, head });
  }

  /**
   * Bytes [from, to): a view when they lie in one chunk, else one copy. A message that will be
   * `kept` is copied out of a larger chunk too, so that it does not pin a whole socket read.
   */
  private slice(from: number, to: number, kept: boolean): Buffer {
    const parts: Buffer[] = [];
    let start = this.base;
    for (const chunk of this.chunks) {
      const stop = start + chunk.length;
      if (stop > from && start < to) parts.push(chunk.subarray(Math.max(0, from - start), Math.min(chunk.length, to - start)));
      if (stop >= to) {
        const whole = from === start && to === stop;
        if (parts.length === 1 && (whole || !kept)) return parts[0] as Buffer;
        break;
      }
      start = stop;
    }
    return Buffer.concat(parts, to - from);
  }

  /** Forgets whole chunks that end at or before `at`. */
  private dropBefore(at: number): void {
    let count = 0;
    for (const chunk of this.chunks) {
      if (this.base + chunk.length > at) break;
      this.base += chunk.length;
      count++;
    }
    if (count === 0) return;
    this.chunks.splice(0, count);
    this.index = 0;
    this.indexStart = this.base;
  }
}

/**
 * Content-Length of a header section: required on streams (§18.3), read from its full or
 * compact ("l") name; repeated equal values are tolerated, conflicting ones are not.
 */
export function readContentLength(head: Buffer): number | SipParseError {
  const text = head.toString('latin1');
  let found: number | undefined;
  let pos = lineEnd(text, 0) + 1;
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    const value = contentLengthValue(text, pos, end);
    if (value instanceof SipParseError) return value;
    if (value !== undefined) {
      if (found !== undefined && found !== value) return new SipParseError('Conflicting Content-Length values');
      found = value;
    }
    pos = end + 1;
  }
  return found ?? new SipParseError('Missing Content-Length');
}

function contentLengthValue(text: string, pos: number, end: number): number | undefined | SipParseError {
  const c = text.charCodeAt(pos) | 0x20;
  if (c !== 0x63 && c !== 0x6c) return undefined;
  const colon = text.indexOf(':', pos);
  if (colon < 0 || colon >= end) return undefined;
  const name = trimLws(text, pos, colon).toLowerCase();
  if (name !== 'content-length' && name !== 'l') return undefined;
  let value = trimLws(text, colon + 1, end);
  // §7.3.1: a value may continue on lines that start with whitespace.
  for (let next = end + 1; isFold(text, next); next = lineEnd(text, next) + 1) {
    value += trimLws(text, next, lineEnd(text, next));
  }
  if (value.length > 9 || !isAllDigits(value)) return new SipParseError('Malformed Content-Length');
  return Number(value);
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

function isFold(text: string, pos: number): boolean {
  const c = text.charCodeAt(pos);
  return c === SP || c === HTAB;
}
