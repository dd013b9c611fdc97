import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtpPacket } from '../../../media-relay/rtp/rtp-packet.js';
import { TelephoneEvent } from '../../../media-relay/rtp/telephone-event.js';
import { RtcpHeader } from '../../../media-relay/rtcp/rtcp-header.js';
import { validateRtcpCompound } from '../../../media-relay/rtcp/rtcp-compound.js';
import { classifyMuxedPacket } from '../../../media-relay/rtcp/rtp-rtcp-demux.js';
import { parseSdp } from '../../../media-relay/sdp/parse-sdp.js';
import { SdpError } from '../../../media-relay/sdp/sdp-error.js';

const bytes = fc.uint8Array({ maxLength: 300 }).map((array) => Buffer.from(array));
const RTP_ERRORS = [undefined, 'too-short', 'bad-version', 'csrc-truncated', 'extension-truncated', 'bad-padding'];

describe('parsers never throw, whatever the bytes', () => {
  it('RtpPacket.parse returns a result for random bytes, offsets and lengths', () => {
    const packet = new RtpPacket();
    fc.assert(fc.property(bytes, fc.integer({ min: -4, max: 310 }), fc.integer({ min: -4, max: 310 }), (buf, offset, length) => {
      expect(RTP_ERRORS).toContain(packet.parse(buf, offset, length));
      expect(RTP_ERRORS).toContain(packet.parse(buf));
    }));
  });

  it('a successful RTP parse re-serializes to the same bytes', () => {
    const packet = new RtpPacket();
    fc.assert(fc.property(bytes, (buf) => {
      if (packet.parse(buf) !== undefined) return;
      const out = Buffer.alloc(packet.size());
      packet.serializeInto(out);
      // Padding octets before the count are written as zeros, so compare up to the padding.
      const kept = buf.length - packet.paddingSize;
      expect(out.subarray(0, kept)).toEqual(buf.subarray(0, kept));
      expect(out.length).toBe(buf.length);
    }));
  });

  it('RTCP header, compound validation, demux and telephone-event never throw', () => {
    const header = new RtcpHeader();
    const event = new TelephoneEvent();
    fc.assert(fc.property(bytes, fc.integer({ min: -2, max: 300 }), (buf, offset) => {
      header.parse(buf, offset);
      validateRtcpCompound(buf);
      validateRtcpCompound(buf, 0, buf.length, { requireReportFirst: false });
      expect(['rtp', 'rtcp', 'other']).toContain(classifyMuxedPacket(buf, offset));
      event.parse(buf, offset);
    }));
  });

  it('parseSdp returns a description or an SdpError for any text', () => {
    const sdpish = fc.array(fc.oneof(
      fc.constantFrom('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 'c=IN IP4 0.0.0.0', 'm=audio 0 RTP/AVP 0', 'a=rtcp:', 'a=rtpmap:x', 'm=audio 99999 RTP/AVP 0', 's=-'),
      fc.string(),
    ), { maxLength: 12 }).map((lines) => lines.join('\r\n'));
    fc.assert(fc.property(fc.oneof(fc.string(), sdpish), (text) => {
      const result = parseSdp(text);
      expect(result instanceof SdpError || Array.isArray(result.media)).toBe(true);
    }));
  });
});
