/** Why bytes are not a telephone-event payload. */
export type TelephoneEventParseError = 'too-short';

export const TELEPHONE_EVENT_SIZE = 4;
const END_MASK = 0x80;
const VOLUME_MASK = 0x3f;
const MAX_VOLUME = 63;

/*
 * RFC 4733 §2.3, payload format for named events:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/** A reusable telephone-event view: parse() and serializeInto() allocate nothing. */
export class TelephoneEvent {
  event = 0;
  /** E: the last packets of an event carry it, usually three times (RFC 4733 §2.5.1.4). */
  end = false;
  /** Power level as -dBm0, 0..63 (RFC 4733 §2.3.4). */
  volume = 0;
  /** In RTP timestamp units since the event began (RFC 4733 §2.3.5). */
  duration = 0;

  parse(buf: Buffer, offset = 0, length = buf.length - offset): TelephoneEventParseError | undefined {
    if (offset < 0 || length < TELEPHONE_EVENT_SIZE || offset + length > buf.length) return 'too-short';
    const flags = buf.readUInt8(offset + 1);
    this.event = buf.readUInt8(offset);
    this.end = (flags & END_MASK) !== 0;
    // The R bit is reserved: ignored on receipt (RFC 4733 §2.3.3).
    this.volume = flags & VOLUME_MASK;
    this.duration = buf.readUInt16BE(offset + 2);
    return undefined;
  }

  size(): number {
    return TELEPHONE_EVENT_SIZE;
  }

  /** Writes 4 bytes at `offset`, R always 0; a too-small target is a programmer error. */
  serializeInto(buf: Buffer, offset = 0): number {
    if (offset < 0 || offset + TELEPHONE_EVENT_SIZE > buf.length) {
      throw new RangeError(`telephone-event needs 4 bytes at offset ${offset}, buffer has ${buf.length}`);
    }
    buf.writeUInt8(this.event & 0xff, offset);
    buf.writeUInt8((this.end ? END_MASK : 0) | (Math.min(this.volume, MAX_VOLUME) & VOLUME_MASK), offset + 1);
    buf.writeUInt16BE(this.duration & 0xffff, offset + 2);
    return TELEPHONE_EVENT_SIZE;
  }
}
