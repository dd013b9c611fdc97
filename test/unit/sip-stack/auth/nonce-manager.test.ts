import { describe, expect, it } from 'vitest';
import { NonceManager } from '../../../../sip-stack/auth/index.js';

const SECRET = 'a secret of at least sixteen bytes';

function fakeTime(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('NonceManager', () => {
  it('issues distinct url-safe nonces that check as fresh', () => {
    const clock = fakeTime();
    const nonces = new NonceManager({ secret: SECRET, now: clock.now });
    const a = nonces.issue('pbx.local');
    const b = nonces.issue('pbx.local');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{48}$/);
    expect(nonces.check(a, 'pbx.local')).toEqual({ status: 'fresh', issuedAt: clock.now() });
  });

  it('expires nonces after the lifetime (default 300 s)', () => {
    const clock = fakeTime();
    const nonces = new NonceManager({ secret: SECRET, now: clock.now });
    const nonce = nonces.issue('r');
    clock.advance(300_000);
    expect(nonces.check(nonce, 'r').status).toBe('fresh');
    clock.advance(1);
    expect(nonces.check(nonce, 'r').status).toBe('expired');
  });

  it('honours a configured lifetime', () => {
    const clock = fakeTime();
    const nonces = new NonceManager({ secret: SECRET, now: clock.now, lifetimeMs: 10_000 });
    const nonce = nonces.issue('r');
    clock.advance(10_001);
    expect(nonces.check(nonce, 'r').status).toBe('expired');
  });

  it('detects forged, altered, other-realm and other-secret nonces', () => {
    const clock = fakeTime();
    const nonces = new NonceManager({ secret: SECRET, now: clock.now });
    const nonce = nonces.issue('r');
    const flipped = `${nonce.slice(0, 10)}${nonce[10] === 'A' ? 'B' : 'A'}${nonce.slice(11)}`;
    const other = new NonceManager({ secret: 'another secret, also long enough', now: clock.now });
    expect(nonces.check(flipped, 'r').status).toBe('invalid');
    expect(nonces.check(nonce, 'other-realm').status).toBe('invalid');
    expect(other.check(nonce, 'r').status).toBe('invalid');
    expect(nonces.check('', 'r').status).toBe('invalid');
    expect(nonces.check(`${nonce}=`, 'r').status).toBe('invalid');
    expect(nonces.check(`${nonce.slice(1)} `, 'r').status).toBe('invalid');
  });

  it('refuses a forged timestamp on an otherwise genuine nonce', () => {
    const clock = fakeTime();
    const nonces = new NonceManager({ secret: SECRET, now: clock.now });
    const raw = Buffer.from(nonces.issue('r'), 'base64url');
    raw.writeUIntBE(clock.now() + 1_000_000, 0, 6);
    expect(nonces.check(raw.toString('base64url'), 'r').status).toBe('invalid');
  });

  it('accepts nonces from another instance sharing the secret', () => {
    const clock = fakeTime();
    const a = new NonceManager({ secret: SECRET, now: clock.now });
    const b = new NonceManager({ secret: Buffer.from(SECRET), now: clock.now });
    expect(b.check(a.issue('r'), 'r').status).toBe('fresh');
  });

  it('tracks nonce counts to refuse replays', () => {
    const clock = fakeTime();
    const nonces = new NonceManager({ secret: SECRET, now: clock.now });
    const nonce = nonces.issue('r');
    const check = nonces.check(nonce, 'r');
    if (check.status !== 'fresh') throw new Error('expected a fresh nonce');
    expect(nonces.acceptCount(nonce, check.issuedAt, 1)).toBe('accepted');
    expect(nonces.acceptCount(nonce, check.issuedAt, 1)).toBe('replay');
    expect(nonces.trackedNonces).toBe(1);
  });

  it('refuses a short secret and a non-positive lifetime', () => {
    expect(() => new NonceManager({ secret: 'short' })).toThrow(RangeError);
    expect(() => new NonceManager({ lifetimeMs: 0 })).toThrow(RangeError);
  });
});
