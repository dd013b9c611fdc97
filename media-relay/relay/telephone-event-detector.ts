import { dtmfDigitOf, type DtmfDigit } from '../rtp/dtmf-digit.js';
import type { TelephoneEvent } from '../rtp/telephone-event.js';

/**
 * Turns one sender's telephone-event packets into key presses: a digit when an event ends.
 * Every packet of one event carries the event's start timestamp and the end packet is sent
 * three times (RFC 4733 §2.5.1.4), so an end with an already reported timestamp is a
 * retransmission.
 */
export class TelephoneEventDetector {
  private reported = false;
  private lastTimestamp = 0;

  observe(timestamp: number, event: TelephoneEvent): DtmfDigit | undefined {
    if (!event.end) return undefined;
    if (this.reported && timestamp === this.lastTimestamp) return undefined;
    this.reported = true;
    this.lastTimestamp = timestamp;
    return dtmfDigitOf(event.event);
  }

  /** A new phone or a new negotiation starts a new timestamp space. */
  reset(): void {
    this.reported = false;
  }
}
