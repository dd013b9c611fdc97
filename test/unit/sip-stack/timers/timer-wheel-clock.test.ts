import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimerWheelClock } from '../../../../sip-stack/timers/timer-wheel-clock.js';

const TICK = 10;

describe('TimerWheelClock on vitest fake timers', () => {
  let clock: TimerWheelClock;

  beforeEach(() => {
    vi.useFakeTimers();
    clock = new TimerWheelClock({ tickMs: TICK });
  });

  afterEach(() => {
    clock.dispose();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('never fires early and fires within a tick of the deadline', () => {
    const setAt = clock.now();
    let firedAt: number | undefined;
    clock.setTimer(25, () => { firedAt = clock.now(); });
    vi.advanceTimersByTime(24);
    expect(firedAt).toBeUndefined();
    vi.advanceTimersByTime(1 + TICK);
    expect(firedAt).toBeDefined();
    expect(firedAt! - setAt).toBeGreaterThanOrEqual(25);
    expect(firedAt! - setAt).toBeLessThanOrEqual(25 + TICK);
  });

  it('fires equal deadlines in insertion order and a tick\'s batch in deadline order', () => {
    const fired: string[] = [];
    clock.setTimer(9, () => fired.push('late'));
    clock.setTimer(5, () => fired.push('early1'));
    clock.setTimer(5, () => fired.push('early2'));
    clock.setTimer(5, () => fired.push('early3'));
    vi.advanceTimersByTime(3 * TICK);
    expect(fired).toEqual(['early1', 'early2', 'early3', 'late']);
  });

  it('fires a timer given as an object through its onTimer method, and not once cancelled', () => {
    const fired: string[] = [];
    const target = { name: 'J', onTimer(): void { fired.push(this.name); } };
    clock.setTimer(20, target);
    clock.setTimer(20, { onTimer: () => fired.push('cancelled') }).cancel();
    vi.advanceTimersByTime(40);
    expect(fired).toEqual(['J']);
  });

  it('fires a zero delay on the next tick', () => {
    let fired = false;
    clock.setTimer(0, () => { fired = true; });
    expect(fired).toBe(false);
    vi.advanceTimersByTime(TICK);
    expect(fired).toBe(true);
  });

  it('keeps 50,000 pending timers on one Node timer', () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    let fired = 0;
    let lastFiredDeadline = -Infinity;
    let outOfOrder = 0;
    let early = 0;
    for (let i = 0; i < 50_000; i++) {
      const delay = 1000 + (i % 31_000);
      const deadline = clock.now() + delay;
      clock.setTimer(delay, () => {
        if (clock.now() < deadline) early++;
        if (deadline < lastFiredDeadline) outOfOrder++;
        lastFiredDeadline = deadline;
        fired++;
      });
    }
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(1);
    expect(clock.pendingCount()).toBe(50_000);
    for (let step = 0; step < 33; step++) {
      vi.advanceTimersByTime(1000);
      expect(vi.getTimerCount()).toBeLessThanOrEqual(1);
    }
    expect(fired).toBe(50_000);
    expect(outOfOrder).toBe(0);
    expect(early).toBe(0);
    expect(clock.pendingCount()).toBe(0);
  });

  it('unrefs its Node timer so it never holds the process open', () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    clock.setTimer(100, () => undefined);
    const nodeTimer = setTimeoutSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(nodeTimer.hasRef()).toBe(false);
  });

  it('stops ticking once nothing is pending, and restarts for the next timer', () => {
    clock.setTimer(20, () => undefined);
    vi.advanceTimersByTime(20 + TICK);
    expect(vi.getTimerCount()).toBe(0);

    let fired = false;
    clock.setTimer(15, () => { fired = true; });
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(15 + TICK);
    expect(fired).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops ticking within a tick of the last cancel', () => {
    clock.setTimer(5000, () => undefined).cancel();
    vi.advanceTimersByTime(TICK);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cancel is idempotent, and harmless after the timer fired', () => {
    let count = 0;
    const cancelled = clock.setTimer(20, () => count++);
    const fires = clock.setTimer(20, () => count++);
    cancelled.cancel();
    cancelled.cancel();
    expect(clock.pendingCount()).toBe(1);
    vi.advanceTimersByTime(20 + TICK);
    expect(count).toBe(1);
    fires.cancel();
    fires.cancel();
    expect(clock.pendingCount()).toBe(0);
  });

  it('leaves nothing behind after many set/cancel cycles', () => {
    const keeper = clock.setTimer(60_000, () => undefined);
    for (let i = 0; i < 200_000; i++) clock.setTimer(i % 40_000, () => undefined).cancel();
    expect(clock.pendingCount()).toBe(1);
    keeper.cancel();
    expect(clock.pendingCount()).toBe(0);
    vi.advanceTimersByTime(TICK);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports a throwing callback through onError and keeps firing the rest', () => {
    const errors: unknown[] = [];
    clock = new TimerWheelClock({ tickMs: TICK, onError: (error) => errors.push(error) });
    const fired: string[] = [];
    const boom = new Error('boom');
    clock.setTimer(10, () => { throw boom; });
    clock.setTimer(10, () => fired.push('same tick'));
    clock.setTimer(50, () => fired.push('later'));
    vi.advanceTimersByTime(50 + TICK);
    expect(errors).toEqual([boom]);
    expect(fired).toEqual(['same tick', 'later']);
  });

  it('survives an onError that throws too', () => {
    clock = new TimerWheelClock({ tickMs: TICK, onError: () => { throw new Error('sink broke'); } });
    let fired = false;
    clock.setTimer(10, () => { throw new Error('boom'); });
    clock.setTimer(30, () => { fired = true; });
    vi.advanceTimersByTime(30 + TICK);
    expect(fired).toBe(true);
  });

  it('emits a process warning when no onError is given', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    clock.setTimer(10, () => { throw new Error('boom'); });
    vi.advanceTimersByTime(10 + TICK);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('runs timers set from inside a callback, never before their own deadline', () => {
    const fired: Array<{ name: string; early: boolean }> = [];
    clock.setTimer(10, () => {
      const setAt = clock.now();
      clock.setTimer(0, () => fired.push({ name: 'zero', early: clock.now() < setAt }));
      clock.setTimer(30, () => fired.push({ name: 'thirty', early: clock.now() < setAt + 30 }));
    });
    vi.advanceTimersByTime(10 + TICK + 30 + TICK);
    expect(fired).toEqual([{ name: 'zero', early: false }, { name: 'thirty', early: false }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('lets a callback cancel a sibling due in the same tick', () => {
    const fired: string[] = [];
    clock.setTimer(10, () => { fired.push('first'); sibling.cancel(); });
    const sibling = clock.setTimer(10, () => fired.push('sibling'));
    vi.advanceTimersByTime(10 + TICK);
    expect(fired).toEqual(['first']);
    expect(clock.pendingCount()).toBe(0);
  });

  it('fires timers longer than a turn of the wheel, not before their deadline', () => {
    clock = new TimerWheelClock({ tickMs: TICK, slots: 8 });
    const setAt = clock.now();
    const firedAt: number[] = [];
    for (const delay of [35, 250, 1000]) clock.setTimer(delay, () => firedAt.push(clock.now() - setAt));
    vi.advanceTimersByTime(1000 + TICK);
    expect(firedAt).toHaveLength(3);
    expect(firedAt[0]).toBeGreaterThanOrEqual(35);
    expect(firedAt[1]).toBeGreaterThanOrEqual(250);
    expect(firedAt[2]).toBeGreaterThanOrEqual(1000);
  });

  it('catches up after the event loop stalls, in deadline order', () => {
    clock = new TimerWheelClock({ tickMs: TICK, slots: 8 });
    const start = clock.now();
    const fired: number[] = [];
    for (const delay of [500, 20, 5000, 90]) clock.setTimer(delay, () => fired.push(delay));
    // The first wake-up finds that 600 ms went by, many turns of this small wheel.
    vi.spyOn(clock, 'now').mockReturnValue(start + 600);
    vi.advanceTimersByTime(TICK);
    expect(fired).toEqual([20, 90, 500]);
    expect(clock.pendingCount()).toBe(1);
  });

  it('retries next tick a deadline that float rounding puts just past its tick', () => {
    let fakeNow = 0;
    clock = new TimerWheelClock({ tickMs: 0.3 });
    vi.spyOn(clock, 'now').mockImplementation(() => fakeNow);
    let fired = false;
    // 77.7 / 0.3 rounds to exactly 259, yet 77.69999999999999 also lands in tick 259.
    clock.setTimer(77.7, () => { fired = true; });
    fakeNow = 77.69999999999999;
    vi.advanceTimersByTime(1);
    expect(fired).toBe(false);
    fakeNow = 78;
    vi.advanceTimersByTime(1);
    expect(fired).toBe(true);
  });

  it('dispose cancels everything, stops the Node timer, and is idempotent', () => {
    let fired = 0;
    for (let i = 0; i < 100; i++) clock.setTimer(i * 10, () => fired++);
    clock.dispose();
    clock.dispose();
    expect(clock.pendingCount()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(2000);
    expect(fired).toBe(0);
  });

  it('ignores timers set after dispose', () => {
    clock.dispose();
    let fired = false;
    const handle = clock.setTimer(10, () => { fired = true; });
    handle.cancel();
    vi.advanceTimersByTime(100);
    expect(fired).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops the rest of a tick\'s batch when a callback disposes the clock', () => {
    const fired: string[] = [];
    clock.setTimer(10, () => { fired.push('first'); clock.dispose(); });
    clock.setTimer(10, () => fired.push('second'));
    vi.advanceTimersByTime(10 + TICK);
    expect(fired).toEqual(['first']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects a bad configuration and a non-finite delay', () => {
    expect(() => new TimerWheelClock({ tickMs: 0 })).toThrow(RangeError);
    expect(() => new TimerWheelClock({ slots: 0 })).toThrow(RangeError);
    expect(() => new TimerWheelClock({ slots: 1.5 })).toThrow(RangeError);
    expect(() => clock.setTimer(Number.POSITIVE_INFINITY, () => undefined)).toThrow(RangeError);
  });
});

describe('TimerWheelClock in real time', () => {
  const clocks: TimerWheelClock[] = [];

  afterEach(() => {
    for (const clock of clocks.splice(0)) clock.dispose();
  });

  function firedAfter(clock: TimerWheelClock, delay: number): Promise<number> {
    const setAt = clock.now();
    return new Promise((resolve) => clock.setTimer(delay, () => resolve(clock.now() - setAt)));
  }

  it('fires real timers no earlier than their deadlines', async () => {
    const clock = new TimerWheelClock();
    clocks.push(clock);
    const elapsed = await Promise.all([5, 15, 40].map((delay) => firedAfter(clock, delay)));
    expect(elapsed[0]).toBeGreaterThanOrEqual(5);
    expect(elapsed[1]).toBeGreaterThanOrEqual(15);
    expect(elapsed[2]).toBeGreaterThanOrEqual(40);
    expect(clock.pendingCount()).toBe(0);
  });

  it('reads a monotonic clock', () => {
    const clock = new TimerWheelClock();
    const first = clock.now();
    expect(clock.now()).toBeGreaterThanOrEqual(first);
  });

  it('unrefs its real Node timer', () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const clock = new TimerWheelClock();
    clocks.push(clock);
    clock.setTimer(1000, () => undefined);
    const nodeTimer = setTimeoutSpy.mock.results[0]?.value as NodeJS.Timeout;
    setTimeoutSpy.mockRestore();
    expect(nodeTimer.hasRef()).toBe(false);
  });
});
