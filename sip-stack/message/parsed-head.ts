import type { SipParseError } from '../parser/sip-parse-error.js';
import type { HeaderName } from './header-name.js';

/** One header line as received: the name as spelt on the wire, its lookup key and its value. */
export interface Header {
  readonly name: string;
  readonly key: string;
  readonly value: string;
}

/**
 * What the parser found in a received message, as offsets into its bytes. A message keeps this
 * instead of Header objects, so that one that is only framed, checked and matched pays for no
 * value strings it never reads; MessageHeaders turns it into Header objects on first use.
 */
export class ParsedHead {
  /**
   * Three entries per header line: its name, and where its value starts and ends in the bytes
   * (and in `text`). A folded line has start -1 - k instead: its unfolded value is `strings[k]`.
   */
  lines: Array<HeaderName | number> = [];
  /** Unfolded values (§7.3.1), and values decoded one by one from a head that is not ASCII. */
  private strings: string[] | undefined = undefined;
  /** The first malformed header line; the message then has no header lines. */
  error: SipParseError | undefined = undefined;
  /** The second occurrence of a single-value header, if any (RFC 4475 §3.3.8). */
  duplicate: HeaderName | undefined = undefined;
  /** Where the framed message and its body lie in `wire`. */
  frameStart = 0;
  frameEnd = 0;
  bodyStart = 0;
  /** Per VIEW_SLOTS slot, the first line with that key (-1: none); and the last Via line. */
  readonly first: number[] = [-1, -1, -1, -1, -1, -1];
  lastVia = -1;
  /**
   * What the check's scans found of the first Via, From and To lines (essentials-scan.ts), once
   * they passed: the views are built from it when read, without scanning again.
   */
  scans: number[] | undefined = undefined;
  /** Where a request's Request-URI lies in the bytes. */
  uriStart = 0;
  uriEnd = 0;
  /** Set when the native head scanner found the Request-URI of the fast path's shape (fast-uri.ts). */
  uriScanned = false;

  /**
   * `text` holds the bytes of `wire` char for char from offset 0, through the head at least.
   * When `ascii`, it is also their UTF-8 reading, so values are cut from it; otherwise it is
   * their Latin-1 reading, good for finding delimiters only, and values are decoded as UTF-8.
   */
  constructor(readonly wire: Buffer, readonly text: string, readonly ascii: boolean) {}

  get count(): number {
    return this.lines.length / 3;
  }

  name(i: number): HeaderName {
    return this.lines[3 * i] as HeaderName;
  }

  /** The index of the first line at or after `from` whose key is `key`, or -1. */
  find(key: string, from: number): number {
    const lines = this.lines;
    for (let i = 3 * from; i < lines.length; i += 3) if ((lines[i] as HeaderName).key === key) return i / 3;
    return -1;
  }

  /** The bytes behind source(i), offset for offset, if it is the text of an ASCII head. */
  bytes(i: number): Buffer | undefined {
    return this.ascii && (this.lines[3 * i + 1] as number) >= 0 ? this.wire : undefined;
  }

  /** The string holding line i's value: the text, or a string of its own. */
  source(i: number): string {
    const start = this.lines[3 * i + 1] as number;
    if (start < 0) return (this.strings as string[])[-1 - start] as string;
    if (this.ascii) return this.text;
    // Decoded once, then kept: a view parser reads the source, start and end in turn.
    const end = this.lines[3 * i + 2] as number;
    const k = (this.strings ??= []).push(this.wire.toString('utf8', start, end)) - 1;
    this.lines[3 * i + 1] = -1 - k;
    return this.strings[k] as string;
  }

  /** Where line i's value starts in source(i). */
  start(i: number): number {
    const start = this.lines[3 * i + 1] as number;
    return start >= 0 && this.ascii ? start : 0;
  }

  /** Where line i's value ends in source(i). */
  end(i: number): number {
    const start = this.lines[3 * i + 1] as number;
    return start >= 0 && this.ascii ? this.lines[3 * i + 2] as number : this.source(i).length;
  }

  value(i: number): string {
    const start = this.lines[3 * i + 1] as number;
    return start >= 0 && this.ascii ? this.text.slice(start, this.lines[3 * i + 2] as number) : this.source(i);
  }

  /** The chars of bytes [start, end) of the head. */
  slice(start: number, end: number): string {
    return this.ascii ? this.text.slice(start, end) : this.wire.toString('utf8', start, end);
  }

  headers(): Header[] {
    const out: Header[] = new Array<Header>(this.count);
    for (let i = 0; i < out.length; i++) {
      const n = this.name(i);
      out[i] = new WireHeader(n, this.value(i), this, i);
    }
    return out;
  }

  /** Keeps a value that is not a range of the bytes (an unfolded one); returns its line start. */
  keep(value: string): number {
    return -(this.strings ??= []).push(value);
  }
}

/**
 * A Header made from a ParsedHead, which remembers its line there: a list of them (the stack
 * rewrites the top Via of every request by assigning a new list) still reads its views through
 * the fast paths. The value is a plain property like any Header's; the line stays private.
 */
export class WireHeader implements Header {
  readonly name: string;
  readonly key: string;
  readonly #bit: number;
  readonly #head: ParsedHead;
  readonly #line: number;

  constructor(name: HeaderName, readonly value: string, head: ParsedHead, line: number) {
    this.name = name.name;
    this.key = name.key;
    this.#bit = name.bit;
    this.#head = head;
    this.#line = line;
  }

  /** The single-value bit of its name (header-name.ts), known without a lookup. */
  bit(): number {
    return this.#bit;
  }

  /** See ParsedHead.source, start, end and bytes. */
  source(): string {
    return this.#head.source(this.#line);
  }

  start(): number {
    return this.#head.start(this.#line);
  }

  end(): number {
    return this.#head.end(this.#line);
  }

  bytes(): Buffer | undefined {
    return this.#head.bytes(this.#line);
  }
}
