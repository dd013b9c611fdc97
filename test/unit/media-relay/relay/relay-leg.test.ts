import { describe, expect, it } from 'vitest';
import { describeSdp, type SdpDescription } from '../../../../media-relay/sdp/describe-sdp.js';
import { SdpError } from '../../../../media-relay/sdp/sdp-error.js';
import { SdpOrigin } from '../../../../media-relay/sdp/sdp-origin.js';
import { RelayLeg } from '../../../../media-relay/relay/relay-leg.js';
import type { RelayStream } from '../../../../media-relay/relay/relay-stream.js';
import { rtcpMuxLines } from '../../../../media-relay/relay/rtcp-mux-lines.js';
import { phoneSdp } from './packets.js';

function summaryOf(sdp: string): SdpDescription {
  const description = describeSdp(sdp);
  if (description instanceof SdpError) throw description;
  return description;
}

/** Only close() is called on a stream the leg drops. */
function fakeStream(): RelayStream {
  return { close: () => undefined, setRemote: () => undefined } as unknown as RelayStream;
}

describe('RelayLeg', () => {
  it('keeps a stream per m-line index, holes where an m-line has none', () => {
    const leg = new RelayLeg('call', 'A', new SdpOrigin({ address: '127.0.0.1' }));
    const video = fakeStream();
    leg.addStream(1, video);
    expect(leg.streams).toEqual([undefined, video]);
    const audio = fakeStream();
    leg.addStream(0, audio);
    expect(leg.streams).toEqual([audio, video]);
    leg.closeStream(0);
    expect(leg.streams).toEqual([undefined, video]);
    leg.close();
    expect(leg.streams).toEqual([]);
  });

  it('remembers per m-line of the phone’s SDP whether it asked for rtcp-mux', () => {
    const leg = new RelayLeg('call', 'A', new SdpOrigin({ address: '127.0.0.1' }));
    expect(leg.rtcpMux).toBeUndefined();
    const sdp = phoneSdp({ address: '10.0.0.1', port: 4000, mux: true, video: 4002 });
    leg.takeSdp(sdp, summaryOf(sdp), false);
    expect(leg.rtcpMux).toEqual([true, false]);
    expect(leg.sdp).toBe(sdp);
  });
});

describe('rtcpMuxLines', () => {
  it('answers per m-line, sharing the arrays of single m-line SDPs', () => {
    const muxed = summaryOf(phoneSdp({ address: '10.0.0.1', port: 4000, mux: true })).media;
    const plain = summaryOf(phoneSdp({ address: '10.0.0.1', port: 4000 })).media;
    expect(rtcpMuxLines(muxed)).toEqual([true]);
    expect(rtcpMuxLines(plain)).toEqual([false]);
    expect(rtcpMuxLines(muxed)).toBe(rtcpMuxLines(muxed));
    expect(rtcpMuxLines([])).toEqual([]);
  });
});
