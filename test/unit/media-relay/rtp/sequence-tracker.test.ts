import { describe, expect, it } from 'vitest';
import { SequenceTracker } from '../../../../media-relay/rtp/sequence-tracker.js';

function feed(tracker: SequenceTracker, sequences: readonly number[], ssrc = 1): void {
  for (const sequence of sequences) tracker.update(ssrc, sequence);
}

describe('SequenceTracker (RFC 3550 Appendix A.1, A.3)', () => {
  it('counts no loss for consecutive packets across the 16-bit wrap', () => {
    const tracker = new SequenceTracker();
    feed(tracker, [65533, 65534, 65535, 0, 1, 2]);
    expect(tracker.lost).toBe(0);
  });

  it('counts a gap that straddles the wrap', () => {
    const tracker = new SequenceTracker();
    feed(tracker, [65534, 1]);
    expect(tracker.lost).toBe(2);
  });

  it('reordered packets fill their gap; duplicates never make loss negative', () => {
    const tracker = new SequenceTracker();
    feed(tracker, [10, 12, 11, 11, 11, 13]);
    expect(tracker.lost).toBe(0);
  });

  it('a new SSRC restarts the count, keeping the loss seen so far', () => {
    const tracker = new SequenceTracker();
    feed(tracker, [1, 3]);
    feed(tracker, [5000, 5001], 2);
    expect(tracker.lost).toBe(1);
  });

  it('an SSRC of 2^31 or more is the same sender whether it comes from a packet or a number', () => {
    const tracker = new SequenceTracker();
    const packet = Buffer.alloc(12);
    packet.writeUInt32BE(0xdeadbeef, 8);
    tracker.update(0xdeadbeef, 1);
    for (const sequence of [2, 4]) {
      packet.writeUInt16BE(sequence, 2);
      tracker.updateFromPacket(packet, 0);
    }
    tracker.update(0xdeadbeef, 5);
    expect(tracker.lost).toBe(1);
    tracker.update(0x5eadbeef, 100);
    expect(tracker.lost).toBe(1);
  });

  it('A.1: a big jump counts only once the next packet confirms it', () => {
    const tracker = new SequenceTracker();
    feed(tracker, [1, 2, 40000]);
    expect(tracker.lost).toBe(0);
    feed(tracker, [40001, 40003]);
    expect(tracker.lost).toBe(1);
  });
});
