import { type Clock, type TimerCallback, type TimerHandle, runTimerCallback } from './clock.js';

export interface FakeClockOptions {
  /** The value now() starts at. Default 0. */
  startMs?: number;
  /** runAll() gives up after firing this many timers, to expose a timer that re-arms forever. */
  runAllLimit?: number;
}

const DEFAULT_RUN_ALL_LIMIT = 100_000;

interface FakeEntry extends TimerHandle {
  readonly deadline: number;
  fire: TimerCallback | undefined;
}

/**
 * Clock for unit tests: time moves only when the test says so, and due timers fire in deadline
 * order (insertion order among equal deadlines), so state machines run deterministically and
 * never sleep. A callback that throws propagates out of advance()/runAll() to fail the test.
 */
export class FakeClock implements Clock {
  private current: number;
  private readonly runAllLimit: number;
  /** Pending timers sorted by deadline; equal deadlines keep insertion order. */
  private readonly queue: FakeEntry[] = [];

  constructor(options: FakeClockOptions = {}) {
    this.current = options.startMs ?? 0;
    this.runAllLimit = options.runAllLimit ?? DEFAULT_RUN_ALL_LIMIT;
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, fire: TimerCallback): TimerHandle {
    if (!Number.isFinite(delayMs)) throw new RangeError(`delayMs must be finite, got ${delayMs}`);
    const entry: FakeEntry = {
      deadline: this.current + Math.max(0, delayMs),
      fire,
      cancel: () => this.remove(entry),
    };
    this.queue.splice(this.insertionIndex(entry.deadline), 0, entry);
    return entry;
  }

  /**
   * Moves time forward by `ms`, firing every timer due by then, including timers those
   * callbacks set inside the window; now() reads each timer's deadline while it fires.
   * Returns how many timers fired.
   */
  advance(ms: number): number {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`advance(ms) needs ms >= 0, got ${ms}`);
    const target = this.current + ms;
    let fired = 0;
    while ((this.queue[0]?.deadline ?? Infinity) <= target) {
      this.fireFirst();
      fired++;
    }
    this.current = target;
    return fired;
  }

  /** Fires timers, moving time to each deadline, until none is pending. Returns how many fired. */
  runAll(): number {
    let fired = 0;
    while (this.queue.length > 0) {
      if (fired >= this.runAllLimit) {
        throw new Error(`runAll() fired ${fired} timers and more keep coming: a timer re-arms forever?`);
      }
      this.fireFirst();
      fired++;
    }
    return fired;
  }

  pendingCount(): number {
    return this.queue.length;
  }

  /** Absolute time of the earliest pending timer, or undefined when none is pending. */
  nextDeadline(): number | undefined {
    return this.queue[0]?.deadline;
  }

  private fireFirst(): void {
    const entry = this.queue.shift();
    if (entry === undefined) return;
    this.current = Math.max(this.current, entry.deadline);
    const fire = entry.fire;
    entry.fire = undefined;
    if (fire !== undefined) runTimerCallback(fire);
  }

  private remove(entry: FakeEntry): void {
    if (entry.fire === undefined) return;
    entry.fire = undefined;
    const index = this.queue.indexOf(entry);
    if (index >= 0) this.queue.splice(index, 1);
  }

  /** First index whose deadline is later than `deadline`, so equal deadlines stay FIFO. */
  private insertionIndex(deadline: number): number {
    let low = 0;
    let high = this.queue.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.queue[mid]?.deadline ?? Infinity) <= deadline) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
