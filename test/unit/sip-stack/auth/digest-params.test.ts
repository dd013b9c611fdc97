import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatAuthHeader,
  formatChallenge,
  formatCredentials,
  parseAuthHeader,
  quoteString,
  type AuthHeader,
} from '../../../../sip-stack/auth/index.js';

function parsed(value: string): AuthHeader {
  const result = parseAuthHeader(value);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(value)} to parse, got ${result.code}`);
  return result.header;
}

function failureCode(value: string): string {
  const result = parseAuthHeader(value);
  if (result.ok) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return result.code;
}

describe('parseAuthHeader', () => {
  it('reads a challenge with quoted and token values', () => {
    const header = parsed('Digest realm="x", nonce="y", qop="auth,auth-int", algorithm=SHA-256, stale=FALSE');
    expect(header.scheme).toBe('Digest');
    expect(Object.fromEntries(header.params)).toEqual({
      realm: 'x',
      nonce: 'y',
      qop: 'auth,auth-int',
      algorithm: 'SHA-256',
      stale: 'FALSE',
    });
  });

  it('unescapes quoted-pairs, keeping escaped quotes and backslashes', () => {
    const header = parsed('Digest username="a\\"b\\\\c\\d", realm="r"');
    expect(header.params.get('username')).toBe('a"b\\cd');
  });

  it('keeps commas, equals signs and spaces inside quoted strings', () => {
    const header = parsed('Digest realm="a, b=c", nonce=" n "');
    expect(header.params.get('realm')).toBe('a, b=c');
    expect(header.params.get('nonce')).toBe(' n ');
  });

  it('accepts an empty quoted string', () => {
    expect(parsed('Digest opaque=""').params.get('opaque')).toBe('');
  });

  it('tolerates whitespace around = and commas, tabs, and empty list elements', () => {
    const header = parsed('  Digest\trealm = "x" ,\t, nonce\t=\ty ,,  ');
    expect(Object.fromEntries(header.params)).toEqual({ realm: 'x', nonce: 'y' });
  });

  it('lower-cases param names and keeps the scheme and values as written', () => {
    const header = parsed('DIGEST Realm="X", NONCE="Y", Algorithm=md5');
    expect(header.scheme).toBe('DIGEST');
    expect(Object.fromEntries(header.params)).toEqual({ realm: 'X', nonce: 'Y', algorithm: 'md5' });
  });

  it('keeps non-ASCII text inside quoted strings', () => {
    expect(parsed('Digest username="J\u00e4s\u00f8n \u{1f600}"').params.get('username')).toBe('J\u00e4s\u00f8n \u{1f600}');
  });

  it('reads a scheme alone and a token68 value', () => {
    expect(parsed('Negotiate').params.size).toBe(0);
    const basic = parsed('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(basic.scheme).toBe('Basic');
    expect(basic.token68).toBe('QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    // The grammar cannot tell a lone `name=` from token68 (RFC 7235 §2.1); Digest readers refuse it.
    expect(parsed('Digest realm=').token68).toBe('realm=');
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['"Digest" realm="x"', 'invalid-scheme'],
    ['Digest,realm="x"', 'expected-space'],
    ['Digest realm="x', 'unterminated-quoted-string'],
    ['Digest realm="x\\', 'unterminated-quoted-string'],
    ['Digest realm, nonce="y"', 'expected-equals'],
    ['Digest nonce="y", realm', 'expected-equals'],
    ['Digest nonce="y", realm=', 'expected-value'],
    ['Digest realm=,nonce="y"', 'expected-value'],
    ['Digest realm="x" nonce="y"', 'expected-comma'],
    ['Digest realm=a b', 'expected-comma'],
    ['Digest realm="x", realm="y"', 'duplicate-param'],
    ['Digest realm="x", REALM="y"', 'duplicate-param'],
    ['Digest realm="a\r\nb"', 'invalid-char'],
    ['Digest realm="a\\\nb"', 'invalid-char'],
    ['Digest ="x"', 'expected-param-name'],
  ])('refuses %j with %s', (value, code) => {
    expect(failureCode(value)).toBe(code);
  });

  it('reports where scanning stopped', () => {
    const result = parseAuthHeader('Digest realm="x", realm="y"');
    expect(result).toEqual({ ok: false, code: 'duplicate-param', offset: 18 });
  });

  it('never throws, whatever the input', () => {
    const alphabet = fc.constantFrom(...'Digest realm=",\\ \t\r\nabc=-_\u00e9\u0000'.split(''));
    const arbitraries = [fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: alphabet, maxLength: 80 })];
    for (const arbitrary of arbitraries) {
      fc.assert(
        fc.property(arbitrary, (value) => {
          const result = parseAuthHeader(value);
          expect(typeof result.ok).toBe('boolean');
        }),
        { numRuns: 2000 },
      );
    }
  });
});

describe('formatAuthHeader', () => {
  it('quotes challenge params except stale and algorithm (RFC 7616 §3.3)', () => {
    const value = formatChallenge({ realm: 'r', nonce: 'n', opaque: 'o', stale: 'true', algorithm: 'SHA-256', qop: 'auth' });
    expect(value).toBe('Digest realm="r", nonce="n", opaque="o", stale=true, algorithm=SHA-256, qop="auth"');
  });

  it('writes algorithm, qop and nc unquoted in credentials (RFC 7616 §3.4)', () => {
    const value = formatCredentials({
      username: 'u',
      realm: 'r',
      uri: 'sip:a@b',
      algorithm: 'MD5',
      nonce: 'n',
      nc: '00000001',
      cnonce: 'c',
      qop: 'auth',
      response: 'abc',
      opaque: undefined,
    });
    expect(value).toBe(
      'Digest username="u", realm="r", uri="sip:a@b", algorithm=MD5, nonce="n", nc=00000001, cnonce="c", qop=auth, response="abc"',
    );
  });

  it('quotes a would-be token that is not one, so the header stays well-formed', () => {
    expect(formatAuthHeader('Digest', { algorithm: 'a b' }, 'credentials')).toBe('Digest algorithm="a b"');
  });

  it('escapes quotes and backslashes and round-trips through the parser', () => {
    const username = 'we"ird\\name, x=y';
    const header = parsed(formatCredentials({ username, realm: 'r' }));
    expect(header.params.get('username')).toBe(username);
    expect(quoteString('a"b')).toBe('"a\\"b"');
  });

  it('refuses values and names that cannot be written', () => {
    expect(() => formatCredentials({ username: 'a\r\nVia: x' })).toThrow(RangeError);
    expect(() => formatCredentials({ 'bad name': 'x' })).toThrow(RangeError);
    expect(() => formatAuthHeader('Di gest', {}, 'challenge')).toThrow(RangeError);
  });

  it('round-trips arbitrary printable params', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    const value = fc.string({ unit: fc.constantFrom(...'ab"\\ ,=\t\u00e9'.split('')), maxLength: 20 });
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 6 }), (params) => {
        const header = parsed(formatCredentials(params));
        expect(Object.fromEntries(header.params)).toEqual(params);
      }),
    );
  });
});
