import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSwitch } from '../../support/softswitch-fixture.js';
import { credentialsRow, removeCleanSippRuns, requireSipp, runSipp } from '../../support/sipp.js';
import { startSippSwitch } from './sipp-switch.js';

const sipp = requireSipp();

interface Registration {
  readonly user: string;
  readonly contact: string;
  readonly source: string;
  readonly expiresIn: number;
  readonly userAgent: string | null;
}

describe.skipIf(sipp.skip)('sipp REGISTER with digest authentication', () => {
  let sw: RunningSwitch;

  beforeAll(async () => {
    sw = await startSippSwitch();
  });

  afterAll(async () => {
    await sw?.stop();
    removeCleanSippRuns();
  });

  async function registrations(): Promise<Registration[]> {
    const response = await fetch(`${sw.adminUrl}/api/registrations`, { signal: AbortSignal.timeout(5000) });
    expect(response.status).toBe(200);
    return (await response.json()) as Registration[];
  }

  it('registers after the 401 challenge (MD5), the admin API lists the binding, and Expires: 0 removes it', async () => {
    const result = await runSipp({
      scenario: 'register.xml', remote: sw.address, injection: [credentialsRow('100', 'alice-pw', 'pbx.test')], timeoutMs: 10_000,
    });
    expect(result.successful, result.describe()).toBe(1);
    expect(result.failed, result.describe()).toBe(0);
    expect(result.exitCode, result.describe()).toBe(0);

    const bindings = (await registrations()).filter((r) => r.user === '100');
    expect(bindings).toHaveLength(1);
    expect(bindings[0]).toMatchObject({
      contact: `sip:100@127.0.0.1:${result.port};transport=UDP`,
      source: `udp:127.0.0.1:${result.port}`,
      userAgent: 'sipp-test',
    });
    expect(bindings[0]?.expiresIn).toBeGreaterThan(3500);

    // Expires: 0 for that Contact, from the same port, removes the binding (§10.2.2).
    const gone = await runSipp({
      scenario: 'unregister.xml', remote: sw.address, port: result.port,
      injection: [credentialsRow('100', 'alice-pw', 'pbx.test')], timeoutMs: 10_000,
    });
    expect(gone.successful, gone.describe()).toBe(1);
    expect((await registrations()).filter((r) => r.user === '100')).toEqual([]);
  });

  it('registers over TCP too, bound to the connection it came on', async () => {
    const result = await runSipp({
      scenario: 'register.xml', remote: `127.0.0.1:${sw.tcp.port}`, transport: 't1',
      injection: [credentialsRow('103', 'dave-pw', 'pbx.test')], timeoutMs: 10_000,
    });
    expect(result.successful, result.describe()).toBe(1);
    expect(result.failed, result.describe()).toBe(0);

    const bindings = (await registrations()).filter((r) => r.user === '103');
    expect(bindings).toHaveLength(1);
    expect(bindings[0]?.contact).toBe(`sip:103@127.0.0.1:${result.port};transport=TCP`);
    expect(bindings[0]?.source).toMatch(/^tcp:127\.0\.0\.1:\d+$/);
  });

  it('refuses a wrong password with 401/403 and registers nothing', async () => {
    const result = await runSipp({
      scenario: 'register-rejected.xml', remote: sw.address,
      injection: [credentialsRow('102', 'not-carols-password', 'pbx.test')], timeoutMs: 10_000,
    });
    expect(result.successful, result.describe()).toBe(1);
    expect(result.failed, result.describe()).toBe(0);

    expect((await registrations()).filter((r) => r.user === '102')).toEqual([]);
  });
});
