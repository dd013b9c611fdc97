import type { MediaLineSummary } from '../sdp/describe-sdp.js';

/** Shared answers for the usual single m-line SDP, so a held call keeps no array of its own. */
const SINGLE_MUXED: readonly boolean[] = [true];
const SINGLE_UNMUXED: readonly boolean[] = [false];

/**
 * For each m-line of an SDP, whether it carries a=rtcp-mux. Once a leg's streams have taken
 * their remote ends, this is all the relay still needs of the SDP's summary: answers and
 * repoints settle RFC 5761 mux from it, and its length is the SDP's m-line count.
 */
export function rtcpMuxLines(media: readonly MediaLineSummary[]): readonly boolean[] {
  const [only] = media;
  if (media.length === 1 && only !== undefined) return only.rtcpMux ? SINGLE_MUXED : SINGLE_UNMUXED;
  return media.map((line) => line.rtcpMux);
}
