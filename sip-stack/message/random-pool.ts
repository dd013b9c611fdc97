import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 8192;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * Where the next `count` random bytes start in the pool, refilled in large blocks: branches, tags
 * and nonces each need a few bytes, and one system call per id would show in the profile.
 */
function take(count: number): number {
  if (offset + count > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const start = offset;
  offset += count;
  return start;
}

/** `count` random bytes as base64url. */
export function randomText(count: number): string {
  const start = take(count);
  return pool.toString('base64url', start, start + count);
}

/** Copies `count` random bytes into `target` at `at`. */
export function randomInto(target: Buffer, at: number, count: number): void {
  const start = take(count);
  pool.copy(target, at, start, start + count);
}
