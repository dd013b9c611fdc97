import { describe, expect, it } from 'vitest';
import type { Codec } from '../../../../media-relay/sdp/codec.js';
import { describeSdp, type SdpDescription } from '../../../../media-relay/sdp/describe-sdp.js';
import { intersectCodecLists, intersectCodecs, NoCommonCodec } from '../../../../media-relay/sdp/intersect-codecs.js';
import { SdpError } from '../../../../media-relay/sdp/sdp-error.js';
import { AUDIO_ONLY_ANSWER, BRIA_AUDIO_VIDEO, G729_ONLY_OFFER, GRANDSTREAM_HOLD, POLYCOM_OFFER, YEALINK_OFFER } from './phone-offers.js';

const codec = (payloadType: number, name: string, clockRate = 8000): Codec => ({ payloadType, name, clockRate, channels: 1 });

function answer(offer: string, capabilities: string): { sdp: SdpDescription; names: string[][] } {
  const result = intersectCodecs(offer, capabilities);
  if (!result.ok) throw new Error(result.error.reason);
  const sdp = describeSdp(result.sdp);
  if (sdp instanceof SdpError) throw new Error(sdp.reason);
  return { sdp, names: sdp.media.map((m) => m.codecs.map((c) => `${c.payloadType} ${c.name}`)) };
}

describe('intersectCodecLists', () => {
  it('keeps offered codecs the other side has, in offer order, by name and clock rate', () => {
    const common = intersectCodecLists(
      [codec(9, 'G722'), codec(0, 'PCMU'), codec(8, 'PCMA'), codec(101, 'telephone-event')],
      [codec(8, 'pcma'), codec(0, 'PCMU'), codec(96, 'telephone-event')],
    );
    expect(common.map((c) => c.payloadType)).toEqual([0, 8, 101]);
  });

  it('a different clock rate is a different codec', () => {
    expect(intersectCodecLists([codec(96, 'opus', 48000)], [codec(96, 'opus', 16000)])).toEqual([]);
  });

  it('telephone-event alone is no codec in common', () => {
    expect(intersectCodecLists([codec(0, 'PCMU'), codec(101, 'telephone-event')], [codec(8, 'PCMA'), codec(101, 'telephone-event')])).toEqual([]);
  });
});

describe('intersectCodecs (RFC 3264 §6.1)', () => {
  it('Polycom offer answered by a Yealink: the shared codecs under the offer’s numbers, the Yealink’s address', () => {
    const { sdp, names } = answer(POLYCOM_OFFER, YEALINK_OFFER);
    expect(names).toEqual([['9 G722', '0 PCMU', '8 PCMA', '18 G729', '127 telephone-event']]);
    expect(sdp.media[0]).toMatchObject({ address: '10.0.0.23', port: 11800, telephoneEventPt: 127 });
    expect(sdp.media[0]?.codecs.find((c) => c.name === 'telephone-event')?.fmtp).toBe('0-15');
  });

  it('static payload types without rtpmap (Yealink PCMU/PCMA) are recognised', () => {
    const { names } = answer(YEALINK_OFFER, GRANDSTREAM_HOLD);
    expect(names).toEqual([['0 PCMU', '8 PCMA', '101 telephone-event']]);
  });

  it('telephone-event is kept only when both sides have it', () => {
    const { sdp } = answer(YEALINK_OFFER, G729_ONLY_OFFER);
    expect(sdp.media[0]?.codecs.map((c) => c.name)).toEqual(['G729']);
    expect(sdp.media[0]?.telephoneEventPt).toBeUndefined();
  });

  it('no codec in common gives NoCommonCodec (the B2BUA answers 488)', () => {
    const result = intersectCodecs(G729_ONLY_OFFER, AUDIO_ONLY_ANSWER);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBeInstanceOf(NoCommonCodec);
  });

  it('a stream the other side lacks is declined with port 0 and the m-lines keep the offer’s order', () => {
    const { sdp } = answer(BRIA_AUDIO_VIDEO, AUDIO_ONLY_ANSWER);
    expect(sdp.media.map((m) => [m.type, m.port])).toEqual([['audio', 16000], ['video', 0]]);
    const { sdp: audioOnly } = answer(BRIA_AUDIO_VIDEO, YEALINK_OFFER);
    expect(audioOnly.media.map((m) => [m.type, m.port])).toEqual([['audio', 11800], ['video', 0]]);
  });

  it('the answer keeps the answerer’s other lines in place; a=rtcp-fb follows its codec to the offer’s number', () => {
    const offer = BRIA_AUDIO_VIDEO.replace('m=video 50002 RTP/AVP 99', 'm=video 50002 RTP/AVP 99 100')
      .replace('a=rtcp-fb:* nack pli', 'a=rtcp-fb:* nack pli\r\na=rtpmap:100 VP8/90000');
    const capabilities = BRIA_AUDIO_VIDEO.replace('m=video 50002 RTP/AVP 99', 'm=video 50002 RTP/AVP 97 98')
      .replace('a=rtpmap:99 H264/90000', 'a=rtpmap:97 VP9/90000\r\na=rtpmap:98 H264/90000\r\na=rtcp-fb:97 ccm fir\r\na=rtcp-fb:98 nack')
      .replace('a=fmtp:99 ', 'a=fmtp:98 ')
      .replace('b=TIAS:2000000', 'b=TIAS:2000000\r\na=x-vendor:kept');
    const result = intersectCodecs(offer, capabilities);
    if (!result.ok) throw new Error(result.error.reason);
    const video = result.sdp.slice(result.sdp.indexOf('m=video'));
    expect(video).toBe([
      'm=video 50002 RTP/AVP 99', 'c=IN IP4 192.168.1.80', 'b=TIAS:2000000', 'a=x-vendor:kept',
      'a=rtpmap:99 H264/90000', 'a=fmtp:99 profile-level-id=42801f;packetization-mode=1',
      'a=rtcp-fb:99 nack', 'a=rtcp-fb:* nack pli', 'a=sendrecv', '',
    ].join('\r\n'));
  });

  it('an answerer without a=rtpmap gets the codec lines before its first attribute', () => {
    const bare = 'v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8 0\r\nb=AS:64\r\na=sendrecv\r\n';
    const result = intersectCodecs(YEALINK_OFFER, bare);
    if (!result.ok) throw new Error(result.error.reason);
    expect(result.sdp.slice(result.sdp.indexOf('m=audio'))).toBe(
      'm=audio 4000 RTP/AVP 0 8\r\nb=AS:64\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n',
    );
  });

  it('malformed SDP on either side is an SdpError result', () => {
    const result = intersectCodecs('garbage', YEALINK_OFFER);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBeInstanceOf(SdpError);
  });
});
