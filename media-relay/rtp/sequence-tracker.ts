import { peekSequenceNumber, peekSsrcBits } from './rtp-fields.js';

const SEQ_MOD = 0x10000;
/** RFC 3550 Appendix A.1 defaults. */
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
const NO_BAD_SEQUENCE = -1;

/**
 * Counts packets lost from one sender by extending its 16-bit sequence numbers across wraps
 * (RFC 3550 Appendix A.1, without the probation period: a relay learns from the first packet).
 * A new SSRC, or a large jump confirmed by the next packet, restarts the count while keeping the
 * loss seen so far. Numbers only, so update() allocates nothing.
 */
export class SequenceTracker {
  private started = false;
  /** Kept as signed 32 bits (see peekSsrcBits). */
  private ssrc = 0;
  private baseSequence = 0;
  private maxSequence = 0;
  private cycles = 0;
  private received = 0;
  private badSequence = NO_BAD_SEQUENCE;
  private lostBeforeRestart = 0;

  /** Feeds the sequence number and SSRC of an RTP packet whose fixed header is present. */
  updateFromPacket(buf: Buffer, offset: number): void {
    this.update(peekSsrcBits(buf, offset), peekSequenceNumber(buf, offset));
  }

  /** `ssrc` signed or unsigned: only its 32 bits count. */
  update(ssrc: number, sequence: number): void {
    const id = ssrc | 0;
    if (!this.started || id !== this.ssrc) {
      this.restart(id, sequence);
      return;
    }
    const forward = (sequence - this.maxSequence) & 0xffff;
    if (forward < MAX_DROPOUT) {
      // In order, possibly with a gap; a smaller number means the counter wrapped.
      if (sequence < this.maxSequence) this.cycles += SEQ_MOD;
      this.maxSequence = sequence;
    } else if (forward <= SEQ_MOD - MAX_MISORDER) {
      // A big jump: believe it only when the next packet follows on (the sender restarted).
      if (sequence !== this.badSequence) {
        this.badSequence = (sequence + 1) & 0xffff;
        return;
      }
      this.restart(id, sequence);
      return;
    }
    this.received++;
  }

  /** Packets expected but not received; duplicates never make it negative. */
  get lost(): number {
    return this.lostBeforeRestart + this.currentLost();
  }

  private currentLost(): number {
    if (!this.started) return 0;
    const expected = this.cycles + this.maxSequence - this.baseSequence + 1;
    return Math.max(0, expected - this.received);
  }

  private restart(ssrc: number, sequence: number): void {
    this.lostBeforeRestart += this.currentLost();
    this.started = true;
    this.ssrc = ssrc;
    this.baseSequence = sequence;
    this.maxSequence = sequence;
    this.cycles = 0;
    this.received = 1;
    this.badSequence = NO_BAD_SEQUENCE;
  }
}
