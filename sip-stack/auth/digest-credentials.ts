/**
 * Typed view of Digest credentials (an Authorization or Proxy-Authorization value) as our server
 * accepts them: qop=auth is required because every challenge we send offers it (RFC 7616 §3.4).
 */
import { parseAuthHeader } from './digest-params.js';
import { parseDigestAlgorithm, type DigestAlgorithm } from './digest-hash.js';
import { parseNonceCount } from './nonce-count.js';

export interface DigestCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  /** Lower-cased, so a client writing upper-case hex still compares equal. */
  readonly response: string;
  readonly algorithm: DigestAlgorithm;
  readonly qop: 'auth';
  /** As sent, because the response digest covers these exact characters. */
  readonly nc: string;
  readonly count: number;
  readonly cnonce: string;
  readonly opaque: string | undefined;
}

export type CredentialsFailureReason = 'malformed' | 'bad-scheme' | 'unsupported-algorithm';

export type CredentialsResult =
  | { readonly ok: true; readonly credentials: DigestCredentials }
  | { readonly ok: false; readonly reason: CredentialsFailureReason; readonly username?: string };

type RequiredParams = Pick<DigestCredentials, 'username' | 'realm' | 'nonce' | 'uri' | 'response' | 'nc' | 'cnonce'> & {
  readonly qop: string;
};

export function readCredentials(headerValue: string): CredentialsResult {
  const parsed = parseAuthHeader(headerValue);
  if (!parsed.ok) return { ok: false, reason: 'malformed' };
  const { scheme, params } = parsed.header;
  if (scheme.toLowerCase() !== 'digest') return { ok: false, reason: 'bad-scheme' };
  const required = pickRequired(params);
  if (required === undefined) return { ok: false, reason: 'malformed', username: params.get('username') };
  return fromParams(required, params);
}

function fromParams(required: RequiredParams, params: ReadonlyMap<string, string>): CredentialsResult {
  const { username } = required;
  const algorithm = parseDigestAlgorithm(params.get('algorithm'));
  if (algorithm === undefined) return { ok: false, reason: 'unsupported-algorithm', username };
  const count = parseNonceCount(required.nc);
  // userhash is never offered by us, so a hashed username cannot be looked up (RFC 7616 §3.4.4).
  const userhash = params.get('userhash')?.toLowerCase() === 'true';
  if (count === undefined || required.qop.toLowerCase() !== 'auth' || userhash) {
    return { ok: false, reason: 'malformed', username };
  }
  const credentials: DigestCredentials = {
    username, realm: required.realm, nonce: required.nonce, uri: required.uri, response: required.response.toLowerCase(),
    algorithm, qop: 'auth', nc: required.nc, count, cnonce: required.cnonce, opaque: params.get('opaque'),
  };
  return { ok: true, credentials };
}

/** One object literal, so its shape is fixed (filling one by computed names made a slow dictionary). */
function pickRequired(params: ReadonlyMap<string, string>): RequiredParams | undefined {
  const username = params.get('username');
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  const uri = params.get('uri');
  const response = params.get('response');
  const qop = params.get('qop');
  const nc = params.get('nc');
  const cnonce = params.get('cnonce');
  if (username === undefined || realm === undefined || nonce === undefined || uri === undefined
    || response === undefined || qop === undefined || nc === undefined || cnonce === undefined) return undefined;
  return { username, realm, nonce, uri, response, qop, nc, cnonce };
}
