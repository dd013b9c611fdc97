import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../../bench/parser-bench.js';
import type { NameAddr } from '../../../../sip-stack/message/name-addr.js';
import type { Params } from '../../../../sip-stack/message/params.js';
import { type SipMessage, SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { type Uri, isSipUri, isTelUri } from '../../../../sip-stack/message/sip-uri.js';
import type { Via } from '../../../../sip-stack/message/via.js';
import { checkMessage, parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { nativeScannerLoaded, setNativeScanner } from '../../../../sip-stack/parser/native-scanner.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';
import { INVITE_BYTES } from '../message/sample-messages.js';
import { message } from './sip-arbitraries.js';

/**
 * The native head scanner (native-scanner.ts) takes the common message and leaves the rest to
 * the TypeScript parser; either way nothing a reader can observe may differ. Every input here is
 * parsed with the scanner on and off and the two outcomes compared as plain data.
 */

const BUILD_HINT = 'the native scanner is not loaded: run `npm run build:native` (build/sip-scanner.node)';

// ---- the outcome of a parse, as plain data ----------------------------------------------------

/** What toEqual compares: no class instances, no Maps, no getters left unread. */
type Plain = string | number | boolean | null | undefined | readonly Plain[] | { readonly [key: string]: Plain };

/**
 * The order a reader takes. `check-first` is the stack's (parse, check, then views);
 * `views-first` reads the views before the check, since the native path precomputes some of
 * them and a view read first must not see a different message from one read after the check.
 */
type Order = 'check-first' | 'views-first';
const ORDERS: readonly Order[] = ['check-first', 'views-first'];

function plainParams(params: Params): Plain {
  return [...params];
}

function plainUri(uri: Uri): Plain {
  if (isSipUri(uri)) {
    const { scheme, user, password, host, port, headers } = uri;
    return { scheme, user, password, host, port, params: plainParams(uri.params), headers };
  }
  if (isTelUri(uri)) return { scheme: uri.scheme, number: uri.number, params: plainParams(uri.params) };
  return { scheme: uri.scheme, opaque: uri.opaque };
}

function plainVia(v: Via): Plain {
  const { protocolName, protocolVersion, transport, host, port, branch, received, rport } = v;
  return { protocolName, protocolVersion, transport, host, port, branch, received, rport, params: plainParams(v.params) };
}

/** The tag is read through fromTag/toTag: the fast path keeps it apart from the params Map. */
function plainAddr(a: NameAddr, tag: string | undefined): Plain {
  return { displayName: a.displayName, uri: plainUri(a.uri), tag, params: plainParams(a.params) };
}

function plainError(e: SipParseError | undefined): Plain {
  return e === undefined ? undefined : { reason: e.reason, status: e.status };
}

/** A view read before the check may throw (a malformed header): which error is observable too. */
function attempt(read: () => Plain): Plain {
  try {
    return read();
  } catch (e) {
    return { thrown: e instanceof Error ? e.message : String(e) };
  }
}

function plainRequestUri(m: SipRequest): Plain {
  const uri = m.requestUri;
  return uri instanceof SipParseError ? plainError(uri) : plainUri(uri);
}

/** The typed views a stack reads of every message, each read guarded. */
function views(m: SipMessage): Plain {
  return {
    cseq: attempt(() => ({ seq: m.cseq.seq, method: m.cseq.method })),
    to: attempt(() => plainAddr(m.to, m.toTag)),
    from: attempt(() => plainAddr(m.from, m.fromTag)),
    callId: attempt(() => m.callId),
    vias: attempt(() => m.vias.map(plainVia)),
    requestUri: m instanceof SipRequest ? attempt(() => plainRequestUri(m)) : undefined,
    requestUriError: m instanceof SipRequest ? attempt(() => plainError(m.requestUriError())) : undefined,
  };
}

/** Header lines in order, read without turning them into Header objects. */
function lines(m: SipMessage): Plain {
  const out: Plain[] = [];
  for (let i = 0; i < m.lineCount(); i++) out.push([m.lineName(i), m.lineKey(i), m.lineValue(i)]);
  return out;
}

function startLine(m: SipMessage): Plain {
  if (m instanceof SipRequest) return { method: m.method, uri: m.uri, version: m.version };
  const r = m as SipResponse;
  return { status: r.status, reason: r.reason, version: r.version };
}

function describeMessage(m: SipMessage): Plain {
  return {
    isRequest: m.isRequest,
    startLine: m.startLine(),
    parts: startLine(m),
    lines: lines(m),
    headerError: plainError(m.headerError),
    duplicate: m.duplicateHeader(),
    body: m.body.toString('hex'),
    wire: m.serialize().toString('hex'),
  };
}

/** Everything observable of parsing (and, for a message, checking) `bytes`, read in `order`. */
function outcome(bytes: Buffer, stream: boolean, order: Order = 'check-first'): Plain {
  const m = parseMessage(bytes, { stream });
  if (m instanceof SipParseError) return { parseError: plainError(m) };
  const early = order === 'views-first' ? views(m) : undefined;
  const error = checkMessage(m);
  return {
    early,
    check: plainError(error),
    message: describeMessage(m),
    // The stack reads the views only of a message that passed the check.
    views: error === undefined ? views(m) : undefined,
  };
}

/**
 * Asserts that the scanner changes nothing for `bytes`. The native side runs first, so that
 * across a property's runs each side also follows the other: state one leaves behind in the
 * parser's shared scratch (header-scan.ts `found`) must not leak into the next parse.
 */
function parity(bytes: Buffer, stream: boolean, order: Order): void {
  try {
    expect(setNativeScanner(true), BUILD_HINT).toBe(true);
    const withNative = outcome(bytes, stream, order);
    expect(setNativeScanner(false)).toBe(false);
    const withoutNative = outcome(bytes, stream, order);
    expect(withNative, `stream: ${stream}, ${order}`).toEqual(withoutNative);
  } finally {
    setNativeScanner(true);
  }
}

/** Parity over datagram and stream framing, in both reading orders. */
function assertParity(bytes: Buffer): void {
  for (const stream of [false, true]) for (const order of ORDERS) parity(bytes, stream, order);
}

// ---- inputs -------------------------------------------------------------------------------------

const DIR = fileURLToPath(new URL('../../../fixtures/rfc4475/', import.meta.url));
const TORTURE: ReadonlyArray<readonly [string, Buffer]> = readdirSync(DIR).filter((f) => f.endsWith('.dat')).sort()
  .map((f) => [f, readFileSync(DIR + f)] as const);

const REQUEST_LINE = 'INVITE sip:101@pbx.local SIP/2.0';
const STATUS_LINE = 'SIP/2.0 200 OK';
const VIA = 'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport';
const LINES: readonly string[] = [
  `Via: ${VIA}`,
  'Max-Forwards: 70',
  'To: "Bob" <sip:101@pbx.local>;tag=a6c85cf',
  'From: "Alice" <sip:100@pbx.local>;tag=1928301774',
  'Call-ID: a84b4c76e66710@192.0.2.10',
  'CSeq: 314159 INVITE',
  'Contact: <sip:100@192.0.2.10:5060;transport=udp>',
  'Content-Type: application/sdp',
];
const BODY = 'v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n';

/** A message that differs from the base one in the parts given. */
interface Shape {
  readonly start?: string;
  readonly lines?: readonly string[];
  readonly body?: string;
  /** The Content-Length lines for a body of n bytes: none, several, or a wrong value. */
  readonly length?: (n: number) => readonly string[];
  readonly eol?: string;
  /** The empty line that ends the head ('' for none). */
  readonly end?: string;
  readonly before?: string;
  /** Octets after the body Content-Length frames. */
  readonly after?: string;
  /** latin1 lets a case hold a lone byte such as 0xff, which UTF-8 would encode as two. */
  readonly encoding?: BufferEncoding;
}

function sip(shape: Shape = {}): Buffer {
  const encoding = shape.encoding ?? 'utf8';
  const body = shape.body ?? BODY;
  const eol = shape.eol ?? '\r\n';
  const length = (shape.length ?? ((n) => [`Content-Length: ${n}`]))(Buffer.byteLength(body, encoding));
  const head = [shape.start ?? REQUEST_LINE, ...(shape.lines ?? LINES), ...length].map((l) => l + eol).join('');
  return Buffer.from(`${shape.before ?? ''}${head}${shape.end ?? eol}${body}${shape.after ?? ''}`, encoding);
}

/** The base lines with the `name` line replaced by `lines` (none: removed). */
function swap(name: string, ...lines: string[]): string[] {
  const i = LINES.findIndex((l) => l.startsWith(`${name}:`));
  return [...LINES.slice(0, i), ...lines, ...LINES.slice(i + 1)];
}

function plus(...lines: string[]): string[] {
  return [...LINES, ...lines];
}

/** The base lines and unknown ones, `total` lines in all with Content-Length. */
function extraLines(total: number): string[] {
  return plus(...Array.from({ length: total - LINES.length - 1 }, (_, i) => `X-Line-${i}: value ${i}`));
}

/** A base message of exactly `total` bytes, to sit on either side of the parser's 4096 split. */
function sized(total: number): Buffer {
  let body = 'x'.repeat(Math.max(0, total - sip({ body: '' }).length));
  // The Content-Length digits grow with the body: trim what they added.
  while (sip({ body }).length > total) body = body.slice(1);
  return sip({ body });
}

const COMPACT = ['v: ' + VIA, 'Max-Forwards: 70', 't: "Bob" <sip:101@pbx.local>;tag=a6c85cf', 'f: "Alice" <sip:100@pbx.local>;tag=1928301774',
  'i: a84b4c76e66710@192.0.2.10', 'CSeq: 314159 INVITE', 'm: <sip:100@192.0.2.10:5060;transport=udp>', 'c: application/sdp'];

/** Each a valid-looking message that differs from the base one by one thing. */
const HEADER_VARIANTS: ReadonlyArray<readonly [string, Shape]> = [
  ['the base message', {}],
  ['VIA in upper case', { lines: swap('Via', `VIA: ${VIA}`) }],
  ['via in lower case', { lines: swap('Via', `via: ${VIA}`) }],
  ['call-id in lower case', { lines: swap('Call-ID', 'call-id: a84b4c76e66710@192.0.2.10') }],
  ['CSEQ in upper case', { lines: swap('CSeq', 'CSEQ: 314159 INVITE') }],
  ['FROM and tO in odd cases', { lines: swap('From', 'FROM: <sip:100@pbx.local>;tag=1', 'tO: <sip:101@pbx.local>').filter((l) => !l.startsWith('To:')) }],
  ['content-length in lower case', { length: (n) => [`content-length: ${n}`] }],
  ['Content-length', { length: (n) => [`Content-length: ${n}`] }],
  ['compact v', { lines: swap('Via', `v: ${VIA}`) }],
  ['compact f', { lines: swap('From', 'f: "Alice" <sip:100@pbx.local>;tag=1928301774') }],
  ['compact t', { lines: swap('To', 't: "Bob" <sip:101@pbx.local>;tag=a6c85cf') }],
  ['compact i', { lines: swap('Call-ID', 'i: a84b4c76e66710@192.0.2.10') }],
  ['compact l', { length: (n) => [`l: ${n}`] }],
  ['compact m', { lines: swap('Contact', 'm: <sip:100@192.0.2.10:5060;transport=udp>') }],
  ['compact V in upper case', { lines: swap('Via', `V: ${VIA}`) }],
  ['every compact form', { lines: COMPACT, length: (n) => [`l: ${n}`] }],
  ['an unknown header', { lines: plus('X-Foo: bar') }],
  ['an unknown header before Via', { lines: ['X-Foo: bar', ...LINES] }],
  ['Content-Length twice, equal', { length: (n) => [`Content-Length: ${n}`, `Content-Length: ${n}`] }],
  ['Content-Length twice, unequal', { length: (n) => [`Content-Length: ${n}`, `Content-Length: ${n + 1}`] }],
  ['Content-Length twice, compact and full', { length: (n) => [`l: ${n}`, `Content-Length: ${n}`] }],
  ['Content-Length larger than the body', { length: (n) => [`Content-Length: ${n + 10}`] }],
  ['Content-Length smaller than the body', { length: (n) => [`Content-Length: ${n - 5}`] }],
  ['Content-Length 0 with a body', { length: () => ['Content-Length: 0'] }],
  ['Content-Length with leading zeros', { length: (n) => [`Content-Length: 000${n}`] }],
  ['Content-Length of ten digits', { length: () => ['Content-Length: 0000000001'] }],
  ['Content-Length not a number', { length: () => ['Content-Length: 4x'] }],
  ['Content-Length empty', { length: () => ['Content-Length:'] }],
  ['Content-Length folded', { length: (n) => ['Content-Length:', ` ${n}`] }],
  ['Content-Length before Via', { lines: [`Content-Length: ${Buffer.byteLength(BODY)}`, ...LINES], length: () => [] }],
  ['no Content-Length', { length: () => [] }],
  ['no Content-Length and no body', { length: () => [], body: '' }],
  ['two Via lines', { lines: ['Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKp1', ...LINES] }],
  ['two Via lines apart', { lines: plus('Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKp1') }],
  ['a Via line with two values', { lines: swap('Via', `Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKp1, ${VIA}`) }],
  ['a Via line with two values and LWS', { lines: swap('Via', `Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKp1 ,\t${VIA}`) }],
  ['a malformed second Via value', { lines: swap('Via', `Via: ${VIA}, SIP/2.0/UDP`) }],
  ['a folded header line (SP)', { lines: swap('To', 'To: "Bob"', ' <sip:101@pbx.local>;tag=a6c85cf') }],
  ['a folded header line (HTAB)', { lines: swap('Via', 'Via: SIP/2.0/UDP 192.0.2.10:5060', '\t;branch=z9hG4bK776asdhds;rport') }],
  ['a folded Call-ID', { lines: swap('Call-ID', 'Call-ID:', ' a84b4c76e66710@192.0.2.10') }],
  ['a folded unknown header', { lines: plus('Subject: one', '  two') }],
  ['bare LF line ends', { eol: '\n' }],
  ['one bare LF line end', { lines: swap('Max-Forwards', 'Max-Forwards: 70\nSubject: x') }],
  ['a bare LF ending the head', { end: '\n' }],
  ['a bare CR inside a value', { lines: plus('Subject: a\rb') }],
  ['a header line without colon', { lines: plus('Subject bar') }],
  ['a header line without colon before Via', { lines: ['Subject bar', ...LINES] }],
  ['a bad char in a header name', { lines: plus('Sub(ject: bar') }],
  ['a space before the colon', { lines: swap('Via', `Via : ${VIA}`) }],
  ['a tab before the colon', { lines: swap('Call-ID', 'Call-ID\t: a84b4c76e66710@192.0.2.10') }],
  ['no space after the colon', { lines: swap('CSeq', 'CSeq:314159 INVITE') }],
  ['tabs around a value', { lines: swap('Call-ID', 'Call-ID:\ta84b4c76e66710@192.0.2.10\t') }],
  ['tabs around the Via value', { lines: swap('Via', `Via:\t${VIA}\t`) }],
  ['trailing spaces on From', { lines: swap('From', 'From: "Alice" <sip:100@pbx.local>;tag=1928301774   ') }],
  ['UTF-8 é in an unknown header', { lines: plus('Subject: café') }],
  ['UTF-8 é in the From display name', { lines: swap('From', 'From: "Renée" <sip:100@pbx.local>;tag=1928301774') }],
  ['UTF-8 é in a Via param', { lines: swap('Via', `Via: ${VIA};x=é`) }],
  ['a lone 0xff byte in an unknown header', { lines: plus('Subject: caf\u00ff'), encoding: 'latin1' }],
  ['a lone 0xff byte in Call-ID', { lines: swap('Call-ID', 'Call-ID: a84b\u00ff@192.0.2.10'), encoding: 'latin1' }],
  ['a lone 0xe9 byte in a display name', { lines: swap('From', 'From: "Ren\u00e9e" <sip:100@pbx.local>;tag=1'), encoding: 'latin1' }],
  ['non-ASCII only in the body (UTF-8)', { body: 'v=0\r\ns=café\r\n' }],
  ['non-ASCII only in the body (0xff)', { body: 'v=0\r\ns=\u00ff\r\n', encoding: 'latin1' }],
  ['a NUL byte in an unknown header', { lines: plus('Subject: a\0b') }],
  ['a NUL byte in Call-ID', { lines: swap('Call-ID', 'Call-ID: a84b\0c@192.0.2.10') }],
  ['a NUL byte in the body', { body: 'v=0\r\n\0\0\r\n' }],
  ['an upper-case host in Via', { lines: swap('Via', 'Via: SIP/2.0/UDP PC33.Example.COM:5060;branch=z9hG4bK776asdhds') }],
  ['a lower-case transport in Via', { lines: swap('Via', 'Via: SIP/2.0/udp 192.0.2.10:5060;branch=z9hG4bK776asdhds') }],
  ['an unknown transport in Via', { lines: swap('Via', 'Via: SIP/2.0/QUIC 192.0.2.10;branch=z9hG4bK776asdhds') }],
  ['LWS inside the Via protocol', { lines: swap('Via', 'Via: SIP / 2.0 / UDP 192.0.2.10 : 5060 ;branch=z9hG4bK776asdhds') }],
  ['an IPv6 Via host', { lines: swap('Via', 'Via: SIP/2.0/UDP [2001:DB8::1]:5060;branch=z9hG4bK776asdhds') }],
  ['a Via without branch', { lines: swap('Via', 'Via: SIP/2.0/UDP 192.0.2.10:5060') }],
  ['rport with a value', { lines: swap('Via', 'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5060') }],
  ['rport without a value, first', { lines: swap('Via', 'Via: SIP/2.0/UDP 192.0.2.10:5060;rport;branch=z9hG4bK776asdhds') }],
  ['rport with a bad value', { lines: swap('Via', 'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=99999') }],
  ['received', { lines: swap('Via', 'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;received=192.0.2.1;rport=5061') }],
  ['upper-case Via param names', { lines: swap('Via', 'Via: SIP/2.0/UDP 192.0.2.10:5060;BRANCH=z9hG4bK776asdhds;RPort') }],
  ['a Via port out of range', { lines: swap('Via', 'Via: SIP/2.0/UDP 192.0.2.10:65536;branch=z9hG4bK776asdhds') }],
  ['a tag without value', { lines: swap('From', 'From: "Alice" <sip:100@pbx.local>;tag') }],
  ['a tag with an empty value', { lines: swap('From', 'From: "Alice" <sip:100@pbx.local>;tag=') }],
  ['a TAG in upper case', { lines: swap('From', 'From: "Alice" <sip:100@pbx.local>;TAG=1928301774') }],
  ['an unquoted display name', { lines: swap('From', 'From: Alice Smith <sip:100@pbx.local>;tag=1928301774') }],
  ['a display name with a backslash escape', { lines: swap('From', 'From: "Al\\"ice \\\\ B" <sip:100@pbx.local>;tag=1928301774') }],
  ['an empty quoted display name', { lines: swap('From', 'From: "" <sip:100@pbx.local>;tag=1928301774') }],
  ['no LWS between display name and <', { lines: swap('From', 'From: "Alice"<sip:100@pbx.local>;tag=1928301774') }],
  ['an unterminated display name', { lines: swap('From', 'From: "Alice <sip:100@pbx.local>;tag=1928301774') }],
  ['an addr-spec From', { lines: swap('From', 'From: sip:100@pbx.local;tag=1928301774') }],
  ['an addr-spec with a ? From', { lines: swap('From', 'From: sip:100@pbx.local?x=y;tag=1928301774') }],
  ['a From without >', { lines: swap('From', 'From: <sip:100@pbx.local;tag=1928301774') }],
  ['sips URIs', { lines: swap('To', 'To: <sips:101@pbx.local>').map((l) => l.replace('<sip:100@', '<sips:100@')) }],
  ['a URI with user params and a port', { lines: swap('To', 'To: <sip:101;phone-context=pbx@pbx.local:5070;user=phone;transport=tcp>') }],
  ['a URI with a password and headers', { lines: swap('To', 'To: <sip:101:secret@pbx.local?subject=hi&x=%20>') }],
  ['a URI with an upper-case host', { lines: swap('To', 'To: <sip:101@PBX.Local>') }],
  ['a URI with a %-escaped user', { lines: swap('To', 'To: <sip:%31%30%31@pbx.local>') }],
  ['a tel: To', { lines: swap('To', 'To: <tel:+1-555-0100;phone-context=example.com>') }],
  ['an http: To', { lines: swap('To', 'To: <http://example.com/x>') }],
  ['CSeq method mismatch', { lines: swap('CSeq', 'CSeq: 314159 BYE') }],
  ['CSeq 2^31', { lines: swap('CSeq', 'CSeq: 2147483648 INVITE') }],
  ['CSeq 2^31 - 1', { lines: swap('CSeq', 'CSeq: 2147483647 INVITE') }],
  ['CSeq of 13 digits', { lines: swap('CSeq', 'CSeq: 0000000000001 INVITE') }],
  ['CSeq with extra spaces', { lines: swap('CSeq', 'CSeq:   314159    INVITE  ') }],
  ['CSeq with a tab', { lines: swap('CSeq', 'CSeq: 314159\tINVITE') }],
  ['CSeq with a lower-case method', { lines: swap('CSeq', 'CSeq: 314159 invite') }],
  ['CSeq without method', { lines: swap('CSeq', 'CSeq: 314159') }],
  ['a Call-ID with a space', { lines: swap('Call-ID', 'Call-ID: a84b4c76 e66710@192.0.2.10') }],
  ['an empty unknown header', { lines: plus('Subject:') }],
  ['an empty Call-ID', { lines: swap('Call-ID', 'Call-ID:') }],
  ['an empty To', { lines: swap('To', 'To: ') }],
  ['no Via', { lines: swap('Via') }],
  ['no From', { lines: swap('From') }],
  ['no To', { lines: swap('To') }],
  ['no Call-ID', { lines: swap('Call-ID') }],
  ['no CSeq', { lines: swap('CSeq') }],
  ['two Call-ID lines', { lines: plus('Call-ID: other@192.0.2.10') }],
  ['two To lines', { lines: plus('t: <sip:x@pbx.local>') }],
  // The reason names the second occurrence, spelt as sent: not the third.
  ['three To lines, spelt differently', { lines: plus('t: <sip:x@pbx.local>', 'TO: <sip:y@pbx.local>') }],
  ['a bad Max-Forwards', { lines: swap('Max-Forwards', 'Max-Forwards: 256') }],
  ['leading CRLFs', { before: '\r\n\r\n' }],
  ['a leading bare LF', { before: '\n' }],
  ['trailing bytes after Content-Length', { after: 'INVITE sip:x SIP/2.0\r\n' }],
  ['more than 200 header lines', { lines: plus(...Array.from({ length: 250 }, (_, i) => `X-Line-${i}: value ${i}`)) }],
  // Either side of 256 lines, the size of the native scanner's line table.
  ['255 header lines', { lines: extraLines(255) }],
  ['256 header lines', { lines: extraLines(256) }],
  ['257 header lines', { lines: extraLines(257) }],
  ['more than 200 Via lines', { lines: [...Array.from({ length: 210 }, (_, i) => `Via: SIP/2.0/UDP h${i}.example.com;branch=z9hG4bK${i}`), ...LINES] }],
  ['a 5,000-byte body', { body: 'a=x\r\n'.repeat(1000) }],
  ['a head without the empty line', { end: '', body: '' }],
  ['a head without the empty line, with Content-Length 5', { end: '', body: '', length: () => ['Content-Length: 5'] }],
  ['no head end and no Content-Length', { end: '', body: '', length: () => [] }],
];

/** Start lines, each with the base headers; a response keeps the request's CSeq method. */
const START_LINES: readonly string[] = [
  'SIP/2.0 180 Ringing',
  'SIP/2.0 200',
  'SIP/2.0 200 ',
  'SIP/2.0 200 OK with spaces  ',
  'SIP/2.0 200 Réussi',
  'sip/2.0 200 OK',
  'SIP/3.0 200 OK',
  'SIP/2.00 200 OK',
  'SIP/2.0 099 Low',
  'SIP/2.0 700 High',
  'SIP/2.0 2000 OK',
  'SIP/2.0 20 OK',
  'SIP/2.0  200 OK',
  'SIP/2.0',
  'INVITE  sip:101@pbx.local SIP/2.0',
  'INVITE sip:101@pbx.local  SIP/2.0',
  'INVITE sip:101@pbx.local SIP/2.0 ',
  'INVITE\tsip:101@pbx.local SIP/2.0',
  'INVITE sip:101@pbx.local',
  'INVITE sip:101@pbx.local sip/2.0',
  'INVITE sip:101@pbx.local SIP/3.0',
  'INVITE tel:+15550100 SIP/2.0',
  'INVITE tel:+1-555-0100;phone-context=example.com SIP/2.0',
  'INVITE sip:%61lice@pbx.local SIP/2.0',
  'INVITE sip:al%zzce@pbx.local SIP/2.0',
  'INVITE sips:101@pbx.local:5061;transport=tls SIP/2.0',
  'INVITE sip:101;user=x@PBX.Local:5070;transport=tcp;lr SIP/2.0',
  'INVITE sip:101@[2001:db8::1]:5060 SIP/2.0',
  'INVITE sip:101@pbx.local?subject=x SIP/2.0',
  'INVITE sip:101@pbx.local:99999 SIP/2.0',
  'INVITE <sip:101@pbx.local> SIP/2.0',
  'INVITE http://example.com/x SIP/2.0',
  'INVITE sip:ré@pbx.local SIP/2.0',
  'invite sip:101@pbx.local SIP/2.0',
  'FOO sip:101@pbx.local SIP/2.0',
  'IN(VITE sip:101@pbx.local SIP/2.0',
  'ACK sip:101@pbx.local SIP/2.0',
];

const START_CONTINUED = sip({ start: `${REQUEST_LINE}\r\n sip:extra` });
const NO_LINE_END = Buffer.from(sip({ end: '', body: '' }).toString('latin1').slice(0, -2), 'latin1');

/** Bases for the mutations: every message above, so that they start near the edges. */
const CORPUS: readonly Buffer[] = [
  ...Object.values(MESSAGES), INVITE_BYTES, ...TORTURE.map(([, b]) => b),
  ...HEADER_VARIANTS.map(([, s]) => sip(s)), ...START_LINES.map((start) => sip({ start })),
];

// ---- mutations (as in parser-properties.test.ts, with the bytes that end a fast path) ----------

const INSERTS = ['\r', '\n', ' ', '\t', ';', ',', '"', '<', '>', ':', '\0', '\xff', '\r\n', '\r\n ', '\\', '=', '@', '%', 'é'];

type Mutation = (b: Buffer) => Buffer;

const at = (b: Buffer, n: number): number => (b.length === 0 ? 0 : n % (b.length + 1));

const insertion = fc.tuple(fc.nat(), fc.constantFrom(...INSERTS)).map(([p, s]): Mutation => (b) => {
  const i = at(b, p);
  // 'é' as UTF-8, the rest as the single byte they name.
  return Buffer.concat([b.subarray(0, i), Buffer.from(s, s === 'é' ? 'utf8' : 'latin1'), b.subarray(i)]);
});

/** Flips the case of a letter: header names, hosts, params and versions are read case-blind. */
const caseFlip = fc.nat().map((p): Mutation => (b) => {
  const out = Buffer.from(b);
  const i = b.length === 0 ? 0 : p % b.length;
  const c = (out[i] as number) | 0x20;
  if (c >= 0x61 && c <= 0x7a) out[i] = (out[i] as number) ^ 0x20;
  return out;
});

const byteChange = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([p, v]): Mutation => (b) => {
  const out = Buffer.from(b);
  if (out.length > 0) out[p % out.length] = v;
  return out;
});

const deletion = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 40 })).map(([p, len]): Mutation => (b) => {
  const i = at(b, p);
  return Buffer.concat([b.subarray(0, i), b.subarray(i + len)]);
});

const truncation = fc.nat().map((p): Mutation => (b) => b.subarray(0, at(b, p)));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(insertion, insertion, caseFlip, byteChange, deletion, truncation);

/** Generated messages as bytes; serialize() is what a peer would have sent. */
const generated = message.map((m) => m.serialize());

/**
 * The generators' display names, reason phrases and extension values are drawn from all of
 * Unicode, so nearly every generated head holds a multi-byte char, which the native scanner
 * leaves to the TypeScript parser. The same messages with those bytes made 'x' reach it.
 */
const asciiGenerated = generated.map((b) => {
  const end = b.indexOf('\r\n\r\n');
  const out = Buffer.from(b);
  for (let i = 0; i < (end < 0 ? out.length : end); i++) if ((out[i] as number) >= 0x80) out[i] = 0x78;
  return out;
});

/** A corpus or generated message with a few mutations, mostly in the head where the scanner works. */
const mutated = fc.tuple(fc.oneof(fc.constantFrom(...CORPUS), generated, asciiGenerated), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([base, ops, headOnly]) => {
    const end = base.indexOf('\r\n\r\n');
    if (!headOnly || end < 0) return ops.reduce((b, op) => op(b), base);
    return Buffer.concat([ops.reduce((b, op) => op(b), base.subarray(0, end)), base.subarray(end)]);
  });

// ---- tests ------------------------------------------------------------------------------------

describe('native head scanner: same outcome as the TypeScript parser', () => {
  it('is built and loads', () => {
    expect(nativeScannerLoaded(), BUILD_HINT).toBe(true);
  });

  describe('the benchmark messages', () => {
    it.each(Object.entries(MESSAGES))('%s', (_, bytes) => assertParity(bytes));
  });

  describe('the sample messages', () => {
    it('INVITE_BYTES', () => assertParity(INVITE_BYTES));
  });

  describe('the RFC 4475 torture messages', () => {
    it.each(TORTURE)('%s', (_, bytes) => assertParity(bytes));
  });

  describe('requests differing from a typical one by one thing', () => {
    it.each(HEADER_VARIANTS)('%s', (_, shape) => assertParity(sip(shape)));
  });

  describe('responses differing from a typical one by one thing', () => {
    it.each(HEADER_VARIANTS)('%s', (_, shape) => assertParity(sip({ ...shape, start: STATUS_LINE })));
  });

  describe('start lines', () => {
    it.each(START_LINES)('%s', (start) => assertParity(sip({ start })));
    it('a continued start line', () => assertParity(START_CONTINUED));
    it('a head ending without any line end', () => assertParity(NO_LINE_END));
    it.each([4095, 4096, 4097])('a message of %i bytes, around the whole-decode limit', (n) => {
      const bytes = sized(n);
      expect(bytes.length).toBe(n);
      assertParity(bytes);
    });
  });

  describe('generated and mutated messages', () => {
    it('generated messages', () => {
      fc.assert(fc.property(generated, (bytes) => assertParity(bytes)), { numRuns: 2000 });
    });

    it('generated messages with an ASCII head', () => {
      fc.assert(fc.property(asciiGenerated, (bytes) => assertParity(bytes)), { numRuns: 2000 });
    });

    it('mutated corpus and generated messages', () => {
      fc.assert(fc.property(mutated, (bytes) => assertParity(bytes)), { numRuns: 2000 });
    });
  });
});
