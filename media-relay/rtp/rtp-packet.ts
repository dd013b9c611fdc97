import {
  CSRC_COUNT_MASK, CSRC_OFFSET, CSRC_SIZE, EXTENSION_HEADER_SIZE, EXTENSION_MASK, MARKER_MASK,
  MARKER_PT_OFFSET, MAX_CSRC_COUNT, PADDING_MASK, PAYLOAD_TYPE_MASK, RTP_HEADER_SIZE, RTP_VERSION,
  SEQUENCE_OFFSET, SSRC_OFFSET, TIMESTAMP_OFFSET, VERSION_SHIFT,
} from './rtp-fields.js';

/** Why bytes are not an RTP packet. Strings, so a failed parse allocates nothing. */
export type RtpParseError = 'too-short' | 'bad-version' | 'csrc-truncated' | 'extension-truncated' | 'bad-padding';

const EMPTY = Buffer.alloc(0);
const MAX_PADDING = 255;
const MAX_EXTENSION_BYTES = 0xffff * 4;

/*
 * RFC 3550 §5.1, fixed header, then CSRCs:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * RFC 3550 §5.3.1, header extension (when X=1):
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |           length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        header extension                       |
 * |                             ....                              |
 *
 * Then the payload, then (when P=1) padding whose last octet counts the padding octets.
 */

/**
 * A reusable RTP packet view. parse() fills the fields from a Buffer without allocating: the
 * extension data and payload stay in the source buffer, addressed by offset and length (absolute
 * offsets into that buffer), so one instance can parse packet after packet on the hot path.
 * After a failed parse the fields are unspecified. To build a packet, set the fields and call
 * serializeInto().
 */
export class RtpPacket {
  marker = false;
  payloadType = 0;
  sequenceNumber = 0;
  timestamp = 0;
  ssrc = 0;
  csrcCount = 0;
  readonly csrc = new Uint32Array(MAX_CSRC_COUNT);
  hasExtension = false;
  extensionProfile = 0;
  extensionOffset = 0;
  extensionLength = 0;
  payloadOffset = 0;
  payloadLength = 0;
  /** Padding octets including the count octet; 0 when P=0. */
  paddingSize = 0;
  private extensionSource: Buffer = EMPTY;
  private payloadSource: Buffer = EMPTY;

  /** Reads a packet from `length` bytes of `buf` at `offset`; undefined on success. */
  parse(buf: Buffer, offset = 0, length = buf.length - offset): RtpParseError | undefined {
    if (offset < 0 || length < RTP_HEADER_SIZE || offset + length > buf.length) return 'too-short';
    const flags = buf.readUInt8(offset);
    if (flags >> VERSION_SHIFT !== RTP_VERSION) return 'bad-version';
    const end = offset + length;
    const csrcCount = flags & CSRC_COUNT_MASK;
    const csrcEnd = offset + CSRC_OFFSET + csrcCount * CSRC_SIZE;
    if (csrcEnd > end) return 'csrc-truncated';
    const payloadStart = (flags & EXTENSION_MASK) === 0 ? csrcEnd : this.readExtension(buf, csrcEnd, end);
    if (payloadStart < 0) return 'extension-truncated';
    const paddingSize = (flags & PADDING_MASK) === 0 ? 0 : readPadding(buf, payloadStart, end);
    if (paddingSize < 0) return 'bad-padding';
    this.readFixedHeader(buf, offset, flags);
    this.readCsrcs(buf, offset, csrcCount);
    if ((flags & EXTENSION_MASK) === 0) this.clearExtension();
    this.payloadSource = buf;
    this.payloadOffset = payloadStart;
    this.payloadLength = end - payloadStart - paddingSize;
    this.paddingSize = paddingSize;
    return undefined;
  }

  /** The P bit: set exactly when padding octets follow the payload. */
  get padding(): boolean {
    return this.paddingSize > 0;
  }

  /** Bytes serializeInto() writes. */
  size(): number {
    const extension = this.hasExtension ? EXTENSION_HEADER_SIZE + this.extensionLength : 0;
    return RTP_HEADER_SIZE + this.csrcCount * CSRC_SIZE + extension + this.payloadLength + this.paddingSize;
  }

  /**
   * Writes the packet at `offset` and returns the bytes written. The target must not overlap
   * the payload or extension source. A too-small target is a programmer error: RangeError.
   */
  serializeInto(buf: Buffer, offset = 0): number {
    const size = this.size();
    if (offset < 0 || offset + size > buf.length) {
      throw new RangeError(`RTP packet needs ${size} bytes at offset ${offset}, buffer has ${buf.length}`);
    }
    let cursor = this.writeFixedHeader(buf, offset);
    for (let i = 0; i < this.csrcCount; i++) cursor = buf.writeUInt32BE(this.csrc[i] ?? 0, cursor);
    if (this.hasExtension) {
      cursor = buf.writeUInt16BE(this.extensionProfile, cursor);
      cursor = buf.writeUInt16BE(this.extensionLength / 4, cursor);
      cursor += this.extensionSource.copy(buf, cursor, this.extensionOffset, this.extensionOffset + this.extensionLength);
    }
    cursor += this.payloadSource.copy(buf, cursor, this.payloadOffset, this.payloadOffset + this.payloadLength);
    if (this.paddingSize > 0) {
      buf.fill(0, cursor, cursor + this.paddingSize - 1);
      buf.writeUInt8(this.paddingSize, cursor + this.paddingSize - 1);
    }
    return size;
  }

  /** The payload as a Buffer view (allocates a view object: not for the hot path). */
  payload(): Buffer {
    return this.payloadSource.subarray(this.payloadOffset, this.payloadOffset + this.payloadLength);
  }

  /** The extension data after its 4-byte header (allocates a view object). */
  extensionData(): Buffer {
    return this.extensionSource.subarray(this.extensionOffset, this.extensionOffset + this.extensionLength);
  }

  setPayload(buf: Buffer, offset = 0, length = buf.length - offset): void {
    this.payloadSource = buf;
    this.payloadOffset = offset;
    this.payloadLength = length;
  }

  /** Extension data must be whole 32-bit words (RFC 3550 §5.3.1 counts its length in words). */
  setExtension(profile: number, buf: Buffer, offset = 0, length = buf.length - offset): void {
    if (length % 4 !== 0 || length > MAX_EXTENSION_BYTES) {
      throw new RangeError(`RTP header extension must be a multiple of 4 bytes up to ${MAX_EXTENSION_BYTES}, got ${length}`);
    }
    this.hasExtension = true;
    this.extensionProfile = profile & 0xffff;
    this.extensionSource = buf;
    this.extensionOffset = offset;
    this.extensionLength = length;
  }

  clearExtension(): void {
    this.hasExtension = false;
    this.extensionSource = EMPTY;
    this.extensionOffset = 0;
    this.extensionLength = 0;
  }

  setCsrcs(csrcs: readonly number[]): void {
    if (csrcs.length > MAX_CSRC_COUNT) throw new RangeError(`at most ${MAX_CSRC_COUNT} CSRCs, got ${csrcs.length}`);
    csrcs.forEach((value, i) => { this.csrc[i] = value; });
    this.csrcCount = csrcs.length;
  }

  /** Padding octets to append, count octet included (0 for none). */
  setPadding(size: number): void {
    if (!Number.isInteger(size) || size < 0 || size > MAX_PADDING) throw new RangeError(`padding must be 0..255, got ${size}`);
    this.paddingSize = size;
  }

  private readExtension(buf: Buffer, start: number, end: number): number {
    if (start + EXTENSION_HEADER_SIZE > end) return -1;
    const length = buf.readUInt16BE(start + 2) * 4;
    const dataStart = start + EXTENSION_HEADER_SIZE;
    if (dataStart + length > end) return -1;
    this.hasExtension = true;
    this.extensionProfile = buf.readUInt16BE(start);
    this.extensionSource = buf;
    this.extensionOffset = dataStart;
    this.extensionLength = length;
    return dataStart + length;
  }

  private readFixedHeader(buf: Buffer, offset: number, flags: number): void {
    const markerPt = buf.readUInt8(offset + MARKER_PT_OFFSET);
    this.marker = (markerPt & MARKER_MASK) !== 0;
    this.payloadType = markerPt & PAYLOAD_TYPE_MASK;
    this.sequenceNumber = buf.readUInt16BE(offset + SEQUENCE_OFFSET);
    this.timestamp = buf.readUInt32BE(offset + TIMESTAMP_OFFSET);
    this.ssrc = buf.readUInt32BE(offset + SSRC_OFFSET);
    this.csrcCount = flags & CSRC_COUNT_MASK;
  }

  private readCsrcs(buf: Buffer, offset: number, count: number): void {
    for (let i = 0; i < count; i++) this.csrc[i] = buf.readUInt32BE(offset + CSRC_OFFSET + i * CSRC_SIZE);
  }

  private writeFixedHeader(buf: Buffer, offset: number): number {
    let flags = (RTP_VERSION << VERSION_SHIFT) | (this.csrcCount & CSRC_COUNT_MASK);
    if (this.paddingSize > 0) flags |= PADDING_MASK;
    if (this.hasExtension) flags |= EXTENSION_MASK;
    buf.writeUInt8(flags, offset);
    buf.writeUInt8((this.marker ? MARKER_MASK : 0) | (this.payloadType & PAYLOAD_TYPE_MASK), offset + MARKER_PT_OFFSET);
    buf.writeUInt16BE(this.sequenceNumber & 0xffff, offset + SEQUENCE_OFFSET);
    buf.writeUInt32BE(this.timestamp >>> 0, offset + TIMESTAMP_OFFSET);
    buf.writeUInt32BE(this.ssrc >>> 0, offset + SSRC_OFFSET);
    return offset + CSRC_OFFSET;
  }
}

/** RFC 3550 §5.1: the last octet counts the padding, itself included; returns -1 if impossible. */
function readPadding(buf: Buffer, payloadStart: number, end: number): number {
  if (end <= payloadStart) return -1;
  const size = buf.readUInt8(end - 1);
  return size === 0 || size > end - payloadStart ? -1 : size;
}
