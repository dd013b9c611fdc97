/** Character classes of RFC 3261 §25.1, as lookup tables indexed by char code. */

export const CR = 13;
export const LF = 10;
export const SP = 32;
export const HTAB = 9;
export const COLON = 58;
export const SEMI = 59;
export const COMMA = 44;
export const EQUALS = 61;
export const DQUOTE = 34;
export const BACKSLASH = 92;
export const LT = 60;
export const GT = 62;
export const SLASH = 47;
export const AT = 64;
export const QUESTION = 63;
export const LBRACKET = 91;
export const RBRACKET = 93;
export const PERCENT = 37;
export const AMP = 38;

function table(chars: string, ranges: Array<[number, number]> = []): Uint8Array {
  const t = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  for (const [lo, hi] of ranges) for (let c = lo; c <= hi; c++) t[c] = 1;
  return t;
}

const ALNUM: Array<[number, number]> = [[48, 57], [65, 90], [97, 122]];

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
const TOKEN = table("-.!%*_+`'~", ALNUM);
/** word adds the separators allowed in Call-ID. */
const WORD = table("-.!%*_+`'~()<>:\\\"/[]?{}", ALNUM);

export function isTokenChar(code: number): boolean {
  return code < 128 && TOKEN[code] === 1;
}

export function isWordChar(code: number): boolean {
  return code < 128 && WORD[code] === 1;
}

export function isWhitespace(code: number): boolean {
  return code === SP || code === HTAB || code === CR || code === LF;
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenChar(s.charCodeAt(i))) return false;
  return true;
}

export function isAllDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** String.trim() also strips Unicode spaces; SIP LWS is only SP, HTAB and line ends. */
export function trimLws(s: string, start = 0, end = s.length): string {
  while (start < end && isWhitespace(s.charCodeAt(start))) start++;
  while (end > start && isWhitespace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** The first index at or after `i` (below `end`) that is not LWS. */
export function skipLws(s: string, i: number, end = s.length): number {
  while (i < end && isWhitespace(s.charCodeAt(i))) i++;
  return i;
}

/** The end of s[start, end) without its trailing LWS. */
export function trimEnd(s: string, start: number, end: number): number {
  while (end > start && isWhitespace(s.charCodeAt(end - 1))) end--;
  return end;
}

export function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

export function hasUpperCase(s: string, start = 0, end = s.length): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

/** s[start, end) lower-cased, without copying when it already is (the common case). */
export function lowerSlice(s: string, start: number, end: number): string {
  const slice = start === 0 && end === s.length ? s : s.slice(start, end);
  return hasUpperCase(s, start, end) ? slice.toLowerCase() : slice;
}
