/**
 * Scanner and serializer for the value of WWW-Authenticate, Proxy-Authenticate, Authorization
 * and Proxy-Authorization: `auth-scheme [ 1*SP ( token68 / #auth-param ) ]` (RFC 7235 §2.1).
 * Works on plain strings, by char codes, and never throws on input it did not write itself.
 */

/** A parsed challenge or credentials value. Param names are lower-cased; values are unquoted. */
export interface AuthHeader {
  /** As written; compare case-insensitively (RFC 7235 §2.1). */
  readonly scheme: string;
  readonly params: ReadonlyMap<string, string>;
  /** Set instead of params by schemes such as Basic (RFC 7235 §2.1). */
  readonly token68?: string;
}

export type AuthParseFailureCode =
  | 'empty'
  | 'invalid-scheme'
  | 'expected-space'
  | 'expected-param-name'
  | 'expected-equals'
  | 'expected-value'
  | 'unterminated-quoted-string'
  | 'invalid-char'
  | 'expected-comma'
  | 'duplicate-param';

export interface AuthParseFailure {
  readonly ok: false;
  readonly code: AuthParseFailureCode;
  /** Index into the input where scanning stopped. */
  readonly offset: number;
}

export type AuthParseResult = { readonly ok: true; readonly header: AuthHeader } | AuthParseFailure;

const SP = 0x20;
const HTAB = 0x09;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const EQUALS = 0x3d;

/** tchar (RFC 7230 §3.2.6), a superset of the SIP token alphabet (RFC 3261 §25.1). */
const TOKEN_CHARS = charTable("!#$%&'*+-.^_`|~");
/** token68 (RFC 7235 §2.1) before its trailing '=' padding. */
const TOKEN68_CHARS = charTable('-._~+/');

function charTable(punctuation: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) table[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) table[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) table[c] = 1;
  for (let i = 0; i < punctuation.length; i++) table[punctuation.charCodeAt(i)] = 1;
  return table;
}

function inTable(table: Uint8Array, code: number): boolean {
  return code < 128 && table[code] === 1;
}

/** CTLs other than HTAB cannot appear in a header value, quoted or not (RFC 7230 §3.2.6). */
function isForbiddenControl(code: number): boolean {
  return (code < 0x20 && code !== HTAB) || code === 0x7f;
}

export function isToken(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    if (!inTable(TOKEN_CHARS, value.charCodeAt(i))) return false;
  }
  return true;
}

/** Mutable scanning state; `failure` is set once and stops every reader. */
class Cursor {
  pos = 0;
  failure: AuthParseFailure | undefined;

  constructor(readonly text: string) {}

  get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  fail(code: AuthParseFailureCode): null {
    this.failure ??= { ok: false, code, offset: this.pos };
    return null;
  }

  skipWhitespace(): number {
    const start = this.pos;
    while (!this.atEnd && (this.peek() === SP || this.peek() === HTAB)) this.pos++;
    return this.pos - start;
  }

  readWhile(table: Uint8Array): string {
    const start = this.pos;
    while (!this.atEnd && inTable(table, this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }
}

export function parseAuthHeader(value: string): AuthParseResult {
  const cursor = new Cursor(value);
  cursor.skipWhitespace();
  if (cursor.atEnd) return { ok: false, code: 'empty', offset: cursor.pos };
  const scheme = cursor.readWhile(TOKEN_CHARS);
  if (scheme.length === 0) return failWith(cursor, 'invalid-scheme');
  const gap = cursor.skipWhitespace();
  if (cursor.atEnd) return { ok: true, header: { scheme, params: new Map() } };
  if (gap === 0) return failWith(cursor, 'expected-space');
  const token68 = readToken68(cursor);
  if (token68 !== null) return { ok: true, header: { scheme, params: new Map(), token68 } };
  const params = readParamList(cursor);
  return params === null ? failWith(cursor, 'expected-value') : { ok: true, header: { scheme, params } };
}

function failWith(cursor: Cursor, code: AuthParseFailureCode): AuthParseFailure {
  cursor.fail(code);
  return cursor.failure ?? { ok: false, code, offset: cursor.pos };
}

/** A token68 is the whole rest of the value; anything else rewinds and is read as params. */
function readToken68(cursor: Cursor): string | null {
  const start = cursor.pos;
  const body = cursor.readWhile(TOKEN68_CHARS);
  while (!cursor.atEnd && cursor.peek() === EQUALS) cursor.pos++;
  const end = cursor.pos;
  cursor.skipWhitespace();
  if (body.length > 0 && cursor.atEnd) return cursor.text.slice(start, end);
  cursor.pos = start;
  return null;
}

/** `#auth-param`, tolerating empty list elements (RFC 7230 §7). */
function readParamList(cursor: Cursor): Map<string, string> | null {
  const params = new Map<string, string>();
  for (;;) {
    cursor.skipWhitespace();
    if (cursor.atEnd) return params;
    if (cursor.peek() === COMMA) {
      cursor.pos++;
      continue;
    }
    if (!readParam(cursor, params)) return null;
    cursor.skipWhitespace();
    if (!cursor.atEnd && cursor.peek() !== COMMA) return cursor.fail('expected-comma');
  }
}

function readParam(cursor: Cursor, params: Map<string, string>): boolean {
  const nameStart = cursor.pos;
  const name = cursor.readWhile(TOKEN_CHARS).toLowerCase();
  if (name.length === 0) return rejected(cursor, 'expected-param-name');
  cursor.skipWhitespace();
  if (cursor.atEnd || cursor.peek() !== EQUALS) return rejected(cursor, 'expected-equals');
  cursor.pos++;
  cursor.skipWhitespace();
  const value = readParamValue(cursor);
  if (value === null) return false;
  // Each parameter name MUST only occur once per challenge (RFC 7235 §2.1).
  if (params.has(name)) {
    cursor.pos = nameStart;
    return rejected(cursor, 'duplicate-param');
  }
  params.set(name, value);
  return true;
}

function rejected(cursor: Cursor, code: AuthParseFailureCode): false {
  cursor.fail(code);
  return false;
}

function readParamValue(cursor: Cursor): string | null {
  if (!cursor.atEnd && cursor.peek() === DQUOTE) return readQuotedString(cursor);
  const token = cursor.readWhile(TOKEN_CHARS);
  return token.length > 0 ? token : cursor.fail('expected-value');
}

/** quoted-string with quoted-pair unescaped (RFC 7230 §3.2.6, RFC 3261 §25.1). */
function readQuotedString(cursor: Cursor): string | null {
  const { text } = cursor;
  let out = '';
  let chunkStart = ++cursor.pos;
  while (!cursor.atEnd) {
    const code = cursor.peek();
    if (code === DQUOTE) {
      out += text.slice(chunkStart, cursor.pos++);
      return out;
    }
    if (isForbiddenControl(code)) return cursor.fail('invalid-char');
    if (code === BACKSLASH) {
      const escaped = text.charCodeAt(cursor.pos + 1);
      if (Number.isNaN(escaped)) break;
      if (isForbiddenControl(escaped)) return cursor.fail('invalid-char');
      out += text.slice(chunkStart, cursor.pos) + text[cursor.pos + 1];
      cursor.pos += 2;
      chunkStart = cursor.pos;
      continue;
    }
    cursor.pos++;
  }
  return cursor.fail('unterminated-quoted-string');
}

/** Whether the value is a challenge (WWW-/Proxy-Authenticate) or credentials (Authorization). */
export type AuthHeaderKind = 'challenge' | 'credentials';

/** Param values to serialize, in order; undefined entries are left out. */
export type AuthParamValues = Readonly<Record<string, string | undefined>>;

/** Params RFC 7616 §3.3 and §3.4 write as tokens; every other param is a quoted-string. */
const UNQUOTED: Record<AuthHeaderKind, ReadonlySet<string>> = {
  challenge: new Set(['stale', 'algorithm', 'charset', 'userhash']),
  credentials: new Set(['algorithm', 'qop', 'nc', 'userhash']),
};

/** Throws RangeError for a scheme, name or value that cannot be written (a programmer error). */
export function formatAuthHeader(scheme: string, params: AuthParamValues, kind: AuthHeaderKind): string {
  assertToken(scheme);
  const parts: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    assertToken(name);
    const unquoted = UNQUOTED[kind].has(name.toLowerCase()) && isToken(value);
    parts.push(`${name}=${unquoted ? value : quoteString(value)}`);
  }
  return parts.length === 0 ? scheme : `${scheme} ${parts.join(', ')}`;
}

export function formatChallenge(params: AuthParamValues): string {
  return formatAuthHeader('Digest', params, 'challenge');
}

export function formatCredentials(params: AuthParamValues): string {
  return formatAuthHeader('Digest', params, 'credentials');
}

/** Wraps in DQUOTEs, escaping DQUOTE and backslash; control characters cannot be escaped. */
export function quoteString(value: string): string {
  let out = '"';
  let chunkStart = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (isForbiddenControl(code)) throw new RangeError('control character in auth-param value');
    if (code !== DQUOTE && code !== BACKSLASH) continue;
    out += `${value.slice(chunkStart, i)}\\`;
    chunkStart = i;
  }
  return `${out}${value.slice(chunkStart)}"`;
}

function assertToken(value: string): void {
  if (!isToken(value)) throw new RangeError(`not a token: ${JSON.stringify(value)}`);
}
