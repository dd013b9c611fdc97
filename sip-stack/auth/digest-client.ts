/**
 * The client side of SIP digest authentication (RFC 3261 §22.2, §22.3; RFC 7616 §3.4): answers
 * a challenge with an Authorization / Proxy-Authorization value.
 */
import { randomBytes } from 'node:crypto';
import { formatCredentials } from './digest-params.js';
import { computeHa1, computeResponse, digestHex, hashNameOf, type DigestAlgorithm } from './digest-hash.js';
import { readChallenge, type ChallengeFailureReason, type DigestChallenge } from './digest-challenge.js';
import { formatNonceCount } from './nonce-count.js';

export interface ClientRequest {
  readonly method: string;
  /** The Request-URI, sent as the digest-uri and covered by HA2. */
  readonly uri: string;
}

export interface AnswerChallengeInput extends ClientRequest {
  /** One WWW-Authenticate or Proxy-Authenticate value. */
  readonly challenge: string;
  readonly username: string;
  readonly password: string;
  /** Random by default; fix it only for known-answer tests. */
  readonly cnonce?: string;
  /** Default 1. */
  readonly nc?: number;
}

export type ChallengeAnswer =
  | { readonly ok: true; readonly header: string; readonly algorithm: DigestAlgorithm; readonly realm: string }
  | { readonly ok: false; readonly reason: ChallengeFailureReason };

/** Thrown by answerChallenge for a challenge it cannot answer; `reason` says why. */
export class DigestChallengeError extends Error {
  constructor(readonly reason: ChallengeFailureReason) {
    super(`cannot answer digest challenge: ${reason}`);
    this.name = 'DigestChallengeError';
  }
}

/** Like tryAnswerChallenge, but throws DigestChallengeError instead of returning a failure. */
export function answerChallenge(input: AnswerChallengeInput): string {
  const answer = tryAnswerChallenge(input);
  if (!answer.ok) throw new DigestChallengeError(answer.reason);
  return answer.header;
}

export function tryAnswerChallenge(input: AnswerChallengeInput): ChallengeAnswer {
  const read = readChallenge(input.challenge);
  if (!read.ok) return read;
  const state = { cnonce: input.cnonce ?? newCnonce(), count: input.nc ?? 1 };
  return answered(read.challenge, formatAnswer(read.challenge, input, state));
}

function answered(challenge: DigestChallenge, header: string): ChallengeAnswer {
  return { ok: true, header, algorithm: challenge.algorithm, realm: challenge.realm };
}

interface Credentials {
  readonly username: string;
  readonly password: string;
}

interface NonceState {
  count: number;
  readonly cnonce: string;
}

function newCnonce(): string {
  return randomBytes(12).toString('base64url');
}

/** Params in the order of the RFC 7616 §3.9.1 example. */
function formatAnswer(challenge: DigestChallenge, request: ClientRequest & Credentials, state: NonceState): string {
  const { realm, nonce, algorithm, qop } = challenge;
  const ha1 = computeHa1(algorithm, request.username, realm, request.password);
  const base = { algorithm, ha1, nonce, method: request.method, uri: request.uri };
  const nc = qop === 'auth' ? formatNonceCount(state.count) : undefined;
  const response =
    nc === undefined ? computeResponse(base) : computeResponse({ ...base, qop: 'auth', nc, cnonce: state.cnonce });
  return formatCredentials({
    username: challenge.userhash ? hashedUsername(challenge, request.username) : request.username,
    realm,
    uri: request.uri,
    algorithm: challenge.algorithmGiven ? algorithm : undefined,
    nonce,
    nc,
    cnonce: nc === undefined ? undefined : state.cnonce,
    qop,
    response,
    opaque: challenge.opaque,
    userhash: challenge.userhash ? 'true' : undefined,
  });
}

/** H(username ":" realm) hides the user name from eavesdroppers (RFC 7616 §3.4.4). */
function hashedUsername(challenge: DigestChallenge, username: string): string {
  return digestHex(hashNameOf(challenge.algorithm), `${username}:${challenge.realm}`);
}

export interface DigestClientOptions extends Credentials {
  /** Random by default. */
  readonly newCnonce?: () => string;
  /** How many nonces keep their counters. Default 16. */
  readonly maxNonces?: number;
}

/**
 * Answers challenges for one account and counts nc per nonce, so a nonce can be reused for
 * later requests (RFC 7616 §3.4: nc increases with each request under the same nonce). The
 * cnonce stays the same per nonce, which the -sess algorithms need (RFC 2617 §3.2.2.2).
 */
export class DigestClient {
  private readonly credentials: Credentials;
  private readonly newCnonce: () => string;
  private readonly maxNonces: number;
  private readonly nonces = new Map<string, NonceState>();
  private lastChallenge: DigestChallenge | undefined;

  constructor(options: DigestClientOptions) {
    this.credentials = { username: options.username, password: options.password };
    this.newCnonce = options.newCnonce ?? newCnonce;
    this.maxNonces = options.maxNonces ?? 16;
  }

  /**
   * Answers the first challenge it supports, in the order given: servers list their most
   * preferred first (RFC 8760 §2.4). A failure gives the reason of the first challenge.
   */
  answer(input: ClientRequest & { readonly challenges: string | readonly string[] }): ChallengeAnswer {
    const challenges = typeof input.challenges === 'string' ? [input.challenges] : input.challenges;
    let failure: ChallengeAnswer | undefined;
    for (const value of challenges) {
      const read = readChallenge(value);
      if (read.ok) return this.respond(read.challenge, input);
      failure ??= read;
    }
    return failure ?? { ok: false, reason: 'malformed' };
  }

  /** Credentials for another request under the last answered challenge, or undefined if none. */
  authorize(request: ClientRequest): string | undefined {
    if (this.lastChallenge === undefined) return undefined;
    const answer = this.respond(this.lastChallenge, request);
    return answer.ok ? answer.header : undefined;
  }

  private respond(challenge: DigestChallenge, request: ClientRequest): ChallengeAnswer {
    this.lastChallenge = challenge;
    const state = this.stateFor(challenge);
    state.count++;
    return answered(challenge, formatAnswer(challenge, { ...request, ...this.credentials }, state));
  }

  private stateFor(challenge: DigestChallenge): NonceState {
    const key = `${challenge.realm}\n${challenge.nonce}`;
    const known = this.nonces.get(key);
    if (known !== undefined) return known;
    for (const oldest of this.nonces.keys()) {
      if (this.nonces.size < this.maxNonces) break;
      this.nonces.delete(oldest);
    }
    const state: NonceState = { count: 0, cnonce: this.newCnonce() };
    this.nonces.set(key, state);
    return state;
  }
}
