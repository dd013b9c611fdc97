import { type Clock, type TimerCallback, type TimerHandle, runTimerCallback } from './clock.js';

export interface TimerWheelOptions {
  /** Wheel resolution in ms: timers fire up to one tick late, never early. Default 10. */
  tickMs?: number;
  /**
   * Number of slots. The default, 4096 slots of 10 ms, spans 40.96 s, so 64*T1 (32 s) and
   * every shorter RFC 3261 timer fires on its first visit; longer timers wait whole turns.
   */
  slots?: number;
  /** Receives whatever a timer callback throws; the wheel itself carries on. */
  onError?: (error: unknown) => void;
}

const DEFAULT_TICK_MS = 10;
const DEFAULT_SLOTS = 4096;

/** linked: waiting in a slot; due: swept into the batch being fired; done: fired or cancelled. */
type EntryState = 'linked' | 'due' | 'done';

function noop(): void {}

const INERT_HANDLE: TimerHandle = { cancel: noop };

/** One scheduled timer; doubles as its own handle and as a node of its slot's list. */
class WheelEntry implements TimerHandle {
  prev: WheelEntry | undefined = undefined;
  next: WheelEntry | undefined = undefined;
  slot = 0;
  state: EntryState = 'linked';

  constructor(
    private readonly wheel: TimerWheelClock,
    readonly deadline: number,
    readonly seq: number,
    public tick: number,
    public fire: TimerCallback,
  ) {}

  cancel(): void {
    this.wheel.cancelEntry(this);
  }
}

function byDeadlineThenSeq(a: WheelEntry, b: WheelEntry): number {
  return a.deadline - b.deadline || a.seq - b.seq;
}

function reportToProcess(error: unknown): void {
  process.emitWarning(error instanceof Error ? error : String(error), 'TimerCallbackError');
}

/**
 * Production clock: a hashed timing wheel driven by at most one unref'd Node timer, so tens of
 * thousands of live transactions cost one wake-up per tick instead of tens of thousands of
 * Node timers. Each slot is an intrusive doubly-linked list, so set and cancel are O(1) and a
 * cancelled entry is unlinked at once rather than lingering until its slot comes round.
 */
export class TimerWheelClock implements Clock {
  private readonly tickMs: number;
  private readonly slotCount: number;
  private readonly onError: (error: unknown) => void;
  private readonly heads: (WheelEntry | undefined)[];
  private readonly tails: (WheelEntry | undefined)[];
  /** Every tick up to and including this one has been swept. */
  private lastTick = 0;
  private seq = 0;
  private size = 0;
  private nodeTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  private firing = false;
  private disposed = false;
  /** Entries swept this tick, fired in deadline order; reused from tick to tick. */
  private readonly batch: WheelEntry[] = [];

  constructor(options: TimerWheelOptions = {}) {
    this.tickMs = options.tickMs ?? DEFAULT_TICK_MS;
    this.slotCount = options.slots ?? DEFAULT_SLOTS;
    if (!(this.tickMs > 0) || !Number.isFinite(this.tickMs)) {
      throw new RangeError(`tickMs must be a positive number, got ${this.tickMs}`);
    }
    if (!Number.isInteger(this.slotCount) || this.slotCount < 1) {
      throw new RangeError(`slots must be a positive integer, got ${this.slotCount}`);
    }
    this.onError = options.onError ?? reportToProcess;
    this.heads = new Array<WheelEntry | undefined>(this.slotCount).fill(undefined);
    this.tails = new Array<WheelEntry | undefined>(this.slotCount).fill(undefined);
  }

  now(): number {
    return performance.now();
  }

  setTimer(delayMs: number, fire: TimerCallback): TimerHandle {
    if (!Number.isFinite(delayMs)) throw new RangeError(`delayMs must be finite, got ${delayMs}`);
    const now = this.now();
    // Owners may still be winding down during shutdown; their late timers simply never fire.
    if (this.disposed) return INERT_HANDLE;
    // Idle means no entry is linked anywhere, so jumping the sweep position forward skips nothing.
    if (this.isIdle()) this.lastTick = Math.floor(now / this.tickMs);
    const deadline = now + Math.max(0, delayMs);
    const entry = new WheelEntry(this, deadline, this.seq++, this.tickFor(deadline), fire);
    this.link(entry);
    this.size++;
    if (!this.firing) this.arm(now);
    return entry;
  }

  /** Timers set and neither fired nor cancelled. */
  pendingCount(): number {
    return this.size;
  }

  /** Cancels every timer and stops the Node timer; the clock then accepts no new timers. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disarm();
    for (let slot = 0; slot < this.slotCount; slot++) this.dropSlot(slot);
    // If dispose() runs inside a callback, the batch loop sees these as done and skips them.
    for (const entry of this.batch) this.retire(entry);
    this.size = 0;
  }

  /** @internal Called by a handle; safe in any state, so cancel() stays idempotent. */
  cancelEntry(entry: WheelEntry): void {
    if (entry.state === 'done') return;
    if (entry.state === 'linked') this.unlink(entry);
    this.retire(entry);
    this.size--;
  }

  private isIdle(): boolean {
    return this.nodeTimer === undefined && !this.firing;
  }

  /** The first tick whose boundary is at or past the deadline, and never one already swept. */
  private tickFor(deadline: number): number {
    return Math.max(Math.ceil(deadline / this.tickMs), this.lastTick + 1);
  }

  private arm(now: number): void {
    if (this.nodeTimer !== undefined) return;
    const nextBoundary = (this.lastTick + 1) * this.tickMs;
    const delay = Math.max(1, Math.ceil(nextBoundary - now));
    this.nodeTimer = setTimeout(this.onNodeTimer, delay);
    this.nodeTimer.unref();
  }

  private disarm(): void {
    if (this.nodeTimer === undefined) return;
    clearTimeout(this.nodeTimer);
    this.nodeTimer = undefined;
  }

  private readonly onNodeTimer = (): void => {
    this.nodeTimer = undefined;
    const now = this.now();
    this.firing = true;
    try {
      this.sweepTo(now);
      this.fireBatch();
    } finally {
      this.firing = false;
    }
    // Stopping only here, never on cancel, keeps set/cancel churn from re-arming Node timers.
    if (this.size > 0 && !this.disposed) this.arm(this.now());
  };

  /** Moves every due entry into the batch; catching up after a stall visits each slot once. */
  private sweepTo(now: number): void {
    const currentTick = Math.floor(now / this.tickMs);
    const behind = currentTick - this.lastTick;
    const visits = Math.min(behind, this.slotCount);
    const firstTick = currentTick - visits + 1;
    this.lastTick = Math.max(this.lastTick, currentTick);
    for (let tick = firstTick; tick <= currentTick; tick++) this.sweepSlot(tick, now);
    if (this.batch.length > 1) this.batch.sort(byDeadlineThenSeq);
  }

  private sweepSlot(tick: number, now: number): void {
    let entry = this.heads[this.slotOf(tick)];
    while (entry !== undefined) {
      const next = entry.next;
      if (entry.deadline <= now) this.makeDue(entry);
      // Float rounding can place a deadline a hair past its tick boundary: retry next tick
      // rather than wait a whole turn of the wheel.
      else if (entry.tick <= this.lastTick) this.relink(entry);
      entry = next;
    }
  }

  private makeDue(entry: WheelEntry): void {
    this.unlink(entry);
    entry.state = 'due';
    this.batch.push(entry);
  }

  private relink(entry: WheelEntry): void {
    this.unlink(entry);
    entry.tick = this.lastTick + 1;
    this.link(entry);
  }

  private fireBatch(): void {
    const batch = this.batch;
    for (const entry of batch) {
      // An earlier callback in this batch may have cancelled it, or disposed the wheel.
      if (entry.state !== 'due') continue;
      const fire = entry.fire;
      this.retire(entry);
      this.size--;
      this.invoke(fire);
    }
    batch.length = 0;
  }

  private invoke(fire: TimerCallback): void {
    try {
      runTimerCallback(fire);
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    try {
      this.onError(error);
    } catch {
      // A faulty error sink must not take the wheel down with it either.
    }
  }

  /** Drops the callback so a finished handle kept by its owner does not pin a closure. */
  private retire(entry: WheelEntry): void {
    entry.state = 'done';
    entry.fire = noop;
  }

  private slotOf(tick: number): number {
    return tick % this.slotCount;
  }

  private link(entry: WheelEntry): void {
    const slot = this.slotOf(entry.tick);
    const tail = this.tails[slot];
    entry.slot = slot;
    entry.state = 'linked';
    entry.prev = tail;
    entry.next = undefined;
    if (tail === undefined) this.heads[slot] = entry;
    else tail.next = entry;
    this.tails[slot] = entry;
  }

  private unlink(entry: WheelEntry): void {
    const { prev, next, slot } = entry;
    if (prev === undefined) this.heads[slot] = next;
    else prev.next = next;
    if (next === undefined) this.tails[slot] = prev;
    else next.prev = prev;
    entry.prev = undefined;
    entry.next = undefined;
  }

  private dropSlot(slot: number): void {
    let entry = this.heads[slot];
    while (entry !== undefined) {
      const next = entry.next;
      entry.prev = undefined;
      entry.next = undefined;
      this.retire(entry);
      entry = next;
    }
    this.heads[slot] = undefined;
    this.tails[slot] = undefined;
  }
}
