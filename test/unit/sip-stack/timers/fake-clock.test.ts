import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../sip-stack/timers/fake-clock.js';

describe('FakeClock', () => {
  it('starts at 0, or at startMs, and moves only on advance', () => {
    expect(new FakeClock().now()).toBe(0);
    const clock = new FakeClock({ startMs: 1000 });
    expect(clock.now()).toBe(1000);
    clock.advance(250);
    expect(clock.now()).toBe(1250);
  });

  it('fires due timers in deadline order, equal deadlines in insertion order', () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    clock.setTimer(30, () => fired.push('c'));
    clock.setTimer(10, () => fired.push('a1'));
    clock.setTimer(20, () => fired.push('b'));
    clock.setTimer(10, () => fired.push('a2'));
    expect(clock.advance(25)).toBe(3);
    expect(fired).toEqual(['a1', 'a2', 'b']);
    clock.advance(5);
    expect(fired).toEqual(['a1', 'a2', 'b', 'c']);
  });

  it('never fires a timer before its deadline', () => {
    const clock = new FakeClock();
    let fired = false;
    clock.setTimer(100, () => { fired = true; });
    clock.advance(99);
    expect(fired).toBe(false);
    clock.advance(1);
    expect(fired).toBe(true);
  });

  it('shows each timer its own deadline as now() while it fires', () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    clock.setTimer(10, () => seen.push(clock.now()));
    clock.setTimer(40, () => seen.push(clock.now()));
    clock.advance(100);
    expect(seen).toEqual([10, 40]);
    expect(clock.now()).toBe(100);
  });

  it('fires timers set during advance that fall inside the window, and keeps the rest', () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    clock.setTimer(10, () => {
      fired.push('outer');
      clock.setTimer(0, () => fired.push('immediate'));
      clock.setTimer(20, () => fired.push('inside'));
      clock.setTimer(200, () => fired.push('outside'));
    });
    clock.advance(50);
    expect(fired).toEqual(['outer', 'immediate', 'inside']);
    expect(clock.pendingCount()).toBe(1);
    expect(clock.nextDeadline()).toBe(210);
  });

  it('cancel is idempotent, safe after firing, and removes the timer', () => {
    const clock = new FakeClock();
    let count = 0;
    const cancelled = clock.setTimer(10, () => count++);
    const kept = clock.setTimer(10, () => count++);
    cancelled.cancel();
    cancelled.cancel();
    expect(clock.pendingCount()).toBe(1);
    clock.advance(10);
    kept.cancel();
    expect(count).toBe(1);
    expect(clock.pendingCount()).toBe(0);
  });

  it('lets a callback cancel a timer due in the same advance', () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    clock.setTimer(10, () => { fired.push('first'); second.cancel(); });
    const second = clock.setTimer(10, () => fired.push('second'));
    clock.advance(10);
    expect(fired).toEqual(['first']);
  });

  it('reports the next deadline and the pending count', () => {
    const clock = new FakeClock();
    expect(clock.nextDeadline()).toBeUndefined();
    const late = clock.setTimer(50, () => undefined);
    clock.setTimer(80, () => undefined);
    expect(clock.nextDeadline()).toBe(50);
    expect(clock.pendingCount()).toBe(2);
    late.cancel();
    expect(clock.nextDeadline()).toBe(80);
  });

  it('runAll fires everything, chained timers included, moving time to the last deadline', () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    clock.setTimer(500, () => {
      fired.push(clock.now());
      clock.setTimer(1000, () => fired.push(clock.now()));
    });
    expect(clock.runAll()).toBe(2);
    expect(fired).toEqual([500, 1500]);
    expect(clock.now()).toBe(1500);
    expect(clock.pendingCount()).toBe(0);
  });

  it('runAll gives up on a timer that re-arms forever', () => {
    const clock = new FakeClock({ runAllLimit: 100 });
    const rearm = (): void => { clock.setTimer(10, rearm); };
    rearm();
    expect(() => clock.runAll()).toThrow(/re-arms forever/);
  });

  it('lets a throwing callback fail the test', () => {
    const clock = new FakeClock();
    clock.setTimer(10, () => { throw new Error('boom'); });
    expect(() => clock.advance(20)).toThrow('boom');
    expect(clock.pendingCount()).toBe(0);
  });

  it('treats a negative delay as zero and rejects nonsense', () => {
    const clock = new FakeClock();
    let fired = false;
    clock.setTimer(-5, () => { fired = true; });
    clock.advance(0);
    expect(fired).toBe(true);
    expect(() => clock.setTimer(Number.NaN, () => undefined)).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});
