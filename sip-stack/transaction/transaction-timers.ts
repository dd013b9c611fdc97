import type { Clock, TimerHandle } from '../timers/clock.js';
import type { TimerName } from './transaction-events.js';

/**
 * The named timers one transaction has armed. Each firing is turned into a timer event for the
 * state machine, so timers are ordinary inputs and a state change can clear them all at once.
 * Every timer goes through the injected Clock: in production a timer wheel, so live
 * transactions never cost one Node timer each.
 */
export class TransactionTimers<T extends TimerName> {
  private readonly armed = new Map<T, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly fire: (timer: T) => void,
  ) {}

  /** (Re)starts `timer`; an earlier arming of the same timer is cancelled first. */
  arm(timer: T, delayMs: number): void {
    this.armed.get(timer)?.cancel();
    const handle = this.clock.setTimer(delayMs, () => {
      this.armed.delete(timer);
      this.fire(timer);
    });
    this.armed.set(timer, handle);
  }

  clear(timer: T): void {
    this.armed.get(timer)?.cancel();
    this.armed.delete(timer);
  }

  clearAll(): void {
    for (const handle of this.armed.values()) handle.cancel();
    this.armed.clear();
  }

  isArmed(timer: T): boolean {
    return this.armed.has(timer);
  }
}
