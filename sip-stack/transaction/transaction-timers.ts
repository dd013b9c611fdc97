import type { Clock, TimerHandle, TimerTarget } from '../timers/clock.js';
import type { TimerFired, TimerName } from './transaction-events.js';

/** The transaction the timers belong to: its state machine takes their firings as events. */
export interface TimerOwner<T extends TimerName> {
  handle(event: TimerFired<T>): void;
}

/**
 * One armed timer, a link in its transaction's list, and what the clock calls when it fires:
 * one object per armed timer, where a callback would cost a closure and its context as well.
 */
class Armed<T extends TimerName> implements TimerTarget {
  handle: TimerHandle | undefined = undefined;

  constructor(
    readonly timer: T,
    private readonly timers: TransactionTimers<T>,
    public next: Armed<T> | undefined,
  ) {}

  onTimer(): void {
    this.timers.fired(this.timer);
  }
}

/**
 * The named timers one transaction has armed. Each firing is turned into a timer event for the
 * state machine, so timers are ordinary inputs and a state change can clear them all at once.
 * Every timer goes through the injected Clock: in production a timer wheel, so live
 * transactions never cost one Node timer each. No state of §17 runs more than two timers, so
 * they sit in a short list: a Map would cost every live transaction a hash table.
 */
export class TransactionTimers<T extends TimerName> {
  private head: Armed<T> | undefined = undefined;

  /** Takes the owner itself rather than a callback: one closure less per live transaction. */
  constructor(
    private readonly clock: Clock,
    private readonly owner: TimerOwner<T>,
  ) {}

  /** (Re)starts `timer`; an earlier arming of the same timer is cancelled first. */
  arm(timer: T, delayMs: number): void {
    this.clear(timer);
    const armed = new Armed(timer, this, this.head);
    armed.handle = this.clock.setTimer(delayMs, armed);
    this.head = armed;
  }

  /** @internal Called by the armed timer when its clock fires it. */
  fired(timer: T): void {
    this.unlink(timer);
    this.owner.handle({ type: 'timer', timer });
  }

  clear(timer: T): void {
    this.unlink(timer)?.cancel();
  }

  clearAll(): void {
    for (let armed = this.head; armed !== undefined; armed = armed.next) armed.handle?.cancel();
    this.head = undefined;
  }

  isArmed(timer: T): boolean {
    for (let armed = this.head; armed !== undefined; armed = armed.next) if (armed.timer === timer) return true;
    return false;
  }

  /** Takes `timer` out of the list; returns its handle if it was there. */
  private unlink(timer: T): TimerHandle | undefined {
    let previous: Armed<T> | undefined;
    for (let armed = this.head; armed !== undefined; previous = armed, armed = armed.next) {
      if (armed.timer !== timer) continue;
      if (previous === undefined) this.head = armed.next;
      else previous.next = armed.next;
      return armed.handle;
    }
    return undefined;
  }
}
