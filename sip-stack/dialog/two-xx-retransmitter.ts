import type { Clock, TimerHandle } from '../timers/clock.js';
import type { TimerConfig } from '../timers/timer-config.js';

/**
 * RFC 3261 §13.3.1.4: the UAS core (not the transaction) retransmits a 2xx to INVITE, starting
 * at T1 and doubling up to T2, until the ACK arrives; after 64*T1 without one it gives up and
 * the dialog should be ended with BYE. On a reliable transport the 2xx is sent once.
 */
export class TwoXxRetransmitter {
  private timer: TimerHandle | undefined;
  private interval: number;
  private elapsed = 0;
  private done = false;

  constructor(
    private readonly clock: Clock,
    private readonly timers: TimerConfig,
    private readonly resend: () => void,
    private readonly onNoAck: () => void,
    reliable: boolean,
  ) {
    this.interval = timers.t1;
    this.arm(reliable ? timers.h : timers.t1);
  }

  /** The ACK arrived. */
  acknowledged(): void {
    this.dispose();
  }

  dispose(): void {
    this.done = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private arm(delay: number): void {
    this.timer = this.clock.setTimer(delay, () => this.fire(delay));
  }

  private fire(delay: number): void {
    if (this.done) return;
    this.elapsed += delay;
    if (this.elapsed >= this.timers.h) {
      this.dispose();
      this.onNoAck();
      return;
    }
    this.resend();
    this.interval = Math.min(this.interval * 2, this.timers.t2);
    this.arm(Math.min(this.interval, this.timers.h - this.elapsed));
  }
}
