import { afterEach, describe, expect, it } from 'vitest';
import { AdminServer, type AdminSources, type Health } from '../../../../src/admin/admin-server.js';

/** The admin API over a real loopback socket, its sources supplied by the test. */
async function serve(health: Health): Promise<{ server: AdminServer; url: string }> {
  const sources: AdminSources = { health: () => health, registrations: () => [], calls: () => [], metrics: () => '' };
  const server = new AdminServer(sources);
  const address = await server.start('127.0.0.1', 0);
  return { server, url: `http://127.0.0.1:${address.port}` };
}

describe('admin API health', () => {
  const servers: AdminServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });

  it('answers 200 while every part runs', async () => {
    const { server, url } = await serve({ status: 'ok', calls: 0 });
    servers.push(server);
    const res = await fetch(`${url}/healthz`);
    expect([res.status, await res.json()]).toEqual([200, { status: 'ok', calls: 0 }]);
  });

  it('answers 503 with the problem when a part has stopped, so that a monitor sees it', async () => {
    const { server, url } = await serve({ status: 'failing', problem: 'relay stopped' });
    servers.push(server);
    const res = await fetch(`${url}/healthz`);
    expect([res.status, await res.json()]).toEqual([503, { status: 'failing', problem: 'relay stopped' }]);
  });
});
