import type { ConnectionData } from './connection-line.js';
import type { MediaDirection } from './direction-attribute.js';
import type { MediaLine } from './media-line.js';
import type { OriginField } from './origin-line.js';
import type { RtcpAttribute } from './rtcp-attribute.js';

/**
 * One section of an SDP body (RFC 8866 §5): its lines in order, as received and without line
 * ends, so whatever we do not read passes on untouched; plus typed views of the lines we use.
 */
export interface SdpSection {
  readonly lines: readonly string[];
  /** The last c= line of the section. */
  readonly connection: ConnectionData | undefined;
  /** The last direction attribute of the section. */
  readonly direction: MediaDirection | undefined;
}

/** The lines before the first m=. */
export interface SessionSection extends SdpSection {
  readonly origin: OriginField | undefined;
}

/** An m= line and the lines up to the next m=; lines[0] is the m= line. */
export interface MediaSection extends SdpSection, MediaLine {
  /** The last a=rtcp of the section. */
  readonly rtcp: RtcpAttribute | undefined;
  readonly rtcpMux: boolean;
  /** a=ptime in milliseconds (RFC 8866 §6.4). */
  readonly ptime: number | undefined;
}

export interface SessionDescription {
  readonly session: SessionSection;
  readonly media: readonly MediaSection[];
}
