/**
 * The nonce-count (`nc`) param and the server's memory of the highest count seen per nonce,
 * which is what lets it refuse a replayed request (RFC 7616 §3.4, §5.5).
 */
import { detachedText } from '../message/detached-text.js';

const NC_DIGITS = 8;

/** 8LHEX (RFC 7616 §3.4). */
export function formatNonceCount(count: number): string {
  if (!Number.isInteger(count) || count < 1 || count > 0xffffffff) {
    throw new RangeError(`nonce count out of range: ${count}`);
  }
  return count.toString(16).padStart(NC_DIGITS, '0');
}

/** Exactly 8 hex digits, either case; anything else gives undefined. */
export function parseNonceCount(value: string): number | undefined {
  if (value.length !== NC_DIGITS) return undefined;
  let count = 0;
  for (let i = 0; i < NC_DIGITS; i++) {
    const digit = hexDigit(value.charCodeAt(i));
    if (digit < 0) return undefined;
    count = count * 16 + digit;
  }
  return count;
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * accepted: the count is higher than any seen for this nonce, and is now recorded.
 * replay: it is not.
 * forgotten: the nonce may have been evicted to bound memory, so its history is unknown; the
 * server treats the nonce as stale and the client retries with a fresh one.
 */
export type CountVerdict = 'accepted' | 'replay' | 'forgotten';

interface CountEntry {
  count: number;
  readonly issuedAt: number;
}

/** How many expired entries one call may sweep, so no single request pays for a big cleanup. */
const SWEEP_BATCH = 8;
/** Fewer spent slots than this are never worth a copy. */
const COMPACT_AFTER = 1024;

/**
 * Highest nc per nonce in a Map bounded to `maxEntries`. Entries are kept in order of first use,
 * so the oldest (and soonest to expire) are swept or evicted first. Evicting a live entry raises
 * a floor: an untracked nonce issued at or before it might have been seen, so it is `forgotten`,
 * never silently accepted again with a count that was already used.
 *
 * The order is a queue of its own rather than the Map's iteration order: a Map deleted from the
 * front keeps the holes until it is rehashed, and every walk from the front steps over all of
 * them, so a full tracker (a busy registrar) paid for tens of thousands of holes per request.
 */
export class NonceCountTracker {
  private readonly entries = new Map<string, CountEntry>();
  /** Nonces in order of first use from index `oldest` on; the slots before it are spent. */
  private order: string[] = [];
  private oldest = 0;
  private forgottenUpTo = -Infinity;

  constructor(
    private readonly maxEntries: number,
    private readonly lifetimeMs: number,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be >= 1');
  }

  get size(): number {
    return this.entries.size;
  }

  /** Call only after the request's response digest has been verified, so forgeries cannot bump nc. */
  accept(nonce: string, issuedAt: number, count: number, now: number): CountVerdict {
    const entry = this.entries.get(nonce);
    if (entry !== undefined) {
      if (count <= entry.count) return 'replay';
      entry.count = count;
      return 'accepted';
    }
    if (issuedAt <= this.forgottenUpTo) return 'forgotten';
    if (count < 1) return 'replay';
    this.sweep(now);
    if (this.entries.size >= this.maxEntries) this.evictOldest(now);
    // The nonce is cut from the request's text: a copy of its own does not keep the request.
    const kept = detachedText(nonce);
    this.order.push(kept);
    this.entries.set(kept, { count, issuedAt });
    return 'accepted';
  }

  private isExpired(entry: CountEntry, now: number): boolean {
    return now - entry.issuedAt > this.lifetimeMs;
  }

  private sweep(now: number): void {
    for (let budget = SWEEP_BATCH; budget > 0 && this.entries.size > 0; budget--) {
      const entry = this.entries.get(this.order[this.oldest] ?? '');
      if (entry === undefined || !this.isExpired(entry, now)) return;
      this.dropOldest();
    }
  }

  private evictOldest(now: number): void {
    const entry = this.entries.get(this.order[this.oldest] ?? '');
    if (entry !== undefined && !this.isExpired(entry, now)) this.forgottenUpTo = Math.max(this.forgottenUpTo, entry.issuedAt);
    this.dropOldest();
  }

  private dropOldest(): void {
    this.entries.delete(this.order[this.oldest] ?? '');
    this.oldest++;
    // Spent slots are cut off once they are half the array: amortised O(1), memory ~ live entries.
    if (this.oldest >= COMPACT_AFTER && this.oldest * 2 >= this.order.length) {
      this.order = this.order.slice(this.oldest);
      this.oldest = 0;
    }
  }
}
