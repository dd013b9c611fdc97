import { PERCENT, isHexDigit } from '../parser/char-codes.js';

/** True when every `%` in s[start, end) starts a %HH escape (RFC 3261 §25.1 escaped). */
export function validEscapes(s: string, start = 0, end = s.length): boolean {
  // A bounded loop, not indexOf: s may be a whole message, and the part is short.
  for (let i = start; i < end; i++) {
    if (s.charCodeAt(i) !== PERCENT) continue;
    if (i + 2 >= end || !isHexDigit(s.charCodeAt(i + 1)) || !isHexDigit(s.charCodeAt(i + 2))) return false;
  }
  return true;
}

/**
 * Decodes %HH escapes once (RFC 3261 §19.1.4: escaped and unescaped forms are equal; never
 * recursively, RFC 4475 §3.1.1.3). Each escape becomes the char of that octet value, so that
 * distinct escapes stay distinct (%00 and %00%00) whatever bytes they hold.
 */
export function unescapePercent(s: string): string {
  if (s.indexOf('%') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === PERCENT && isHexDigit(s.charCodeAt(i + 1)) && isHexDigit(s.charCodeAt(i + 2))) {
      out += String.fromCharCode(hexValue(s.charCodeAt(i + 1)) * 16 + hexValue(s.charCodeAt(i + 2)));
      i += 2;
    } else out += s[i];
  }
  return out;
}

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 0x20) - 87;
}
