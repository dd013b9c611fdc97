/**
 * The few RTP shapes the test phone writes and reads: the fixed header (RFC 3550 §5.1) and the
 * RFC 4733 §2.3 telephone-event payload. Written independently of media-relay/ on purpose.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  |                           timestamp                           |
 *  |           synchronization source (SSRC) identifier            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

export const RTP_HEADER_SIZE = 12;
const RTP_VERSION_2 = 0x80;
const MARKER_BIT = 0x80;
const PAYLOAD_TYPE_MASK = 0x7f;
const CSRC_COUNT_MASK = 0x0f;
const EXTENSION_BIT = 0x10;

export interface RtpHeader {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
}

export interface RtpPacket extends RtpHeader {
  readonly payload: Buffer;
}

export function buildRtp(header: RtpHeader, payload: Buffer): Buffer {
  const packet = Buffer.alloc(RTP_HEADER_SIZE + payload.length);
  packet[0] = RTP_VERSION_2;
  packet[1] = (header.marker ? MARKER_BIT : 0) | (header.payloadType & PAYLOAD_TYPE_MASK);
  packet.writeUInt16BE(header.sequence & 0xffff, 2);
  packet.writeUInt32BE(header.timestamp >>> 0, 4);
  packet.writeUInt32BE(header.ssrc >>> 0, 8);
  payload.copy(packet, RTP_HEADER_SIZE);
  return packet;
}

/** Parse an RTP packet; undefined for anything that is not RTP version 2 with a whole header. */
export function parseRtp(packet: Buffer): RtpPacket | undefined {
  if (packet.length < RTP_HEADER_SIZE) return undefined;
  const first = packet.readUInt8(0);
  if ((first & 0xc0) !== RTP_VERSION_2) return undefined;
  let offset = RTP_HEADER_SIZE + 4 * (first & CSRC_COUNT_MASK);
  if (first & EXTENSION_BIT) {
    if (packet.length < offset + 4) return undefined;
    offset += 4 + 4 * packet.readUInt16BE(offset + 2);
  }
  if (packet.length < offset) return undefined;
  const second = packet.readUInt8(1);
  return {
    marker: (second & MARKER_BIT) !== 0,
    payloadType: second & PAYLOAD_TYPE_MASK,
    sequence: packet.readUInt16BE(2),
    timestamp: packet.readUInt32BE(4),
    ssrc: packet.readUInt32BE(8),
    payload: packet.subarray(offset),
  };
}

/**
 * RFC 4733 §2.3 event payload:
 *   |     event     |E|R| volume    |          duration             |
 */
export interface TelephoneEvent {
  readonly event: number;
  readonly end: boolean;
  readonly volume: number;
  readonly duration: number;
}

const TELEPHONE_EVENT_SIZE = 4;
const END_BIT = 0x80;
const VOLUME_MASK = 0x3f;

export function buildTelephoneEvent(event: TelephoneEvent): Buffer {
  const payload = Buffer.alloc(TELEPHONE_EVENT_SIZE);
  payload[0] = event.event;
  payload[1] = (event.end ? END_BIT : 0) | (event.volume & VOLUME_MASK);
  payload.writeUInt16BE(Math.min(event.duration, 0xffff), 2);
  return payload;
}

export function parseTelephoneEvent(payload: Buffer): TelephoneEvent | undefined {
  if (payload.length < TELEPHONE_EVENT_SIZE) return undefined;
  const flags = payload.readUInt8(1);
  return {
    event: payload.readUInt8(0),
    end: (flags & END_BIT) !== 0,
    volume: flags & VOLUME_MASK,
    duration: payload.readUInt16BE(2),
  };
}

/** RFC 4733 §3.2: events 0-9, *, #, A-D, and 16 = flash. */
const DTMF_EVENTS = '0123456789*#ABCD';
const FLASH_EVENT = 16;

export function dtmfEventCode(digit: string): number {
  const upper = digit.toUpperCase();
  if (upper === '!') return FLASH_EVENT;
  const code = upper.length === 1 ? DTMF_EVENTS.indexOf(upper) : -1;
  if (code < 0) throw new Error(`not a DTMF digit: ${JSON.stringify(digit)}`);
  return code;
}

export function dtmfDigit(event: number): string {
  if (event === FLASH_EVENT) return '!';
  return DTMF_EVENTS[event] ?? `event-${event}`;
}
