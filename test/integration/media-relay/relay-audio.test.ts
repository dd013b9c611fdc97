import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaRelay } from '../../../media-relay/relay/media-relay.js';
import { describeSdp } from '../../../media-relay/sdp/describe-sdp.js';
import { SdpError } from '../../../media-relay/sdp/sdp-error.js';
import { endpointSdp, LOOPBACK, randomPortRange, RtpEndpoint, waitUntil, type Target } from './rtp-endpoint.js';
import { FORWARDERS, socketFactory } from './socket-factories.js';

const RANGE = randomPortRange(400);

function relayPort(sdp: string): Target {
  const description = describeSdp(sdp);
  if (description instanceof SdpError) throw new Error(description.reason);
  return { address: description.media[0]?.address ?? '', port: description.media[0]?.port ?? 0 };
}

// kernelSourceFilter: the RTP socket facing a phone that sends from its SDP source is connected to it.
const CASES = FORWARDERS.flatMap((forwarder) => [false, true].map((kernelSourceFilter) => ({ forwarder, kernelSourceFilter })));

describe.each(CASES)('media relay over real UDP sockets (forwarder $forwarder, kernelSourceFilter $kernelSourceFilter)', ({ forwarder, kernelSourceFilter }) => {
  let relay: MediaRelay;
  let digits: string[];
  const endpoints: RtpEndpoint[] = [];

  async function endpoint(ssrc: number): Promise<RtpEndpoint> {
    const opened = await RtpEndpoint.open(ssrc);
    endpoints.push(opened);
    return opened;
  }

  /** A calls B through the relay; returns where each must send. */
  async function call(a: RtpEndpoint, b: RtpEndpoint, aSdpPort = a.port): Promise<{ towardA: Target; towardB: Target }> {
    const offer = await relay.offer('call', 'A', endpointSdp(aSdpPort), { toLegId: 'B' });
    const answer = await relay.answer('call', 'B', endpointSdp(b.port));
    if (!offer.ok || !answer.ok) throw new Error('negotiation failed');
    return { towardB: relayPort(offer.sdp), towardA: relayPort(answer.sdp) };
  }

  beforeEach(() => {
    digits = [];
    relay = new MediaRelay({ bindAddress: LOOPBACK, ...RANGE, kernelSourceFilter, sockets: socketFactory(forwarder), onDigit: (_callId, legId, digit) => digits.push(`${legId}:${digit}`) });
  });

  afterEach(() => {
    relay.dispose();
    for (const opened of endpoints.splice(0)) opened.close();
  });

  it('two endpoints exchange audio both ways, each seeing only the relay', async () => {
    const [a, b] = [await endpoint(0xa), await endpoint(0xb)];
    const { towardA, towardB } = await call(a, b);
    a.start(towardA);
    b.start(towardB);
    await waitUntil(() => a.from(0xb).length >= 25 && b.from(0xa).length >= 25, 'audio both ways');
    expect(new Set(a.received.map((p) => `${p.fromAddress}:${p.fromPort}`))).toEqual(new Set([`${LOOPBACK}:${towardA.port}`]));
    expect(new Set(b.received.map((p) => `${p.fromAddress}:${p.fromPort}`))).toEqual(new Set([`${LOOPBACK}:${towardB.port}`]));
  });

  it('an endpoint sending from another port than its SDP says (NAT) still gets audio after latching', async () => {
    const [a, b, decoy] = [await endpoint(0xa), await endpoint(0xb), await endpoint(0xd)];
    const { towardA, towardB } = await call(a, b, decoy.port);
    a.start(towardA);
    b.start(towardB);
    await waitUntil(() => a.from(0xb).length >= 25 && b.from(0xa).length >= 25, 'audio to the NATed endpoint');
    const stream = relay.stats('call')?.legs.find((leg) => leg.legId === 'A')?.streams[0];
    expect(stream).toMatchObject({ latched: true, remotePort: a.port });
  });

  it('a third socket spraying the relay ports reaches nobody; the dropped counters rise where the relay refuses it', async () => {
    const [a, b, sprayer] = [await endpoint(0xa), await endpoint(0xb), await endpoint(0xbad)];
    const { towardA, towardB } = await call(a, b);
    a.start(towardA);
    b.start(towardB);
    await waitUntil(() => a.from(0xb).length >= 5 && b.from(0xa).length >= 5, 'audio flowing');
    for (let i = 0; i < 50; i++) {
      for (const port of [towardA.port, towardA.port + 1, towardB.port, towardB.port + 1]) {
        sprayer.send({ address: LOOPBACK, port }, sprayer.telephoneEvent(1, true, i));
      }
    }
    const dropped = (): number => relay.stats('call')?.legs.reduce((sum, leg) => sum + (leg.streams[0]?.dropped ?? 0), 0) ?? 0;
    // A pinned RTP port's spray is refused by the kernel; only the RTCP ports count theirs then.
    await waitUntil(() => dropped() >= (kernelSourceFilter ? 100 : 200), 'the spray to be dropped');
    await waitUntil(() => a.from(0xb).length >= 25 && b.from(0xa).length >= 25, 'audio still flowing');
    expect(a.from(0xbad)).toEqual([]);
    expect(b.from(0xbad)).toEqual([]);
    expect(sprayer.received).toEqual([]);
    expect(digits).toEqual([]);
  });

  it('repoint moves one side to a third endpoint; the other side’s audio goes on from the same relay address', async () => {
    const [a, b, c] = [await endpoint(0xa), await endpoint(0xb), await endpoint(0xc)];
    const { towardA, towardB } = await call(a, b);
    a.start(towardA);
    b.start(towardB);
    await waitUntil(() => a.from(0xb).length >= 10 && b.from(0xa).length >= 10, 'audio before the switch');
    const repointed = await relay.repoint('call', 'B', endpointSdp(c.port));
    expect(repointed.ok && repointed.sdp !== undefined && relayPort(repointed.sdp).port).toBe(towardB.port);
    c.start(towardB);
    await waitUntil(() => a.from(0xc).length >= 25 && c.from(0xa).length >= 25, 'audio with the new endpoint');
    // The old endpoint kept sending throughout; none of it reached A after the switch.
    const lastFromB = a.received.map((p) => p.ssrc).lastIndexOf(0xb);
    const firstFromC = a.received.map((p) => p.ssrc).indexOf(0xc);
    expect(lastFromB).toBeLessThan(firstFromC);
    expect(new Set(a.received.map((p) => p.fromPort))).toEqual(new Set([towardA.port]));
    const gaps = a.received.slice(1).map((p, i) => p.at - (a.received[i]?.at ?? p.at));
    expect(Math.max(...gaps)).toBeLessThan(1000);
  });

  it('telephone-event key presses are surfaced once each and still reach the other side', async () => {
    const [a, b] = [await endpoint(0xa), await endpoint(0xb)];
    const { towardA, towardB } = await call(a, b);
    for (const [event, timestamp] of [[5, 8000], [11, 16000]] as const) {
      a.send(towardA, a.telephoneEvent(event, false, timestamp));
      for (let i = 0; i < 3; i++) a.send(towardA, a.telephoneEvent(event, true, timestamp));
    }
    await waitUntil(() => digits.length >= 2 && b.from(0xa).length >= 8, 'digits');
    expect(digits).toEqual(['A:5', 'A:#']);
    expect(b.from(0xa).every((p) => p.payloadType === 101)).toBe(true);
    expect(towardB.port).toBeGreaterThan(0);
  });
});
