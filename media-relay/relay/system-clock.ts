import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from './clock.js';

/** The real clock: monotonic time; timers are unref'd so a relay alone keeps no process alive. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(delayMs: number, fire: () => void): TimerHandle {
    const timer = setTimeout(fire, Math.max(0, delayMs));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
