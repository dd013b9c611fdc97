import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, waitForOutput, type SwitchProcess } from '../../support/softswitch-process.js';
import { Phone } from '../../support/phone.js';

const dirs: string[] = [];
const procs: SwitchProcess[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) p.child.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'softswitch-cli-'));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function configText(port: number, users = `  - { extension: "100", name: Alice, password: alice-pw }
  - { extension: "101", name: Bob, password: bob-pw }`): string {
  return `sip:
  domain: pbx.test
  listen:
    - { transport: udp, host: 127.0.0.1, port: ${port} }
admin: { host: 127.0.0.1, port: 0 }
store: { path: ":memory:" }
logging: { level: info }
users:
${users}
`;
}

describe('softswitch command line', () => {
  it('check-config names the path and the reason of every error and exits non-zero', async () => {
    const path = tempFile('bad.yaml', `users:\n  - { extension: "100", name: A, password: x }\n  - { extension: "100", name: B, password: y }\n`);
    const proc = runCli(['check-config', path]);
    procs.push(proc);
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('users[1].extension: duplicate of users[0]');
  });

  it('a bad configuration stops the switch before it binds any port', async () => {
    const port = await freeUdpPort();
    const path = tempFile('bad.yaml', configText(port).replace('logging: { level: info }', 'logging: { level: loud }'));
    const proc = runCli(['--config', path]);
    procs.push(proc);
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('logging.level');
    const probe = createSocket('udp4');
    await new Promise<void>((resolve, reject) => { probe.once('error', reject); probe.bind(port, '127.0.0.1', resolve); });
    probe.close();
  });

  it('SIGTERM ends live calls with BYE, then exits 0', async () => {
    const port = await freeUdpPort();
    const proc = runCli(['--config', tempFile('ok.yaml', configText(port))]);
    procs.push(proc);
    await waitForOutput(proc, 'listening');
    const server = { host: '127.0.0.1', port };
    const alice = await Phone.create({ user: '100', password: 'alice-pw', domain: 'pbx.test', server });
    const bob = await Phone.create({ user: '101', password: 'bob-pw', domain: 'pbx.test', server });
    try {
      await alice.register();
      await bob.register();
      const out = await alice.call('101');
      const incoming = await bob.nextIncoming();
      await incoming.answer();
      await out.waitForState('established');
      proc.child.kill('SIGTERM');
      await out.waitForState('terminated');
      await incoming.waitForState('terminated');
      expect(out.termination?.method).toBe('BYE');
      expect(incoming.termination?.method).toBe('BYE');
      expect(await proc.exited).toBe(0);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('SIGHUP reloads users; a broken file is refused and the running configuration stays', async () => {
    const port = await freeUdpPort();
    const path = tempFile('ok.yaml', configText(port));
    const proc = runCli(['--config', path]);
    procs.push(proc);
    await waitForOutput(proc, 'listening');
    const server = { host: '127.0.0.1', port };
    const carol = await Phone.create({ user: '102', password: 'carol-pw', domain: 'pbx.test', server });
    try {
      expect(await carol.register()).not.toBe(200);
      writeFileSync(path, configText(port, '  - { extension: "102", name: Carol, password: carol-pw }'));
      proc.child.kill('SIGHUP');
      await waitForOutput(proc, 'configuration reloaded');
      expect(await carol.register()).toBe(200);
      writeFileSync(path, 'users: [ {');
      proc.child.kill('SIGHUP');
      await waitForOutput(proc, 'keeping the running one');
      expect(await carol.register()).toBe(200);
    } finally {
      await carol.close();
    }
  });
});
