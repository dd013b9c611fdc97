import { describe, expect, it } from 'vitest';
import { bridge, harness, PHONE_A, PHONE_B, PHONE_C, unwrap } from './relay-harness.js';
import { phoneSdp, rtcpReceiverReport, rtp } from './packets.js';

const SPRAYER = { address: '198.51.100.66', port: 31337 };
const NATTED_A = { address: '198.51.100.7', port: 61000 };

function streamOf(h: ReturnType<typeof harness>, legId: string) {
  return h.relay.stats('call-1')?.legs.find((leg) => leg.legId === legId)?.streams[0];
}

describe('MediaRelay without kernelSourceFilter (the default)', () => {
  it('never pins a socket', async () => {
    const h = harness();
    const { towardA, towardB } = await bridge(h);
    h.sockets.deliver(towardA, rtp(), PHONE_A);
    h.sockets.deliver(towardB, rtp(), PHONE_B);
    expect([h.sockets.socket(towardA).pinned, h.sockets.socket(towardB).pinned]).toEqual([undefined, undefined]);
  });
});

describe('MediaRelay with kernelSourceFilter', () => {
  it('pins the RTP socket to a phone that sends from its SDP source; strangers never reach the relay', async () => {
    const h = harness({ kernelSourceFilter: true });
    const { towardA, towardB } = await bridge(h);
    h.sockets.deliver(towardA, rtp(), PHONE_A);
    h.sockets.deliver(towardB, rtp(), PHONE_B);
    expect(h.sockets.socket(towardA).pinned).toEqual(PHONE_A);
    expect(h.sockets.socket(towardB).pinned).toEqual(PHONE_B);
    const before = h.sockets.allSent().length;
    for (let i = 0; i < 10; i++) h.sockets.deliver(towardA, rtp(), SPRAYER);
    h.sockets.deliver(towardA, rtp(), PHONE_A);
    expect(h.sockets.allSent().length).toBe(before + 1);
    expect(h.sockets.socket(towardB).sent.at(-1)).toMatchObject({ address: PHONE_B.address, port: PHONE_B.port });
    expect(h.sockets.socket(towardA).refused).toBe(10);
    expect(streamOf(h, 'A')).toMatchObject({ packets: 2, dropped: 0 });
  });

  it('a spray that beats the phone is not pinned; the SDP source takes the latch back and pins it', async () => {
    const h = harness({ kernelSourceFilter: true });
    const { towardA } = await bridge(h);
    h.sockets.deliver(towardA, rtp(), SPRAYER);
    expect(h.sockets.socket(towardA).pinned).toBeUndefined();
    h.sockets.deliver(towardA, rtp(), PHONE_A);
    expect(h.sockets.socket(towardA).pinned).toEqual(PHONE_A);
  });

  it('a phone behind NAT stays unpinned, so its SDP source can still take the latch', async () => {
    const h = harness({ kernelSourceFilter: true });
    const { towardA, towardB } = await bridge(h);
    h.sockets.deliver(towardA, rtp(), NATTED_A);
    h.sockets.deliver(towardA, rtp(), SPRAYER);
    expect(h.sockets.socket(towardA).pinned).toBeUndefined();
    expect(streamOf(h, 'A')).toMatchObject({ latched: true, remotePort: NATTED_A.port, dropped: 1 });
    h.sockets.deliver(towardB, rtp(), PHONE_B);
    expect(h.sockets.socket(towardA).sent.at(-1)).toMatchObject({ address: NATTED_A.address, port: NATTED_A.port });
  });

  it('repoint unpins at once; the new phone is pinned when it sends, the old one is refused', async () => {
    const h = harness({ kernelSourceFilter: true });
    const { towardA, towardB } = await bridge(h);
    h.sockets.deliver(towardB, rtp(), PHONE_B);
    expect(h.sockets.socket(towardB).pinned).toEqual(PHONE_B);
    unwrap(await h.relay.repoint('call-1', 'B', phoneSdp(PHONE_C)));
    expect(h.sockets.socket(towardB).pinned).toBeUndefined();
    h.sockets.deliver(towardB, rtp({ ssrc: 0xc }), PHONE_C);
    expect(h.sockets.socket(towardB).pinned).toEqual(PHONE_C);
    h.sockets.deliver(towardB, rtp({ ssrc: 0xb }), PHONE_B);
    expect(h.sockets.socket(towardB).refused).toBe(1);
    h.sockets.deliver(towardA, rtp(), PHONE_A);
    expect(h.sockets.socket(towardB).sent.at(-1)).toMatchObject({ address: PHONE_C.address, port: PHONE_C.port });
  });

  it('a new offer from the same phone unpins and pins again on its next packet', async () => {
    const h = harness({ kernelSourceFilter: true });
    const { towardA } = await bridge(h);
    h.sockets.deliver(towardA, rtp(), PHONE_A);
    unwrap(await h.relay.offer('call-1', 'A', phoneSdp({ ...PHONE_A, port: PHONE_A.port + 2 })));
    expect(h.sockets.socket(towardA).pinned).toBeUndefined();
    h.sockets.deliver(towardA, rtp(), { ...PHONE_A, port: PHONE_A.port + 2 });
    expect(h.sockets.socket(towardA).pinned).toEqual({ ...PHONE_A, port: PHONE_A.port + 2 });
  });

  it('c=0.0.0.0 (no media wanted) is never pinned; RTCP sockets are never pinned', async () => {
    const h = harness({ kernelSourceFilter: true });
    const { towardA, towardB } = await bridge(h, 'call-1', {}, { address: '0.0.0.0' });
    h.sockets.deliver(towardB, rtp(), PHONE_B);
    h.sockets.deliver(towardA + 1, rtcpReceiverReport(), { ...PHONE_A, port: PHONE_A.port + 1 });
    expect(h.sockets.socket(towardB).pinned).toBeUndefined();
    expect(h.sockets.socket(towardA + 1).pinned).toBeUndefined();
  });

  it('RFC 5761: muxed RTCP from the pinned phone still goes through', async () => {
    const h = harness({ kernelSourceFilter: true });
    const { towardA, towardB } = await bridge(h, 'call-1', { mux: true }, { mux: true });
    h.sockets.deliver(towardA, rtp(), PHONE_A);
    const report = rtcpReceiverReport();
    h.sockets.deliver(towardA, report, PHONE_A);
    expect(h.sockets.socket(towardB).sent.at(-1)).toEqual({ packet: report, port: PHONE_B.port, address: PHONE_B.address });
  });
});
