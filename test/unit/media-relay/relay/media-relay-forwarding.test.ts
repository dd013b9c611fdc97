import { describe, expect, it } from 'vitest';
import { bridge, harness, PHONE_A, PHONE_B, PHONE_C, portOf, unwrap } from './relay-harness.js';
import { dtmf, phoneSdp, rtcpReceiverReport, rtp } from './packets.js';

const SPRAYER = { address: '198.51.100.66', port: 31337 };

describe('MediaRelay forwarding', () => {
  it('forwards each way out of the other leg’s socket, the received Buffer itself (no copy)', async () => {
    const h = harness();
    const { towardA, towardB } = await bridge(h);
    const fromA = rtp({ ssrc: 0xa });
    h.sockets.deliver(towardA, fromA, PHONE_A);
    expect(h.sockets.socket(towardB).sent).toEqual([{ packet: fromA, port: PHONE_B.port, address: PHONE_B.address }]);
    expect(h.sockets.socket(towardB).sent[0]?.packet).toBe(fromA);
    const fromB = rtp({ ssrc: 0xb });
    h.sockets.deliver(towardB, fromB, PHONE_B);
    expect(h.sockets.socket(towardA).sent).toEqual([{ packet: fromB, port: PHONE_A.port, address: PHONE_A.address }]);
  });

  it('symmetric RTP: a phone behind NAT is answered where it really sends from', async () => {
    const h = harness();
    const { towardA, towardB } = await bridge(h);
    const natted = { address: '198.51.100.7', port: 61000 };
    h.sockets.deliver(towardA, rtp(), natted);
    h.sockets.deliver(towardB, rtp(), PHONE_B);
    expect(h.sockets.socket(towardA).sent.at(-1)).toMatchObject({ address: natted.address, port: natted.port });
    expect(h.relay.stats('call-1')?.legs.find((leg) => leg.legId === 'A')?.streams[0]).toMatchObject({
      latched: true, remoteAddress: natted.address, remotePort: natted.port,
    });
  });

  it('RTP bleed: after latching, packets from any other source are dropped and counted', async () => {
    const h = harness();
    const { towardA, towardB } = await bridge(h);
    h.sockets.deliver(towardA, rtp(), PHONE_A);
    h.sockets.deliver(towardB, rtp(), PHONE_B);
    const before = h.sockets.allSent().length;
    for (let i = 0; i < 10; i++) {
      h.sockets.deliver(towardA, rtp(), SPRAYER);
      h.sockets.deliver(towardB, rtp(), SPRAYER);
    }
    h.sockets.deliver(towardB, rtp(), PHONE_B);
    expect(h.sockets.allSent().length).toBe(before + 1);
    expect(h.sockets.allSent().some((sent) => sent.address === SPRAYER.address)).toBe(false);
    const dropped = h.relay.stats('call-1')?.legs.map((leg) => leg.streams[0]?.dropped);
    expect(dropped).toEqual([10, 10]);
  });

  it('a spray that beats the phone’s first packet is taken back by the source the SDP names', async () => {
    const h = harness();
    const { towardA, towardB } = await bridge(h);
    h.sockets.deliver(towardA, rtp(), SPRAYER);
    h.sockets.deliver(towardA, rtp(), PHONE_A);
    h.sockets.deliver(towardA, rtp(), SPRAYER);
    h.sockets.deliver(towardB, rtp(), PHONE_B);
    expect(h.sockets.socket(towardA).sent.at(-1)).toMatchObject({ address: PHONE_A.address, port: PHONE_A.port });
    expect(h.relay.stats('call-1')?.legs[0]?.streams[0]?.dropped).toBe(1);
  });

  it('garbage that is not RTP never latches', async () => {
    const h = harness();
    const { towardA } = await bridge(h);
    h.sockets.deliver(towardA, Buffer.from('hello'), SPRAYER);
    expect(h.relay.stats('call-1')?.legs[0]?.streams[0]).toMatchObject({ latched: false, dropped: 1 });
  });

  it('RTCP is relayed between the RTCP sockets to the phones’ RTCP ports (RTP port + 1)', async () => {
    const h = harness();
    const { towardA, towardB } = await bridge(h);
    const report = rtcpReceiverReport();
    h.sockets.deliver(towardA + 1, report, { ...PHONE_A, port: PHONE_A.port + 1 });
    expect(h.sockets.socket(towardB + 1).sent).toEqual([{ packet: report, port: PHONE_B.port + 1, address: PHONE_B.address }]);
    h.sockets.deliver(towardA + 1, Buffer.from([0x80, 201, 0, 9]), { ...PHONE_A, port: PHONE_A.port + 1 });
    expect(h.relay.stats('call-1')?.legs[0]?.streams[0]).toMatchObject({ rtcpPackets: 1, dropped: 1 });
  });

  it('RFC 5761: muxed RTCP arriving on the RTP port goes out of the peer’s RTP port when the peer is muxed too', async () => {
    const h = harness();
    const { towardA, towardB } = await bridge(h, 'call-1', { mux: true }, { mux: true });
    const report = rtcpReceiverReport();
    h.sockets.deliver(towardA, report, PHONE_A);
    expect(h.sockets.socket(towardB).sent).toEqual([{ packet: report, port: PHONE_B.port, address: PHONE_B.address }]);
  });

  it('counts packets, bytes, lost (sequence gaps) and lastSeen per stream', async () => {
    const h = harness();
    const { towardA } = await bridge(h);
    for (const sequenceNumber of [1, 2, 5, 6]) h.sockets.deliver(towardA, rtp({ sequenceNumber }), PHONE_A);
    expect(h.relay.stats('call-1')?.legs[0]?.streams[0]).toMatchObject({ packets: 4, bytes: 4 * 172, lost: 2, lastSeen: 1000 });
  });

  it('old-style hold (c=0.0.0.0) gets no media sent to it', async () => {
    const h = harness();
    const { towardA, towardB } = await bridge(h, 'call-1', {}, { address: '0.0.0.0' });
    h.sockets.deliver(towardA, rtp(), PHONE_A);
    expect(h.sockets.socket(towardB).sent).toEqual([]);
  });
});

describe('MediaRelay repoint (pickup, device switch)', () => {
  it('moves leg B to phone C: A keeps its ports, C gets A’s audio, B is refused', async () => {
    const h = harness();
    const { towardA, towardB } = await bridge(h);
    h.sockets.deliver(towardB, rtp(), PHONE_B);
    const repointed = unwrap(await h.relay.repoint('call-1', 'B', phoneSdp(PHONE_C)));
    expect(repointed.sdp).toBeDefined();
    expect(portOf(repointed.sdp ?? '')).toBe(towardB);
    h.sockets.deliver(towardA, rtp(), PHONE_A);
    expect(h.sockets.socket(towardB).sent.at(-1)).toMatchObject({ address: PHONE_C.address, port: PHONE_C.port });
    h.sockets.deliver(towardB, rtp({ ssrc: 0xb }), PHONE_B);
    expect(h.relay.stats('call-1')?.legs.find((leg) => leg.legId === 'B')?.streams[0]?.dropped).toBe(1);
    const fromC = rtp({ ssrc: 0xc });
    h.sockets.deliver(towardB, fromC, { address: '198.51.100.30', port: 40123 });
    expect(h.sockets.socket(towardA).sent.at(-1)).toEqual({ packet: fromC, port: PHONE_A.port, address: PHONE_A.address });
  });

  it('the SDP for the new phone is the other leg’s current description on this leg’s ports and o=', async () => {
    const h = harness();
    const offer = unwrap(await h.relay.offer('call-1', 'A', phoneSdp(PHONE_A), { toLegId: 'B' }));
    unwrap(await h.relay.answer('call-1', 'B', phoneSdp(PHONE_B)));
    const repointed = unwrap(await h.relay.repoint('call-1', 'B', phoneSdp(PHONE_C)));
    expect(repointed.sdp).toBe(offer.sdp);
    unwrap(await h.relay.offer('call-1', 'A', phoneSdp({ ...PHONE_A, direction: 'sendonly' })));
    const afterChange = unwrap(await h.relay.repoint('call-1', 'B', phoneSdp(PHONE_B)));
    expect(afterChange.sdp).toMatch(/^o=- \d+ 2 IN IP4 203\.0\.113\.1$/m);
    expect(afterChange.sdp).toContain('a=sendonly');
  });

  it('a caller-side leg can be repointed too (the callee notices nothing)', async () => {
    const h = harness();
    const { towardA, towardB } = await bridge(h);
    const repointed = unwrap(await h.relay.repoint('call-1', 'A', phoneSdp(PHONE_C)));
    expect(portOf(repointed.sdp ?? '')).toBe(towardA);
    h.sockets.deliver(towardB, rtp(), PHONE_B);
    expect(h.sockets.socket(towardA).sent.at(-1)).toMatchObject({ address: PHONE_C.address, port: PHONE_C.port });
  });
});

describe('MediaRelay telephone-events (RFC 4733)', () => {
  it('reports each key once, though the end packet comes three times, and forwards every packet', async () => {
    const h = harness();
    const { towardA, towardB } = await bridge(h);
    const packets = [dtmf(5, false, 8000, 10), dtmf(5, false, 8000, 11), dtmf(5, true, 8000, 12), dtmf(5, true, 8000, 13), dtmf(5, true, 8000, 14),
      dtmf(10, true, 9600, 15), dtmf(11, true, 11200, 16)];
    for (const packet of packets) h.sockets.deliver(towardA, packet, PHONE_A);
    expect(h.digits).toEqual(['call-1/A:5', 'call-1/A:*', 'call-1/A:#']);
    expect(h.sockets.socket(towardB).sent).toHaveLength(packets.length);
  });

  it('uses the payload type each side negotiated', async () => {
    const h = harness();
    const { towardB } = await bridge(h, 'call-1', { telephoneEvent: 96 }, { telephoneEvent: 101 });
    h.sockets.deliver(towardB, dtmf(1, true, 100, 1, 96), PHONE_B);
    h.sockets.deliver(towardB, dtmf(2, true, 200, 2, 101), PHONE_B);
    h.sockets.deliver(towardB, dtmf(3, true, 300, 3, 97), PHONE_B);
    expect(h.digits).toEqual(['call-1/B:1', 'call-1/B:2']);
  });

  it('shouldForwardEvent can suppress a key (e.g. *) while it is still reported', async () => {
    const h = harness({ shouldForwardEvent: (_callId, _legId, event) => event !== 10 });
    const { towardA, towardB } = await bridge(h);
    h.sockets.deliver(towardA, dtmf(10, true, 800, 1), PHONE_A);
    h.sockets.deliver(towardA, dtmf(1, true, 1600, 2), PHONE_A);
    expect(h.digits).toEqual(['call-1/A:*', 'call-1/A:1']);
    expect(h.sockets.socket(towardB).sent).toHaveLength(1);
  });
});

describe('MediaRelay media timeout', () => {
  it('fires once when a bridged leg sends no RTP for timeoutMs', async () => {
    const h = harness();
    const { towardA, towardB } = await bridge(h);
    for (let i = 0; i < 20; i++) {
      h.sockets.deliver(towardA, rtp({ sequenceNumber: i }), PHONE_A);
      h.sockets.deliver(towardB, rtp({ sequenceNumber: i }), PHONE_B);
      h.clock.advance(100);
    }
    expect(h.timeouts).toEqual([]);
    for (let i = 0; i < 12; i++) {
      h.sockets.deliver(towardA, rtp({ sequenceNumber: 100 + i }), PHONE_A);
      h.clock.advance(100);
    }
    expect(h.timeouts).toEqual(['call-1']);
    h.clock.advance(5000);
    expect(h.timeouts).toEqual(['call-1']);
  });

  it('a call not yet answered does not time out', async () => {
    const h = harness();
    unwrap(await h.relay.offer('call-1', 'A', phoneSdp(PHONE_A), { toLegId: 'B' }));
    h.clock.advance(10_000);
    expect(h.timeouts).toEqual([]);
  });

  it.each([
    ['a=sendonly / a=recvonly', { direction: 'sendonly' }, { direction: 'recvonly' }],
    ['a=inactive', { direction: 'inactive' }, { direction: 'inactive' }],
    ['c=0.0.0.0', { address: '0.0.0.0' }, {}],
  ])('not while on hold (%s), and silence counts again from the resume', async (_name, held, answer) => {
    const h = harness();
    await bridge(h);
    unwrap(await h.relay.offer('call-1', 'A', phoneSdp({ ...PHONE_A, ...held })));
    unwrap(await h.relay.answer('call-1', 'B', phoneSdp({ ...PHONE_B, ...answer })));
    h.clock.advance(10_000);
    expect(h.timeouts).toEqual([]);
    unwrap(await h.relay.offer('call-1', 'A', phoneSdp(PHONE_A)));
    unwrap(await h.relay.answer('call-1', 'B', phoneSdp(PHONE_B)));
    h.clock.advance(900);
    expect(h.timeouts).toEqual([]);
    h.clock.advance(300);
    expect(h.timeouts).toEqual(['call-1']);
  });

  it('holds no timer once every call is deleted', async () => {
    const h = harness();
    await bridge(h);
    expect(h.relay.resources().timers).toBe(1);
    h.relay.delete('call-1');
    expect(h.relay.resources().timers).toBe(0);
    expect(h.clock.pendingCount()).toBe(0);
  });
});
