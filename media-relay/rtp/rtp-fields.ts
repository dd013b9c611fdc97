/**
 * Offsets and masks of the RTP fixed header (RFC 3550 §5.1), shared by the packet view and the
 * relay's hot path, which peeks at single fields without parsing the whole packet.
 */

export const RTP_VERSION = 2;
export const RTP_HEADER_SIZE = 12;
export const MAX_CSRC_COUNT = 15;
export const CSRC_SIZE = 4;
/** Profile (16 bits) and length in 32-bit words (16 bits), RFC 3550 §5.3.1. */
export const EXTENSION_HEADER_SIZE = 4;

export const VERSION_SHIFT = 6;
export const PADDING_MASK = 0x20;
export const EXTENSION_MASK = 0x10;
export const CSRC_COUNT_MASK = 0x0f;
export const MARKER_MASK = 0x80;
export const PAYLOAD_TYPE_MASK = 0x7f;

export const FLAGS_OFFSET = 0;
export const MARKER_PT_OFFSET = 1;
export const SEQUENCE_OFFSET = 2;
export const TIMESTAMP_OFFSET = 4;
export const SSRC_OFFSET = 8;
export const CSRC_OFFSET = 12;

/** True when `length` bytes at `offset` can hold a fixed header with version 2. */
export function looksLikeRtp(buf: Buffer, offset: number, length: number): boolean {
  if (length < RTP_HEADER_SIZE || offset < 0 || offset + length > buf.length) return false;
  return buf.readUInt8(offset + FLAGS_OFFSET) >> VERSION_SHIFT === RTP_VERSION;
}

/** Callers check looksLikeRtp first: these readers assume a whole fixed header is present. */
export function peekPayloadType(buf: Buffer, offset: number): number {
  return buf.readUInt8(offset + MARKER_PT_OFFSET) & PAYLOAD_TYPE_MASK;
}

export function peekSequenceNumber(buf: Buffer, offset: number): number {
  return buf.readUInt16BE(offset + SEQUENCE_OFFSET);
}

export function peekSsrc(buf: Buffer, offset: number): number {
  return buf.readUInt32BE(offset + SSRC_OFFSET);
}

/**
 * The SSRC's 32 bits read as a signed integer, for comparing SSRCs on the hot path: V8 keeps an
 * int32 unboxed, while an unsigned value of 2^31 or more (half of all random SSRCs) is a heap
 * number, one allocation per packet.
 */
export function peekSsrcBits(buf: Buffer, offset: number): number {
  return buf.readInt32BE(offset + SSRC_OFFSET);
}
