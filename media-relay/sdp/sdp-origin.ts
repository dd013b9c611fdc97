import { randomInt } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { write, type SessionDescription } from 'sdp-transform';

export interface SdpOriginOptions {
  readonly username?: string;
  /** Digits; random when omitted. */
  readonly sessionId?: string;
  /** The relay's address, written into o=. */
  readonly address: string;
}

const MAX_RANDOM_SESSION_ID = 2 ** 47;

/**
 * The o= line the relay uses toward one party: username and session id fixed for the life of
 * the leg, version raised whenever the description sent to that party changes (RFC 3264 §8),
 * so a re-sent identical SDP keeps its version as the RFC asks.
 */
export class SdpOrigin {
  readonly username: string;
  readonly sessionId: string;
  readonly address: string;
  private version = 0;
  private lastWritten: string | undefined;

  constructor(options: SdpOriginOptions) {
    this.username = options.username ?? '-';
    this.sessionId = options.sessionId ?? String(randomInt(1, MAX_RANDOM_SESSION_ID));
    this.address = options.address;
  }

  get sessionVersion(): number {
    return this.version;
  }

  /** Writes `session` under this origin; mutates session.origin. */
  stamp(session: SessionDescription): string {
    if (this.version > 0) {
      const unchanged = this.write(session);
      if (unchanged === this.lastWritten) return unchanged;
    }
    this.version++;
    this.lastWritten = this.write(session);
    return this.lastWritten;
  }

  private write(session: SessionDescription): string {
    session.origin = {
      username: this.username,
      sessionId: this.sessionId,
      sessionVersion: this.version,
      netType: 'IN',
      ipVer: isIPv6(this.address) ? 6 : 4,
      address: this.address,
    };
    return write(session);
  }
}
