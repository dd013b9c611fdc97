/**
 * The server side of SIP digest authentication (RFC 3261 §22.4, RFC 7616, RFC 8760): builds
 * challenges and verifies credentials against an HA1 the caller looks up.
 */
import { timingSafeEqual } from 'node:crypto';
import { formatChallenge } from './digest-params.js';
import { computeResponse, type DigestHashName } from './digest-hash.js';
import { readCredentials, type DigestCredentials } from './digest-credentials.js';
import { NonceManager } from './nonce-manager.js';

/** The algorithms we challenge with; HA1 is stored per hash, so these are the lookup keys too. */
export type ServerAlgorithm = DigestHashName;

export interface DigestServerOptions {
  readonly realm: string;
  /** HMAC key for nonces; share it between instances that must accept each other's nonces. */
  readonly secret?: string | Uint8Array;
  /** Default 300 s. */
  readonly nonceLifetimeMs?: number;
  /** Most preferred first (RFC 8760 §2.4). Default SHA-256, then MD5. */
  readonly algorithms?: readonly ServerAlgorithm[];
  /** Sent in every challenge; credentials must echo it (RFC 7616 §3.3). */
  readonly opaque?: string;
  readonly now?: () => number;
  /** Bound of the replay tracker. Default 100,000 nonces. */
  readonly maxTrackedNonces?: number;
}

/** Returns the hex HA1 of `username` for `algorithm`'s hash, or undefined for an unknown user. */
export type Ha1Lookup = (username: string, realm: string, algorithm: ServerAlgorithm) => string | undefined;

export interface VerifyInput {
  /** The request method, which the digest covers through HA2 (RFC 7616 §3.4.3). */
  readonly method: string;
  readonly headerValue: string | undefined;
  readonly lookupHa1: Ha1Lookup;
}

export type VerifyFailureReason =
  | 'missing'
  | 'malformed'
  | 'unknown-user'
  | 'wrong-realm'
  | 'bad-response'
  | 'stale-nonce'
  | 'invalid-nonce'
  | 'replay'
  | 'unsupported-algorithm'
  | 'bad-scheme';

export interface VerifySuccess {
  readonly ok: true;
  readonly username: string;
  readonly realm: string;
  /** The digest-uri; the caller should check it names the Request-URI (RFC 7616 §3.4.6). */
  readonly uri: string;
  readonly algorithm: ServerAlgorithm;
}

export interface VerifyFailure {
  readonly ok: false;
  readonly reason: VerifyFailureReason;
  /** Set when the digest was right but the nonce was not usable: challenge with stale=true. */
  readonly stale?: boolean;
  /** When it could be read, for logs. */
  readonly username?: string;
  readonly uri?: string;
}

export type VerifyResult = VerifySuccess | VerifyFailure;

export interface ChallengeOptions {
  /** RFC 7616 §3.3: the previous nonce was valid but expired; retry without asking the user. */
  readonly stale?: boolean;
}

const DEFAULT_ALGORITHMS: readonly ServerAlgorithm[] = ['SHA-256', 'MD5'];

export class DigestServer {
  readonly realm: string;
  private readonly algorithms: readonly ServerAlgorithm[];
  private readonly opaque: string | undefined;
  private readonly nonces: NonceManager;

  constructor(options: DigestServerOptions) {
    this.realm = options.realm;
    this.algorithms = options.algorithms ?? DEFAULT_ALGORITHMS;
    if (this.algorithms.length === 0) throw new RangeError('at least one algorithm is required');
    this.opaque = options.opaque;
    this.nonces = new NonceManager({
      secret: options.secret,
      lifetimeMs: options.nonceLifetimeMs,
      now: options.now,
      maxTrackedNonces: options.maxTrackedNonces,
    });
  }

  /** One header value per algorithm, sharing one nonce, most preferred first (RFC 8760 §2.4). */
  challenge(options: ChallengeOptions = {}): string[] {
    const nonce = this.nonces.issue(this.realm);
    const stale = options.stale === true ? 'true' : undefined;
    return this.algorithms.map((algorithm) =>
      formatChallenge({ realm: this.realm, nonce, opaque: this.opaque, stale, algorithm, qop: 'auth' }),
    );
  }

  verify(input: VerifyInput): VerifyResult {
    if (input.headerValue === undefined || input.headerValue.trim() === '') return { ok: false, reason: 'missing' };
    const read = readCredentials(input.headerValue);
    if (!read.ok) return read;
    const credentials = read.credentials;
    const { username, uri } = credentials;
    // Only the algorithms we offered; that excludes the -sess variants (RFC 8760 §2.4).
    const algorithm = this.algorithms.find((offered) => offered === credentials.algorithm);
    if (algorithm === undefined) return { ok: false, reason: 'unsupported-algorithm', username, uri };
    if (credentials.realm !== this.realm) return { ok: false, reason: 'wrong-realm', username, uri };
    if (credentials.opaque !== this.opaque) return { ok: false, reason: 'malformed', username, uri };
    return this.verifyDigest(credentials, algorithm, input);
  }

  private verifyDigest(credentials: DigestCredentials, algorithm: ServerAlgorithm, input: VerifyInput): VerifyResult {
    const { username, uri, nonce } = credentials;
    const nonceCheck = this.nonces.check(nonce, this.realm);
    if (nonceCheck.status === 'invalid') return { ok: false, reason: 'invalid-nonce', username, uri };
    const ha1 = input.lookupHa1(username, this.realm, algorithm);
    if (ha1 === undefined) return { ok: false, reason: 'unknown-user', username, uri };
    if (!responseMatches(credentials, ha1.toLowerCase(), input.method)) {
      return { ok: false, reason: 'bad-response', username, uri };
    }
    // The client knew the password, only the nonce is too old: RFC 7616 §3.3 stale=true.
    if (nonceCheck.status === 'expired') return { ok: false, reason: 'stale-nonce', stale: true, username, uri };
    const verdict = this.nonces.acceptCount(nonce, nonceCheck.issuedAt, credentials.count);
    if (verdict === 'replay') return { ok: false, reason: 'replay', username, uri };
    if (verdict === 'forgotten') return { ok: false, reason: 'stale-nonce', stale: true, username, uri };
    return { ok: true, username, realm: this.realm, uri, algorithm };
  }
}

function responseMatches(credentials: DigestCredentials, ha1: string, method: string): boolean {
  const expected = computeResponse({ ...credentials, ha1, method });
  const received = Buffer.from(credentials.response, 'utf8');
  // Lengths are public (fixed per algorithm); only the contents need constant-time comparison.
  if (received.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected, 'latin1'), received);
}
