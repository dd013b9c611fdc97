import type { MediaDescription, SessionDescription } from 'sdp-transform';

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface ConnectionData {
  readonly version: number;
  readonly ip: string;
}

/** RFC 4566 §6: a media-level direction overrides the session-level one; sendrecv by default. */
export function effectiveDirection(session: SessionDescription, media: MediaDescription): MediaDirection {
  return media.direction ?? session.direction ?? 'sendrecv';
}

/** RFC 4566 §5.7: the media-level c= wins over the session-level one. */
export function effectiveConnection(session: SessionDescription, media: MediaDescription): ConnectionData | undefined {
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
