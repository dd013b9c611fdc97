import { SipParseError } from '../parser/sip-parse-error.js';
import { splitHeaderList } from './header-list.js';
import { headerKey, singleHeaderBit } from './header-name.js';
import { type Header, type ParsedHead, WireHeader } from './parsed-head.js';

export type { Header } from './parsed-head.js';

/**
 * The header lines of a message, in arrival order with raw values, looked up by any spelling of
 * their names. Every change is reported through headersChanged(), so that a message can drop
 * what it derived from the old lines.
 */
export abstract class MessageHeaders {
  private headerList: Header[] | undefined;
  /** A parsed message's lines, until something needs them as Header objects. */
  private lines: ParsedHead | undefined;
  private headerSyntaxError: SipParseError | undefined;

  protected constructor(headers: Header[] | ParsedHead) {
    if (Array.isArray(headers)) this.headerList = headers;
    else if (headers.error !== undefined) {
      this.headerSyntaxError = headers.error;
      this.headerList = [];
    } else this.lines = headers;
  }

  /** Called after a change to the header with lookup key `key`, or to any (undefined). */
  protected abstract headersChanged(key: string | undefined): void;

  /**
   * Headers in arrival order. A parsed message makes its Header objects on first use, so that a
   * message that is only framed, checked, matched and dropped (a retransmission) never pays for
   * them. Read-only: change headers through set/append/prepend/remove or by assigning a new
   * list, so that the memoised views and the source bytes are dropped.
   */
  get headers(): readonly Header[] {
    return this.list();
  }

  set headers(list: readonly Header[]) {
    this.headerList = list.slice();
    this.lines = undefined;
    this.headersChanged(undefined);
  }

  /**
   * A malformed header line found when the message was parsed, if any; the message then has no
   * header lines (and can be answered 400 only from its source bytes).
   */
  get headerError(): SipParseError | undefined {
    return this.headerSyntaxError;
  }

  /** The name of the second occurrence of a single-value header (RFC 4475 §3.3.8), if any. */
  duplicateHeader(): string | undefined {
    if (this.lines !== undefined) return this.lines.duplicate?.name;
    let seen = 0;
    for (const h of this.list()) {
      const bit = h instanceof WireHeader ? h.bit() : singleHeaderBit(h.key);
      if ((seen & bit) !== 0) return h.name;
      seen |= bit;
    }
    return undefined;
  }

  private list(): Header[] {
    if (this.headerList === undefined) {
      this.headerList = this.lines === undefined ? [] : this.lines.headers();
      this.lines = undefined;
    }
    return this.headerList;
  }

  /** The parser's record of the lines, while they are unmodified and not yet Header objects. */
  parsedHead(): ParsedHead | undefined {
    return this.lines;
  }

  // ---- line access for the typed views: no Header objects or value copies needed -----------

  /**
   * How many header lines there are. With lineName, lineKey and lineValue, the lines can be read
   * in order without turning a received message's lines into Header objects (see headers).
   */
  lineCount(): number {
    return this.lines !== undefined ? this.lines.count : this.list().length;
  }

  /** Line i's name as spelt on the wire. */
  lineName(i: number): string {
    return this.lines !== undefined ? this.lines.name(i).name : (this.list()[i] as Header).name;
  }

  /** Line i's lookup key (see headerKey). */
  lineKey(i: number): string {
    return this.lines !== undefined ? this.lines.name(i).key : (this.list()[i] as Header).key;
  }

  /** Line i as a Header: the same object for a built message, a copy for a received one. */
  lineHeader(i: number): Header {
    if (this.lines === undefined) return this.list()[i] as Header;
    const name = this.lines.name(i);
    return { name: name.name, key: name.key, value: this.lines.value(i) };
  }

  /** The index of the first line at or after `from` with lookup key `key`, or -1. */
  findLine(key: string, from = 0): number {
    if (this.lines !== undefined) return this.lines.find(key, from);
    const list = this.list();
    for (let i = from; i < list.length; i++) if ((list[i] as Header).key === key) return i;
    return -1;
  }

  /** The string that holds line i's value, from lineStart(i) to lineEnd(i). */
  lineSource(i: number): string {
    if (this.lines !== undefined) return this.lines.source(i);
    const h = this.list()[i] as Header;
    return h instanceof WireHeader ? h.source() : h.value;
  }

  lineStart(i: number): number {
    if (this.lines !== undefined) return this.lines.start(i);
    const h = this.list()[i] as Header;
    return h instanceof WireHeader ? h.start() : 0;
  }

  lineEnd(i: number): number {
    if (this.lines !== undefined) return this.lines.end(i);
    const h = this.list()[i] as Header;
    return h instanceof WireHeader ? h.end() : h.value.length;
  }

  /** The bytes behind lineSource(i), offset for offset: only for a line of an ASCII head. */
  lineBytes(i: number): Buffer | undefined {
    if (this.lines !== undefined) return this.lines.bytes(i);
    const h = this.list()[i] as Header;
    return h instanceof WireHeader ? h.bytes() : undefined;
  }

  lineValue(i: number): string {
    return this.lines !== undefined ? this.lines.value(i) : (this.list()[i] as Header).value;
  }

  /** The first value of a header, by any spelling of its name (compact forms included). */
  get(name: string): string | undefined {
    return this.firstValue(headerKey(name));
  }

  /** The first value of a header by its lookup key (see headerKey), for hot paths. */
  firstValue(key: string): string | undefined {
    const i = this.findLine(key);
    return i < 0 ? undefined : this.lineValue(i);
  }

  has(name: string): boolean {
    return this.findLine(headerKey(name)) >= 0;
  }

  /** Every line of a header, in order. */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const out: string[] = [];
    for (let i = this.findLine(key); i >= 0; i = this.findLine(key, i + 1)) out.push(this.lineValue(i));
    return out;
  }

  /** Every element of a list header across all its lines (§7.3.1). */
  values(name: string): string[] | SipParseError {
    return this.listValues(headerKey(name));
  }

  /** Every element of a list header by its lookup key (see headerKey), for hot paths. */
  listValues(key: string): string[] | SipParseError {
    let out: string[] | undefined;
    for (let i = this.findLine(key); i >= 0; i = this.findLine(key, i + 1)) {
      const parts = splitHeaderList(this.lineValue(i));
      if (parts instanceof SipParseError) return parts;
      if (out === undefined) out = parts;
      else for (const p of parts) out.push(p);
    }
    return out ?? [];
  }

  /** Replaces every line of the header with one line (where the first one stood, else at the end). */
  set(name: string, value: string): this {
    const key = headerKey(name);
    const at = this.list().findIndex((h) => h.key === key);
    this.remove(name);
    const header = { name, key, value };
    if (at < 0) this.list().push(header);
    else this.list().splice(at, 0, header);
    return this;
  }

  append(name: string, value: string): this {
    const key = headerKey(name);
    this.headersChanged(key);
    this.list().push({ name, key, value });
    return this;
  }

  prepend(name: string, value: string): this {
    const key = headerKey(name);
    this.headersChanged(key);
    this.list().unshift({ name, key, value });
    return this;
  }

  remove(name: string): this {
    const key = headerKey(name);
    this.headersChanged(key);
    this.headerList = this.list().filter((h) => h.key !== key);
    return this;
  }
}
