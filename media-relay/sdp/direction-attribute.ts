export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const DIRECTIONS: ReadonlySet<string> = new Set<MediaDirection>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/** The direction an attribute name states (RFC 8866 §6.7), or undefined for any other attribute. */
export function directionOf(attribute: string): MediaDirection | undefined {
  return DIRECTIONS.has(attribute) ? (attribute as MediaDirection) : undefined;
}
