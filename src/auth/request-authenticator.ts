import type { SipRequest } from '../../sip-stack/message/sip-message.js';
import { DigestServer, type ServerAlgorithm } from '../../sip-stack/auth/digest-server.js';
import { computeHa1 } from '../../sip-stack/auth/digest-hash.js';

/** The secrets of one user, as the configuration holds them. */
export interface UserCredentials {
  readonly password?: string | undefined;
  readonly ha1?: string | undefined;
  readonly ha1Sha256?: string | undefined;
}

export type CredentialLookup = (user: string) => UserCredentials | undefined;

export type AuthResult =
  | { readonly ok: true; readonly user: string }
  | { readonly ok: false; readonly status: 401 | 407 | 403; readonly reason?: string; readonly headers: Array<readonly [string, string]> };

export interface AuthenticatorOptions {
  readonly realm: string;
  readonly algorithms: readonly ServerAlgorithm[];
  readonly credentials: CredentialLookup;
  readonly now?: () => number;
}

/**
 * Digest authentication of requests from our users: REGISTER is challenged by the registrar with
 * 401/WWW-Authenticate, everything else with 407/Proxy-Authenticate (RFC 3261 §22.3, §22.2).
 */
export class RequestAuthenticator {
  private readonly digest: DigestServer;
  private credentials: CredentialLookup;
  private readonly ha1Cache = new Map<string, string>();

  constructor(private readonly options: AuthenticatorOptions) {
    this.digest = new DigestServer({
      realm: options.realm, algorithms: options.algorithms, ...(options.now ? { now: options.now } : {}),
    });
    this.credentials = options.credentials;
  }

  /** Replaces the user directory (configuration reload). */
  setCredentials(lookup: CredentialLookup): void {
    this.credentials = lookup;
    this.ha1Cache.clear();
  }

  authenticate(request: SipRequest): AuthResult {
    const asRegistrar = request.method === 'REGISTER';
    const header = request.get(asRegistrar ? 'Authorization' : 'Proxy-Authorization');
    const result = this.digest.verify({
      method: request.method,
      headerValue: header,
      lookupHa1: (user, realm, algorithm) => this.ha1(user, realm, algorithm),
    });
    if (result.ok) return { ok: true, user: result.username };
    const stale = result.reason === 'stale-nonce';
    return this.challenge(asRegistrar, stale);
  }

  /**
   * The challenge for a request that carries no credentials for us at all (every phone's first
   * try), which needs no lookup and no state; undefined when there are credentials to verify.
   */
  challengeUncredentialed(request: SipRequest): AuthResult | undefined {
    const asRegistrar = request.method === 'REGISTER';
    if (request.has(asRegistrar ? 'Authorization' : 'Proxy-Authorization')) return undefined;
    return this.challenge(asRegistrar, false);
  }

  private challenge(asRegistrar: boolean, stale: boolean): AuthResult {
    const name = asRegistrar ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    const headers = this.digest.challenge({ stale }).map((value) => [name, value] as const);
    return { ok: false, status: asRegistrar ? 401 : 407, headers };
  }

  private ha1(user: string, realm: string, algorithm: ServerAlgorithm): string | undefined {
    const key = `${algorithm}\u0000${user}`;
    const cached = this.ha1Cache.get(key);
    if (cached !== undefined) return cached;
    const creds = this.credentials(user);
    if (!creds) return undefined;
    const stored = algorithm === 'MD5' ? creds.ha1 : creds.ha1Sha256;
    const ha1 = stored?.toLowerCase() ?? (creds.password === undefined ? undefined : computeHa1(algorithm, user, realm, creds.password));
    if (ha1 !== undefined) this.ha1Cache.set(key, ha1);
    return ha1;
  }

  get realm(): string {
    return this.options.realm;
  }
}
