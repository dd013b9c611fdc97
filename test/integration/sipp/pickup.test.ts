/**
 * Call pickup with sipp peers: a sipp phone (101) rings; a sip.js phone (100) is the caller; a
 * second sipp phone (102) dials 88101 and takes the call. The ringing sipp phone must get a
 * CANCEL with "Call completed elsewhere" (its scenario checks the Reason header).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningSwitch } from '../../support/softswitch-fixture.js';
import { credentialsRow, freePort, removeCleanSippRuns, requireSipp, runSipp, startSipp } from '../../support/sipp.js';
import { startSippSwitch } from './sipp-switch.js';
import { Phone } from '../../support/phone.js';

const sipp = requireSipp();
const BOB = credentialsRow('101', 'bob-pw', 'pbx.test');
const CAROL = credentialsRow('102', 'carol-pw', 'pbx.test');

describe.skipIf(sipp.skip)('sipp pickup', () => {
  let sw: RunningSwitch | undefined;

  afterAll(async () => {
    await sw?.stop();
    removeCleanSippRuns();
  });

  it('a sipp phone rings; a second sipp phone picks the call up with 88<ext>', async () => {
    sw = await startSippSwitch();
    const port = await freePort();
    const registered = await runSipp({ scenario: 'register.xml', remote: sw.address, port, injection: [BOB], timeoutMs: 10_000 });
    expect(registered.successful, registered.describe()).toBe(1);
    const ringing = await startSipp({ scenario: 'uas-picked-up.xml', port, calls: 1, timeoutMs: 20_000 });
    await ringing.ready();
    const alice = await Phone.create({ user: '100', password: 'alice-pw', domain: 'pbx.test', server: { host: sw.udp.address, port: sw.udp.port } });
    try {
      expect(await alice.register()).toBe(200);
      const out = await alice.call('101');
      await out.waitForState('ringing');
      const picker = await runSipp({
        scenario: 'uac.xml', remote: sw.address, service: '88101', calls: 1, injection: [CAROL], timeoutMs: 15_000,
      });
      expect(picker.successful, picker.describe()).toBe(1);
      expect(picker.failed, picker.describe()).toBe(0);
      await out.waitForState('terminated');
      expect(out.finalStatus).toBe(200);
      expect(out.termination?.method).toBe('BYE');
      const rang = await ringing.done;
      expect(rang.successful, rang.describe()).toBe(1);
      expect(rang.failed, rang.describe()).toBe(0);
    } finally {
      await alice.close();
      await ringing.stop();
    }
  });
});
