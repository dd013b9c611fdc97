import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DigestClient,
  DigestServer,
  answerChallenge,
  computeHa1,
  formatCredentials,
  parseAuthHeader,
  type DigestServerOptions,
  type Ha1Lookup,
  type ServerAlgorithm,
  type VerifyResult,
} from '../../../../sip-stack/auth/index.js';

const REALM = 'pbx.local';
const SECRET = 'test secret, long enough for HMAC';
const URI = 'sip:100@pbx.local';
const USERS: Record<string, string> = { '100': 'alice-secret', '101': 'bob-secret', 'we"ird\\user': 'pw' };

const lookupHa1: Ha1Lookup = (username, realm, algorithm) => {
  const password = USERS[username];
  return password === undefined ? undefined : computeHa1(algorithm, username, realm, password);
};

function setup(options: Partial<DigestServerOptions> = {}): { server: DigestServer; advance: (ms: number) => void } {
  let time = 1_000_000;
  const server = new DigestServer({ realm: REALM, secret: SECRET, now: () => time, ...options });
  return { server, advance: (ms) => (time += ms) };
}

function challengeFor(server: DigestServer, algorithm: ServerAlgorithm): string {
  const found = server.challenge().find((value) => value.includes(`algorithm=${algorithm}`));
  if (found === undefined) throw new Error(`no ${algorithm} challenge`);
  return found;
}

function answer(challenge: string, overrides: { username?: string; password?: string; nc?: number; uri?: string } = {}): string {
  return answerChallenge({
    challenge,
    method: 'REGISTER',
    uri: overrides.uri ?? URI,
    username: overrides.username ?? '100',
    password: overrides.password ?? 'alice-secret',
    nc: overrides.nc,
  });
}

function verify(server: DigestServer, headerValue: string | undefined, method = 'REGISTER'): VerifyResult {
  return server.verify({ method, headerValue, lookupHa1 });
}

/** Rewrites one param of a credentials value, keeping the others as they were. */
function withParam(credentials: string, name: string, value: string | undefined): string {
  const parsed = parseAuthHeader(credentials);
  if (!parsed.ok) throw new Error('unparseable credentials');
  const params = Object.fromEntries(parsed.header.params) as Record<string, string | undefined>;
  params[name] = value;
  return formatCredentials(params);
}

describe('DigestServer.challenge', () => {
  it('offers SHA-256 then MD5 with one nonce, qop="auth" and no stale flag (RFC 8760 §2.4)', () => {
    const { server } = setup();
    const challenges = server.challenge();
    expect(challenges).toHaveLength(2);
    const params = challenges.map((value) => {
      const parsed = parseAuthHeader(value);
      if (!parsed.ok) throw new Error('unparseable challenge');
      expect(parsed.header.scheme).toBe('Digest');
      return parsed.header.params;
    });
    expect(params.map((p) => p.get('algorithm'))).toEqual(['SHA-256', 'MD5']);
    expect(params[0]?.get('nonce')).toBe(params[1]?.get('nonce'));
    for (const p of params) {
      expect(p.get('realm')).toBe(REALM);
      expect(p.get('qop')).toBe('auth');
      expect(p.has('stale')).toBe(false);
    }
    expect(challenges[0]).toMatch(/^Digest realm="pbx.local", nonce="[^"]+", algorithm=SHA-256, qop="auth"$/);
  });

  it('marks stale challenges, honours the algorithm list and sends opaque', () => {
    const { server } = setup({ algorithms: ['MD5'], opaque: 'op' });
    const challenges = server.challenge({ stale: true });
    expect(challenges).toHaveLength(1);
    expect(challenges[0]).toContain('stale=true');
    expect(challenges[0]).toContain('algorithm=MD5');
    expect(challenges[0]).toContain('opaque="op"');
  });

  it('gives a new nonce for every challenge', () => {
    const { server } = setup();
    const nonceOf = (value: string | undefined): string | undefined => /nonce="([^"]+)"/.exec(value ?? '')?.[1];
    expect(nonceOf(server.challenge()[0])).not.toBe(nonceOf(server.challenge()[0]));
  });
});

describe('DigestServer.verify', () => {
  it.each(['SHA-256', 'MD5'] as const)('accepts a client answer with %s and exposes the digest uri', (algorithm) => {
    const { server } = setup();
    const seen: ServerAlgorithm[] = [];
    const result = server.verify({
      method: 'REGISTER',
      headerValue: answer(challengeFor(server, algorithm)),
      lookupHa1: (username, realm, alg) => (seen.push(alg), lookupHa1(username, realm, alg)),
    });
    expect(result).toEqual({ ok: true, username: '100', realm: REALM, uri: URI, algorithm });
    expect(seen).toEqual([algorithm]);
  });

  it('round-trips through DigestClient, which takes the preferred SHA-256 challenge', () => {
    const { server } = setup();
    const client = new DigestClient({ username: '101', password: 'bob-secret' });
    const answered = client.answer({ challenges: server.challenge(), method: 'INVITE', uri: 'sip:200@pbx.local' });
    if (!answered.ok) throw new Error(answered.reason);
    expect(answered.algorithm).toBe('SHA-256');
    expect(verify(server, answered.header, 'INVITE')).toMatchObject({ ok: true, username: '101', algorithm: 'SHA-256' });
  });

  it('accepts precomputed HA1s in either case and escaped user names', () => {
    const { server } = setup();
    const ha1 = computeHa1('MD5', 'we"ird\\user', REALM, 'pw').toUpperCase();
    const headerValue = answer(challengeFor(server, 'MD5'), { username: 'we"ird\\user', password: 'pw' });
    const result = server.verify({ method: 'REGISTER', headerValue, lookupHa1: () => ha1 });
    expect(result).toMatchObject({ ok: true, username: 'we"ird\\user' });
  });

  it('accepts a response digest written in upper case', () => {
    const { server } = setup();
    const credentials = answer(challengeFor(server, 'SHA-256'));
    const response = /response="([0-9a-f]+)"/.exec(credentials)?.[1] ?? '';
    expect(verify(server, withParam(credentials, 'response', response.toUpperCase())).ok).toBe(true);
  });

  it('refuses a wrong password', () => {
    const { server } = setup();
    const result = verify(server, answer(challengeFor(server, 'SHA-256'), { password: 'guess' }));
    expect(result).toEqual({ ok: false, reason: 'bad-response', username: '100', uri: URI });
  });

  it('refuses an unknown user', () => {
    const { server } = setup();
    const result = verify(server, answer(challengeFor(server, 'MD5'), { username: '999' }));
    expect(result).toMatchObject({ ok: false, reason: 'unknown-user', username: '999' });
  });

  it('refuses another realm', () => {
    const { server } = setup();
    const challenge = challengeFor(server, 'SHA-256').replace(`realm="${REALM}"`, 'realm="elsewhere"');
    expect(verify(server, answer(challenge))).toMatchObject({ ok: false, reason: 'wrong-realm' });
  });

  it('refuses a forged nonce and a nonce from a server with another secret', () => {
    const { server } = setup();
    const forged = 'Digest realm="pbx.local", nonce="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", qop="auth", algorithm=MD5';
    expect(verify(server, answer(forged))).toMatchObject({ ok: false, reason: 'invalid-nonce' });
    const { server: other } = setup({ secret: 'a different secret for another box' });
    expect(verify(server, answer(challengeFor(other, 'MD5')))).toMatchObject({ ok: false, reason: 'invalid-nonce' });
  });

  it('answers an expired nonce with a correct digest as stale, and a wrong one as bad', () => {
    const { server, advance } = setup({ nonceLifetimeMs: 30_000 });
    const challenge = challengeFor(server, 'SHA-256');
    advance(30_001);
    expect(verify(server, answer(challenge))).toEqual({
      ok: false,
      reason: 'stale-nonce',
      stale: true,
      username: '100',
      uri: URI,
    });
    const wrong = verify(server, answer(challenge, { password: 'guess' }));
    expect(wrong).toEqual({ ok: false, reason: 'bad-response', username: '100', uri: URI });
  });

  it('keeps a nonce valid for the whole default lifetime of 300 s', () => {
    const { server, advance } = setup();
    const challenge = challengeFor(server, 'MD5');
    advance(300_000);
    expect(verify(server, answer(challenge)).ok).toBe(true);
    advance(1);
    expect(verify(server, answer(challenge, { nc: 2 }))).toMatchObject({ reason: 'stale-nonce', stale: true });
  });

  it('refuses a replayed nonce count and accepts increasing ones', () => {
    const { server } = setup();
    const challenge = challengeFor(server, 'SHA-256');
    const first = answer(challenge, { nc: 1 });
    expect(verify(server, first).ok).toBe(true);
    expect(verify(server, first)).toMatchObject({ ok: false, reason: 'replay' });
    expect(verify(server, answer(challenge, { nc: 3 })).ok).toBe(true);
    expect(verify(server, answer(challenge, { nc: 2 }))).toMatchObject({ ok: false, reason: 'replay' });
  });

  it('does not let a bad digest advance the nonce count', () => {
    const { server } = setup();
    const challenge = challengeFor(server, 'SHA-256');
    expect(verify(server, answer(challenge, { nc: 9, password: 'guess' })).ok).toBe(false);
    expect(verify(server, answer(challenge, { nc: 1 })).ok).toBe(true);
  });

  it('reuses a nonce through DigestClient.authorize for later requests', () => {
    const { server } = setup();
    const client = new DigestClient({ username: '100', password: 'alice-secret' });
    const first = client.answer({ challenges: server.challenge(), method: 'REGISTER', uri: URI });
    if (!first.ok) throw new Error(first.reason);
    expect(verify(server, first.header).ok).toBe(true);
    const second = client.authorize({ method: 'INVITE', uri: 'sip:101@pbx.local' });
    expect(second).toContain('nc=00000002');
    expect(verify(server, second, 'INVITE')).toMatchObject({ ok: true, uri: 'sip:101@pbx.local' });
  });

  it('treats a nonce evicted from a full replay tracker as stale instead of accepting it again', () => {
    const { server } = setup({ maxTrackedNonces: 2 });
    const challenges = [0, 1, 2].map(() => challengeFor(server, 'MD5'));
    for (const challenge of challenges) expect(verify(server, answer(challenge)).ok).toBe(true);
    expect(verify(server, answer(challenges[0] ?? ''))).toMatchObject({ reason: 'stale-nonce', stale: true });
    expect(verify(server, answer(challenges[2] ?? '', { nc: 2 })).ok).toBe(true);
  });

  it('binds the response to the method and the digest uri', () => {
    const { server } = setup();
    const credentials = answer(challengeFor(server, 'SHA-256'));
    expect(verify(server, credentials, 'INVITE')).toMatchObject({ reason: 'bad-response' });
    expect(verify(server, withParam(credentials, 'uri', 'sip:evil@pbx.local'))).toMatchObject({ reason: 'bad-response' });
  });

  it.each([undefined, '', '   '])('reports missing credentials for %j', (headerValue) => {
    const { server } = setup();
    expect(verify(server, headerValue)).toEqual({ ok: false, reason: 'missing' });
  });

  it.each(['NewAuth realm="pbx.local", token="abc"', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='])(
    'reports other schemes as bad-scheme: %s',
    (headerValue) => {
      const { server } = setup();
      expect(verify(server, headerValue)).toEqual({ ok: false, reason: 'bad-scheme' });
    },
  );

  it('reports malformed values and missing or invalid params', () => {
    const { server } = setup();
    const good = answer(challengeFor(server, 'SHA-256'));
    const broken = [
      'Digest username="100", realm="pbx.local',
      'Digest realm=',
      withParam(good, 'nonce', undefined),
      withParam(good, 'response', undefined),
      withParam(good, 'uri', undefined),
      withParam(good, 'qop', undefined),
      withParam(good, 'cnonce', undefined),
      withParam(good, 'nc', '1'),
      withParam(good, 'nc', 'zzzzzzzz'),
      withParam(good, 'qop', 'auth-int'),
      withParam(good, 'userhash', 'true'),
      withParam(good, 'opaque', 'unexpected'),
    ];
    for (const headerValue of broken) expect(verify(server, headerValue)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('requires the opaque it sent', () => {
    const { server } = setup({ opaque: 'abc' });
    const good = answer(challengeFor(server, 'MD5'));
    expect(verify(server, good).ok).toBe(true);
    expect(verify(server, withParam(good, 'opaque', undefined))).toMatchObject({ reason: 'malformed' });
  });

  it('refuses algorithms it did not offer', () => {
    const { server } = setup({ algorithms: ['SHA-256'] });
    const good = answer(challengeFor(server, 'SHA-256'));
    for (const algorithm of ['MD5', 'MD5-sess', 'SHA-256-sess', 'SHA-512-256']) {
      expect(verify(server, withParam(good, 'algorithm', algorithm))).toMatchObject({ reason: 'unsupported-algorithm' });
    }
    // Credentials without algorithm mean MD5 (RFC 7616 §3.3).
    expect(verify(server, withParam(good, 'algorithm', undefined))).toMatchObject({ reason: 'unsupported-algorithm' });
  });
});

describe('DigestServer properties', () => {
  const printable = fc.string({ unit: fc.constantFrom(...'az09 "\\,=@:;\u00e9\u4e2d'.split('')), minLength: 1, maxLength: 16 });

  it('verifies any client answer for any user name, password and uri', () => {
    fc.assert(
      fc.property(printable, printable, printable, fc.constantFrom('SHA-256' as const, 'MD5' as const), (username, password, uri, algorithm) => {
        const { server } = setup();
        const headerValue = answerChallenge({ challenge: challengeFor(server, algorithm), method: 'OPTIONS', uri, username, password });
        const result = server.verify({
          method: 'OPTIONS',
          headerValue,
          lookupHa1: (user, realm, alg) => (user === username ? computeHa1(alg, user, realm, password) : undefined),
        });
        expect(result).toEqual({ ok: true, username, realm: REALM, uri, algorithm });
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary or mangled credentials', () => {
    const { server } = setup();
    const good = answer(challengeFor(server, 'SHA-256'));
    const mangled = fc
      .tuple(fc.nat({ max: good.length }), fc.nat({ max: 8 }), fc.string({ unit: 'binary', maxLength: 8 }))
      .map(([at, cut, insert]) => good.slice(0, at) + insert + good.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), mangled), (headerValue) => {
        expect(typeof verify(server, headerValue).ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});
