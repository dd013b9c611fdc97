import { describe, expect, it } from 'vitest';
import { RTCP_BYE, RTCP_RR, RTCP_SDES, RTCP_SR, RtcpHeader } from '../../../../media-relay/rtcp/rtcp-header.js';
import { validateRtcpCompound } from '../../../../media-relay/rtcp/rtcp-compound.js';
import { classifyMuxedPacket } from '../../../../media-relay/rtcp/rtp-rtcp-demux.js';

/** One RTCP packet: header, then `words` 32-bit words of body. */
function rtcpPacket(packetType: number, count: number, words: number, padding = false): Buffer {
  const header = new RtcpHeader();
  Object.assign(header, { packetType, count, length: words, padding });
  const out = Buffer.alloc(4 + words * 4);
  header.serializeInto(out);
  return out;
}

/** A receiver report with no report blocks (SSRC only) followed by SDES: the smallest compound. */
const RR_SDES = Buffer.concat([rtcpPacket(RTCP_RR, 0, 1), rtcpPacket(RTCP_SDES, 1, 2)]);
/** A sender report: SSRC + 20-byte sender info (RFC 3550 §6.4.1). */
const SR = rtcpPacket(RTCP_SR, 0, 6);

describe('RtcpHeader (RFC 3550 §6.4.1)', () => {
  it('parses version, padding, count, packet type and length in words minus one', () => {
    const header = new RtcpHeader();
    expect(header.parse(SR)).toBeUndefined();
    expect(header).toMatchObject({ padding: false, count: 0, packetType: RTCP_SR, length: 6 });
    expect(header.packetSize()).toBe(28);
    expect(header.isReport()).toBe(true);
  });

  it('serializeInto writes what parse reads', () => {
    const header = new RtcpHeader();
    Object.assign(header, { padding: true, count: 31, packetType: RTCP_BYE, length: 513 });
    const out = Buffer.alloc(header.size());
    header.serializeInto(out);
    const back = new RtcpHeader();
    back.parse(out);
    expect(back).toMatchObject({ padding: true, count: 31, packetType: RTCP_BYE, length: 513 });
  });

  it('fewer than 4 bytes are too-short; version 1 is bad-version', () => {
    expect(new RtcpHeader().parse(Buffer.from([0x80, 200, 0]))).toBe('too-short');
    expect(new RtcpHeader().parse(Buffer.from([0x40, 200, 0, 1]))).toBe('bad-version');
  });
});

describe('validateRtcpCompound (RFC 3550 Appendix A.2)', () => {
  it('accepts SR and RR+SDES compounds', () => {
    expect(validateRtcpCompound(SR)).toBeUndefined();
    expect(validateRtcpCompound(RR_SDES)).toBeUndefined();
  });

  it('RFC 3550 §6.1: the first packet must be SR or RR, unless reduced-size RTCP is allowed', () => {
    const sdesOnly = rtcpPacket(RTCP_SDES, 1, 2);
    expect(validateRtcpCompound(sdesOnly)).toBe('first-not-report');
    expect(validateRtcpCompound(sdesOnly, 0, sdesOnly.length, { requireReportFirst: false })).toBeUndefined();
  });

  it('lengths must add up to the datagram exactly', () => {
    expect(validateRtcpCompound(RR_SDES.subarray(0, RR_SDES.length - 4))).toBe('bad-length');
    expect(validateRtcpCompound(Buffer.concat([SR, Buffer.from([0x80])]))).toBe('too-short');
  });

  it('padding is allowed only on the last packet', () => {
    const paddedFirst = Buffer.concat([rtcpPacket(RTCP_RR, 0, 1, true), rtcpPacket(RTCP_SDES, 1, 2)]);
    expect(validateRtcpCompound(paddedFirst)).toBe('padding-not-last');
    const paddedLast = Buffer.concat([rtcpPacket(RTCP_RR, 0, 1), rtcpPacket(RTCP_SDES, 1, 2, true)]);
    expect(validateRtcpCompound(paddedLast)).toBeUndefined();
  });

  it('every packet must be version 2', () => {
    const bad = Buffer.from(RR_SDES);
    bad.writeUInt8(0x41, 8);
    expect(validateRtcpCompound(bad)).toBe('bad-version');
  });
});

describe('RTP/RTCP demultiplexing on one port (RFC 5761 §4)', () => {
  const rtp = (pt: number, marker = false): Buffer => {
    const bytes = Buffer.alloc(172);
    bytes.writeUInt8(0x80, 0);
    bytes.writeUInt8((marker ? 0x80 : 0) | pt, 1);
    return bytes;
  };

  it('SR (200) and RR (201) are RTCP: 72 and 73 after masking the marker bit', () => {
    expect(classifyMuxedPacket(SR)).toBe('rtcp');
    expect(classifyMuxedPacket(RR_SDES)).toBe('rtcp');
  });

  it('payload types 64-95 after masking are RTCP; 0, 8, 101 and 96 with marker are RTP', () => {
    expect(classifyMuxedPacket(rtp(64))).toBe('rtcp');
    expect(classifyMuxedPacket(rtp(95))).toBe('rtcp');
    expect(classifyMuxedPacket(rtp(0))).toBe('rtp');
    expect(classifyMuxedPacket(rtp(8, true))).toBe('rtp');
    expect(classifyMuxedPacket(rtp(101))).toBe('rtp');
    expect(classifyMuxedPacket(rtp(96, true))).toBe('rtp');
    expect(classifyMuxedPacket(rtp(63))).toBe('rtp');
  });

  it('STUN, DTLS and short scraps are neither', () => {
    expect(classifyMuxedPacket(Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]))).toBe('other');
    expect(classifyMuxedPacket(Buffer.from([0x16, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe('other');
    expect(classifyMuxedPacket(Buffer.from([0x80, 0x00, 0x00]))).toBe('other');
    expect(classifyMuxedPacket(rtp(0).subarray(0, 10))).toBe('other');
  });
});
