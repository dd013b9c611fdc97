import { describe, expect, it } from 'vitest';
import { parseSdp } from '../../../../media-relay/sdp/parse-sdp.js';
import { SdpError } from '../../../../media-relay/sdp/sdp-error.js';
import { YEALINK_OFFER } from './phone-offers.js';

function reasonOf(text: string): string {
  const result = parseSdp(text);
  return result instanceof SdpError ? result.reason : 'parsed';
}

describe('parseSdp: malformed SDP is a typed error with a reason, never a throw', () => {
  it('parses a good offer', () => {
    expect(reasonOf(YEALINK_OFFER)).toBe('parsed');
    expect(reasonOf(YEALINK_OFFER.replaceAll('\r\n', '\n'))).toBe('parsed');
  });

  it.each([
    ['empty', '', 'empty SDP'],
    ['not SDP at all', 'hello world', 'SDP must start with v=0'],
    ['a line without type=', YEALINK_OFFER.replace('t=0 0', 't 0 0'), 'SDP line 5 is not <type>=<value>'],
    ['an m= port that is not a number', YEALINK_OFFER.replace('m=audio 11800', 'm=audio port'), 'malformed m= line 6'],
    ['an m= line with a port count', YEALINK_OFFER.replace('m=audio 11800', 'm=audio 11800/2'), 'malformed m= line 6'],
    ['a port above 65535', YEALINK_OFFER.replace('m=audio 11800', 'm=audio 70000'), 'm-line 1: bad port'],
    ['a truncated c= line', YEALINK_OFFER.replace('c=IN IP4 10.0.0.23', 'c=IN IP4'), 'malformed c= line 4'],
    ['no c= anywhere', YEALINK_OFFER.replace('c=IN IP4 10.0.0.23\r\n', ''), 'm-line 1: no c= line at media or session level'],
    ['no o=', YEALINK_OFFER.replace(/o=.*\r\n/, ''), 'SDP needs exactly one o= line'],
    ['a bad a=rtcp', YEALINK_OFFER.replace('a=ptime:20', 'a=rtcp:abc'), 'm-line 1: bad a=rtcp port'],
    ['o= inside a media section', YEALINK_OFFER.replace(/o=.*\r\n/, '').replace('a=ptime:20', 'o=- 1 1 IN IP4 10.0.0.23'), 'o= line after an m= line'],
    ['too large', YEALINK_OFFER + 'a=x:' + 'y'.repeat(70_000) + '\r\n', 'SDP too large'],
  ])('%s', (_name, text, reason) => {
    expect(reasonOf(text)).toBe(reason);
  });

  it('a rejected stream needs no c=', () => {
    const sdp = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n';
    expect(reasonOf(sdp)).toBe('parsed');
  });
});
