import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Phone } from '../../support/phone.js';
import type { Call } from '../../support/call.js';
import { type RunningSwitch, startSwitch } from '../../support/softswitch-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const USERS = [
  { extension: '100', name: 'Alice', password: 'pw100', callGroups: ['sales'], pickupGroups: ['sales'] },
  { extension: '101', name: 'Bob', password: 'pw101', callGroups: ['sales'], pickupGroups: ['sales', 'support'] },
  { extension: '102', name: 'Carol', password: 'pw102', callGroups: ['support'] },
  { extension: '103', name: 'Dave', password: 'pw103' },
  { extension: '104', name: 'Erin', password: 'pw104' },
  { extension: '105', name: 'Lobby', password: 'pw105', aclGroup: 'Lobby' },
  { extension: '106', name: 'Frank', password: 'pw106' },
];
const SWITCH = {
  users: USERS,
  aclGroups: [{ name: 'Default' }, { name: 'Lobby', cannot: [{ service: 'pickup' as const, target: 'Default' }] }],
  queues: [{ id: 10, name: 'Support', extension: '700', strategy: 'ring-all' as const, agents: ['103', '104'], ringTimeout: 1, retryPause: 1, timeout: 20 }],
};

let sw: RunningSwitch;
const phones: Phone[] = [];

beforeAll(async () => {
  sw = await startSwitch(SWITCH);
});
afterAll(async () => {
  await sw?.stop();
});
afterEach(async () => {
  await Promise.all(phones.splice(0).map((p) => p.close()));
  await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'calls of the test to end' });
});

async function phone(ext: string, on = sw): Promise<Phone> {
  const p = await Phone.create({ user: ext, password: `pw${ext}`, domain: 'pbx.test', server: { host: on.udp.address, port: on.udp.port } });
  phones.push(p);
  expect(await p.register()).toBe(200);
  return p;
}

/** `caller` calls `callee`, whose phone rings; returns both ends. */
async function ringing(caller: Phone, callee: Phone, target: string): Promise<{ out: Call; inc: Call }> {
  const out = await caller.call(target);
  const inc = await callee.nextIncoming();
  await out.waitForState('ringing');
  return { out, inc };
}

/** The picker dials `code`; asserts the pickup, audio both ways, and the ringing phone's CANCEL reason. */
async function expectPickedUp(picker: Phone, code: string, out: Call, inc: Call): Promise<Call> {
  const pick = await picker.call(code);
  await pick.waitForState('established');
  await out.waitForState('established');
  await inc.waitForState('terminated');
  expect(inc.termination?.method).toBe('CANCEL');
  expect(inc.termination?.reason).toContain('Call completed elsewhere');
  await pick.expectAudioFlowing();
  await out.expectAudioFlowing();
  return pick;
}

async function expectRefused(picker: Phone, code: string, status: number): Promise<void> {
  const pick = await picker.call(code);
  await pick.waitForState('terminated');
  expect(pick.finalStatus).toBe(status);
}

describe('call pickup (88)', () => {
  it('88<ext>: picks up the call ringing at an extension; the picker sees the caller', async () => {
    const [alice, bob, carol] = [await phone('106'), await phone('100'), await phone('101')];
    const { out, inc } = await ringing(alice, bob, '100');
    const pick = await expectPickedUp(carol, '88100', out, inc);
    expect(pick.remoteIdentity.user).toBe('106');
    expect(out.remoteIdentity.user).toBe('101');
    await pick.hangup();
    await out.waitForState('terminated');
  });

  it('88*<ext> works like 88<ext>', async () => {
    const [alice, bob, carol] = [await phone('106'), await phone('100'), await phone('101')];
    const { out, inc } = await ringing(alice, bob, '100');
    const pick = await expectPickedUp(carol, '88*100', out, inc);
    await out.hangup();
    await pick.waitForState('terminated');
  });

  it('88 with groups: takes a call to a member of my pickup groups', async () => {
    const [frank, carol, bob] = [await phone('106'), await phone('102'), await phone('101')];
    const { out, inc } = await ringing(frank, carol, '102');
    const pick = await expectPickedUp(bob, '88', out, inc);
    await pick.hangup();
  });

  it('88 without groups: takes a call ringing in my own ACL group', async () => {
    const [alice, erin, dave] = [await phone('100'), await phone('104'), await phone('103')];
    const { out, inc } = await ringing(alice, erin, '104');
    const pick = await expectPickedUp(dave, '88', out, inc);
    await pick.hangup();
  });

  it('88<group>: takes a call to a member of a named call group', async () => {
    const [frank, carol, bob] = [await phone('106'), await phone('102'), await phone('101')];
    const { out, inc } = await ringing(frank, carol, '102');
    const pick = await expectPickedUp(bob, '88support', out, inc);
    await pick.hangup();
  });

  it('refusals: 480 no call, 404 unknown extension/group/queue, 403 not allowed', async () => {
    const [alice, lobby, dave] = [await phone('100'), await phone('105'), await phone('103')];
    await expectRefused(alice, '88', 480);
    await expectRefused(alice, '88999', 404);
    await expectRefused(alice, '88nosuchgroup', 404);
    await expectRefused(alice, '88*79*99', 404);
    await expectRefused(alice, '88support', 403);
    const { out, inc } = await ringing(alice, dave, '103');
    await expectRefused(lobby, '88103', 403);
    await expectRefused(alice, '88102', 403);
    await expectRefused(dave, '88104', 480);
    await out.hangup();
    await inc.waitForState('terminated');
  });

  it('two pickers at once: exactly one gets the call, the other 480', async () => {
    for (let round = 0; round < 5; round++) {
      const [lobby, dave, frank, erin] = [await phone('105'), await phone('103'), await phone('106'), await phone('104')];
      const { out, inc } = await ringing(lobby, erin, '104');
      const [p1, p2] = await Promise.all([dave.call('88104'), frank.call('88104')]);
      await Promise.all([waitFor(() => p1.state === 'established' || p1.state === 'terminated', { timeoutMs: 5000, what: 'picker 1' }),
        waitFor(() => p2.state === 'established' || p2.state === 'terminated', { timeoutMs: 5000, what: 'picker 2' })]);
      const winners = [p1, p2].filter((p) => p.state === 'established');
      const losers = [p1, p2].filter((p) => p.state === 'terminated');
      expect(winners).toHaveLength(1);
      expect(losers[0]?.finalStatus).toBe(480);
      await winners[0]!.expectAudioFlowing();
      await out.expectAudioFlowing();
      await inc.waitForState('terminated');
      await out.hangup();
      await Promise.all(phones.splice(0).map((p) => p.close()));
      await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'the round to end' });
    }
  });

  it('the caller cancels just as the picker dials: no call, leg or timer is left', async () => {
    const [frank, erin, dave] = [await phone('106'), await phone('104'), await phone('103')];
    const { out } = await ringing(frank, erin, '104');
    const pick = await dave.call('88104');
    await out.hangup();
    await waitFor(() => pick.state === 'terminated' || pick.state === 'established', { timeoutMs: 5000, what: 'the pickup to settle' });
    if (pick.state === 'established') await pick.waitForState('terminated');
    await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'no call left' });
    await waitFor(() => sw.sw.mediaRelay?.resources().portPairsInUse === 0, { timeoutMs: 5000, what: 'no relay port left' });
    expect(sw.sw.mediaRelay?.resources()).toMatchObject({ calls: 0, openSockets: 0 });
  });

  it('the callee answers at the same moment as a pickup: exactly one connected call', async () => {
    const [frank, erin, dave] = [await phone('106'), await phone('104'), await phone('103')];
    const { out, inc } = await ringing(frank, erin, '104');
    const pick = await dave.call('88104');
    const answering = inc.answer().catch(() => undefined);
    await waitFor(() => pick.state === 'terminated' || pick.state === 'established', { timeoutMs: 5000, what: 'the pickup to settle' });
    await answering;
    await out.waitForState('established');
    await waitFor(() => (pick.state === 'established') !== (inc.state === 'established'), { timeoutMs: 5000, what: 'exactly one of picker and callee connected' });
    await out.expectAudioFlowing();
    await out.hangup();
  });

  it('88*79*<id> and 8879<id>, and the old 59 alias: pick up a call waiting in a queue, during a round and between rounds', async () => {
    for (const code of ['88*79*10', '887910', '88*59*10', '885910']) {
      const [frank, dave, alice] = [await phone('106'), await phone('103'), await phone('100')];
      const out = await frank.call('7910');
      const agentRings = await dave.nextIncoming();
      const pick = await alice.call(code);
      await pick.waitForState('established');
      await out.waitForState('established');
      await agentRings.waitForState('terminated');
      expect(agentRings.termination?.reason).toContain('Call completed elsewhere');
      await pick.expectAudioFlowing();
      await out.expectAudioFlowing();
      await out.hangup();
      await Promise.all(phones.splice(0).map((p) => p.close()));
      await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'the queue call to end' });
    }
  });

  it('a queue call waiting between rounds (no agent reachable) can be picked up', async () => {
    const [frank, alice] = [await phone('106'), await phone('100')];
    const out = await frank.call('700');
    await out.waitForState('ringing');
    const pick = await alice.call('88*79*10');
    await pick.waitForState('established');
    await out.waitForState('established');
    await pick.expectAudioFlowing();
    await out.expectAudioFlowing();
    await pick.hangup();
  });

  it('pickup of an early-media call (183 with SDP)', async () => {
    const [frank, erin, dave] = [await phone('106'), await phone('104'), await phone('103')];
    const out = await frank.call('104', { earlyMedia: true });
    const inc = await erin.nextIncoming();
    await inc.progress(183);
    await out.waitForState('early');
    const pick = await expectPickedUp(dave, '88104', out, inc);
    await pick.hangup();
  });
});

describe('pickup with a global prefix', () => {
  it('9 + 88<ext> and 9 + 79 codes; *5 is not prefixed', async () => {
    const prefixed = await startSwitch({ ...SWITCH, featureCodes: { prefix: '9' } });
    try {
      const [frank, erin, dave] = [await phone('106', prefixed), await phone('104', prefixed), await phone('103', prefixed)];
      const { out, inc } = await ringing(frank, erin, '104');
      await expectRefused(dave, '88104', 404);
      const pick = await expectPickedUp(dave, '988104', out, inc);
      await pick.hangup();
      await out.waitForState('terminated');
      await Promise.all(phones.splice(0).map((p) => p.close()));
    } finally {
      await prefixed.stop();
    }
  });
});
