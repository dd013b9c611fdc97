/**
 * The digest computations of RFC 7616 §3.4.1-§3.4.3 (and RFC 2069's no-qop form, kept by
 * RFC 3261 §22.4 for old UAs). Inputs are the strings exactly as they travel on the wire.
 */
import { createHash } from 'node:crypto';

/** The hash functions an HA1 can be stored for. */
export type DigestHashName = 'MD5' | 'SHA-256';

/** Values of the `algorithm` param we can compute (RFC 7616 §3.3, RFC 8760 §2.1). */
export type DigestAlgorithm = DigestHashName | 'MD5-sess' | 'SHA-256-sess';

const NODE_HASH: Record<DigestHashName, string> = { MD5: 'md5', 'SHA-256': 'sha256' };

const ALGORITHMS: ReadonlyMap<string, DigestAlgorithm> = new Map<string, DigestAlgorithm>([
  ['md5', 'MD5'],
  ['md5-sess', 'MD5-sess'],
  ['sha-256', 'SHA-256'],
  ['sha-256-sess', 'SHA-256-sess'],
]);

/** Case-insensitive; an absent param means MD5 (RFC 7616 §3.3). Unknown names give undefined. */
export function parseDigestAlgorithm(value: string | undefined): DigestAlgorithm | undefined {
  if (value === undefined) return 'MD5';
  return ALGORITHMS.get(value.toLowerCase());
}

export function hashNameOf(algorithm: DigestAlgorithm): DigestHashName {
  return algorithm === 'MD5' || algorithm === 'MD5-sess' ? 'MD5' : 'SHA-256';
}

export function isSessionAlgorithm(algorithm: DigestAlgorithm): boolean {
  return algorithm === 'MD5-sess' || algorithm === 'SHA-256-sess';
}

/** Lower-case hex, as the digest grammar requires (RFC 7616 §3.4.1 "LHEX"). */
export function digestHex(hash: DigestHashName, data: string): string {
  return createHash(NODE_HASH[hash]).update(data, 'utf8').digest('hex');
}

/**
 * H(username ":" realm ":" password) (RFC 7616 §3.4.2). This is what a configuration may store
 * instead of the password; a session algorithm stores the HA1 of its base hash.
 */
export function computeHa1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return digestHex(hashNameOf(algorithm), `${username}:${realm}:${password}`);
}

/** H(method ":" uri) for qop=auth or no qop (RFC 7616 §3.4.3). */
export function computeHa2(algorithm: DigestAlgorithm, method: string, uri: string): string {
  return digestHex(hashNameOf(algorithm), `${method}:${uri}`);
}

interface ResponseBase {
  readonly algorithm: DigestAlgorithm;
  /** The stored HA1, H(username:realm:password), even for session algorithms. */
  readonly ha1: string;
  readonly nonce: string;
  readonly method: string;
  readonly uri: string;
}

export interface QopAuthResponseInput extends ResponseBase {
  readonly qop: 'auth';
  /** The 8 hex digits exactly as sent. */
  readonly nc: string;
  readonly cnonce: string;
}

/** RFC 2069 form, without qop, nc and cnonce. */
export interface NoQopResponseInput extends ResponseBase {
  readonly qop?: undefined;
}

export type ResponseInput = QopAuthResponseInput | NoQopResponseInput;

/** The `response` param (RFC 7616 §3.4.1). Throws RangeError for a session algorithm without qop. */
export function computeResponse(input: ResponseInput): string {
  const hash = hashNameOf(input.algorithm);
  const ha2 = computeHa2(input.algorithm, input.method, input.uri);
  if (input.qop === undefined) {
    if (isSessionAlgorithm(input.algorithm)) throw new RangeError('session algorithms need qop and cnonce');
    return digestHex(hash, `${input.ha1}:${input.nonce}:${ha2}`);
  }
  const ha1 = sessionHa1(input.algorithm, input.ha1, input.nonce, input.cnonce);
  return digestHex(hash, `${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`);
}

/** For the -sess variants HA1 also binds the nonce and cnonce (RFC 7616 §3.4.2). */
function sessionHa1(algorithm: DigestAlgorithm, ha1: string, nonce: string, cnonce: string): string {
  if (!isSessionAlgorithm(algorithm)) return ha1;
  return digestHex(hashNameOf(algorithm), `${ha1}:${nonce}:${cnonce}`);
}
