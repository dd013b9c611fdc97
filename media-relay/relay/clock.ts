/** A scheduled callback that can be cancelled; cancel() is idempotent. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Time source and scheduler the relay is given, so timeouts can be driven by a fake clock in
 * tests. Structurally the same as the SIP stack's Clock, which media-relay may not import.
 */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Runs `fire` once after `delayMs` unless cancelled first. */
  setTimer(delayMs: number, fire: () => void): TimerHandle;
}
