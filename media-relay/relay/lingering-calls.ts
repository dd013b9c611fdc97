import type { Clock, TimerHandle } from './clock.js';
import type { RelayCall } from './relay-call.js';

interface Lingering {
  readonly call: RelayCall;
  readonly closeAt: number;
}

/**
 * Calls that have ended but whose ports still forward for `lingerMs`: the BYE and the last RTP
 * of a call race each other (they come on different sockets), so closing at once would refuse
 * the packets already on their way; and a port that stays bound a moment longer also keeps the
 * ended call's stragglers away from the port's next call. Every call lingers equally long, so a
 * FIFO and one timer for its head serve them all.
 */
export class LingeringCalls {
  private readonly queue: Lingering[] = [];
  private head = 0;
  private timer: TimerHandle | undefined = undefined;

  constructor(private readonly clock: Clock, private readonly lingerMs: number) {}

  get size(): number {
    return this.queue.length - this.head;
  }

  get timerActive(): boolean {
    return this.timer !== undefined;
  }

  /** Keeps `call` forwarding (without telling anyone of its digits) until its time is up. */
  add(call: RelayCall): void {
    call.drain();
    this.queue.push({ call, closeAt: this.clock.now() + this.lingerMs });
    this.schedule();
  }

  /** Closes the call that has lingered longest, for a live call that needs ports; false if none. */
  closeOldest(): boolean {
    const oldest = this.queue[this.head];
    if (oldest === undefined) return false;
    oldest.call.close();
    this.head++;
    this.compact();
    return true;
  }

  closeAll(): void {
    this.timer?.cancel();
    this.timer = undefined;
    for (let i = this.head; i < this.queue.length; i++) this.queue[i]?.call.close();
    this.queue.length = 0;
    this.head = 0;
  }

  private schedule(): void {
    const next = this.queue[this.head];
    if (this.timer !== undefined || next === undefined) return;
    this.timer = this.clock.setTimer(Math.max(0, next.closeAt - this.clock.now()), this.expire);
  }

  private readonly expire = (): void => {
    this.timer = undefined;
    const now = this.clock.now();
    for (let next = this.queue[this.head]; next !== undefined && next.closeAt <= now; next = this.queue[this.head]) {
      next.call.close();
      this.head++;
    }
    this.compact();
    this.schedule();
  };

  /** Drops the closed prefix once it is most of the array, so the queue never grows unbounded. */
  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
