import { RTP_HEADER_SIZE, VERSION_SHIFT, RTP_VERSION } from '../rtp/rtp-fields.js';

export type MuxedPacketKind = 'rtp' | 'rtcp' | 'other';

const RTCP_MIN_SIZE = 8;
/** RFC 5761 §4: RTCP packet types 192-223 fall on RTP payload types 64-95 after masking the M bit. */
const RTCP_PT_FIRST = 64;
const RTCP_PT_LAST = 95;
const PT_MASK = 0x7f;

/**
 * Tells RTP from RTCP on a port that carries both (RFC 5761 §4): version 2, then the second
 * octet's low 7 bits in 64..95 mean RTCP. Anything else that is not version 2 is 'other'
 * (STUN, DTLS, garbage). Reads two octets; allocates nothing.
 */
export function classifyMuxedPacket(buf: Buffer, offset = 0, length = buf.length - offset): MuxedPacketKind {
  if (offset < 0 || length < RTCP_MIN_SIZE || offset + length > buf.length) return 'other';
  if (buf.readUInt8(offset) >> VERSION_SHIFT !== RTP_VERSION) return 'other';
  const pt = buf.readUInt8(offset + 1) & PT_MASK;
  if (pt >= RTCP_PT_FIRST && pt <= RTCP_PT_LAST) return 'rtcp';
  return length >= RTP_HEADER_SIZE ? 'rtp' : 'other';
}
