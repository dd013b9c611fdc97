import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../sip-stack/timers/fake-clock.js';
import { TransactionTimers } from '../../../../sip-stack/transaction/transaction-timers.js';
import type { TimerName } from '../../../../sip-stack/transaction/transaction-events.js';

function setup() {
  const clock = new FakeClock();
  const fired: TimerName[] = [];
  const timers = new TransactionTimers<'A' | 'B'>(clock, { handle: ({ timer }) => { fired.push(timer); } });
  return { clock, fired, timers };
}

describe('TransactionTimers', () => {
  it('turns each firing into a named timer event, once', () => {
    const { clock, fired, timers } = setup();
    timers.arm('A', 10);
    timers.arm('B', 20);
    clock.advance(20);
    expect(fired).toEqual(['A', 'B']);
    expect(timers.isArmed('A')).toBe(false);
    expect(clock.pendingCount()).toBe(0);
  });

  it('re-arming a timer replaces the earlier one rather than adding a second', () => {
    const { clock, fired, timers } = setup();
    timers.arm('A', 10);
    timers.arm('A', 30);
    expect(clock.pendingCount()).toBe(1);
    clock.advance(29);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual(['A']);
  });

  it('clear() and clearAll() cancel timers on the clock', () => {
    const { clock, fired, timers } = setup();
    timers.arm('A', 10);
    timers.arm('B', 10);
    timers.clear('A');
    expect(timers.isArmed('A')).toBe(false);
    expect(timers.isArmed('B')).toBe(true);
    timers.clearAll();
    timers.clearAll();
    expect(clock.pendingCount()).toBe(0);
    clock.advance(100);
    expect(fired).toEqual([]);
  });
});
