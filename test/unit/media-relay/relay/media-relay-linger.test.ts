import { describe, expect, it } from 'vitest';
import { bridge, harness, PHONE_A, PHONE_B } from './relay-harness.js';
import { dtmf, phoneSdp, rtp } from './packets.js';
import { FakeSocketFactory } from './fake-sockets.js';
import type { SocketFactory } from '../../../../media-relay/relay/relay-socket.js';

describe('MediaRelay lingerMs (ended calls keep forwarding a moment)', () => {
  it('after delete the call is gone but its ports forward until lingerMs, then everything is released', async () => {
    const h = harness({ lingerMs: 500 });
    const { towardA, towardB } = await bridge(h);
    h.relay.delete('call-1');
    expect(h.relay.stats('call-1')).toBeUndefined();
    expect(h.relay.resources()).toEqual({ calls: 0, portPairsInUse: 2, openSockets: 4, timers: 1 });

    const late = rtp({ ssrc: 0xb });
    const facingA = h.sockets.socket(towardA);
    h.sockets.deliver(towardB, late, PHONE_B);
    expect(facingA.sent.at(-1)).toEqual({ packet: late, port: PHONE_A.port, address: PHONE_A.address });

    h.clock.advance(499);
    expect(h.relay.resources().openSockets).toBe(4);
    h.clock.advance(1);
    expect(h.relay.resources()).toEqual({ calls: 0, portPairsInUse: 0, openSockets: 0, timers: 0 });
    expect(facingA.closed).toBe(true);
  });

  it('calls ended at different times close in order, each after its own linger', async () => {
    const h = harness({ lingerMs: 300 });
    await bridge(h, 'first');
    await bridge(h, 'second');
    h.relay.delete('first');
    h.clock.advance(200);
    h.relay.delete('second');
    h.clock.advance(100);
    expect(h.relay.resources()).toMatchObject({ portPairsInUse: 2, openSockets: 4, timers: 1 });
    h.clock.advance(200);
    expect(h.relay.resources()).toEqual({ calls: 0, portPairsInUse: 0, openSockets: 0, timers: 0 });
  });

  it('a lingering call reports no key presses and asks nobody about them: events pass as they are', async () => {
    const asked: string[] = [];
    const h = harness({ lingerMs: 500, shouldForwardEvent: (callId) => { asked.push(callId); return false; } });
    const { towardA, towardB } = await bridge(h);
    h.relay.delete('call-1');
    const key = dtmf(5, true, 8000, 1);
    h.sockets.deliver(towardA, key, PHONE_A);
    expect(h.sockets.socket(towardB).sent.at(-1)?.packet).toBe(key);
    expect(asked).toEqual([]);
    expect(h.digits).toEqual([]);
  });

  it('an offer still waiting when its call is deleted fails and leaves nothing lingering', async () => {
    const h = harness({ lingerMs: 500 });
    await bridge(h, 'c');
    const pending = h.relay.offer('c', 'A', phoneSdp({ ...PHONE_A, port: 4100 }), { toLegId: 'B' });
    h.relay.delete('c');
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'call-deleted' } });
    h.clock.advance(500);
    expect(h.relay.resources()).toEqual({ calls: 0, portPairsInUse: 0, openSockets: 0, timers: 0 });
  });

  it('dispose closes lingering calls at once', async () => {
    const h = harness({ lingerMs: 10_000 });
    await bridge(h);
    h.relay.delete('call-1');
    h.relay.dispose();
    expect(h.relay.resources()).toEqual({ calls: 0, portPairsInUse: 0, openSockets: 0, timers: 0 });
  });

  it('a new call with the Call-ID of a lingering one gets ports of its own', async () => {
    const h = harness({ lingerMs: 500 });
    const old = await bridge(h, 'same');
    h.relay.delete('same');
    const fresh = await bridge(h, 'same');
    expect([fresh.towardA, fresh.towardB]).not.toContain(old.towardA);
    expect([fresh.towardA, fresh.towardB]).not.toContain(old.towardB);
    h.clock.advance(500);
    expect(h.relay.resources()).toMatchObject({ calls: 1, portPairsInUse: 2, openSockets: 4 });
  });

  it('a live call that finds every port taken closes the longest-lingering calls early instead of failing', async () => {
    const h = harness({ lingerMs: 10_000, portMin: 40000, portMax: 40007 });
    const first = await bridge(h, 'first');
    await bridge(h, 'second');
    h.relay.delete('first');
    h.relay.delete('second');
    const third = await bridge(h, 'third');
    expect([third.towardA, third.towardB].sort()).toEqual([first.towardA, first.towardB].sort());
    expect(h.relay.resources()).toMatchObject({ calls: 1, portPairsInUse: 4, openSockets: 8 });
    await bridge(h, 'fourth');
    expect(await h.relay.offer('fifth', 'A', phoneSdp(PHONE_A), { toLegId: 'B' })).toMatchObject({ ok: false, error: { kind: 'ports-exhausted' } });
    h.clock.advance(10_000);
    expect(h.relay.resources()).toMatchObject({ calls: 2, portPairsInUse: 4, timers: 1 });
  });

  it('when the free pairs cannot be bound (another program holds them), lingering calls give up theirs', async () => {
    const h = harness({ lingerMs: 10_000, portMin: 40000, portMax: 40015 });
    const first = await bridge(h, 'first');
    const second = await bridge(h, 'second');
    h.relay.delete('first');
    h.relay.delete('second');
    for (const port of [40008, 40010, 40012, 40014]) h.sockets.busy.add(port);
    const third = await bridge(h, 'third');
    const lingered = [first.towardA, first.towardB, second.towardA, second.towardB];
    expect(lingered).toEqual(expect.arrayContaining([third.towardA, third.towardB]));
    expect(h.relay.resources()).toMatchObject({ calls: 1, portPairsInUse: 2, openSockets: 4 });
  });

  it('a leg deleted while its streams are still binding leaves no socket or port behind', async () => {
    const fake = new FakeSocketFactory();
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    const sockets: SocketFactory = {
      get openCount() { return fake.openCount; },
      bind: async (address, port, receiver) => { await gate; return fake.bind(address, port, receiver); },
    };
    const h = harness({ lingerMs: 500, sockets });
    const pending = h.relay.offer('c', 'A', phoneSdp(PHONE_A), { toLegId: 'B' });
    await new Promise((resolve) => setImmediate(resolve));
    h.relay.deleteLeg('c', 'B');
    open();
    expect((await pending).ok).toBe(false);
    h.relay.delete('c');
    h.clock.advance(500);
    expect(h.relay.resources()).toEqual({ calls: 0, portPairsInUse: 0, openSockets: 0, timers: 0 });
  });
});
