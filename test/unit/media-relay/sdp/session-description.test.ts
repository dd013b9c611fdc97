import { describe, expect, it } from 'vitest';
import { codecsOf } from '../../../../media-relay/sdp/codec.js';
import { effectiveConnection } from '../../../../media-relay/sdp/media-direction.js';
import { parseSdp, type SessionDescription } from '../../../../media-relay/sdp/parse-sdp.js';
import { rewriteSdp, type RelayEndpoint } from '../../../../media-relay/sdp/rewrite-sdp.js';
import { SdpError } from '../../../../media-relay/sdp/sdp-error.js';
import { SdpOrigin } from '../../../../media-relay/sdp/sdp-origin.js';
import { writeSdp } from '../../../../media-relay/sdp/write-sdp.js';
import {
  AUDIO_ONLY_ANSWER, BRIA_AUDIO_VIDEO, CISCO_ZERO_HOLD, G729_ONLY_OFFER, GRANDSTREAM_HOLD, LINPHONE_MUX_OFFER, POLYCOM_OFFER, YEALINK_OFFER,
} from './phone-offers.js';

const RELAY = '203.0.113.1';
const ENDPOINTS: RelayEndpoint[] = [
  { address: RELAY, rtpPort: 30000, rtcpPort: 30001 },
  { address: RELAY, rtpPort: 30002, rtcpPort: 30003 },
];

/** Lines no reader of ours looks at, at session and media level, in odd but legal places. */
const WITH_UNKNOWN_LINES = [
  'v=0',
  'o=- 42 42 IN IP4 192.168.1.50',
  's=A session  with  spaces ',
  'i=information line',
  'u=http://example.com/sdp',
  'e=ops@example.com',
  'c=IN IP4 192.168.1.50',
  'b=CT:128',
  't=0 0',
  'r=7d 1h 0 25h',
  'z=2882844526 -1h',
  'k=prompt',
  'a=x-vendor-session:Foo=1;bar',
  'a=group:LS audio video',
  'm=audio 2222 RTP/AVP 0 101',
  'i=voice',
  'b=AS:64',
  'a=mid:audio',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=x-nortel-profile:standard',
  'a=label:1',
  'a=maxptime:40',
  'a=sendrecv',
  'm=video 2224 RTP/AVP 99',
  'a=mid:video',
  'a=rtpmap:99 H264/90000',
  'a=imageattr:99 send [x=640,y=480] recv [x=640,y=480]',
  '',
].join('\r\n');

function parsed(sdp: string): SessionDescription {
  const description = parseSdp(sdp);
  if (description instanceof SdpError) throw new Error(description.reason);
  return description;
}

function rewrite(sdp: string, endpoints = ENDPOINTS): string {
  const out = rewriteSdp(sdp, endpoints, new SdpOrigin({ address: RELAY, sessionId: '4711' }));
  if (out instanceof SdpError) throw new Error(out.reason);
  return out;
}

describe('SDP model: an untouched SDP writes back byte for byte', () => {
  it.each([
    POLYCOM_OFFER, YEALINK_OFFER, LINPHONE_MUX_OFFER, GRANDSTREAM_HOLD, CISCO_ZERO_HOLD, BRIA_AUDIO_VIDEO, AUDIO_ONLY_ANSWER,
    G729_ONLY_OFFER, WITH_UNKNOWN_LINES,
  ])('round trip %#', (sdp) => {
    expect(writeSdp(parsed(sdp))).toBe(sdp);
  });

  it('sections hold their lines in order: the session up to the first m=, then one per m=', () => {
    const description = parsed(WITH_UNKNOWN_LINES);
    expect(description.session.lines.at(-1)).toBe('a=group:LS audio video');
    expect(description.media.map((media) => [media.lines[0], media.lines.length])).toEqual([
      ['m=audio 2222 RTP/AVP 0 101', 10], ['m=video 2224 RTP/AVP 99', 4],
    ]);
  });
});

describe('SDP model: typed access to the lines the relay uses', () => {
  it('o=, m= port, proto and formats, a=rtcp, a=rtcp-mux, a=ptime and directions', () => {
    const description = parsed(LINPHONE_MUX_OFFER.replace('a=rtcp-mux', 'a=rtcp-mux\r\na=ptime:20\r\na=recvonly'));
    expect(description.session.origin).toEqual({ username: 'alice', sessionId: '3245', sessionVersion: '1245', address: '192.168.0.12' });
    expect(description.media[0]).toMatchObject({
      type: 'audio', port: 7078, protocol: 'RTP/AVP', formats: ['96', '0', '8', '101'],
      rtcp: { port: 7079, address: '192.168.0.12' }, rtcpMux: true, ptime: 20, direction: 'recvonly',
    });
    expect(parsed(GRANDSTREAM_HOLD).media[0]).toMatchObject({ rtcp: undefined, rtcpMux: false, direction: 'sendonly' });
  });

  it('a=rtpmap and a=fmtp become codecs, static types without a=rtpmap too (RFC 3551 §6)', () => {
    expect(codecsOf(parsed(YEALINK_OFFER).media[0]!).map((c) => [c.payloadType, c.name, c.clockRate, c.fmtp])).toEqual([
      [0, 'PCMU', 8000, undefined], [8, 'PCMA', 8000, undefined], [9, 'G722', 8000, undefined],
      [18, 'G729', 8000, 'annexb=no'], [101, 'telephone-event', 8000, '0-15'],
    ]);
  });

  it('session-level c= serves every m= without its own; a media-level c= wins (RFC 8866 §5.7)', () => {
    const mixed = parsed(WITH_UNKNOWN_LINES.replace('m=video 2224 RTP/AVP 99', 'm=video 2224 RTP/AVP 99\r\nc=IN IP4 192.168.1.51'));
    expect(mixed.session.connection).toEqual({ version: 4, ip: '192.168.1.50' });
    expect(mixed.media.map((media) => media.connection?.ip)).toEqual([undefined, '192.168.1.51']);
    expect(mixed.media.map((media) => effectiveConnection(mixed.session, media)?.ip)).toEqual(['192.168.1.50', '192.168.1.51']);
    const mediaOnly = parsed(BRIA_AUDIO_VIDEO);
    expect(mediaOnly.session.connection).toBeUndefined();
    expect(mediaOnly.media.map((media) => media.connection?.ip)).toEqual(['192.168.1.80', '192.168.1.80']);
  });
});

describe('SDP model: a rewrite changes only the lines it must', () => {
  it('unknown lines pass in place; only o=, c= and the m= ports change', () => {
    const before = WITH_UNKNOWN_LINES.split('\r\n');
    const after = rewrite(WITH_UNKNOWN_LINES).split('\r\n');
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((line, i) => (line === before[i] ? [] : [[before[i], line]]));
    expect(changed).toEqual([
      ['o=- 42 42 IN IP4 192.168.1.50', `o=- 4711 1 IN IP4 ${RELAY}`],
      ['c=IN IP4 192.168.1.50', `c=IN IP4 ${RELAY}`],
      ['m=audio 2222 RTP/AVP 0 101', 'm=audio 30000 RTP/AVP 0 101'],
      ['m=video 2224 RTP/AVP 99', 'm=video 30002 RTP/AVP 99'],
    ]);
  });

  it('session-level c= names the relay, a media-level c= names its stream’s endpoint, a hold address stays', () => {
    const sdp = WITH_UNKNOWN_LINES.replace('m=video 2224 RTP/AVP 99', 'm=video 2224 RTP/AVP 99\r\nc=IN IP4 192.168.1.51');
    const out = rewrite(sdp, [ENDPOINTS[0]!, { address: '2001:db8::7', rtpPort: 30002 }]);
    expect(out.split('\r\n').filter((line) => line.startsWith('c='))).toEqual([`c=IN IP4 ${RELAY}`, 'c=IN IP6 2001:db8::7']);
    const held = rewrite(sdp.replace('c=IN IP4 192.168.1.51', 'c=IN IP4 0.0.0.0'));
    expect(held.split('\r\n').filter((line) => line.startsWith('c='))).toEqual([`c=IN IP4 ${RELAY}`, 'c=IN IP4 0.0.0.0']);
  });

  it('ICE and BUNDLE lines go at both levels; other groups stay', () => {
    const sdp = WITH_UNKNOWN_LINES
      .replace('a=group:LS audio video', 'a=group:LS audio video\r\na=group:BUNDLE audio video\r\na=ice-lite')
      .replace('a=mid:video', 'a=mid:video\r\na=bundle-only\r\na=ice-ufrag:abcd\r\na=end-of-candidates');
    const out = rewrite(sdp);
    expect(out).not.toMatch(/BUNDLE|ice-|bundle-only|end-of-candidates/);
    expect(out).toContain('a=group:LS audio video\r\n');
  });
});

describe('SDP model: CRLF and bare LF input', () => {
  it('a bare-LF SDP reads the same lines as its CRLF form and is written with CRLF (RFC 8866 §5)', () => {
    const lf = WITH_UNKNOWN_LINES.replaceAll('\r\n', '\n');
    expect(parsed(lf)).toEqual(parsed(WITH_UNKNOWN_LINES));
    expect(writeSdp(parsed(lf))).toBe(WITH_UNKNOWN_LINES);
    expect(rewrite(lf)).toBe(rewrite(WITH_UNKNOWN_LINES));
  });

  it('mixed line ends, a missing final line end and blank lines read the same', () => {
    const lines = YEALINK_OFFER.split('\r\n').filter((line) => line !== '');
    const mixed = lines.map((line, i) => line + (i % 2 === 0 ? '\n' : '\r\n')).join('').trimEnd() + '\n\n';
    expect(writeSdp(parsed(mixed))).toBe(YEALINK_OFFER);
  });
});
