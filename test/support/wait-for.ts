/**
 * Bounded waiting for tests: poll a condition, or race a promise against a deadline.
 * Tests never sleep a fixed time; every wait names what it waited for, so a failure on a
 * busy CI machine says which step was slow rather than just "timeout".
 */

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

export interface WaitForOptions {
  /** Give up after this long (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Poll period (default 10 ms). */
  readonly intervalMs?: number;
  /** What is awaited, for the error message ("B to receive 10 RTP packets"). */
  readonly what?: string;
}

type Falsy = false | 0 | '' | null | undefined;

/**
 * Poll `condition` until it returns a truthy value, and resolve with that value.
 * A condition that throws fails the wait at once (a broken probe should not look like a timeout).
 */
export async function waitFor<T>(
  condition: () => T | Falsy | Promise<T | Falsy>,
  options: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() >= deadline) {
      throw new TimeoutError(`timed out after ${timeoutMs} ms waiting for ${options.what ?? 'condition'}`);
    }
    await delay(Math.min(intervalMs, Math.max(1, deadline - Date.now())));
  }
}

/** Resolve with `promise`, or reject with a TimeoutError naming `what` after `timeoutMs`. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Best-effort step during cleanup: bounded, and never throws. */
export async function bestEffort(promise: Promise<unknown>, timeoutMs: number): Promise<void> {
  try {
    await withTimeout(promise, timeoutMs, 'best-effort cleanup step');
  } catch {
    // Cleanup goes on regardless: the peer may already be gone.
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
