/** Why bytes do not start an RTCP packet. */
export type RtcpHeaderError = 'too-short' | 'bad-version';

/** RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1, RFC 3611 §2). */
export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;
export const RTCP_RTPFB = 205;
export const RTCP_PSFB = 206;
export const RTCP_XR = 207;

export const RTCP_HEADER_SIZE = 4;
const RTCP_VERSION = 2;
const VERSION_SHIFT = 6;
const PADDING_MASK = 0x20;
const COUNT_MASK = 0x1f;
const PACKET_TYPE_OFFSET = 1;
const LENGTH_OFFSET = 2;

/*
 * RFC 3550 §6.4.1, the header every RTCP packet starts with (SR shown):
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *
 * length is the packet's size in 32-bit words minus one, header included.
 */

/** A reusable view of one RTCP packet header: enough to walk and check a compound packet. */
export class RtcpHeader {
  padding = false;
  /** Reception report count, source count or subtype, by packet type. */
  count = 0;
  packetType = 0;
  /** In 32-bit words minus one, as on the wire. */
  length = 0;

  parse(buf: Buffer, offset = 0, length = buf.length - offset): RtcpHeaderError | undefined {
    if (offset < 0 || length < RTCP_HEADER_SIZE || offset + length > buf.length) return 'too-short';
    const flags = buf.readUInt8(offset);
    if (flags >> VERSION_SHIFT !== RTCP_VERSION) return 'bad-version';
    this.padding = (flags & PADDING_MASK) !== 0;
    this.count = flags & COUNT_MASK;
    this.packetType = buf.readUInt8(offset + PACKET_TYPE_OFFSET);
    this.length = buf.readUInt16BE(offset + LENGTH_OFFSET);
    return undefined;
  }

  /** Size of the whole packet this header starts, in bytes. */
  packetSize(): number {
    return (this.length + 1) * 4;
  }

  size(): number {
    return RTCP_HEADER_SIZE;
  }

  serializeInto(buf: Buffer, offset = 0): number {
    if (offset < 0 || offset + RTCP_HEADER_SIZE > buf.length) {
      throw new RangeError(`RTCP header needs 4 bytes at offset ${offset}, buffer has ${buf.length}`);
    }
    const flags = (RTCP_VERSION << VERSION_SHIFT) | (this.padding ? PADDING_MASK : 0) | (this.count & COUNT_MASK);
    buf.writeUInt8(flags, offset);
    buf.writeUInt8(this.packetType & 0xff, offset + PACKET_TYPE_OFFSET);
    buf.writeUInt16BE(this.length & 0xffff, offset + LENGTH_OFFSET);
    return RTCP_HEADER_SIZE;
  }

  isReport(): boolean {
    return this.packetType === RTCP_SR || this.packetType === RTCP_RR;
  }
}
