import { randomBytes } from 'node:crypto';

const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let offset = 0;

/**
 * A random token of `bytes` random bytes in base64url, from a pooled buffer so that tags and
 * branches (several per call) cost no system call each. RFC 3261 §19.3 asks for 32 bits at least.
 */
export function randomToken(bytes = 9): string {
  if (offset + bytes > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const token = pool.toString('base64url', offset, offset + bytes);
  offset += bytes;
  return token;
}
