/** A scheduled callback that can be cancelled; cancel() is idempotent. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Time source and scheduler injected into every layer that owns timers, so that state machines
 * can be driven by a fake clock in unit tests and by a shared timer wheel in production.
 */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Runs `fire` once after `delayMs` (>= 0) unless cancelled first. */
  setTimer(delayMs: number, fire: () => void): TimerHandle;
}
