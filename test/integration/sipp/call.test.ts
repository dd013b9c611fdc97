/**
 * Calls through the B2BUA between sipp peers: a sipp UAS registers as user 101 from port P and
 * then answers on P (the switch forks to the address the REGISTER came from); a sipp UAC
 * authenticates as 100 (407, ACK, INVITE with credentials) and calls 101. Each test leaves
 * no binding and no call behind, so the next one starts clean.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSwitch } from '../../support/softswitch-fixture.js';
import {
  credentialsRow, freePort, removeCleanSippRuns, requireSipp, runSipp, type SippProcess, type SippResult, startSipp,
} from '../../support/sipp.js';
import { startSippSwitch } from './sipp-switch.js';
import { waitFor } from '../../support/wait-for.js';

const sipp = requireSipp();
const ALICE = credentialsRow('100', 'alice-pw', 'pbx.test');
const BOB = credentialsRow('101', 'bob-pw', 'pbx.test');

describe.skipIf(sipp.skip)('sipp calls through the B2BUA', () => {
  let sw: RunningSwitch;
  /** Callee devices of the running test: UAS process and the port it registered from. */
  let callees: Array<{ readonly uas: SippProcess; readonly port: number }> = [];

  beforeAll(async () => {
    sw = await startSippSwitch();
  });

  afterEach(async () => {
    for (const { uas, port } of callees) {
      await uas.stop();
      const gone = await runSipp({ scenario: 'unregister.xml', remote: sw.address, port, injection: [BOB], timeoutMs: 10_000 });
      expect(gone.successful, gone.describe()).toBe(1);
    }
    callees = [];
    expect(sw.sw.location.all().filter((b) => b.aor === '101')).toEqual([]);
    await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'the switch to forget every call' });
  });

  afterAll(async () => {
    for (const { uas } of callees) await uas.stop();
    await sw?.stop();
    removeCleanSippRuns();
  });

  /** Registers a device of 101 from a fresh port and starts `scenario` on that port for `calls` calls. */
  async function callee(scenario: string, calls: number): Promise<SippProcess> {
    const port = await freePort();
    const registered = await runSipp({ scenario: 'register.xml', remote: sw.address, port, injection: [BOB], timeoutMs: 10_000 });
    expect(registered.successful, registered.describe()).toBe(1);
    const uas = await startSipp({ scenario, port, calls, timeoutMs: 30_000 });
    callees.push({ uas, port });
    await uas.ready();
    return uas;
  }

  function expectAll(result: SippResult, calls: number): void {
    expect(result.successful, result.describe()).toBe(calls);
    expect(result.failed, result.describe()).toBe(0);
    expect(result.exitCode, result.describe()).toBe(0);
  }

  it('connects 20 authenticated calls from 100 to a registered sipp UAS (101), all completed on both sides', async () => {
    const calls = 20;
    const uas = await callee('uas.xml', calls);
    const uac = await runSipp({
      scenario: 'uac.xml', remote: sw.address, service: '101', calls, rate: 40, limit: 10, injection: [ALICE], timeoutMs: 30_000,
    });
    expectAll(uac, calls);
    expectAll(await uas.done, calls);
  });

  it('after 1,000 calls set up and torn down, no call, relay port, socket, transaction or timer is left', async () => {
    const relay = sw.sw.mediaRelay!;
    // The previous test's ended calls may still linger (media.linger, 1 s).
    await waitFor(() => relay.resources().portPairsInUse === 0, { timeoutMs: 5000, what: 'earlier calls\' relay ports to close' });
    const before = relay.resources();
    const calls = 1000;
    const uas = await callee('uas.xml', calls);
    const uac = await runSipp({
      scenario: 'uac.xml', remote: sw.address, service: '101', calls, rate: 200, limit: 50, injection: [ALICE], timeoutMs: 60_000,
    });
    expectAll(uac, calls);
    expectAll(await uas.done, calls);
    await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 10_000, what: 'every call to end' });
    // Ended calls' ports linger for media.linger (1 s) before they close.
    await waitFor(() => relay.resources().openSockets === before.openSockets, { timeoutMs: 5000, what: 'lingering relay ports to close' });
    expect(relay.resources()).toEqual(before);
    // Transactions linger for Timers J, K and D (at most 64*T1, 32 s with the standard T1 here).
    await waitFor(() => sw.sw.stack.transactions.size() === 0, { timeoutMs: 40_000, what: 'every transaction to end' });
  }, 120_000);

  it('bridges a caller on TCP to a callee on UDP', async () => {
    const calls = 10;
    const uas = await callee('uas.xml', calls);
    const uac = await runSipp({
      scenario: 'uac.xml', remote: `127.0.0.1:${sw.tcp.port}`, transport: 't1', service: '101', calls, rate: 40,
      injection: [ALICE], timeoutMs: 30_000,
    });
    expectAll(uac, calls);
    expect(readFileSync(uac.messagesLog, 'utf8')).toContain('TCP message sent');
    expectAll(await uas.done, calls);
  });

  it('passes the callee\'s BYE on to the caller', async () => {
    const calls = 5;
    const uas = await callee('uas-bye.xml', calls);
    const uac = await runSipp({
      scenario: 'uac-remote-bye.xml', remote: sw.address, service: '101', calls, rate: 20, injection: [ALICE], timeoutMs: 30_000,
    });
    expectAll(uac, calls);
    expectAll(await uas.done, calls);
  });

  it('cancels the ringing callee when the caller CANCELs, and the caller gets 487', async () => {
    const calls = 5;
    const uas = await callee('uas-cancel.xml', calls);
    const uac = await runSipp({
      scenario: 'uac-cancel.xml', remote: sw.address, service: '101', calls, rate: 20, injection: [ALICE], timeoutMs: 30_000,
    });
    expectAll(uac, calls);
    expectAll(await uas.done, calls);
  });

  it('forks to both devices of 101: one answers, the other is CANCELled with "Call completed elsewhere"', async () => {
    const calls = 5;
    const answering = await callee('uas.xml', calls);
    const ringing = await callee('uas-cancel.xml', calls);
    const uac = await runSipp({
      scenario: 'uac.xml', remote: sw.address, service: '101', calls, rate: 10, limit: 1, injection: [ALICE], timeoutMs: 30_000,
    });
    expectAll(uac, calls);
    expectAll(await answering.done, calls);
    const cancelled = await ringing.done;
    expectAll(cancelled, calls);
    const log = readFileSync(cancelled.messagesLog, 'utf8');
    expect(log.match(/^Reason: SIP;cause=200;text="Call completed elsewhere"\r?$/gm)?.length, cancelled.describe()).toBe(calls);
  });
});
