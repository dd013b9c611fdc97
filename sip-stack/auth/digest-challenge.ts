/**
 * Typed view of a Digest challenge (a WWW-Authenticate or Proxy-Authenticate value) as a client
 * can answer it: qop=auth when offered, RFC 2069 style when qop is absent (RFC 3261 §22.4).
 */
import { parseAuthHeader } from './digest-params.js';
import { isSessionAlgorithm, parseDigestAlgorithm, type DigestAlgorithm } from './digest-hash.js';

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly algorithm: DigestAlgorithm;
  /** Whether the challenge named the algorithm; if not, the answer leaves it out too. */
  readonly algorithmGiven: boolean;
  /** undefined: the server offered no qop (RFC 2069 compatibility). */
  readonly qop: 'auth' | undefined;
  readonly opaque: string | undefined;
  readonly stale: boolean;
  readonly userhash: boolean;
}

export type ChallengeFailureReason = 'malformed' | 'bad-scheme' | 'unsupported-algorithm' | 'unsupported-qop';

export type ChallengeResult =
  | { readonly ok: true; readonly challenge: DigestChallenge }
  | { readonly ok: false; readonly reason: ChallengeFailureReason };

export function readChallenge(headerValue: string): ChallengeResult {
  const parsed = parseAuthHeader(headerValue);
  if (!parsed.ok) return { ok: false, reason: 'malformed' };
  const { scheme, params } = parsed.header;
  if (scheme.toLowerCase() !== 'digest') return { ok: false, reason: 'bad-scheme' };
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || nonce === undefined) return { ok: false, reason: 'malformed' };
  const algorithm = parseDigestAlgorithm(params.get('algorithm'));
  if (algorithm === undefined) return { ok: false, reason: 'unsupported-algorithm' };
  const qopOptions = params.get('qop');
  const qop = qopOptions === undefined ? undefined : pickQop(qopOptions);
  if (qop === null) return { ok: false, reason: 'unsupported-qop' };
  // Session algorithms hash the cnonce, which only exists with qop (RFC 7616 §3.4.2).
  if (qop === undefined && isSessionAlgorithm(algorithm)) return { ok: false, reason: 'unsupported-qop' };
  const challenge: DigestChallenge = {
    realm,
    nonce,
    algorithm,
    algorithmGiven: params.has('algorithm'),
    qop,
    opaque: params.get('opaque'),
    stale: params.get('stale')?.toLowerCase() === 'true',
    userhash: params.get('userhash')?.toLowerCase() === 'true',
  };
  return { ok: true, challenge };
}

/** qop-options is a quoted, comma-separated list (RFC 7616 §3.3); we answer only `auth`. */
function pickQop(options: string): 'auth' | null {
  for (const option of options.split(',')) {
    if (option.trim().toLowerCase() === 'auth') return 'auth';
  }
  return null;
}
