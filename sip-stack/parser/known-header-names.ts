import { type HeaderName, describeHeaderName, respell } from '../message/header-name.js';

/**
 * The header names phones and proxies send, in their usual spelling. The scanner looks each
 * name up here by the bytes it packed while reading it, so that the common headers cost
 * neither a substring nor a Map lookup, and other spellings of them ("CSEQ", "call-id")
 * resolve without headerKey(); only names not listed here go through it.
 */
export const SPELLINGS: readonly string[] = [
  'Via', 'From', 'To', 'Call-ID', 'Call-Id', 'CSeq', 'Contact', 'Max-Forwards', 'Content-Length',
  'Content-Type', 'Route', 'Record-Route', 'Allow', 'Supported', 'User-Agent', 'Expires', 'Authorization',
  'Proxy-Authorization', 'WWW-Authenticate', 'Proxy-Authenticate', 'Require', 'Proxy-Require', 'Server',
  'Accept', 'Date', 'Subject', 'Event', 'Min-Expires', 'Session-Expires', 'Min-SE', 'P-Asserted-Identity',
  'Reason', 'Unsupported', 'Allow-Events', 'Organization', 'Warning', 'Retry-After', 'Privacy',
  'Remote-Party-ID', 'RSeq', 'RAck', 'Path', 'Refer-To', 'Referred-By', 'Replaces', 'Subscription-State',
  'Timestamp', 'Accept-Language', 'Accept-Encoding', 'Content-Disposition', 'Content-Encoding', 'Alert-Info',
  'Call-Info', 'P-Preferred-Identity', 'Security-Client', 'Service-Route', 'Diversion',
  'v', 'f', 't', 'i', 'm', 'l', 'c', 'k', 's', 'e', 'o', 'r', 'u', 'x', 'y', 'b', 'a', 'd', 'j',
];

/**
 * One spelling. The scanner keeps the last 8 bytes of a name packed into two int32 words (see
 * scanLine), so a name of up to 8 bytes is identified by its words and length alone, and a
 * longer one by those plus its first bytes (`prefix`); no byte is read twice for the usual ones.
 */
interface Entry {
  readonly w0: number;
  readonly w1: number;
  /** The words with every byte `| 0x20`: equal for any two spellings that differ in case only. */
  readonly lw0: number;
  readonly lw1: number;
  readonly length: number;
  readonly prefix: Uint8Array;
  readonly name: HeaderName;
  readonly next: Entry | undefined;
}

const MASK = 255;
const TABLE: Array<Entry | undefined> = new Array<Entry | undefined>(MASK + 1).fill(undefined);
const LOWER = 0x20202020;

/** The slot of a name by its words and length, the same whatever its case. */
function slotOf(w0: number, w1: number, length: number): number {
  return ((Math.imul((w0 | LOWER) ^ Math.imul(w1 | LOWER, 0x27d4eb2d), 0x9e3779b1) >>> 24) ^ length) & MASK;
}

/** The words of a spelling, as the scanner packs them. */
function wordsOf(s: string): [number, number] {
  let w0 = 0;
  let w1 = 0;
  for (let i = 0; i < s.length; i++) {
    w1 = (w1 << 8) | (w0 >>> 24);
    w0 = (w0 << 8) | s.charCodeAt(i);
  }
  return [w0, w1];
}

/** The HeaderName of each spelling, in the order of SPELLINGS (the native scanner's name ids). */
export const LISTED_NAMES: readonly HeaderName[] = SPELLINGS.map((spelling) => describeHeaderName(spelling));

SPELLINGS.forEach((spelling, k) => {
  const [w0, w1] = wordsOf(spelling);
  const slot = slotOf(w0, w1, spelling.length);
  const prefix = Uint8Array.from(Buffer.from(spelling.slice(0, Math.max(0, spelling.length - 8)), 'latin1'));
  TABLE[slot] = {
    w0, w1, lw0: w0 | LOWER, lw1: w1 | LOWER, length: spelling.length, prefix, name: LISTED_NAMES[k] as HeaderName, next: TABLE[slot],
  };
});

/**
 * The HeaderName of the token chars at bytes [start, end) of `b` (an ASCII head whose chars
 * `text` holds), as the scanner resolves a name: a listed one in any case, else described.
 */
export function headerNameAt(b: Buffer, text: string, start: number, end: number): HeaderName {
  const name = text.slice(start, end);
  const [w0, w1] = wordsOf(name);
  return knownName(b, start, end, w0, w1) ?? describeHeaderName(name);
}

/**
 * The HeaderName of bytes [start, end) of `b`, a run of token chars whose last 8 bytes the
 * scanner packed into w0 (the last 4) and w1 (the 4 before), if it is a listed name in any
 * case: a constant for a listed spelling, else a new one with the key of the listed name.
 */
export function knownName(b: Buffer, start: number, end: number, w0: number, w1: number): HeaderName | undefined {
  const length = end - start;
  let other: Entry | undefined;
  for (let e = TABLE[slotOf(w0, w1, length)]; e !== undefined; e = e.next) {
    if (e.length !== length) continue;
    if (e.w0 === w0 && e.w1 === w1 && samePrefix(b, start, e.prefix)) return e.name;
    if (e.lw0 === (w0 | LOWER) && e.lw1 === (w1 | LOWER) && samePrefixAnyCase(b, start, e.prefix)) other = e;
  }
  return other === undefined ? undefined : respell(b.toString('latin1', start, end), other.name);
}

function samePrefix(b: Buffer, start: number, prefix: Uint8Array): boolean {
  for (let i = 0; i < prefix.length; i++) if (b[start + i] !== prefix[i]) return false;
  return true;
}

/** `| 0x20` folds case, and keeps every other token char distinct. */
function samePrefixAnyCase(b: Buffer, start: number, prefix: Uint8Array): boolean {
  for (let i = 0; i < prefix.length; i++) if (((b[start + i] as number) | 0x20) !== ((prefix[i] as number) | 0x20)) return false;
  return true;
}
