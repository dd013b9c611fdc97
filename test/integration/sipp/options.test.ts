import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSwitch } from '../../support/softswitch-fixture.js';
import { removeCleanSippRuns, requireSipp, runSipp, type SippResult } from '../../support/sipp.js';
import { startSippSwitch } from './sipp-switch.js';

const sipp = requireSipp();
const REQUESTS = 5;

describe.skipIf(sipp.skip)('sipp OPTIONS to the switch', () => {
  let sw: RunningSwitch;

  beforeAll(async () => {
    sw = await startSippSwitch();
  });

  afterAll(async () => {
    await sw?.stop();
    removeCleanSippRuns();
  });

  function expectAllAnswered200(result: SippResult, transport: 'UDP' | 'TCP'): void {
    expect(result.successful, result.describe()).toBe(REQUESTS);
    expect(result.failed, result.describe()).toBe(0);
    expect(result.exitCode, result.describe()).toBe(0);
    const log = readFileSync(result.messagesLog, 'utf8');
    expect(log).toContain(`${transport} message received`);
    expect(log.match(/^SIP\/2\.0 200 OK\r?$/gm)?.length).toBeGreaterThanOrEqual(REQUESTS);
  }

  it('answers OPTIONS over UDP with 200, without authentication', async () => {
    const result = await runSipp({
      scenario: 'options.xml', remote: sw.address, service: 'pbx.test', calls: REQUESTS, rate: 50, timeoutMs: 10_000,
    });
    expectAllAnswered200(result, 'UDP');
  });

  it('answers OPTIONS over TCP with 200 on the same connection', async () => {
    const result = await runSipp({
      scenario: 'options.xml', remote: `127.0.0.1:${sw.tcp.port}`, transport: 't1', service: 'pbx.test',
      calls: REQUESTS, rate: 50, timeoutMs: 10_000,
    });
    expectAllAnswered200(result, 'TCP');
  });
});
