/**
 * Serial-number arithmetic for RTP's wrapping counters: the 16-bit sequence number and the
 * 32-bit timestamp (RFC 3550 §5.1). "Newer" means ahead by less than half the number space,
 * the RFC 1982 comparison, so 0 follows 65535.
 */

const SEQ_MOD = 0x10000;
const SEQ_HALF = 0x8000;

/** Signed distance from `from` to `to`, in [-32768, 32767]. */
export function sequenceDistance(from: number, to: number): number {
  const forward = (to - from) & 0xffff;
  return forward >= SEQ_HALF ? forward - SEQ_MOD : forward;
}

export function isSequenceNewer(candidate: number, reference: number): boolean {
  return sequenceDistance(reference, candidate) > 0;
}

export function addSequence(sequence: number, delta: number): number {
  return (sequence + delta) & 0xffff;
}

/** Signed distance from `from` to `to` in 32-bit timestamp units. */
export function timestampDistance(from: number, to: number): number {
  return (to - from) | 0;
}

export function isTimestampNewer(candidate: number, reference: number): boolean {
  return timestampDistance(reference, candidate) > 0;
}

export function addTimestamp(timestamp: number, delta: number): number {
  return (timestamp + delta) >>> 0;
}
