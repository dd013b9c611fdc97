import { SipParseError } from '../parser/sip-parse-error.js';
import { isDigit } from '../parser/char-codes.js';
import { type CSeq, parseCSeq } from './cseq.js';
import { splitHeaderList } from './header-list.js';
import { headerKey } from './header-name.js';
import { type NameAddr, parseNameAddr } from './name-addr.js';
import { type Uri, parseUri } from './sip-uri.js';
import { type Via, parseVia } from './via.js';

/** One header line as received: the name as spelt on the wire, its lookup key and its value. */
export interface Header {
  readonly name: string;
  readonly key: string;
  readonly value: string;
}

export type ContactList = NameAddr[] | '*';

/** Splits a parsed message's header lines on demand (see SipMessage.headers). */
export type HeaderReader = () => Header[] | SipParseError;

/**
 * A SIP message: start line, headers in arrival order with raw values, and a byte body.
 * Typed views of the headers a stack needs are parsed on first use and memoised; every other
 * header passes through untouched. An unmodified parsed message serialises to its source bytes.
 */
export abstract class SipMessage {
  body: Buffer;
  /** The bytes this message was parsed from, while it is unmodified. */
  protected source: Buffer | undefined;
  private views: Map<ViewKey, unknown> | undefined;
  private headerList: Header[] | undefined;
  private headerReader: HeaderReader | undefined;
  private headerSyntaxError: SipParseError | undefined;

  protected constructor(headers: Header[] | HeaderReader, body: Buffer, source?: Buffer) {
    if (typeof headers === 'function') this.headerReader = headers;
    else this.headerList = headers;
    this.body = body;
    this.source = source;
  }

  /**
   * Headers in arrival order. A parsed message splits its header lines on first use, so that a
   * message that is only framed, matched and dropped (a retransmission) never pays for it.
   */
  get headers(): Header[] {
    if (this.headerList === undefined) this.readHeaders();
    return this.headerList as Header[];
  }

  set headers(list: Header[]) {
    this.headerList = list;
    this.headerReader = undefined;
    this.source = undefined;
    this.views = undefined;
  }

  /** A malformed header line found when the headers were split, if any. */
  get headerError(): SipParseError | undefined {
    if (this.headerList === undefined) this.readHeaders();
    return this.headerSyntaxError;
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

  abstract readonly isRequest: boolean;
  abstract startLine(): string;

  /** The first value of a header, by any spelling of its name (compact forms included). */
  get(name: string): string | undefined {
    const key = headerKey(name);
    for (const h of this.headers) if (h.key === key) return h.value;
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Every line of a header, in order. */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const out: string[] = [];
    for (const h of this.headers) if (h.key === key) out.push(h.value);
    return out;
  }

  /** Every element of a list header across all its lines (§7.3.1). */
  values(name: string): string[] | SipParseError {
    const out: string[] = [];
    for (const line of this.getAll(name)) {
      const parts = splitHeaderList(line);
      if (parts instanceof SipParseError) return parts;
      for (const p of parts) out.push(p);
    }
    return out;
  }

  /** Replaces every line of the header with one line (appended where the first one stood). */
  set(name: string, value: string): this {
    const key = headerKey(name);
    const at = this.headers.findIndex((h) => h.key === key);
    this.remove(name);
    const header = { name, key, value };
    if (at < 0) this.headers.push(header);
    else this.headers.splice(at, 0, header);
    return this;
  }

  append(name: string, value: string): this {
    this.touch(headerKey(name));
    this.headers.push({ name, key: headerKey(name), value });
    return this;
  }

  prepend(name: string, value: string): this {
    this.touch(headerKey(name));
    this.headers.unshift({ name, key: headerKey(name), value });
    return this;
  }

  remove(name: string): this {
    const key = headerKey(name);
    this.touch(key);
    this.headers = this.headers.filter((h) => h.key !== key);
    return this;
  }

  /** Sets the body and its Content-Type; Content-Length follows the byte length. */
  setBody(body: Buffer, contentType?: string): this {
    this.body = body;
    this.source = undefined;
    if (contentType !== undefined) this.set('Content-Type', contentType);
    else if (body.length === 0) this.remove('Content-Type');
    return this.set('Content-Length', String(body.length));
  }

  // ---- typed views --------------------------------------------------------------------------

  /** All Via values, topmost first. */
  get vias(): Via[] {
    return this.view('via');
  }

  get topVia(): Via {
    const top = this.vias[0];
    if (!top) throw new Error('message has no Via');
    return top;
  }

  /** The raw text of the topmost Via value (the first element of the first Via line). */
  topViaValue(): string | undefined {
    const first = this.get('Via');
    if (first === undefined) return undefined;
    const parts = splitHeaderList(first);
    return parts instanceof SipParseError ? undefined : parts[0];
  }

  get from(): NameAddr {
    return this.view('from');
  }

  get to(): NameAddr {
    return this.view('to');
  }

  get fromTag(): string | undefined {
    return this.from.params.get('tag') ?? undefined;
  }

  get toTag(): string | undefined {
    return this.to.params.get('tag') ?? undefined;
  }

  get callId(): string {
    return this.view('call-id');
  }

  get cseq(): CSeq {
    return this.view('cseq');
  }

  /** Contact values, or '*' for the wildcard of §10.2.2. */
  get contacts(): ContactList {
    return this.view('contact');
  }

  get routes(): NameAddr[] {
    return this.view('route');
  }

  get recordRoutes(): NameAddr[] {
    return this.view('record-route');
  }

  /** Max-Forwards, or undefined when absent. */
  get maxForwards(): number | undefined {
    return this.view('max-forwards');
  }

  get contentType(): string | undefined {
    return this.get('Content-Type');
  }

  /**
   * Parses one typed view into the cache and returns its parse error instead of throwing: the
   * parser rejects malformed messages at the door with it, and code reading optional headers
   * (Contact, Route) of messages that may carry bad ones checks before it reads.
   */
  check<K extends ViewKey>(key: K): SipParseError | undefined {
    const value = this.lookup(key);
    return value instanceof SipParseError ? value : undefined;
  }

  private lookup<K extends ViewKey>(key: K): ViewTypes[K] | SipParseError {
    let views = this.views;
    if (views === undefined) views = this.views = new Map();
    if (views.has(key)) return views.get(key) as ViewTypes[K] | SipParseError;
    const value = VIEW_PARSERS[key](this) as ViewTypes[K] | SipParseError;
    views.set(key, value);
    return value;
  }

  /** Reading a malformed header through a view is a programmer error: check() first. */
  private view<K extends ViewKey>(key: K): ViewTypes[K] {
    const value = this.lookup(key);
    if (value instanceof SipParseError) throw new Error(`${key}: ${value.reason}`);
    return value;
  }

  private touch(key: string): void {
    this.source = undefined;
    this.views?.delete(key as ViewKey);
  }

  // ---- wire form ----------------------------------------------------------------------------

  serialize(): Buffer {
    if (this.source) return this.source;
    let head = this.startLine() + '\r\n';
    for (const h of this.headers) head += `${h.name}: ${h.value}\r\n`;
    head += '\r\n';
    if (this.body.length === 0) return Buffer.from(head, 'utf8');
    return Buffer.concat([Buffer.from(head, 'utf8'), this.body]);
  }

  toString(): string {
    return this.serialize().toString('utf8');
  }
}

export class SipRequest extends SipMessage {
  readonly isRequest = true;
  private parsedUri: Uri | SipParseError | undefined;

  constructor(
    public method: string,
    public uri: string,
    headers: Header[] | HeaderReader = [],
    body: Buffer = EMPTY,
    public version = 'SIP/2.0',
    source?: Buffer,
  ) {
    super(headers, body, source);
  }

  startLine(): string {
    return `${this.method} ${this.uri} ${this.version}`;
  }

  /** The parsed Request-URI, or the reason it is malformed. */
  get requestUri(): Uri | SipParseError {
    return (this.parsedUri ??= parseUri(this.uri));
  }

  setUri(uri: string): this {
    this.uri = uri;
    this.parsedUri = undefined;
    this.source = undefined;
    return this;
  }
}

export class SipResponse extends SipMessage {
  readonly isRequest = false;

  constructor(
    public status: number,
    public reason: string,
    headers: Header[] | HeaderReader = [],
    body: Buffer = EMPTY,
    public version = 'SIP/2.0',
    source?: Buffer,
  ) {
    super(headers, body, source);
  }

  startLine(): string {
    return `${this.version} ${this.status} ${this.reason}`;
  }
}

export const EMPTY = Buffer.alloc(0);

interface ViewTypes {
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

const VIEW_PARSERS: { [K in ViewKey]: (m: SipMessage) => ViewTypes[K] | SipParseError } = {
  via: (m) => parseAll(m.values('Via'), parseVia),
  from: (m) => requireHeader(m.get('From'), 'From', parseNameAddr),
  to: (m) => requireHeader(m.get('To'), 'To', parseNameAddr),
  'call-id': (m) => requireHeader(m.get('Call-ID'), 'Call-ID', parseCallId),
  cseq: (m) => requireHeader(m.get('CSeq'), 'CSeq', parseCSeq),
  contact: (m) => parseContacts(m.values('Contact')),
  route: (m) => parseAll(m.values('Route'), parseNameAddr),
  'record-route': (m) => parseAll(m.values('Record-Route'), parseNameAddr),
  'max-forwards': (m) => {
    const v = m.get('Max-Forwards');
    return v === undefined ? undefined : parseSmallInt(v, 'Max-Forwards');
  },
};

function parseContacts(values: string[] | SipParseError): ContactList | SipParseError {
  if (values instanceof SipParseError) return values;
  if (values.length === 1 && values[0] === '*') return '*';
  return parseAll(values, parseNameAddr);
}

/** Call-ID = word [ "@" word ] (§25.1): no whitespace inside. */
function parseCallId(v: string): string | SipParseError {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c <= 32 || c === 127) return new SipParseError('Malformed Call-ID');
  }
  return v;
}

export function isRequest(m: SipMessage): m is SipRequest {
  return m.isRequest;
}

function parseAll<T>(values: string[] | SipParseError, parse: (v: string) => T | SipParseError): T[] | SipParseError {
  if (values instanceof SipParseError) return values;
  const out: T[] = [];
  for (const v of values) {
    const parsed = parse(v);
    if (parsed instanceof SipParseError) return parsed;
    out.push(parsed);
  }
  return out;
}

function requireHeader<T>(value: string | undefined, name: string, parse: (v: string) => T | SipParseError): T | SipParseError {
  if (value === undefined || value.length === 0) return new SipParseError(`Missing ${name} header`);
  const parsed = parse(value);
  return parsed instanceof SipParseError ? new SipParseError(`Malformed ${name}: ${parsed.reason}`) : parsed;
}

function parseSmallInt(v: string, name: string): number | SipParseError {
  if (v.length === 0 || v.length > 10) return new SipParseError(`Malformed ${name}`);
  for (let i = 0; i < v.length; i++) if (!isDigit(v.charCodeAt(i))) return new SipParseError(`Malformed ${name}`);
  return Number(v);
}
