import { randomInt } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { originLine } from './origin-line.js';

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
  private readonly ipVersion: number;
  private version = 0;
  private lastWritten: string | undefined;

  constructor(options: SdpOriginOptions) {
    this.username = options.username ?? '-';
    this.sessionId = options.sessionId ?? String(randomInt(1, MAX_RANDOM_SESSION_ID));
    this.address = options.address;
    this.ipVersion = isIPv6(options.address) ? 6 : 4;
  }

  get sessionVersion(): number {
    return this.version;
  }

  /**
   * The SDP `write` gives for this origin's o= line, stamped with the version it deserves:
   * the same as last time when the SDP is unchanged, else the next one.
   */
  stamp(write: (originLine: string) => string): string {
    if (this.version > 0) {
      const unchanged = write(this.line());
      if (unchanged === this.lastWritten) return unchanged;
    }
    this.version++;
    this.lastWritten = write(this.line());
    return this.lastWritten;
  }

  private line(): string {
    const fields = { username: this.username, sessionId: this.sessionId, sessionVersion: String(this.version), address: this.address };
    return originLine(fields, this.ipVersion);
  }
}
