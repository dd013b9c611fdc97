import { describe, expect, it } from 'vitest';
import { SourceLatch } from '../../../../media-relay/relay/source-latch.js';

describe('SourceLatch (symmetric RTP)', () => {
  it('latches on the first packet, from wherever it comes (NAT), then refuses other sources', () => {
    const latch = new SourceLatch();
    latch.reset('192.168.1.10', 4000, false);
    expect(latch.admit('198.51.100.7', 61000, true)).toBe(true);
    expect(latch).toMatchObject({ latched: true, address: '198.51.100.7', port: 61000 });
    expect(latch.admit('198.51.100.99', 61000, true)).toBe(false);
    expect(latch.admit('198.51.100.7', 61001, true)).toBe(false);
    expect(latch.admit('198.51.100.7', 61000, true)).toBe(true);
  });

  it('the source the SDP names always re-latches, so a spray that came first cannot lock the phone out', () => {
    const latch = new SourceLatch();
    latch.reset('192.168.1.10', 4000, false);
    latch.admit('6.6.6.6', 666, true);
    expect(latch.admit('192.168.1.10', 4000, true)).toBe(true);
    expect(latch.admit('6.6.6.6', 666, true)).toBe(false);
  });

  it('does not latch on packets that are not RTP/RTCP', () => {
    const latch = new SourceLatch();
    latch.reset('192.168.1.10', 4000, false);
    expect(latch.admit('6.6.6.6', 666, false)).toBe(false);
    expect(latch.latched).toBe(false);
  });

  it('a reset for a new phone refuses the old phone’s latched and signalled sources', () => {
    const latch = new SourceLatch();
    latch.reset('192.168.1.10', 4000, false);
    latch.admit('198.51.100.7', 61000, true);
    latch.reset('192.168.1.20', 5000, true);
    expect(latch.latched).toBe(false);
    expect(latch.admit('198.51.100.7', 61000, true)).toBe(false);
    expect(latch.admit('192.168.1.10', 4000, true)).toBe(false);
    expect(latch.admit('198.51.100.8', 62000, true)).toBe(true);
  });
});
