import { RtcpHeader } from './rtcp-header.js';

/** Why a datagram is not a well-formed (compound) RTCP packet. */
export type RtcpCompoundError =
  | 'too-short' | 'bad-version' | 'bad-length' | 'first-not-report' | 'padding-not-last';

export interface RtcpCompoundOptions {
  /**
   * RFC 3550 §6.1 wants every compound packet to start with SR or RR; reduced-size RTCP
   * (RFC 5506) does not. Default true.
   */
  readonly requireReportFirst?: boolean;
}

const scratch = new RtcpHeader();

/**
 * The validity checks of RFC 3550 Appendix A.2: version 2 throughout, the packet lengths add
 * up to the datagram exactly, padding only on the last packet and, unless told otherwise, SR or
 * RR first. Undefined when valid. Uses one shared header view, so it allocates nothing.
 */
export function validateRtcpCompound(
  buf: Buffer,
  offset = 0,
  length = buf.length - offset,
  options: RtcpCompoundOptions = {},
): RtcpCompoundError | undefined {
  const end = offset + length;
  let cursor = offset;
  do {
    const error = scratch.parse(buf, cursor, end - cursor);
    if (error !== undefined) return error;
    if (cursor === offset && options.requireReportFirst !== false && !scratch.isReport()) return 'first-not-report';
    cursor += scratch.packetSize();
    if (cursor > end) return 'bad-length';
    if (scratch.padding && cursor !== end) return 'padding-not-last';
  } while (cursor < end);
  return undefined;
}
