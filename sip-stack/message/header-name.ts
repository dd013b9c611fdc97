/** RFC 3261 §7.3.3 compact forms, plus the later ones (RFC 3515 r, 3891 -, 4028 x, 3892 b, 3265 o/u, 3841 a/j, 3428 y, 3840 d). */
const COMPACT: Record<string, string> = {
  i: 'call-id', m: 'contact', f: 'from', t: 'to', v: 'via', l: 'content-length', c: 'content-type',
  k: 'supported', s: 'subject', e: 'content-encoding', o: 'event', r: 'refer-to', u: 'allow-events',
  x: 'session-expires', y: 'identity', b: 'referred-by', a: 'accept-contact', d: 'request-disposition',
  j: 'reject-contact',
};

/** Header names as we write them on messages we build. */
const CANONICAL: Record<string, string> = {
  'call-id': 'Call-ID', cseq: 'CSeq', via: 'Via', www: 'WWW', 'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version', 'rack': 'RAck', 'rseq': 'RSeq',
};

const keyCache = new Map<string, string>();

/** The lookup key of a header name: lower-cased full form ("v" and "VIA" both give "via"). */
export function headerKey(name: string): string {
  let key = keyCache.get(name);
  if (key === undefined) {
    const lower = name.toLowerCase();
    key = COMPACT[lower] ?? lower;
    // Bounded so that a peer inventing header names cannot grow it without limit.
    if (keyCache.size < 4096) keyCache.set(name, key);
  }
  return key;
}

/** The conventional spelling of a header key, for headers we generate. */
export function canonicalHeaderName(key: string): string {
  const special = CANONICAL[key];
  if (special) return special;
  return key.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase());
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

/** Headers that may appear once only; a second occurrence makes a request malformed (RFC 4475 §3.3.8). */
const SINGLE_HEADERS = new Set(['to', 'from', 'call-id', 'cseq', 'max-forwards', 'content-length', 'content-type', 'expires']);

export function isSingleHeader(key: string): boolean {
  return SINGLE_HEADERS.has(key);
}
