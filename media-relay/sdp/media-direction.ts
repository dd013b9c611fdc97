import type { ConnectionData } from './connection-line.js';
import type { MediaDirection } from './direction-attribute.js';
import type { MediaSection, SessionSection } from './session-description.js';

export type { ConnectionData } from './connection-line.js';
export type { MediaDirection } from './direction-attribute.js';

/** RFC 4566 §6: a media-level direction overrides the session-level one; sendrecv by default. */
export function effectiveDirection(session: SessionSection, media: MediaSection): MediaDirection {
  return media.direction ?? session.direction ?? 'sendrecv';
}

/** RFC 4566 §5.7: the media-level c= wins over the session-level one. */
export function effectiveConnection(session: SessionSection, media: MediaSection): ConnectionData | undefined {
  return media.connection ?? session.connection;
}

/** The address of an old-style hold, c=0.0.0.0 (RFC 3264 §8.4), or its IPv6 counterpart. */
export function isUnspecifiedAddress(ip: string): boolean {
  return ip === '0.0.0.0' || (ip.includes(':') && /^[0:]+$/.test(ip));
}

/** RFC 3264 §8.4: the stream is put on hold by a=sendonly, a=inactive or c=0.0.0.0. */
export function isHold(direction: MediaDirection, ip: string | undefined): boolean {
  return direction === 'sendonly' || direction === 'inactive' || (ip !== undefined && isUnspecifiedAddress(ip));
}
