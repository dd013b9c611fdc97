import { describe, expect, it } from 'vitest';
import { NonceCountTracker, formatNonceCount, parseNonceCount } from '../../../../sip-stack/auth/index.js';

describe('nonce-count format', () => {
  it('writes and reads 8 hex digits', () => {
    expect(formatNonceCount(1)).toBe('00000001');
    expect(formatNonceCount(0xabc)).toBe('00000abc');
    expect(parseNonceCount('00000abc')).toBe(0xabc);
    expect(parseNonceCount('0000ABCD')).toBe(0xabcd);
    expect(parseNonceCount('ffffffff')).toBe(0xffffffff);
  });

  it.each(['', '1', '000000001', '0000000g', '0000 001', '+0000001'])('refuses %j', (value) => {
    expect(parseNonceCount(value)).toBeUndefined();
  });

  it('refuses counts it cannot write', () => {
    expect(() => formatNonceCount(0)).toThrow(RangeError);
    expect(() => formatNonceCount(2 ** 32)).toThrow(RangeError);
    expect(() => formatNonceCount(1.5)).toThrow(RangeError);
  });
});

describe('NonceCountTracker', () => {
  const LIFETIME = 1000;

  it('accepts strictly increasing counts per nonce', () => {
    const tracker = new NonceCountTracker(10, LIFETIME);
    expect(tracker.accept('a', 0, 1, 0)).toBe('accepted');
    expect(tracker.accept('a', 0, 1, 0)).toBe('replay');
    expect(tracker.accept('a', 0, 3, 0)).toBe('accepted');
    expect(tracker.accept('a', 0, 2, 0)).toBe('replay');
    expect(tracker.accept('b', 0, 1, 0)).toBe('accepted');
    expect(tracker.accept('c', 0, 0, 0)).toBe('replay');
  });

  it('stays within its bound and forgets evicted live nonces instead of accepting them again', () => {
    const tracker = new NonceCountTracker(3, LIFETIME);
    for (let i = 0; i < 3; i++) expect(tracker.accept(`n${i}`, i, 1, 10)).toBe('accepted');
    expect(tracker.accept('n3', 3, 1, 10)).toBe('accepted');
    expect(tracker.size).toBe(3);
    expect(tracker.accept('n0', 0, 1, 10)).toBe('forgotten');
    expect(tracker.accept('n0', 0, 5, 10)).toBe('forgotten');
    expect(tracker.accept('n1', 1, 2, 10)).toBe('accepted');
    expect(tracker.accept('n4', 4, 1, 10)).toBe('accepted');
  });

  it('drops expired nonces without forgetting live ones', () => {
    const tracker = new NonceCountTracker(2, LIFETIME);
    tracker.accept('old1', 0, 1, 0);
    tracker.accept('old2', 1, 1, 0);
    expect(tracker.accept('new', 2000, 1, 2000)).toBe('accepted');
    expect(tracker.size).toBe(1);
    expect(tracker.accept('other', 1999, 1, 2000)).toBe('accepted');
  });

  it('evicts strictly oldest first through many turns of its bound, remembering counts of those it keeps', () => {
    const tracker = new NonceCountTracker(4, 1_000_000);
    // Past a few thousand evictions, so the spent part of the order is cut off on the way.
    for (let i = 0; i < 3000; i++) {
      expect(tracker.accept(`n${i}`, i, 1, i)).toBe('accepted');
      // The last four are kept with their counts; the one before them was evicted, so forgotten.
      for (let kept = Math.max(0, i - 3); kept <= i; kept++) expect(tracker.accept(`n${kept}`, kept, 1, i)).toBe('replay');
      if (i >= 4) expect(tracker.accept(`n${i - 4}`, i - 4, 9, i)).toBe('forgotten');
    }
    expect(tracker.size).toBe(4);
  });

  it('sweeps expired nonces in order of first use, across turns of its bound', () => {
    const tracker = new NonceCountTracker(3, LIFETIME);
    for (let i = 0; i < 7; i++) tracker.accept(`old${i}`, i * 100, 1, i * 100);
    // All three kept (old4..old6) have expired by t=5000: each new nonce sweeps them all.
    expect(tracker.accept('fresh', 5000, 1, 5000)).toBe('accepted');
    expect(tracker.size).toBe(1);
    expect(tracker.accept('fresh', 5000, 1, 5000)).toBe('replay');
  });

  it('never grows past its bound under a flood of nonces', () => {
    const tracker = new NonceCountTracker(100, LIFETIME);
    for (let i = 0; i < 10_000; i++) tracker.accept(`n${i}`, i, 1, i);
    expect(tracker.size).toBeLessThanOrEqual(100);
  });
});
