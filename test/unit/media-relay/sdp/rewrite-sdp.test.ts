import { describe, expect, it } from 'vitest';
import { describeSdp, type SdpDescription } from '../../../../media-relay/sdp/describe-sdp.js';
import { parseSdp } from '../../../../media-relay/sdp/parse-sdp.js';
import { rewriteSdp, type RelayEndpoint } from '../../../../media-relay/sdp/rewrite-sdp.js';
import { SdpError } from '../../../../media-relay/sdp/sdp-error.js';
import { SdpOrigin } from '../../../../media-relay/sdp/sdp-origin.js';
import {
  AUDIO_ONLY_ANSWER, BRIA_AUDIO_VIDEO, CISCO_ZERO_HOLD, GRANDSTREAM_HOLD, LINPHONE_MUX_OFFER, POLYCOM_OFFER, YEALINK_OFFER,
} from './phone-offers.js';

const RELAY = '203.0.113.1';
const ENDPOINTS: RelayEndpoint[] = [
  { address: RELAY, rtpPort: 30000, rtcpPort: 30001 },
  { address: RELAY, rtpPort: 30002, rtcpPort: 30003 },
];

function rewrite(sdp: string, endpoints = ENDPOINTS, origin = new SdpOrigin({ address: RELAY, sessionId: '4711' })): string {
  const out = rewriteSdp(sdp, endpoints, origin);
  if (out instanceof SdpError) throw new Error(out.reason);
  return out;
}

function describe_(sdp: string): SdpDescription {
  const description = describeSdp(sdp);
  if (description instanceof SdpError) throw new Error(description.reason);
  return description;
}

function ptimesOf(sdp: string): (number | undefined)[] {
  const description = parseSdp(sdp);
  if (description instanceof SdpError) throw new Error(description.reason);
  return description.media.map((media) => media.ptime);
}

/** Every c= line of an SDP, in order. */
function connectionLines(sdp: string): string[] {
  return sdp.split('\r\n').filter((line) => line.startsWith('c='));
}

const TABLE = [
  ['Polycom VVX, G.722/PCMU/PCMA/G.729 + telephone-event', POLYCOM_OFFER],
  ['Yealink, static types without rtpmap, ptime', YEALINK_OFFER],
  ['Linphone, rtcp-mux and ICE', LINPHONE_MUX_OFFER],
  ['Grandstream hold, a=sendonly', GRANDSTREAM_HOLD],
  ['Bria audio+video, no session-level c=', BRIA_AUDIO_VIDEO],
  ['audio answer declining video with port 0', AUDIO_ONLY_ANSWER],
] as const;

describe('rewriteSdp: a table of real phone offers', () => {
  it.each(TABLE)('%s: every c= and every accepted m= port point at the relay', (_name, offer) => {
    const out = rewrite(offer);
    expect(connectionLines(out).length).toBeGreaterThan(0);
    for (const line of connectionLines(out)) expect(line).toBe(`c=IN IP4 ${RELAY}`);
    const before = describe_(offer);
    describe_(out).media.forEach((media, index) => {
      expect(media.port).toBe(before.media[index]?.rejected ? 0 : ENDPOINTS[index]?.rtpPort);
    });
    expect(out).not.toMatch(/192\.168\.|10\.0\.0\.|203\.0\.113\.7/);
  });

  it.each(TABLE)('%s: codecs, fmtp, ptime, telephone-event, direction and m-line order are kept', (_name, offer) => {
    const before = describe_(offer);
    const after = describe_(rewrite(offer));
    expect(after.media.map((m) => [m.type, m.codecs, m.telephoneEventPt, m.direction, m.rtcpMux]))
      .toEqual(before.media.map((m) => [m.type, m.codecs, m.telephoneEventPt, m.direction, m.rtcpMux]));
    expect(ptimesOf(rewrite(offer))).toEqual(ptimesOf(offer));
  });

  it('Linphone: ICE candidates, ufrag and pwd are removed; a=rtcp names the relay; rtcp-mux stays', () => {
    const out = rewrite(LINPHONE_MUX_OFFER);
    expect(out).not.toMatch(/a=candidate|a=ice-ufrag|a=ice-pwd/);
    expect(out).toContain(`a=rtcp:30001 IN IP4 ${RELAY}`);
    expect(out).toContain('a=rtcp-mux');
    expect(out).toContain('a=rtcp-xr:rcvr-rtt=all:10000');
  });

  it('a=rtcp without an address gets the relay port only; an endpoint without RTCP port removes it', () => {
    const withRtcp = YEALINK_OFFER.replace('a=ptime:20', 'a=ptime:20\r\na=rtcp:11801');
    expect(rewrite(withRtcp)).toContain('a=rtcp:30001\r\n');
    expect(rewrite(withRtcp, [{ address: RELAY, rtpPort: 30000 }])).not.toContain('a=rtcp:');
  });

  it('RFC 3264 §8.4: old-style hold c=0.0.0.0 stays 0.0.0.0 while the m= port moves to the relay', () => {
    const out = rewrite(CISCO_ZERO_HOLD);
    expect(connectionLines(out)).toEqual(['c=IN IP4 0.0.0.0']);
    expect(describe_(out).media[0]).toMatchObject({ port: 30000, onHold: true, direction: 'sendrecv' });
  });

  it('RFC 3264 §8.4: a=sendonly hold stays sendonly', () => {
    expect(describe_(rewrite(GRANDSTREAM_HOLD)).media[0]).toMatchObject({ direction: 'sendonly', onHold: true });
  });

  it('two m-lines keep their order, each on its own relay ports, media-level c= rewritten', () => {
    const out = describe_(rewrite(BRIA_AUDIO_VIDEO));
    expect(out.address).toBeUndefined();
    expect(out.media.map((m) => [m.type, m.port, m.address])).toEqual([['audio', 30000, RELAY], ['video', 30002, RELAY]]);
    expect(rewrite(BRIA_AUDIO_VIDEO)).toContain('a=rtcp-fb:* nack pli');
  });

  it('RFC 3264 §6: a port-0 stream stays rejected and gets no relay port', () => {
    const out = describe_(rewrite(AUDIO_ONLY_ANSWER));
    expect(out.media[1]).toMatchObject({ type: 'video', port: 0, rejected: true });
  });

  it('a stream without an endpoint is declined with port 0', () => {
    const out = describe_(rewrite(BRIA_AUDIO_VIDEO, [ENDPOINTS[0]!]));
    expect(out.media.map((m) => m.port)).toEqual([30000, 0]);
  });

  it('IPv6 relay addresses are written as IP6', () => {
    const out = rewrite(POLYCOM_OFFER, [{ address: '2001:db8::1', rtpPort: 30000, rtcpPort: 30001 }], new SdpOrigin({ address: '2001:db8::1' }));
    expect(out).toContain('c=IN IP6 2001:db8::1');
    expect(out).toMatch(/^o=- \d+ 1 IN IP6 2001:db8::1$/m);
  });

  it('a malformed SDP gives an SdpError, not a throw', () => {
    expect(rewriteSdp('v=0\r\nm=audio x RTP/AVP 0\r\n', ENDPOINTS, new SdpOrigin({ address: RELAY }))).toBeInstanceOf(SdpError);
  });
});

describe('SdpOrigin: one o= line per leg (RFC 3264 §8)', () => {
  it('keeps username and session id, raising the version by one for each changed SDP', () => {
    const origin = new SdpOrigin({ address: RELAY, sessionId: '4711', username: 'softswitch' });
    const first = rewrite(POLYCOM_OFFER, ENDPOINTS, origin);
    const second = rewrite(GRANDSTREAM_HOLD, ENDPOINTS, origin);
    expect(first).toContain(`o=softswitch 4711 1 IN IP4 ${RELAY}`);
    expect(second).toContain(`o=softswitch 4711 2 IN IP4 ${RELAY}`);
  });

  it('an unchanged SDP (a session refresh) keeps its version', () => {
    const origin = new SdpOrigin({ address: RELAY });
    rewrite(POLYCOM_OFFER, ENDPOINTS, origin);
    rewrite(POLYCOM_OFFER, ENDPOINTS, origin);
    expect(origin.sessionVersion).toBe(1);
    rewrite(POLYCOM_OFFER.replace('a=sendrecv', 'a=sendonly'), ENDPOINTS, origin);
    expect(origin.sessionVersion).toBe(2);
  });

  it('the phone’s own o= never shows through', () => {
    const origin = new SdpOrigin({ address: RELAY });
    expect(rewrite(YEALINK_OFFER, ENDPOINTS, origin)).not.toContain('20009');
    expect(origin.sessionId).toMatch(/^\d+$/);
  });
});
