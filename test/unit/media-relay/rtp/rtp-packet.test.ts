import { describe, expect, it } from 'vitest';
import { RtpPacket } from '../../../../media-relay/rtp/rtp-packet.js';
import { looksLikeRtp, peekPayloadType, peekSequenceNumber, peekSsrc } from '../../../../media-relay/rtp/rtp-fields.js';

/** pion/rtp's basic packet: V=2 X=1 M=1 PT=96, one-word extension, 5 payload bytes. */
const PION_BASIC = Buffer.from([
  0x90, 0xe0, 0x69, 0x8f, 0xd9, 0xc2, 0x93, 0xda, 0x1c, 0x64, 0x27, 0x82,
  0x00, 0x01, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff,
  0x98, 0x36, 0xbe, 0x88, 0x9e,
]);

function pcmuPacket(): Buffer {
  const header = Buffer.from([0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xa0, 0xde, 0xad, 0xbe, 0xef]);
  return Buffer.concat([header, Buffer.alloc(160, 0xff)]);
}

describe('RtpPacket (RFC 3550 §5.1)', () => {
  it('RFC 3550 §5.1: parses version, marker, payload type, sequence number, timestamp and SSRC', () => {
    const packet = new RtpPacket();
    expect(packet.parse(PION_BASIC)).toBeUndefined();
    expect(packet.marker).toBe(true);
    expect(packet.payloadType).toBe(96);
    expect(packet.sequenceNumber).toBe(27023);
    expect(packet.timestamp).toBe(3653407706);
    expect(packet.ssrc).toBe(476325762);
    expect(packet.csrcCount).toBe(0);
    expect(packet.padding).toBe(false);
  });

  it('RFC 3550 §5.3.1: reads the header extension profile and data, length counted in words', () => {
    const packet = new RtpPacket();
    packet.parse(PION_BASIC);
    expect(packet.hasExtension).toBe(true);
    expect(packet.extensionProfile).toBe(1);
    expect(packet.extensionData()).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    expect(packet.payload()).toEqual(Buffer.from([0x98, 0x36, 0xbe, 0x88, 0x9e]));
    expect(packet.payloadOffset).toBe(20);
  });

  it('serializeInto reproduces the parsed bytes exactly and size() counts them', () => {
    const packet = new RtpPacket();
    packet.parse(PION_BASIC);
    expect(packet.size()).toBe(PION_BASIC.length);
    const out = Buffer.alloc(packet.size());
    expect(packet.serializeInto(out)).toBe(PION_BASIC.length);
    expect(out).toEqual(PION_BASIC);
  });

  it('RFC 3550 §5.1: reads CC contributing sources after the fixed header', () => {
    const built = new RtpPacket();
    built.payloadType = 0;
    built.setCsrcs([0x11111111, 0x22222222, 0x33333333]);
    built.setPayload(Buffer.from('abcd'));
    const bytes = Buffer.alloc(built.size());
    built.serializeInto(bytes);
    expect(bytes.readUInt8(0) & 0x0f).toBe(3);
    const parsed = new RtpPacket();
    expect(parsed.parse(bytes)).toBeUndefined();
    expect(Array.from(parsed.csrc.subarray(0, parsed.csrcCount))).toEqual([0x11111111, 0x22222222, 0x33333333]);
    expect(parsed.payload().toString()).toBe('abcd');
  });

  it('RFC 3550 §5.1: padding is excluded from the payload; its last octet counts the padding', () => {
    const built = new RtpPacket();
    built.setPayload(Buffer.from([1, 2, 3]));
    built.setPadding(5);
    const bytes = Buffer.alloc(built.size());
    built.serializeInto(bytes);
    expect(bytes.readUInt8(0) & 0x20).toBe(0x20);
    expect(bytes.subarray(-5)).toEqual(Buffer.from([0, 0, 0, 0, 5]));
    const parsed = new RtpPacket();
    expect(parsed.parse(bytes)).toBeUndefined();
    expect(parsed.padding).toBe(true);
    expect(parsed.paddingSize).toBe(5);
    expect(parsed.payload()).toEqual(Buffer.from([1, 2, 3]));
  });

  it('parses at an offset inside a larger buffer without reading outside the given length', () => {
    const framed = Buffer.concat([Buffer.from([0xaa, 0xbb]), pcmuPacket(), Buffer.from([0xcc])]);
    const packet = new RtpPacket();
    expect(packet.parse(framed, 2, framed.length - 3)).toBeUndefined();
    expect(packet.ssrc).toBe(0xdeadbeef);
    expect(packet.payloadLength).toBe(160);
  });

  it('one view parses packet after packet, forgetting the previous extension', () => {
    const packet = new RtpPacket();
    packet.parse(PION_BASIC);
    expect(packet.parse(pcmuPacket())).toBeUndefined();
    expect(packet.hasExtension).toBe(false);
    expect(packet.payloadOffset).toBe(12);
    expect(packet.size()).toBe(172);
  });

  describe('length checks before every read', () => {
    const packet = new RtpPacket();
    it.each([0, 1, 11])('a %i-byte buffer is too-short', (length) => {
      expect(packet.parse(pcmuPacket().subarray(0, length))).toBe('too-short');
    });
    it('a length beyond the buffer is too-short', () => {
      expect(packet.parse(pcmuPacket(), 10, 200)).toBe('too-short');
    });
    it('RFC 3550 §5.1: a version other than 2 is refused', () => {
      const bytes = pcmuPacket();
      bytes.writeUInt8(0x40, 0);
      expect(packet.parse(bytes)).toBe('bad-version');
    });
    it('CC promising more CSRCs than present is csrc-truncated', () => {
      const bytes = pcmuPacket().subarray(0, 20);
      bytes.writeUInt8(0x83, 0);
      expect(packet.parse(bytes)).toBe('csrc-truncated');
    });
    it('X=1 without room for the extension header or its data is extension-truncated', () => {
      expect(packet.parse(PION_BASIC.subarray(0, 14))).toBe('extension-truncated');
      expect(packet.parse(PION_BASIC.subarray(0, 18))).toBe('extension-truncated');
    });
    it('RFC 3550 §5.1: a padding count of 0 or beyond the payload is bad-padding', () => {
      const zero = pcmuPacket();
      zero.writeUInt8(0xa0, 0);
      zero.writeUInt8(0, zero.length - 1);
      expect(packet.parse(zero)).toBe('bad-padding');
      const huge = Buffer.from(pcmuPacket().subarray(0, 14));
      huge.writeUInt8(0xa0, 0);
      huge.writeUInt8(3, 13);
      expect(packet.parse(huge)).toBe('bad-padding');
    });
    it('padding bit on a header-only packet is bad-padding', () => {
      const bare = Buffer.from(pcmuPacket().subarray(0, 12));
      bare.writeUInt8(0xa0, 0);
      expect(packet.parse(bare)).toBe('bad-padding');
    });
  });

  it('serializeInto refuses a too-small target with RangeError (a programmer error)', () => {
    const packet = new RtpPacket();
    packet.parse(pcmuPacket());
    expect(() => packet.serializeInto(Buffer.alloc(100))).toThrow(RangeError);
  });

  it('setExtension insists on whole 32-bit words', () => {
    expect(() => new RtpPacket().setExtension(0xbede, Buffer.alloc(3))).toThrow(RangeError);
  });

  it('hot-path peeks read single fields of a checked header', () => {
    const bytes = pcmuPacket();
    expect(looksLikeRtp(bytes, 0, bytes.length)).toBe(true);
    expect(looksLikeRtp(bytes, 0, 11)).toBe(false);
    expect(peekPayloadType(PION_BASIC, 0)).toBe(96);
    expect(peekSequenceNumber(bytes, 0)).toBe(1);
    expect(peekSsrc(bytes, 0)).toBe(0xdeadbeef);
  });
});
