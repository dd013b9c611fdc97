import { SipParseError } from '../parser/sip-parse-error.js';
import type { CSeq } from './cseq.js';
import { splitHeaderList } from './header-list.js';
import { type Header, type HeaderReader, MessageHeaders } from './message-headers.js';
import { type ContactList, VIEW_PARSERS, type ViewKey, type ViewTypes } from './message-views.js';
import type { NameAddr } from './name-addr.js';
import { type Uri, parseUri } from './sip-uri.js';
import type { Via } from './via.js';

export type { ContactList, ViewKey } from './message-views.js';
export type { Header, HeaderReader } from './message-headers.js';

/**
 * A SIP message: start line, headers in arrival order with raw values, and a byte body.
 * Typed views of the headers a stack needs are parsed on first use and memoised; every other
 * header passes through untouched. An unmodified parsed message serialises to its source bytes:
 * the framed message, without CRLFs before it or datagram octets after its Content-Length.
 */
export abstract class SipMessage extends MessageHeaders {
  /** The bytes this message was parsed from, while it is unmodified. */
  protected source: Buffer | undefined;
  private bodyBytes: Buffer;
  private views: ViewCache | undefined;

  protected constructor(headers: Header[] | HeaderReader, body: Buffer, source?: Buffer) {
    super(headers);
    this.bodyBytes = body;
    this.source = source;
  }

  /** The body; assigning one also sets Content-Length to its byte length. */
  get body(): Buffer {
    return this.bodyBytes;
  }

  set body(body: Buffer) {
    this.setBody(body);
  }

  abstract readonly isRequest: boolean;
  abstract startLine(): string;

  /** Sets the body and its Content-Type; Content-Length follows the byte length. */
  setBody(body: Buffer, contentType?: string): this {
    this.bodyBytes = body;
    this.source = undefined;
    if (contentType !== undefined) this.set('Content-Type', contentType);
    else if (body.length === 0) this.remove('Content-Type');
    return this.set('Content-Length', String(body.length));
  }

  // ---- typed views --------------------------------------------------------------------------

  /** All Via values, topmost first. Views are shared by every reader: do not modify them. */
  get vias(): Via[] {
    return this.view('via');
  }

  /** The topmost Via; a message without one (never one that passed checkMessage) throws. */
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
    const views = (this.views ??= newViewCache());
    const cached = views[key];
    if (cached !== undefined) return (cached === NO_VALUE ? undefined : cached) as ViewTypes[K] | SipParseError;
    const value = VIEW_PARSERS[key](this) as ViewTypes[K] | SipParseError;
    views[key] = (value === undefined ? NO_VALUE : value) as ViewCache[K];
    return value;
  }

  /** Reading a malformed header through a view is a programmer error: check() first. */
  private view<K extends ViewKey>(key: K): ViewTypes[K] {
    const value = this.lookup(key);
    if (value instanceof SipParseError) throw new Error(`${key}: ${value.reason}`);
    return value;
  }

  protected override headersChanged(key: string | undefined): void {
    this.source = undefined;
    if (key === undefined) this.views = undefined;
    else if (this.views !== undefined && key in this.views) this.views[key as ViewKey] = undefined;
  }

  // ---- wire form ----------------------------------------------------------------------------

  serialize(): Buffer {
    if (this.source) return this.source;
    let head = this.startLine() + '\r\n';
    for (const h of this.headers) head += `${h.name}: ${h.value}\r\n`;
    head += '\r\n';
    if (this.bodyBytes.length === 0) return Buffer.from(head, 'utf8');
    return Buffer.concat([Buffer.from(head, 'utf8'), this.bodyBytes]);
  }

  override toString(): string {
    return this.serialize().toString('utf8');
  }
}

export class SipRequest extends SipMessage {
  readonly isRequest = true;
  private parsedUri: Uri | SipParseError | undefined;
  private methodName: string;
  private uriText: string;
  private versionText: string;

  constructor(method: string, uri: string, headers: Header[] | HeaderReader = [], body: Buffer = EMPTY, version = 'SIP/2.0', source?: Buffer) {
    super(headers, body, source);
    this.methodName = method;
    this.uriText = uri;
    this.versionText = version;
  }

  get method(): string {
    return this.methodName;
  }

  set method(method: string) {
    this.methodName = method;
    this.source = undefined;
  }

  /** The Request-URI as text. */
  get uri(): string {
    return this.uriText;
  }

  set uri(uri: string) {
    this.setUri(uri);
  }

  get version(): string {
    return this.versionText;
  }

  set version(version: string) {
    this.versionText = version;
    this.source = undefined;
  }

  startLine(): string {
    return `${this.methodName} ${this.uriText} ${this.versionText}`;
  }

  /** The parsed Request-URI, or the reason it is malformed. */
  get requestUri(): Uri | SipParseError {
    return (this.parsedUri ??= parseUri(this.uriText));
  }

  setUri(uri: string): this {
    this.uriText = uri;
    this.parsedUri = undefined;
    this.source = undefined;
    return this;
  }
}

export class SipResponse extends SipMessage {
  readonly isRequest = false;
  private statusCode: number;
  private reasonText: string;
  private versionText: string;

  constructor(status: number, reason: string, headers: Header[] | HeaderReader = [], body: Buffer = EMPTY, version = 'SIP/2.0', source?: Buffer) {
    super(headers, body, source);
    this.statusCode = status;
    this.reasonText = reason;
    this.versionText = version;
  }

  get status(): number {
    return this.statusCode;
  }

  set status(status: number) {
    this.statusCode = status;
    this.source = undefined;
  }

  get reason(): string {
    return this.reasonText;
  }

  set reason(reason: string) {
    this.reasonText = reason;
    this.source = undefined;
  }

  get version(): string {
    return this.versionText;
  }

  set version(version: string) {
    this.versionText = version;
    this.source = undefined;
  }

  startLine(): string {
    return `${this.versionText} ${this.statusCode} ${this.reasonText}`;
  }
}

export const EMPTY = Buffer.alloc(0);

/** Memoised views; NO_VALUE stands for a view whose value is undefined (no Max-Forwards). */
const NO_VALUE: unique symbol = Symbol('no value');
type ViewCache = { [K in ViewKey]: ViewTypes[K] | SipParseError | typeof NO_VALUE | undefined };

function newViewCache(): ViewCache {
  // Every key present from the start, so that the object keeps one shape.
  return {
    via: undefined, from: undefined, to: undefined, 'call-id': undefined, cseq: undefined,
    contact: undefined, route: undefined, 'record-route': undefined, 'max-forwards': undefined,
  };
}

export function isRequest(m: SipMessage): m is SipRequest {
  return m.isRequest;
}
