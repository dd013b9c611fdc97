import { describe, expect, it } from 'vitest';
import { describeSdp, type SdpDescription } from '../../../../media-relay/sdp/describe-sdp.js';
import { bridge, harness, PHONE_A, PHONE_B, portOf, portsOf, RELAY_ADDRESS, unwrap } from './relay-harness.js';
import { phoneSdp } from './packets.js';

function described(sdp: string): SdpDescription {
  return describeSdp(sdp) as SdpDescription;
}

describe('MediaRelay offer/answer (rtpengine model)', () => {
  it('offer returns the SDP for the callee on callee-facing ports; answer the SDP for the caller on caller-facing ports', async () => {
    const h = harness();
    const offer = unwrap(await h.relay.offer('c', 'A', phoneSdp(PHONE_A), { toLegId: 'B' }));
    expect(offer.toLegId).toBe('B');
    const answer = unwrap(await h.relay.answer('c', 'B', phoneSdp(PHONE_B)));
    expect(answer.offererLegId).toBe('A');
    const toCallee = described(offer.sdp);
    const toCaller = described(answer.sdp);
    expect(toCallee.media[0]?.address).toBe(RELAY_ADDRESS);
    expect(toCaller.media[0]?.address).toBe(RELAY_ADDRESS);
    const stats = h.relay.stats('c');
    const portOfLeg = (legId: string): number | undefined => stats?.legs.find((leg) => leg.legId === legId)?.streams[0]?.localRtpPort;
    expect(toCallee.media[0]?.port).toBe(portOfLeg('B'));
    expect(toCaller.media[0]?.port).toBe(portOfLeg('A'));
    expect(toCallee.origin.sessionId).not.toBe(toCaller.origin.sessionId);
    expect(h.relay.resources()).toMatchObject({ calls: 1, portPairsInUse: 2, openSockets: 4 });
  });

  it('without toLegId the offer goes to a placeholder leg that the first answering leg adopts', async () => {
    const h = harness();
    const offer = unwrap(await h.relay.offer('c', 'A', phoneSdp(PHONE_A)));
    expect(offer.toLegId).toBe('A~peer');
    unwrap(await h.relay.answer('c', 'B', phoneSdp(PHONE_B)));
    expect(h.relay.stats('c')?.legs.map((leg) => [leg.legId, leg.peerLegId])).toEqual([['A', 'B'], ['B', 'A']]);
  });

  it('a re-offer from the callee (hold) goes to the caller on the same ports, o= version +1 per leg', async () => {
    const h = harness();
    const { towardA, towardB } = await bridge(h);
    const reoffer = unwrap(await h.relay.offer('call-1', 'B', phoneSdp({ ...PHONE_B, direction: 'sendonly' })));
    expect(reoffer.toLegId).toBe('A');
    expect(described(reoffer.sdp).media[0]).toMatchObject({ port: towardA, direction: 'sendonly' });
    expect(described(reoffer.sdp).origin.sessionVersion).toBe(2);
    const reanswer = unwrap(await h.relay.answer('call-1', 'A', phoneSdp({ ...PHONE_A, direction: 'recvonly' })));
    expect(described(reanswer.sdp).media[0]).toMatchObject({ port: towardB, direction: 'recvonly' });
    expect(described(reanswer.sdp).origin.sessionVersion).toBe(2);
    expect(h.relay.resources().portPairsInUse).toBe(2);
  });

  it('forking: each branch gets its own ports; the answering branch is bridged; deleteLeg frees a lost branch', async () => {
    const h = harness();
    const toB1 = unwrap(await h.relay.offer('c', 'A', phoneSdp(PHONE_A), { toLegId: 'B1' }));
    const toB2 = unwrap(await h.relay.offer('c', 'A', phoneSdp(PHONE_A), { toLegId: 'B2' }));
    expect(portOf(toB1.sdp)).not.toBe(portOf(toB2.sdp));
    expect(h.relay.resources().portPairsInUse).toBe(3);
    unwrap(await h.relay.answer('c', 'B2', phoneSdp(PHONE_B)));
    expect(h.relay.stats('c')?.legs.find((leg) => leg.legId === 'A')?.peerLegId).toBe('B2');
    h.relay.deleteLeg('c', 'B1');
    h.relay.deleteLeg('c', 'B1');
    expect(h.relay.resources()).toMatchObject({ portPairsInUse: 2, openSockets: 4 });
  });

  it('RFC 5761: when offer and answer both carry rtcp-mux, each leg keeps only its RTP socket', async () => {
    const h = harness();
    const offer = unwrap(await h.relay.offer('c', 'A', phoneSdp({ ...PHONE_A, mux: true }), { toLegId: 'B' }));
    expect(offer.sdp).toContain('a=rtcp-mux');
    expect(h.relay.resources().openSockets).toBe(4);
    const answer = unwrap(await h.relay.answer('c', 'B', phoneSdp({ ...PHONE_B, mux: true })));
    expect(answer.sdp).toContain('a=rtcp-mux');
    expect(h.relay.resources()).toMatchObject({ openSockets: 2, portPairsInUse: 2 });
    expect(h.relay.stats('c')?.legs.every((leg) => leg.streams[0]?.localRtcpPort === undefined)).toBe(true);
  });

  it('RFC 5761: mux offered but not answered keeps both sockets on both legs', async () => {
    const h = harness();
    await bridge(h, 'c', { mux: true }, {});
    expect(h.relay.resources().openSockets).toBe(4);
  });

  it('a stream the answer declines (port 0) releases its ports on both legs', async () => {
    const h = harness();
    const offer = unwrap(await h.relay.offer('c', 'A', phoneSdp({ ...PHONE_A, video: 4100 }), { toLegId: 'B' }));
    expect(portsOf(offer.sdp).every((port) => port > 0)).toBe(true);
    expect(h.relay.resources().portPairsInUse).toBe(4);
    const answer = unwrap(await h.relay.answer('c', 'B', phoneSdp({ ...PHONE_B, video: 0 })));
    expect(portsOf(answer.sdp)[1]).toBe(0);
    expect(h.relay.resources().portPairsInUse).toBe(2);
  });

  it('a rejected stream in the offer gets no ports and stays rejected', async () => {
    const h = harness();
    const offer = unwrap(await h.relay.offer('c', 'A', phoneSdp({ ...PHONE_A, video: 0 }), { toLegId: 'B' }));
    expect(portsOf(offer.sdp)[1]).toBe(0);
    expect(h.relay.resources().portPairsInUse).toBe(2);
  });

  it('malformed SDP is a malformed-sdp error with a reason, and leaves nothing behind', async () => {
    const h = harness();
    const result = await h.relay.offer('c', 'A', 'v=0\r\nm=audio\r\n');
    expect(result).toMatchObject({ ok: false, error: { kind: 'malformed-sdp' } });
    expect(h.relay.resources()).toMatchObject({ calls: 0, portPairsInUse: 0, openSockets: 0, timers: 0 });
  });

  it('exhausted ports give ports-exhausted (503) and leak nothing', async () => {
    const h = harness({ portMin: 40000, portMax: 40001 });
    const result = await h.relay.offer('c', 'A', phoneSdp(PHONE_A), { toLegId: 'B' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'ports-exhausted' } });
    expect(h.relay.resources()).toMatchObject({ calls: 0, portPairsInUse: 0, openSockets: 0 });
  });

  it('a port pair some other program holds (EADDRINUSE) is skipped for the next', async () => {
    const h = harness();
    h.sockets.busy.add(40001);
    await bridge(h, 'c');
    const ports = h.relay.stats('c')?.legs.map((leg) => leg.streams[0]?.localRtpPort).sort();
    expect(ports).toEqual([40002, 40004]);
    expect(h.relay.resources().portPairsInUse).toBe(2);
  });

  it('answers without an offer are typed errors', async () => {
    const h = harness();
    expect(await h.relay.answer('nope', 'B', phoneSdp(PHONE_B))).toMatchObject({ ok: false, error: { kind: 'unknown-call' } });
    await bridge(h, 'c');
    expect(await h.relay.answer('c', 'Z', phoneSdp(PHONE_B))).toMatchObject({ ok: false, error: { kind: 'unknown-leg' } });
    expect(await h.relay.answer('c', 'B', phoneSdp(PHONE_B))).toMatchObject({ ok: true });
    expect(await h.relay.repoint('c', 'Z', phoneSdp(PHONE_B))).toMatchObject({ ok: false, error: { kind: 'unknown-leg' } });
  });

  it('an answer with a different number of m-lines is malformed', async () => {
    const h = harness();
    unwrap(await h.relay.offer('c', 'A', phoneSdp(PHONE_A), { toLegId: 'B' }));
    const result = await h.relay.answer('c', 'B', phoneSdp({ ...PHONE_B, video: 0 }));
    expect(result).toMatchObject({ ok: false, error: { kind: 'malformed-sdp' } });
  });

  it('delete is idempotent and releases everything; a delete during an offer leaks nothing', async () => {
    const h = harness();
    await bridge(h, 'c');
    h.relay.delete('c');
    h.relay.delete('c');
    expect(h.relay.resources()).toEqual({ calls: 0, portPairsInUse: 0, openSockets: 0, timers: 0 });
    const pending = h.relay.offer('d', 'A', phoneSdp(PHONE_A));
    h.relay.delete('d');
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'call-deleted' } });
    expect(h.relay.resources()).toEqual({ calls: 0, portPairsInUse: 0, openSockets: 0, timers: 0 });
  });

  it('dispose closes every call and refuses further work', async () => {
    const h = harness();
    await bridge(h, 'c1');
    await bridge(h, 'c2');
    h.relay.dispose();
    h.relay.dispose();
    expect(h.relay.resources()).toEqual({ calls: 0, portPairsInUse: 0, openSockets: 0, timers: 0 });
    expect(await h.relay.offer('c3', 'A', phoneSdp(PHONE_A))).toMatchObject({ ok: false, error: { kind: 'disposed' } });
  });
});
