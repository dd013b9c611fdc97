import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaRelay } from '../../../media-relay/relay/media-relay.js';
import { describeSdp } from '../../../media-relay/sdp/describe-sdp.js';
import { SdpError } from '../../../media-relay/sdp/sdp-error.js';
import { endpointSdp, LOOPBACK, randomPortRange, RtpEndpoint, waitUntil, type Target } from './rtp-endpoint.js';
import { FORWARDERS, socketFactory } from './socket-factories.js';

const RANGE = randomPortRange(200);

function relayPort(sdp: string): Target {
  const description = describeSdp(sdp);
  if (description instanceof SdpError) throw new Error(description.reason);
  return { address: LOOPBACK, port: description.media[0]?.port ?? 0 };
}

describe.each(FORWARDERS)('media timeout over real UDP sockets (forwarder %s)', (forwarder) => {
  let relay: MediaRelay;
  let timeouts: string[];
  const endpoints: RtpEndpoint[] = [];

  async function call(callId: string, aDirection = 'sendrecv', bDirection = 'sendrecv'): Promise<[RtpEndpoint, RtpEndpoint, Target, Target]> {
    const [a, b] = [await RtpEndpoint.open(0xa), await RtpEndpoint.open(0xb)];
    endpoints.push(a, b);
    const offer = await relay.offer(callId, 'A', endpointSdp(a.port, aDirection), { toLegId: 'B' });
    const answer = await relay.answer(callId, 'B', endpointSdp(b.port, bDirection));
    if (!offer.ok || !answer.ok) throw new Error('negotiation failed');
    return [a, b, relayPort(answer.sdp), relayPort(offer.sdp)];
  }

  beforeEach(() => {
    timeouts = [];
    relay = new MediaRelay({
      bindAddress: LOOPBACK, ...RANGE, timeoutMs: 800, sweepIntervalMs: 25, sockets: socketFactory(forwarder),
      onTimeout: (callId) => {
        timeouts.push(callId);
        relay.delete(callId);
      },
    });
  });

  afterEach(() => {
    relay.dispose();
    for (const endpoint of endpoints.splice(0)) endpoint.close();
  });

  it('fires when one side stops sending, and not before', async () => {
    const [a, b, towardA, towardB] = await call('talking');
    a.start(towardA);
    b.start(towardB);
    await waitUntil(() => a.from(0xb).length >= 25, 'half a second of audio');
    expect(timeouts).toEqual([]);
    b.stop();
    await waitUntil(() => timeouts.length > 0, 'the media timeout');
    expect(timeouts).toEqual(['talking']);
    expect(relay.resources()).toMatchObject({ calls: 0, portPairsInUse: 0, openSockets: 0, timers: 0 });
  });

  it('does not fire for a call on hold, though it does for a silent call set up after it', async () => {
    await call('held', 'sendonly', 'recvonly');
    await call('silent');
    await waitUntil(() => timeouts.includes('silent'), 'the silent call to time out');
    expect(timeouts).toEqual(['silent']);
    expect(relay.stats('held')).toBeDefined();
  });
});
