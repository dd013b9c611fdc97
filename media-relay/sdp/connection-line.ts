import { isIPv6 } from 'node:net';

export interface ConnectionData {
  readonly version: number;
  readonly ip: string;
}

/** RFC 8866 §5.7: c=IN IP4 <address>; a multicast TTL or count stays part of the address. */
const CONNECTION = /^c=IN IP(\d) (\S*)/;

export function parseConnectionLine(line: string): ConnectionData | undefined {
  const match = CONNECTION.exec(line);
  return match === null ? undefined : { version: Number(match[1]), ip: match[2] ?? '' };
}

export function connectionFor(address: string): ConnectionData {
  return { version: isIPv6(address) ? 6 : 4, ip: address };
}

export function connectionLine(connection: ConnectionData): string {
  return `c=IN IP${connection.version} ${connection.ip}`;
}
