import { SipParseError } from '../parser/sip-parse-error.js';
import { splitHeaderList } from './header-list.js';
import { headerKey } from './header-name.js';

/** One header line as received: the name as spelt on the wire, its lookup key and its value. */
export interface Header {
  readonly name: string;
  readonly key: string;
  readonly value: string;
}

/** Splits a parsed message's header lines on demand (see MessageHeaders.headers). */
export type HeaderReader = () => Header[] | SipParseError;

/**
 * The header lines of a message, in arrival order with raw values, looked up by any spelling of
 * their names. Every change is reported through headersChanged(), so that a message can drop
 * what it derived from the old lines.
 */
export abstract class MessageHeaders {
  private headerList: Header[] | undefined;
  private headerReader: HeaderReader | undefined;
  private headerSyntaxError: SipParseError | undefined;

  protected constructor(headers: Header[] | HeaderReader) {
    if (typeof headers === 'function') this.headerReader = headers;
    else this.headerList = headers;
  }

  /** Called after a change to the header with lookup key `key`, or to any (undefined). */
  protected abstract headersChanged(key: string | undefined): void;

  /**
   * Headers in arrival order. A parsed message splits its header lines on first use, so that a
   * message that is only framed, matched and dropped (a retransmission) never pays for it.
   * Read-only: change headers through set/append/prepend/remove or by assigning a new list, so
   * that the memoised views and the source bytes are dropped.
   */
  get headers(): readonly Header[] {
    return this.list();
  }

  set headers(list: readonly Header[]) {
    this.headerList = list.slice();
    this.headerReader = undefined;
    this.headersChanged(undefined);
  }

  /**
   * A malformed header line found when the headers were split, if any; the message then has no
   * header lines (and can be answered 400 only from its source bytes).
   */
  get headerError(): SipParseError | undefined {
    if (this.headerList === undefined) this.readHeaders();
    return this.headerSyntaxError;
  }

  private list(): Header[] {
    if (this.headerList === undefined) this.readHeaders();
    return this.headerList as Header[];
  }

  private readHeaders(): void {
    const read = this.headerReader ? this.headerReader() : [];
    this.headerReader = undefined;
    if (read instanceof SipParseError) {
      this.headerSyntaxError = read;
      this.headerList = [];
    } else {
      this.headerList = read;
    }
  }

  /** The first value of a header, by any spelling of its name (compact forms included). */
  get(name: string): string | undefined {
    return this.firstValue(headerKey(name));
  }

  /** The first value of a header by its lookup key (see headerKey), for hot paths. */
  firstValue(key: string): string | undefined {
    for (const h of this.list()) if (h.key === key) return h.value;
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Every line of a header, in order. */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const out: string[] = [];
    for (const h of this.list()) if (h.key === key) out.push(h.value);
    return out;
  }

  /** Every element of a list header across all its lines (§7.3.1). */
  values(name: string): string[] | SipParseError {
    return this.listValues(headerKey(name));
  }

  /** Every element of a list header by its lookup key (see headerKey), for hot paths. */
  listValues(key: string): string[] | SipParseError {
    let out: string[] | undefined;
    for (const h of this.list()) {
      if (h.key !== key) continue;
      const parts = splitHeaderList(h.value);
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
