import { describe, expect, it } from 'vitest';
import { randomInto, randomText } from '../../../../sip-stack/message/random-pool.js';

describe('random pool', () => {
  it('gives base64url text of the asked number of bytes, never the same twice across refills', () => {
    const seen = new Set<string>();
    // 12 bytes each: more than 8192 bytes in all, so the pool is refilled on the way.
    for (let i = 0; i < 2000; i++) {
      const text = randomText(12);
      expect(text).toMatch(/^[A-Za-z0-9_-]{16}$/);
      seen.add(text);
    }
    expect(seen.size).toBe(2000);
  });

  it('copies random bytes into a buffer at an offset, leaving the rest untouched', () => {
    const target = Buffer.alloc(20);
    randomInto(target, 4, 12);
    expect(target.subarray(0, 4)).toEqual(Buffer.alloc(4));
    expect(target.subarray(16)).toEqual(Buffer.alloc(4));
    const other = Buffer.alloc(20);
    randomInto(other, 4, 12);
    expect(other.subarray(4, 16).equals(target.subarray(4, 16))).toBe(false);
  });
});
