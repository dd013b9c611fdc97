import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Phone } from '../../support/phone.js';
import { type RunningSwitch, startSwitch } from '../../support/softswitch-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const USERS = ['100', '101', '102', '103', '104'].map((extension) => ({ extension, name: `User ${extension}`, password: `pw${extension}` }));
const QUEUE = { ringTimeout: 0.6, retryPause: 0.3, timeout: 20 };

let sw: RunningSwitch;
const phones: Phone[] = [];

beforeAll(async () => {
  sw = await startSwitch({
    users: USERS,
    queues: [
      { id: 1, name: 'All', extension: '701', strategy: 'ring-all', agents: ['101', '102'], ...QUEUE },
      { id: 2, name: 'Linear', strategy: 'linear', agents: ['101', '102'], ...QUEUE },
      { id: 3, name: 'Rotating', strategy: 'round-robin', agents: ['101', '102'], ...QUEUE },
      { id: 4, name: 'Idle', strategy: 'longest-idle', agents: ['101', '102'], ...QUEUE },
      { id: 5, name: 'Short', strategy: 'ring-all', agents: ['101'], ringTimeout: 0.3, retryPause: 0.2, timeout: 1.2 },
      { id: 6, name: 'Fallback', strategy: 'ring-all', agents: ['101'], ringTimeout: 0.3, retryPause: 0.2, timeout: 1, fallback: '103' },
    ],
  });
});
afterAll(async () => {
  await sw?.stop();
});
afterEach(async () => {
  await Promise.all(phones.splice(0).map((p) => p.close()));
  await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'calls of the test to end' });
});

async function phone(ext: string): Promise<Phone> {
  const p = await Phone.create({ user: ext, password: `pw${ext}`, domain: 'pbx.test', server: { host: sw.udp.address, port: sw.udp.port } });
  phones.push(p);
  expect(await p.register()).toBe(200);
  return p;
}

describe('queues (numbered call groups)', () => {
  it('ring-all: reached by its extension and by 79<id>; every agent rings, the caller hears ringback; an agent answers', async () => {
    const [caller, a1, a2] = [await phone('100'), await phone('101'), await phone('102')];
    for (const dialled of ['701', '791']) {
      const out = await caller.call(dialled);
      await out.waitForState('ringing');
      const [r1, r2] = await Promise.all([a1.nextIncoming(), a2.nextIncoming()]);
      await r2.answer();
      await out.waitForState('established');
      await r1.waitForState('terminated');
      expect(r1.termination?.reason).toContain('Call completed elsewhere');
      await out.expectAudioFlowing();
      await r2.expectAudioFlowing();
      await out.hangup();
      await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'the call to end' });
    }
  });

  it('the old queue code alias 59<id> reaches the queue too', async () => {
    const [caller, a1] = [await phone('100'), await phone('101')];
    await phone('102');
    const out = await caller.call('591');
    const r1 = await a1.nextIncoming();
    await r1.answer();
    await out.waitForState('established');
    await out.hangup();
  });

  it('linear: one agent per round in order; an unanswered round moves to the next agent', async () => {
    const [caller, a1, a2] = [await phone('100'), await phone('101'), await phone('102')];
    const out = await caller.call('792');
    const first = await a1.nextIncoming();
    await first.waitForState('terminated', 3000);
    const second = await a2.nextIncoming(3000);
    await second.answer();
    await out.waitForState('established');
    await out.expectAudioFlowing();
    await out.hangup();
  });

  it('round-robin: successive calls start with successive agents', async () => {
    const [caller, a1, a2] = [await phone('100'), await phone('101'), await phone('102')];
    const rung: string[] = [];
    for (let i = 0; i < 2; i++) {
      const out = await caller.call('793');
      const before = a1.calls.length + a2.calls.length;
      await waitFor(() => a1.calls.length + a2.calls.length > before, { timeoutMs: 3000, what: 'an agent to ring' });
      const agent = a1.calls.length > rung.filter((r) => r === '101').length ? '101' : '102';
      rung.push(agent);
      const ringingCall = (agent === '101' ? a1 : a2).calls.at(-1)!;
      await ringingCall.answer();
      await out.waitForState('established');
      await out.hangup();
      await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'the call to end' });
    }
    expect(new Set(rung).size).toBe(2);
  });

  it('overall timeout: the caller gets 480 when no agent answers', async () => {
    const caller = await phone('100');
    await phone('101');
    const out = await caller.call('795');
    await out.waitForState('terminated', 5000);
    expect(out.finalStatus).toBe(480);
  });

  it('overall timeout with a fallback: the fallback extension rings and can answer', async () => {
    const [caller, fallback] = [await phone('100'), await phone('103')];
    await phone('101');
    const out = await caller.call('796');
    const rings = await fallback.nextIncoming(5000);
    await rings.answer();
    await out.waitForState('established');
    await out.expectAudioFlowing();
    await out.hangup();
  });

  it('an unknown queue gets 404', async () => {
    const caller = await phone('100');
    const out = await caller.call('7999');
    await out.waitForState('terminated');
    expect(out.finalStatus).toBe(404);
  });
});
