import type { SessionDescription } from './session-description.js';
import { joinSdpLines } from './sdp-line.js';

/** The description as SDP text: every line as read, each ended with CRLF (RFC 8866 §5). */
export function writeSdp(description: SessionDescription): string {
  return joinSdpLines([...description.session.lines, ...description.media.flatMap((media) => media.lines)]);
}
