import { SipParseError } from '../parser/sip-parse-error.js';
import type { Header, ParsedHead } from './parsed-head.js';
import { type SipUri, type Uri, parseUri } from './sip-uri.js';
import { fastEnd, fastSipUri, scanSipUri } from './fast-uri.js';
import { TypedHeaders } from './typed-headers.js';

export type { ContactList, ViewKey } from './message-views.js';
export type { Header } from './parsed-head.js';
export { ParsedHead } from './parsed-head.js';

/**
 * A SIP message: start line, headers in arrival order with raw values, and a byte body.
 * Typed views of the headers a stack needs are parsed on first use and memoised; every other
 * header passes through untouched. An unmodified parsed message serialises to its source bytes:
 * the framed message, without CRLFs before it or datagram octets after its Content-Length.
 */
export abstract class SipMessage extends TypedHeaders {
  /** What the parser found, for a received message: its bytes hold the body and wire form. */
  private readonly parsed: ParsedHead | undefined;
  /** True while a parsed message is unmodified, so that its source bytes are its wire form. */
  private pristine: boolean;
  private bodyBytes: Buffer | undefined;

  /** `headers` is a list, or for a received message the parser's ParsedHead (then `body` is unused). */
  protected constructor(headers: Header[] | ParsedHead, body: Buffer) {
    super(headers);
    const parsed = Array.isArray(headers) ? undefined : headers;
    this.parsed = parsed;
    this.pristine = parsed !== undefined;
    this.bodyBytes = parsed === undefined ? body : undefined;
  }

  /** The body; assigning one also sets Content-Length to its byte length. */
  get body(): Buffer {
    return (this.bodyBytes ??= this.parsedBody());
  }

  set body(body: Buffer) {
    this.setBody(body);
  }

  /** A received body is cut from the source bytes on first use. */
  private parsedBody(): Buffer {
    const p = this.parsed;
    if (p === undefined || p.bodyStart >= p.frameEnd) return EMPTY;
    return p.wire.subarray(p.bodyStart, p.frameEnd);
  }

  abstract readonly isRequest: boolean;
  abstract startLine(): string;

  /** Called on any change: the source bytes no longer say what the message says. */
  protected override touch(): void {
    this.pristine = false;
  }

  /** Sets the body and its Content-Type; Content-Length follows the byte length. */
  setBody(body: Buffer, contentType?: string): this {
    this.bodyBytes = body;
    this.touch();
    if (contentType !== undefined) this.set('Content-Type', contentType);
    else if (body.length === 0) this.remove('Content-Type');
    return this.set('Content-Length', String(body.length));
  }

  // ---- wire form ----------------------------------------------------------------------------

  serialize(): Buffer {
    const p = this.parsed;
    if (this.pristine && p !== undefined) {
      return p.frameStart === 0 && p.frameEnd === p.wire.length ? p.wire : p.wire.subarray(p.frameStart, p.frameEnd);
    }
    let head = this.startLine() + '\r\n';
    for (const h of this.headers) head += `${h.name}: ${h.value}\r\n`;
    head += '\r\n';
    const body = this.body;
    if (body.length === 0) return Buffer.from(head, 'utf8');
    return Buffer.concat([Buffer.from(head, 'utf8'), body]);
  }

  override toString(): string {
    return this.serialize().toString('utf8');
  }
}

export class SipRequest extends SipMessage {
  readonly isRequest = true;
  private parsedUri: Uri | SipParseError | undefined;
  /** The head the Request-URI text was cut from, while it is unchanged (for the fast path). */
  private uriHead: ParsedHead | undefined;
  private methodName: string;
  private uriText: string;
  private versionText: string;

  constructor(method: string, uri: string, headers: Header[] | ParsedHead = [], body: Buffer = EMPTY, version = 'SIP/2.0') {
    super(headers, body);
    this.methodName = method;
    this.uriText = uri;
    this.versionText = version;
    this.uriHead = Array.isArray(headers) ? undefined : headers;
  }

  get method(): string {
    return this.methodName;
  }

  set method(method: string) {
    this.methodName = method;
    this.touch();
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
    this.touch();
  }

  startLine(): string {
    return `${this.methodName} ${this.uriText} ${this.versionText}`;
  }

  /** The parsed Request-URI, or the reason it is malformed. */
  get requestUri(): Uri | SipParseError {
    return (this.parsedUri ??= this.fastRequestUri() ?? parseUri(this.uriText));
  }

  /** Why the Request-URI is malformed, if it is; one the fast path takes is not built for it. */
  requestUriError(): SipParseError | undefined {
    const head = this.uriHead;
    if (this.parsedUri === undefined && head !== undefined && head.ascii
      && (head.uriScanned || scanSipUri(head.wire, head.uriStart, head.uriEnd) === head.uriEnd)) {
      return undefined;
    }
    const uri = this.requestUri;
    return uri instanceof SipParseError ? uri : undefined;
  }

  /** The common sip: Request-URI read from the bytes it came in (fast-uri.ts), if it is one. */
  private fastRequestUri(): SipUri | undefined {
    const head = this.uriHead;
    if (head === undefined || !head.ascii) return undefined;
    const uri = fastSipUri(head.wire, head.text, head.uriStart, head.uriEnd);
    return uri !== undefined && fastEnd === head.uriEnd ? uri : undefined;
  }

  setUri(uri: string): this {
    this.uriText = uri;
    this.parsedUri = undefined;
    this.uriHead = undefined;
    this.touch();
    return this;
  }
}

export class SipResponse extends SipMessage {
  readonly isRequest = false;
  private statusCode: number;
  private reasonText: string;
  private versionText: string;

  constructor(status: number, reason: string, headers: Header[] | ParsedHead = [], body: Buffer = EMPTY, version = 'SIP/2.0') {
    super(headers, body);
    this.statusCode = status;
    this.reasonText = reason;
    this.versionText = version;
  }

  get status(): number {
    return this.statusCode;
  }

  set status(status: number) {
    this.statusCode = status;
    this.touch();
  }

  get reason(): string {
    return this.reasonText;
  }

  set reason(reason: string) {
    this.reasonText = reason;
    this.touch();
  }

  get version(): string {
    return this.versionText;
  }

  set version(version: string) {
    this.versionText = version;
    this.touch();
  }

  startLine(): string {
    return `${this.versionText} ${this.statusCode} ${this.reasonText}`;
  }
}

export const EMPTY = Buffer.alloc(0);

export function isRequest(m: SipMessage): m is SipRequest {
  return m.isRequest;
}
