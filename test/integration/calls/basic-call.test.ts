import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Phone } from '../../support/phone.js';
import { type RunningSwitch, startSwitch } from '../../support/softswitch-fixture.js';
import { waitFor } from '../../support/wait-for.js';

let sw: RunningSwitch;
const phones: Phone[] = [];

beforeAll(async () => {
  sw = await startSwitch();
});
afterAll(async () => {
  await sw?.stop();
});
afterEach(async () => {
  await Promise.all(phones.splice(0).map((p) => p.close()));
});

async function phone(user: string, password: string, extra: { instanceId?: string } = {}): Promise<Phone> {
  const p = await Phone.create({ user, password, domain: 'pbx.test', server: { host: sw.udp.address, port: sw.udp.port }, ...extra });
  phones.push(p);
  return p;
}

describe('registration', () => {
  it('registers with the right password and is refused with a wrong one', async () => {
    const alice = await phone('100', 'alice-pw');
    expect(await alice.register()).toBe(200);
    expect(sw.sw.location.lookup('100')).toHaveLength(1);
    const mallory = await phone('101', 'wrong');
    expect(await mallory.register()).not.toBe(200);
    expect(sw.sw.location.lookup('101')).toHaveLength(0);
  });
});

describe('a call between two phones', () => {
  it('rings, is answered, carries audio both ways, and the caller hangs up', async () => {
    const alice = await phone('100', 'alice-pw');
    const bob = await phone('101', 'bob-pw');
    expect(await alice.register()).toBe(200);
    expect(await bob.register()).toBe(200);
    const out = await alice.call('101');
    const incoming = await bob.nextIncoming();
    expect(incoming.remoteIdentity.user).toBe('100');
    expect(incoming.remoteIdentity.displayName).toBe('Alice');
    await incoming.answer();
    await out.waitForState('established');
    await out.expectAudioFlowing();
    await incoming.expectAudioFlowing();
    await out.hangup();
    await incoming.waitForState('terminated');
    await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'the call to be forgotten' });
  });

  it('the callee hangs up', async () => {
    const alice = await phone('100', 'alice-pw');
    const bob = await phone('101', 'bob-pw');
    await alice.register();
    await bob.register();
    const out = await alice.call('101');
    const incoming = await bob.nextIncoming();
    await incoming.answer();
    await out.waitForState('established');
    await out.expectAudioFlowing();
    await incoming.expectAudioFlowing();
    await incoming.hangup();
    await out.waitForState('terminated');
    expect(out.termination?.by).toBe('remote');
  });

  it('busy: the callee rejects with 486 and the caller gets 486', async () => {
    const alice = await phone('100', 'alice-pw');
    const bob = await phone('101', 'bob-pw');
    await alice.register();
    await bob.register();
    const out = await alice.call('101');
    const incoming = await bob.nextIncoming();
    await incoming.reject(486);
    await out.waitForState('terminated');
    expect(out.finalStatus).toBe(486);
  });

  it('an unknown extension gets 404 and a user with no device 480', async () => {
    const alice = await phone('100', 'alice-pw');
    await alice.register();
    const unknown = await alice.call('555');
    await unknown.waitForState('terminated');
    expect(unknown.finalStatus).toBe(404);
    const absent = await alice.call('103');
    await absent.waitForState('terminated');
    expect(absent.finalStatus).toBe(480);
  });

  it('forks to both devices of the callee; the loser is CANCELled with "Call completed elsewhere"', async () => {
    const alice = await phone('100', 'alice-pw');
    const desk = await phone('101', 'bob-pw');
    const soft = await phone('101', 'bob-pw');
    await alice.register();
    await desk.register();
    await soft.register();
    const out = await alice.call('101');
    const [onDesk, onSoft] = await Promise.all([desk.nextIncoming(), soft.nextIncoming()]);
    await onSoft.answer();
    await out.waitForState('established');
    await onDesk.waitForState('terminated');
    expect(onDesk.termination?.method).toBe('CANCEL');
    expect(onDesk.termination?.reason).toContain('Call completed elsewhere');
    await out.expectAudioFlowing();
    await onSoft.expectAudioFlowing();
    await out.hangup();
  });

  it('the caller cancels while ringing: every device stops, no "completed elsewhere", caller gets 487', async () => {
    const alice = await phone('100', 'alice-pw');
    const bob = await phone('101', 'bob-pw');
    await alice.register();
    await bob.register();
    const out = await alice.call('101');
    const incoming = await bob.nextIncoming();
    await out.waitForState('ringing');
    await out.hangup();
    await incoming.waitForState('terminated');
    expect(incoming.termination?.method).toBe('CANCEL');
    expect(incoming.termination?.reason ?? '').not.toContain('completed elsewhere');
    await out.waitForState('terminated');
    expect(out.finalStatus).toBe(487);
    await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'the call to be forgotten' });
  });

  it('hold and resume keep the call; audio flows again after resume', async () => {
    const alice = await phone('100', 'alice-pw');
    const bob = await phone('101', 'bob-pw');
    await alice.register();
    await bob.register();
    const out = await alice.call('101');
    const incoming = await bob.nextIncoming();
    await incoming.answer();
    await out.waitForState('established');
    await out.hold();
    // Alice holds with sendonly: Bob answers recvonly and stops sending to her.
    await out.expectAudioStopped();
    await out.unhold();
    await out.expectAudioFlowing();
    await incoming.expectAudioFlowing();
    await out.hangup();
  });
});
