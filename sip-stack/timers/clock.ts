/** A scheduled callback that can be cancelled; cancel() is idempotent. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * What a timer calls when it fires, as an object: an owner with many live timers keeps one
 * object per timer instead of a closure and its context.
 */
export interface TimerTarget {
  onTimer(): void;
}

/** A timer's callback, either form. */
export type TimerCallback = (() => void) | TimerTarget;

/** Runs a timer's callback, whichever form it has. */
export function runTimerCallback(fire: TimerCallback): void {
  if (typeof fire === 'function') fire();
  else fire.onTimer();
}

/**
 * Time source and scheduler injected into every layer that owns timers, so that state machines
 * can be driven by a fake clock in unit tests and by a shared timer wheel in production.
 */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Runs `fire` once after `delayMs` (>= 0) unless cancelled first. */
  setTimer(delayMs: number, fire: TimerCallback): TimerHandle;
}
