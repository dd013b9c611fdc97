import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  computeHa1,
  computeHa2,
  computeResponse,
  hashNameOf,
  isSessionAlgorithm,
  parseDigestAlgorithm,
} from '../../../../sip-stack/auth/index.js';
import { RFC7616_EXAMPLE as EX } from './rfc7616-vectors.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('computeResponse known answers', () => {
  it.each(['MD5', 'SHA-256'] as const)('RFC 7616 §3.9.1 with %s', (algorithm) => {
    const ha1 = computeHa1(algorithm, EX.username, EX.realm, EX.password);
    const response = computeResponse({
      algorithm,
      ha1,
      nonce: EX.nonce,
      method: EX.method,
      uri: EX.uri,
      qop: 'auth',
      nc: EX.nc,
      cnonce: EX.cnonce,
    });
    expect(response).toBe(EX.responses[algorithm]);
  });

  it('RFC 2617 §3.5 (MD5, qop=auth)', () => {
    const ha1 = computeHa1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life');
    const response = computeResponse({
      algorithm: 'MD5',
      ha1,
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      method: 'GET',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
    });
    expect(response).toBe('6629fae49393a05397450978507c4ef1');
  });
});

describe('digest formulas', () => {
  it('HA1 and HA2 are H(user:realm:password) and H(method:uri)', () => {
    expect(computeHa1('MD5', 'u', 'r', 'p')).toBe(md5('u:r:p'));
    expect(computeHa1('SHA-256', 'u', 'r', 'p')).toBe(sha256('u:r:p'));
    expect(computeHa1('SHA-256-sess', 'u', 'r', 'p')).toBe(sha256('u:r:p'));
    expect(computeHa2('MD5', 'INVITE', 'sip:bob@b')).toBe(md5('INVITE:sip:bob@b'));
  });

  it('hashes user names and passwords as UTF-8', () => {
    expect(computeHa1('MD5', 'J\u00e4s\u00f8n', 'r', 'p')).toBe(createHash('md5').update(Buffer.from('J\u00e4s\u00f8n:r:p', 'utf8')).digest('hex'));
  });

  it('without qop uses the RFC 2069 form H(HA1:nonce:HA2)', () => {
    const ha1 = md5('u:r:p');
    const response = computeResponse({ algorithm: 'MD5', ha1, nonce: 'n', method: 'REGISTER', uri: 'sip:r' });
    expect(response).toBe(md5(`${ha1}:n:${md5('REGISTER:sip:r')}`));
  });

  it.each([
    ['MD5-sess', md5],
    ['SHA-256-sess', sha256],
  ] as const)('%s binds nonce and cnonce into HA1 (RFC 7616 §3.4.2)', (algorithm, h) => {
    const ha1 = h('u:r:p');
    const sessionHa1 = h(`${ha1}:n:c`);
    const response = computeResponse({ algorithm, ha1, nonce: 'n', method: 'BYE', uri: 'sip:x', qop: 'auth', nc: '0000000a', cnonce: 'c' });
    expect(response).toBe(h(`${sessionHa1}:n:0000000a:c:auth:${h('BYE:sip:x')}`));
  });

  it('refuses a session algorithm without qop', () => {
    expect(() => computeResponse({ algorithm: 'MD5-sess', ha1: 'x', nonce: 'n', method: 'GET', uri: '/' })).toThrow(RangeError);
  });
});

describe('parseDigestAlgorithm', () => {
  it('defaults to MD5, ignores case and refuses unknown algorithms', () => {
    expect(parseDigestAlgorithm(undefined)).toBe('MD5');
    expect(parseDigestAlgorithm('sha-256')).toBe('SHA-256');
    expect(parseDigestAlgorithm('Md5-Sess')).toBe('MD5-sess');
    expect(parseDigestAlgorithm('SHA-512-256')).toBeUndefined();
    expect(parseDigestAlgorithm('')).toBeUndefined();
  });

  it('maps algorithms to their hash and session flag', () => {
    expect(hashNameOf('SHA-256-sess')).toBe('SHA-256');
    expect(hashNameOf('MD5-sess')).toBe('MD5');
    expect(isSessionAlgorithm('SHA-256-sess')).toBe(true);
    expect(isSessionAlgorithm('MD5')).toBe(false);
  });
});
