import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSwitch, startSwitch } from '../../support/softswitch-fixture.js';
import { credentialsRow, freePort, requireSipp, runSipp, type SippProcess, startSipp } from '../../support/sipp.js';
import { waitFor } from '../../support/wait-for.js';

const sipp = requireSipp();
const CALLS = 20;

describe.skipIf(sipp.skip)('sipp calls through the B2BUA', () => {
  let sw: RunningSwitch;
  let uas: SippProcess | undefined;

  beforeAll(async () => {
    sw = await startSwitch();
  });

  afterAll(async () => {
    await uas?.stop();
    await sw?.stop();
  });

  it(`connects ${CALLS} authenticated calls from 100 to a registered sipp UAS (101), all completed on both sides`, async () => {
    // The callee: registered as 101 from port P, then answering on the same port P.
    const port = await freePort();
    const registered = await runSipp({
      scenario: 'register.xml', remote: sw.address, port, injection: [credentialsRow('101', 'bob-pw', 'pbx.test')], timeoutMs: 10_000,
    });
    expect(registered.successful, registered.describe()).toBe(1);
    uas = await startSipp({ scenario: 'uas.xml', port, calls: CALLS, timeoutMs: 30_000 });
    await uas.ready();

    const uac = await runSipp({
      scenario: 'uac.xml', remote: sw.address, service: '101', calls: CALLS, rate: 40, limit: 10,
      injection: [credentialsRow('100', 'alice-pw', 'pbx.test')], timeoutMs: 30_000,
    });
    const callee = await uas.done;

    expect(uac.successful, uac.describe()).toBe(CALLS);
    expect(uac.failed, uac.describe()).toBe(0);
    expect(uac.exitCode, uac.describe()).toBe(0);
    expect(callee.successful, callee.describe()).toBe(CALLS);
    expect(callee.failed, callee.describe()).toBe(0);
    expect(callee.exitCode, callee.describe()).toBe(0);

    await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'the switch to forget every call' });
  });
});
