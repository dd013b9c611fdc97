import { describe, expect, it } from 'vitest';
import {
  DigestChallengeError,
  DigestClient,
  answerChallenge,
  computeHa1,
  computeResponse,
  digestHex,
  parseAuthHeader,
  tryAnswerChallenge,
} from '../../../../sip-stack/auth/index.js';
import { RFC7616_EXAMPLE as EX } from './rfc7616-vectors.js';

function paramsOf(value: string): Record<string, string> {
  const parsed = parseAuthHeader(value);
  if (!parsed.ok) throw new Error(`unparseable: ${value}`);
  return Object.fromEntries(parsed.header.params);
}

const exampleChallenge = (algorithm: string): string =>
  `Digest realm="${EX.realm}", qop="auth, auth-int", algorithm=${algorithm}, nonce="${EX.nonce}", opaque="${EX.opaque}"`;

const example = { method: EX.method, uri: EX.uri, username: EX.username, password: EX.password };

describe('answerChallenge', () => {
  it.each(['MD5', 'SHA-256'] as const)('gives the RFC 7616 §3.9.1 credentials for %s', (algorithm) => {
    const header = answerChallenge({ ...example, challenge: exampleChallenge(algorithm), cnonce: EX.cnonce, nc: 1 });
    expect(header.startsWith('Digest ')).toBe(true);
    expect(paramsOf(header)).toEqual({
      username: EX.username,
      realm: EX.realm,
      uri: EX.uri,
      algorithm,
      nonce: EX.nonce,
      nc: EX.nc,
      cnonce: EX.cnonce,
      qop: 'auth',
      response: EX.responses[algorithm],
      opaque: EX.opaque,
    });
    expect(header).toContain(`algorithm=${algorithm}, nonce="${EX.nonce}", nc=00000001,`);
    expect(header).toContain('qop=auth,');
  });

  it('answers a challenge without qop in the RFC 2069 form, leaving out an absent algorithm', () => {
    const header = answerChallenge({ ...example, challenge: `Digest realm="r", nonce="n"`, cnonce: 'c' });
    const params = paramsOf(header);
    expect(Object.keys(params).sort()).toEqual(['nonce', 'realm', 'response', 'uri', 'username']);
    const ha1 = computeHa1('MD5', EX.username, 'r', EX.password);
    expect(params.response).toBe(computeResponse({ algorithm: 'MD5', ha1, nonce: 'n', method: EX.method, uri: EX.uri }));
  });

  it('answers a session algorithm', () => {
    const header = answerChallenge({ ...example, challenge: 'Digest realm="r", nonce="n", qop="auth", algorithm=SHA-256-sess', cnonce: 'c', nc: 7 });
    const params = paramsOf(header);
    const ha1 = computeHa1('SHA-256', EX.username, 'r', EX.password);
    const expected = computeResponse({ algorithm: 'SHA-256-sess', ha1, nonce: 'n', method: EX.method, uri: EX.uri, qop: 'auth', nc: '00000007', cnonce: 'c' });
    expect(params).toMatchObject({ algorithm: 'SHA-256-sess', nc: '00000007', response: expected });
  });

  it('hashes the user name when the challenge asks for userhash (RFC 7616 §3.4.4)', () => {
    const challenge = 'Digest realm="r", nonce="n", qop="auth", algorithm=SHA-256, userhash=true';
    const params = paramsOf(answerChallenge({ ...example, challenge }));
    expect(params.username).toBe(digestHex('SHA-256', `${EX.username}:r`));
    expect(params.userhash).toBe('true');
  });

  it('makes a fresh cnonce when none is given', () => {
    const challenge = exampleChallenge('SHA-256');
    const a = paramsOf(answerChallenge({ ...example, challenge }));
    const b = paramsOf(answerChallenge({ ...example, challenge }));
    expect(a.cnonce).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(a.cnonce).not.toBe(b.cnonce);
  });

  it.each([
    ['Basic realm="r"', 'bad-scheme'],
    ['Digest realm="r"', 'malformed'],
    ['Digest realm="r", nonce="n', 'malformed'],
    ['Digest realm="r", nonce="n", algorithm=SHA-512-256', 'unsupported-algorithm'],
    ['Digest realm="r", nonce="n", qop="auth-int"', 'unsupported-qop'],
    ['Digest realm="r", nonce="n", algorithm=MD5-sess', 'unsupported-qop'],
  ])('cannot answer %s (%s)', (challenge, reason) => {
    expect(tryAnswerChallenge({ ...example, challenge })).toEqual({ ok: false, reason });
    expect(() => answerChallenge({ ...example, challenge })).toThrow(DigestChallengeError);
  });
});

describe('DigestClient', () => {
  const request = { method: 'REGISTER', uri: 'sip:pbx.local' };

  function header(result: ReturnType<DigestClient['answer']>): Record<string, string> {
    if (!result.ok) throw new Error(result.reason);
    return paramsOf(result.header);
  }

  it('counts nc per nonce and keeps the cnonce for that nonce', () => {
    let cnonces = 0;
    const client = new DigestClient({ username: 'u', password: 'p', newCnonce: () => `c${++cnonces}` });
    const challengeA = 'Digest realm="r", nonce="A", qop="auth", algorithm=SHA-256';
    const challengeB = 'Digest realm="r", nonce="B", qop="auth", algorithm=SHA-256';
    expect(client.authorize(request)).toBeUndefined();
    expect(header(client.answer({ ...request, challenges: challengeA }))).toMatchObject({ nc: '00000001', cnonce: 'c1' });
    expect(paramsOf(client.authorize(request) ?? '')).toMatchObject({ nonce: 'A', nc: '00000002', cnonce: 'c1' });
    expect(header(client.answer({ ...request, challenges: challengeB }))).toMatchObject({ nc: '00000001', cnonce: 'c2' });
    expect(header(client.answer({ ...request, challenges: challengeA }))).toMatchObject({ nc: '00000003', cnonce: 'c1' });
  });

  it('forgets the oldest nonces past its bound', () => {
    const client = new DigestClient({ username: 'u', password: 'p', maxNonces: 1 });
    const challenge = (nonce: string): string => `Digest realm="r", nonce="${nonce}", qop="auth"`;
    client.answer({ ...request, challenges: challenge('A') });
    client.answer({ ...request, challenges: challenge('B') });
    expect(header(client.answer({ ...request, challenges: challenge('A') })).nc).toBe('00000001');
  });

  it('takes the first challenge it supports, in the order given', () => {
    const client = new DigestClient({ username: 'u', password: 'p' });
    const result = client.answer({
      ...request,
      challenges: [
        'Digest realm="r", nonce="n", qop="auth", algorithm=SHA-512-256',
        'Digest realm="r", nonce="n", qop="auth", algorithm=MD5',
        'Digest realm="r", nonce="n", qop="auth", algorithm=SHA-256',
      ],
    });
    expect(result).toMatchObject({ ok: true, algorithm: 'MD5', realm: 'r' });
  });

  it('reports the first failure when no challenge can be answered', () => {
    const client = new DigestClient({ username: 'u', password: 'p' });
    const challenges = ['Digest realm="r", nonce="n", algorithm=SHA-512-256', 'NewAuth realm="r"'];
    expect(client.answer({ ...request, challenges })).toEqual({ ok: false, reason: 'unsupported-algorithm' });
    expect(client.answer({ ...request, challenges: [] })).toEqual({ ok: false, reason: 'malformed' });
  });
});
