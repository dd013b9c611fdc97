/** RFC 3261 §7.3.3 compact forms, plus the later ones (RFC 3515 r, 4028 x, 3892 b, 3265 o/u, 3841 a/j/d, 4474 y). */
const COMPACT = new Map<string, string>([
  ['i', 'call-id'], ['m', 'contact'], ['f', 'from'], ['t', 'to'], ['v', 'via'], ['l', 'content-length'],
  ['c', 'content-type'], ['k', 'supported'], ['s', 'subject'], ['e', 'content-encoding'], ['o', 'event'],
  ['r', 'refer-to'], ['u', 'allow-events'], ['x', 'session-expires'], ['y', 'identity'], ['b', 'referred-by'],
  ['a', 'accept-contact'], ['d', 'request-disposition'], ['j', 'reject-contact'],
]);

/** Header names as we write them on messages we build, where the usual capitalisation is wrong. */
const CANONICAL = new Map<string, string>([
  ['call-id', 'Call-ID'], ['cseq', 'CSeq'], ['www-authenticate', 'WWW-Authenticate'],
  ['mime-version', 'MIME-Version'], ['rack', 'RAck'], ['rseq', 'RSeq'],
]);

// Maps, not object literals: a peer's header named "constructor" or "__proto__" must not hit
// Object.prototype.
const keyCache = new Map<string, string>();

/** A header name as spelt on the wire, its lookup key and its single-value bit (0 for others). */
export interface HeaderName {
  readonly name: string;
  readonly key: string;
  readonly bit: number;
  /** Its slot among the views every message is checked for (VIEW_SLOTS), else 0. */
  readonly view: number;
}

/** The headers checkMessage reads of every message: the parser notes where each first stands. */
export const VIA_SLOT = 1;
export const FROM_SLOT = 2;
export const TO_SLOT = 3;
export const CALL_ID_SLOT = 4;
export const CSEQ_SLOT = 5;
const VIEW_SLOTS: Readonly<Record<string, number>> = { via: VIA_SLOT, from: FROM_SLOT, to: TO_SLOT, 'call-id': CALL_ID_SLOT, cseq: CSEQ_SLOT };

/** The lookup key of a header name: lower-cased full form ("v" and "VIA" both give "via"). */
export function headerKey(name: string): string {
  let key = keyCache.get(name);
  if (key === undefined) {
    const lower = name.toLowerCase();
    key = COMPACT.get(lower) ?? lower;
    // Bounded so that a peer inventing header names cannot grow it without limit.
    if (keyCache.size < 4096) keyCache.set(name, key);
  }
  return key;
}

/** The conventional spelling of a header key, for headers we generate. */
export function canonicalHeaderName(key: string): string {
  const special = CANONICAL.get(key);
  if (special !== undefined) return special;
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const ch = key[i] as string;
    out += i === 0 || key[i - 1] === '-' ? ch.toUpperCase() : ch;
  }
  return out;
}

/** Headers whose values are comma-separated lists and may be split or combined (§7.3.1). */
const LIST_HEADERS = new Set([
  'via', 'contact', 'route', 'record-route', 'allow', 'supported', 'require', 'proxy-require',
  'unsupported', 'accept', 'accept-encoding', 'accept-language', 'allow-events', 'content-encoding',
  'in-reply-to', 'path', 'service-route', 'p-asserted-identity', 'reason', 'warning',
]);

export function isListHeader(key: string): boolean {
  return LIST_HEADERS.has(key);
}

/**
 * Headers that may appear once only; a second occurrence makes a request malformed (RFC 4475
 * §3.3.8). Each has a bit, so that checkMessage can find duplicates without allocating.
 */
const SINGLE_HEADERS = new Map<string, number>(
  ['to', 'from', 'call-id', 'cseq', 'max-forwards', 'content-length', 'content-type', 'expires'].map((k, i) => [k, 1 << i]),
);

export function isSingleHeader(key: string): boolean {
  return SINGLE_HEADERS.has(key);
}

/** The bit of a single-value header key, or 0. */
export function singleHeaderBit(key: string): number {
  return SINGLE_HEADERS.get(key) ?? 0;
}

/** The HeaderName of any spelling (the parser has constants for the usual ones). */
export function describeHeaderName(name: string): HeaderName {
  const key = headerKey(name);
  return { name, key, bit: singleHeaderBit(key), view: Object.hasOwn(VIEW_SLOTS, key) ? VIEW_SLOTS[key] as number : 0 };
}

/** Another spelling of a known name. */
export function respell(name: string, of: HeaderName): HeaderName {
  return { name, key: of.key, bit: of.bit, view: of.view };
}
