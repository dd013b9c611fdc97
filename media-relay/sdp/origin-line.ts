/** The fields of o= (RFC 8866 §5.2) we read; ids are kept as text, they may exceed 2^53. */
export interface OriginField {
  readonly username: string;
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly address: string;
}

const ORIGIN = /^o=(\S*) (\d*) (\d*) \S* IP\d (\S*)/;

export function parseOriginLine(line: string): OriginField | undefined {
  const match = ORIGIN.exec(line);
  if (match === null) return undefined;
  return { username: match[1] ?? '', sessionId: match[2] ?? '', sessionVersion: match[3] ?? '', address: match[4] ?? '' };
}

export function originLine(origin: OriginField, ipVersion: number): string {
  return `o=${origin.username} ${origin.sessionId} ${origin.sessionVersion} IN IP${ipVersion} ${origin.address}`;
}
