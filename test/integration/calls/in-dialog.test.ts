import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Phone } from '../../support/phone.js';
import { RawSip } from '../../support/raw-sip.js';
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
  await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'calls to end' });
});

async function phone(ext: string, password: string): Promise<Phone> {
  const p = await Phone.create({ user: ext, password, domain: 'pbx.test', server: { host: sw.udp.address, port: sw.udp.port } });
  phones.push(p);
  expect(await p.register()).toBe(200);
  return p;
}

describe('in-dialog requests', () => {
  it('481 for a request in a dialog the switch does not know', async () => {
    const raw = await RawSip.open();
    try {
      raw.send(`BYE sip:100@127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:${raw.port};branch=z9hG4bKunknown1
From: <sip:100@pbx.test>;tag=abc
To: <sip:101@pbx.test>;tag=nosuchdialog
Call-ID: unknown-dialog@test
CSeq: 2 BYE
Max-Forwards: 70
Content-Length: 0

`, sw.udp.port);
      const answer = await raw.expect(/^SIP\/2\.0 /);
      expect(answer.split('\r\n')[0]).toBe('SIP/2.0 481 Call/Transaction Does Not Exist');
    } finally {
      raw.close();
    }
  });

  it('re-INVITE glare: both sides hold at once; the crossing one gets 491, the call survives and resumes', async () => {
    const alice = await phone('100', 'alice-pw');
    const bob = await phone('101', 'bob-pw');
    const out = await alice.call('101');
    const inc = await bob.nextIncoming();
    await inc.answer();
    await out.waitForState('established');
    const results = await Promise.allSettled([out.hold(), inc.hold()]);
    // §14.1: crossing re-INVITEs are refused with 491; each phone may retry after a random pause.
    const refused = results.filter((r) => r.status === 'rejected');
    for (const r of refused) expect(String((r as PromiseRejectedResult).reason)).toContain('491');
    expect(refused.length).toBeGreaterThan(0);
    expect(out.state).toBe('established');
    await out.hold();
    await out.unhold();
    // sip.js keeps the hold option of a refused hold re-INVITE; resuming clears it.
    await inc.unhold();
    await out.expectAudioFlowing();
    await inc.expectAudioFlowing();
    await out.hangup();
  });

  it('a 2xx that crosses our CANCEL is ACKed and BYEd (the loser of a fork answers too late)', async () => {
    const alice = await phone('100', 'alice-pw');
    const desk = await phone('101', 'bob-pw');
    const soft = await phone('101', 'bob-pw');
    const out = await alice.call('101');
    const [a, b] = await Promise.all([desk.nextIncoming(), soft.nextIncoming()]);
    await Promise.allSettled([a.answer(), b.answer()]);
    await out.waitForState('established');
    await waitFor(() => [a, b].filter((c) => c.state === 'terminated').length === 1, { timeoutMs: 5000, what: 'exactly one device to lose' });
    const loser = a.state === 'terminated' ? a : b;
    expect(['BYE', 'CANCEL']).toContain(loser.termination?.method);
    expect(loser.termination?.reason ?? '').toContain('Call completed elsewhere');
    await out.expectAudioFlowing();
    await out.hangup();
  });
});
