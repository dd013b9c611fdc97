import { describe, expect, it } from 'vitest';
import { TwoXxRetransmitter } from '../../../../sip-stack/dialog/two-xx-retransmitter.js';
import { FakeClock } from '../../../../sip-stack/timers/fake-clock.js';
import { makeTimerConfig } from '../../../../sip-stack/timers/timer-config.js';

const timers = makeTimerConfig();

describe('TwoXxRetransmitter (RFC 3261 §13.3.1.4)', () => {
  it('MUST retransmit the 2xx at T1, 2T1, 4T1... capped at T2 until 64*T1, then report no ACK', () => {
    const clock = new FakeClock();
    const sentAt: number[] = [];
    let gaveUp = 0;
    new TwoXxRetransmitter(clock, timers, () => sentAt.push(clock.now()), () => gaveUp++, false);
    clock.advance(timers.h + 1);
    expect(sentAt.slice(0, 5)).toEqual([500, 1500, 3500, 7500, 11500]);
    expect(sentAt.every((t) => t < timers.h)).toBe(true);
    expect(gaveUp).toBe(1);
    expect(clock.pendingCount()).toBe(0);
  });

  it('stops retransmitting once the ACK arrives', () => {
    const clock = new FakeClock();
    let sent = 0;
    let gaveUp = 0;
    const r = new TwoXxRetransmitter(clock, timers, () => sent++, () => gaveUp++, false);
    clock.advance(600);
    r.acknowledged();
    clock.advance(timers.h);
    expect(sent).toBe(1);
    expect(gaveUp).toBe(0);
    expect(clock.pendingCount()).toBe(0);
  });

  it('does not retransmit on a reliable transport but still gives up after 64*T1', () => {
    const clock = new FakeClock();
    let sent = 0;
    let gaveUp = 0;
    new TwoXxRetransmitter(clock, timers, () => sent++, () => gaveUp++, true);
    clock.advance(timers.h);
    expect(sent).toBe(0);
    expect(gaveUp).toBe(1);
  });
});
