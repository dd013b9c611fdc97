import { describe, expect, it } from 'vitest';
import { describeSdp } from '../../../../media-relay/sdp/describe-sdp.js';
import { SdpError } from '../../../../media-relay/sdp/sdp-error.js';
import { AUDIO_ONLY_ANSWER, BRIA_AUDIO_VIDEO, CISCO_ZERO_HOLD, LINPHONE_MUX_OFFER, YEALINK_OFFER } from './phone-offers.js';

describe('describeSdp', () => {
  it('lists type, port, address, direction, codecs (static types without rtpmap too) and telephone-event', () => {
    const description = describeSdp(YEALINK_OFFER);
    expect(description).not.toBeInstanceOf(SdpError);
    if (description instanceof SdpError) return;
    expect(description.origin).toMatchObject({ sessionId: '20009', sessionVersion: 20009, address: '10.0.0.23' });
    expect(description.media).toHaveLength(1);
    expect(description.media[0]).toMatchObject({
      type: 'audio', port: 11800, address: '10.0.0.23', direction: 'sendrecv', onHold: false,
      telephoneEventPt: 101, rtcpMux: false, rtcpPort: 11801, rejected: false, relayable: true,
    });
    expect(description.media[0]?.codecs.map((c) => [c.payloadType, c.name, c.clockRate])).toEqual([
      [0, 'PCMU', 8000], [8, 'PCMA', 8000], [9, 'G722', 8000], [18, 'G729', 8000], [101, 'telephone-event', 8000],
    ]);
    expect(description.media[0]?.codecs[3]?.fmtp).toBe('annexb=no');
  });

  it('reads rtcp-mux and a=rtcp (RFC 3605) with its address', () => {
    const media = (describeSdp(LINPHONE_MUX_OFFER) as Exclude<ReturnType<typeof describeSdp>, SdpError>).media[0];
    expect(media).toMatchObject({ rtcpMux: true, rtcpPort: 7079, rtcpAddress: '192.168.0.12' });
    expect(media?.codecs[0]).toMatchObject({ name: 'opus', clockRate: 48000, channels: 2 });
  });

  it('RFC 3264 §8.4: c=0.0.0.0 is a hold even with sendrecv', () => {
    const media = (describeSdp(CISCO_ZERO_HOLD) as Exclude<ReturnType<typeof describeSdp>, SdpError>).media[0];
    expect(media).toMatchObject({ address: '0.0.0.0', direction: 'sendrecv', onHold: true });
  });

  it('two m-lines with media-level c= only; a port-0 stream is rejected without RTCP port', () => {
    const offer = describeSdp(BRIA_AUDIO_VIDEO) as Exclude<ReturnType<typeof describeSdp>, SdpError>;
    expect(offer.address).toBeUndefined();
    expect(offer.media.map((m) => [m.type, m.port, m.address])).toEqual([
      ['audio', 50000, '192.168.1.80'], ['video', 50002, '192.168.1.80'],
    ]);
    const answer = describeSdp(AUDIO_ONLY_ANSWER) as Exclude<ReturnType<typeof describeSdp>, SdpError>;
    expect(answer.media[1]).toMatchObject({ type: 'video', port: 0, rejected: true, rtcpPort: undefined });
  });

  it('TCP media (BFCP) is described but not relayable', () => {
    const bfcp = YEALINK_OFFER + 'm=application 5070 TCP/BFCP *\r\na=floorctrl:c-s\r\n';
    const description = describeSdp(bfcp) as Exclude<ReturnType<typeof describeSdp>, SdpError>;
    expect(description.media[1]).toMatchObject({ type: 'application', relayable: false, codecs: [] });
  });
});
