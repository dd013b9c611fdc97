import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSwitch, startSwitch } from '../../support/softswitch-fixture.js';
import { requireSipp, runSipp } from '../../support/sipp.js';

const sipp = requireSipp();

describe.skipIf(sipp.skip)('sipp OPTIONS to the switch', () => {
  let sw: RunningSwitch;

  beforeAll(async () => {
    sw = await startSwitch();
  });

  afterAll(async () => {
    await sw?.stop();
  });

  it('answers OPTIONS over UDP with 200, without authentication', async () => {
    const result = await runSipp({ scenario: 'options.xml', remote: sw.address, service: 'pbx.test', timeoutMs: 10_000 });
    expect(result.successful, result.describe()).toBe(1);
    expect(result.failed, result.describe()).toBe(0);
    expect(result.exitCode, result.describe()).toBe(0);
  });

  it('answers OPTIONS over TCP with 200 on the same connection', async () => {
    const result = await runSipp({
      scenario: 'options.xml', remote: `127.0.0.1:${sw.tcp.port}`, transport: 't1', service: 'pbx.test', timeoutMs: 10_000,
    });
    expect(result.successful, result.describe()).toBe(1);
    expect(result.failed, result.describe()).toBe(0);
    expect(result.exitCode, result.describe()).toBe(0);
  });
});
