import { describe, expect, it } from 'vitest';
import { statelessTag } from '../../../../sip-stack/transaction/random-ids.js';
import { request } from './sip-fixtures.js';

describe('statelessTag (RFC 3261 §8.2.7)', () => {
  it('gives the same request, retransmitted, the same tag', () => {
    expect(statelessTag(request())).toBe(statelessTag(request()));
    expect(statelessTag(request())).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });

  it('gives another request another tag', () => {
    const tag = statelessTag(request());
    expect(statelessTag(request({ branch: 'z9hG4bKother' }))).not.toBe(tag);
    expect(statelessTag(request({ callId: 'other@host' }))).not.toBe(tag);
    expect(statelessTag(request({ fromTag: 'other' }))).not.toBe(tag);
    expect(statelessTag(request({ cseq: 2 }))).not.toBe(tag);
  });
});
