import { describe, expect, it } from 'vitest';
import {
  addSequence, addTimestamp, isSequenceNewer, isTimestampNewer, sequenceDistance, timestampDistance,
} from '../../../../media-relay/rtp/sequence-math.js';

describe('sequence number and timestamp wraparound (RFC 3550 §5.1, RFC 1982 comparison)', () => {
  it('0 follows 65535: distance +1 across the wrap, -1 back', () => {
    expect(sequenceDistance(65535, 0)).toBe(1);
    expect(sequenceDistance(0, 65535)).toBe(-1);
    expect(isSequenceNewer(0, 65535)).toBe(true);
    expect(isSequenceNewer(65535, 0)).toBe(false);
  });

  it('distance is signed and at most half the space', () => {
    expect(sequenceDistance(100, 32867)).toBe(32767);
    expect(sequenceDistance(100, 32868)).toBe(-32768);
    expect(sequenceDistance(5, 5)).toBe(0);
  });

  it('addSequence wraps modulo 2^16', () => {
    expect(addSequence(65535, 1)).toBe(0);
    expect(addSequence(65530, 10)).toBe(4);
    expect(addSequence(0, -1)).toBe(65535);
  });

  it('timestamps wrap modulo 2^32: 160 samples after 0xffffff60 is 0', () => {
    expect(addTimestamp(0xffffff60, 160)).toBe(0);
    expect(timestampDistance(0xffffff60, 0)).toBe(160);
    expect(timestampDistance(0, 0xffffff60)).toBe(-160);
    expect(isTimestampNewer(10, 0xfffffff0)).toBe(true);
    expect(isTimestampNewer(0xfffffff0, 10)).toBe(false);
  });
});
