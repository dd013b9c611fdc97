import type { ConnectionData } from './connection-line.js';

/** a=rtcp (RFC 3605 §2.1): the RTCP port, and the address when it differs from c=. */
export interface RtcpAttribute {
  /** NaN when the attribute carries no port. */
  readonly port: number;
  readonly address: string | undefined;
}

const RTCP = /^a=rtcp:(\d*)(?: \S* IP\d (\S*))?/;

export function parseRtcpAttribute(line: string): RtcpAttribute {
  const match = RTCP.exec(line);
  const digits = match?.[1] ?? '';
  return { port: digits === '' ? Number.NaN : Number(digits), address: match?.[2] };
}

export function rtcpAttribute(port: number, connection: ConnectionData | undefined): string {
  return connection === undefined ? `a=rtcp:${port}` : `a=rtcp:${port} IN IP${connection.version} ${connection.ip}`;
}
