import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Phone } from '../../support/phone.js';
import { type RunningSwitch, TEST_USERS, startSwitch } from '../../support/softswitch-fixture.js';
import { waitFor } from '../../support/wait-for.js';

let sw: RunningSwitch;
const phones: Phone[] = [];

beforeAll(async () => {
  sw = await startSwitch({ users: [...TEST_USERS, { extension: '104', name: 'Erin', password: 'erin-pw', ringTimeout: 0.5 }] });
});
afterAll(async () => {
  await sw?.stop();
});
afterEach(async () => {
  await Promise.all(phones.splice(0).map((p) => p.close()));
});

async function phone(user: string, password: string, server = sw, extra: { instanceId?: string; regId?: number } = {}): Promise<Phone> {
  const p = await Phone.create({ user, password, domain: 'pbx.test', server: { host: server.udp.address, port: server.udp.port }, ...extra });
  phones.push(p);
  return p;
}

async function connected(callee: string, calleePw: string): Promise<{ alice: Phone; out: Awaited<ReturnType<Phone['call']>>; incoming: Awaited<ReturnType<Phone['nextIncoming']>> }> {
  const alice = await phone('100', 'alice-pw');
  const other = await phone(callee, calleePw);
  await alice.register();
  await other.register();
  const out = await alice.call(callee);
  const incoming = await other.nextIncoming();
  await incoming.answer();
  await out.waitForState('established');
  return { alice, out, incoming };
}

describe('calls in detail', () => {
  it('late offer: an INVITE without SDP gets the offer in the 200 and completes in the ACK', async () => {
    const alice = await phone('100', 'alice-pw');
    const bob = await phone('101', 'bob-pw');
    await alice.register();
    await bob.register();
    const out = await alice.call('101', { withoutSdp: true });
    const incoming = await bob.nextIncoming();
    expect(incoming.inviteRequest?.body ?? '').toBe('');
    await incoming.answer();
    await out.waitForState('established');
    await out.expectAudioFlowing();
    await incoming.expectAudioFlowing();
    await out.hangup();
  });

  it('no answer: after the callee\'s ring timeout the caller gets 480 and the phone stops ringing', async () => {
    const alice = await phone('100', 'alice-pw');
    const erin = await phone('104', 'erin-pw');
    await alice.register();
    await erin.register();
    const out = await alice.call('104');
    const incoming = await erin.nextIncoming();
    await out.waitForState('terminated');
    expect(out.finalStatus).toBe(480);
    await incoming.waitForState('terminated');
    expect(incoming.termination?.method).toBe('CANCEL');
  });

  it('the callee can hold and resume too (re-INVITE from the other side)', async () => {
    const { out, incoming } = await connected('101', 'bob-pw');
    await incoming.hold();
    await incoming.expectAudioStopped();
    await incoming.unhold();
    await out.expectAudioFlowing();
    await incoming.expectAudioFlowing();
    await out.hangup();
  });

  it('passes SIP INFO and RFC 4733 DTMF between the legs', async () => {
    const { out, incoming } = await connected('101', 'bob-pw');
    expect(await out.sendDtmfInfo('5')).toBe(200);
    await incoming.waitForInfoDtmf('5');
    await out.sendDtmfRfc4733('7');
    await incoming.waitForDtmf('7');
    await out.hangup();
  });

  it('shows the caller in From and the answering user in P-Asserted-Identity of the 200', async () => {
    const { out, incoming } = await connected('101', 'bob-pw');
    expect(incoming.inviteRequest?.header('From')).toContain('"Alice" <sip:100@pbx.test>');
    expect(out.remoteIdentity.user).toBe('101');
    expect(out.remoteIdentity.displayName).toBe('Bob');
    await incoming.hangup();
  });

  it('lists registrations and calls in the admin API', async () => {
    const { out, incoming } = await connected('101', 'bob-pw');
    const regs = (await (await fetch(`${sw.adminUrl}/api/registrations`)).json()) as Array<{ user: string }>;
    expect(regs.map((r) => r.user).sort()).toEqual(['100', '101']);
    const calls = (await (await fetch(`${sw.adminUrl}/api/calls`)).json()) as Array<{ state: string; legs: Array<{ extension: string }> }>;
    expect(calls).toHaveLength(1);
    expect(calls[0]!.state).toBe('answered');
    expect(calls[0]!.legs.map((l) => l.extension).sort()).toEqual(['100', '101']);
    expect((await fetch(`${sw.adminUrl}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${sw.adminUrl}/metrics`)).text();
    expect(metrics).toContain('softswitch_calls 1');
    const rss = Number(/^process_resident_memory_bytes (\d+)$/m.exec(metrics)?.[1]);
    const heapUsed = Number(/^nodejs_heap_size_used_bytes (\d+)$/m.exec(metrics)?.[1]);
    expect(heapUsed).toBeGreaterThan(1_000_000);
    expect(rss).toBeGreaterThan(heapUsed);
    // This answered call's two legs of RTP and RTCP sockets, and those of earlier calls still lingering.
    expect(Number(/^softswitch_relay_sockets (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(4);
    expect(metrics).toMatch(/^softswitch_relay_dropped_handoffs_total \d+$/m);
    expect(metrics).toMatch(/^softswitch_relay_failed 0$/m);
    await out.hangup();
    await incoming.waitForState('terminated');
  });

  it('a phone re-registering with the same +sip.instance from a new address replaces its binding (RFC 5626)', async () => {
    const instanceId = '00000000-0000-4000-8000-00000000abcd';
    const first = await phone('102', 'carol-pw', sw, { instanceId, regId: 1 });
    await first.register();
    const second = await phone('102', 'carol-pw', sw, { instanceId, regId: 1 });
    await second.register();
    const bindings = sw.sw.location.lookup('102');
    expect(bindings).toHaveLength(1);
    expect(bindings[0]!.source.port).toBe(second.sipAddress.port);
  });
});

describe('persistence', () => {
  it('a restart of the switch keeps registrations: the phone is reachable without re-registering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'softswitch-restart-'));
    try {
      const path = join(dir, 'reg.db');
      const first = await startSwitch({ store: { path } });
      const port = first.udp.port;
      const bob = await phone('101', 'bob-pw', first);
      await bob.register();
      await first.stop();
      const second = await startSwitch({
        store: { path }, sip: { domain: 'pbx.test', listen: [{ transport: 'udp', host: '127.0.0.1', port }] },
      });
      try {
        expect(second.sw.location.lookup('101')).toHaveLength(1);
        const alice = await phone('100', 'alice-pw', second);
        await alice.register();
        const out = await alice.call('101');
        const incoming = await bob.nextIncoming();
        await incoming.answer();
        await out.waitForState('established');
        await out.expectAudioFlowing();
        await out.hangup();
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('leaks', () => {
  it('after many calls no call, dialog or transaction is left', async () => {
    const alice = await phone('100', 'alice-pw');
    const bob = await phone('101', 'bob-pw');
    await alice.register();
    await bob.register();
    for (let i = 0; i < 10; i++) {
      const out = await alice.call('101');
      const incoming = await bob.nextIncoming();
      await incoming.answer();
      await out.waitForState('established');
      await (i % 2 ? out : incoming).hangup();
      await out.waitForState('terminated');
      await incoming.waitForState('terminated');
    }
    await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'calls to end' });
    // Transactions linger for Timer J/K/H (64*T1 at most, 6.4 s with the test T1).
    await waitFor(() => sw.sw.stack.transactions.size() === 0, { timeoutMs: 15000, what: 'transactions to end' });
  });
});
