/**
 * Server nonces that carry their own proof: base64url(timestamp || random || tag) where
 * tag = HMAC-SHA256(secret, timestamp || random || realm), truncated. Authenticity and age are
 * checked without storage (RFC 7616 §5.4 suggests binding the nonce to a time stamp and a
 * private key); only the nonce counts of nonces in use are remembered, in a bounded tracker.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { NonceCountTracker, type CountVerdict } from './nonce-count.js';
import { randomInto } from '../message/random-pool.js';

export interface NonceManagerOptions {
  /** HMAC key, at least 16 bytes. Random per instance by default, so a restart voids old nonces. */
  readonly secret?: string | Uint8Array;
  /** Default 300 s. */
  readonly lifetimeMs?: number;
  /** Milliseconds since any fixed epoch; Date.now by default. */
  readonly now?: () => number;
  /** Bound of the nonce-count tracker. Default 100,000 nonces. */
  readonly maxTrackedNonces?: number;
}

export type NonceCheck =
  | { readonly status: 'fresh'; readonly issuedAt: number }
  | { readonly status: 'expired'; readonly issuedAt: number }
  | { readonly status: 'invalid' };

export const DEFAULT_NONCE_LIFETIME_MS = 300_000;
const DEFAULT_MAX_TRACKED_NONCES = 100_000;
const MIN_SECRET_BYTES = 16;

const TIME_BYTES = 6; // milliseconds fit in 48 bits until the year 10889
const RANDOM_BYTES = 12;
const TAG_BYTES = 18;
const SIGNED_BYTES = TIME_BYTES + RANDOM_BYTES;
/** A multiple of 3, so base64url has no padding and no spare bits: one spelling per nonce. */
const NONCE_BYTES = SIGNED_BYTES + TAG_BYTES;
const NONCE_CHARS = (NONCE_BYTES / 3) * 4;

export class NonceManager {
  readonly lifetimeMs: number;
  private readonly secret: Buffer;
  private readonly now: () => number;
  private readonly counts: NonceCountTracker;

  constructor(options: NonceManagerOptions = {}) {
    this.lifetimeMs = options.lifetimeMs ?? DEFAULT_NONCE_LIFETIME_MS;
    if (!(this.lifetimeMs > 0)) throw new RangeError('lifetimeMs must be > 0');
    this.secret = secretBytes(options.secret);
    this.now = options.now ?? Date.now;
    this.counts = new NonceCountTracker(options.maxTrackedNonces ?? DEFAULT_MAX_TRACKED_NONCES, this.lifetimeMs);
  }

  issue(realm: string): string {
    const nonce = Buffer.allocUnsafe(NONCE_BYTES);
    nonce.writeUIntBE(Math.max(0, Math.floor(this.now())), 0, TIME_BYTES);
    randomInto(nonce, TIME_BYTES, RANDOM_BYTES);
    this.tag(nonce.subarray(0, SIGNED_BYTES), realm).copy(nonce, SIGNED_BYTES, 0, TAG_BYTES);
    return nonce.toString('base64url');
  }

  /** Forged, mangled or other-realm nonces are invalid; authentic but old ones are expired. */
  check(nonce: string, realm: string): NonceCheck {
    const raw = decodeNonce(nonce);
    if (raw === undefined) return { status: 'invalid' };
    const expected = this.tag(raw.subarray(0, SIGNED_BYTES), realm).subarray(0, TAG_BYTES);
    if (!timingSafeEqual(expected, raw.subarray(SIGNED_BYTES))) return { status: 'invalid' };
    const issuedAt = raw.readUIntBE(0, TIME_BYTES);
    // A nonce from the future means the clock stepped back; it is ours, so treat it like an old one.
    const age = this.now() - issuedAt;
    const expired = age > this.lifetimeMs || age < -this.lifetimeMs;
    return { status: expired ? 'expired' : 'fresh', issuedAt };
  }

  /** Records nc for a checked nonce; call after the response digest matched. */
  acceptCount(nonce: string, issuedAt: number, count: number): CountVerdict {
    return this.counts.accept(nonce, issuedAt, count, this.now());
  }

  get trackedNonces(): number {
    return this.counts.size;
  }

  private tag(signed: Buffer, realm: string): Buffer {
    return createHmac('sha256', this.secret).update(signed).update(realm, 'utf8').digest();
  }
}

function secretBytes(secret: string | Uint8Array | undefined): Buffer {
  if (secret === undefined) return randomBytes(32);
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (bytes.length < MIN_SECRET_BYTES) throw new RangeError(`secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return bytes;
}

/** Re-encoding rejects the other spellings Buffer's lenient decoder would accept. */
function decodeNonce(nonce: string): Buffer | undefined {
  if (nonce.length !== NONCE_CHARS) return undefined;
  const raw = Buffer.from(nonce, 'base64url');
  if (raw.length !== NONCE_BYTES || raw.toString('base64url') !== nonce) return undefined;
  return raw;
}
