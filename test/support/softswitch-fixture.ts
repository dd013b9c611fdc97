import { parseConfig } from '../../src/config/index.js';
import type { ConfigInput, Config } from '../../src/config/config-schema.js';
import { Softswitch, type SoftswitchOptions } from '../../src/softswitch.js';
import { createLogger } from '../../src/logging/logger.js';
import type { Endpoint } from '../../sip-stack/transport/transport-types.js';
import { makeTimerConfig } from '../../sip-stack/timers/timer-config.js';

export interface RunningSwitch {
  readonly sw: Softswitch;
  readonly config: Config;
  readonly udp: Endpoint;
  /** Port 0 when the configuration listens on UDP only. */
  readonly tcp: Endpoint;
  /** "127.0.0.1:port" of the UDP listener, for sipp and phones. */
  readonly address: string;
  readonly adminUrl: string;
  stop(): Promise<void>;
}

export const TEST_USERS = [
  { extension: '100', name: 'Alice', password: 'alice-pw', callGroups: ['sales'], pickupGroups: ['sales'] },
  { extension: '101', name: 'Bob', password: 'bob-pw', callGroups: ['sales'], pickupGroups: ['sales'] },
  { extension: '102', name: 'Carol', password: 'carol-pw' },
  { extension: '103', name: 'Dave', password: 'dave-pw' },
];

/**
 * Starts a softswitch on loopback with ephemeral ports, an in-memory store unless given one, and
 * logs silenced (set SOFTSWITCH_TEST_LOG=debug to see them). Overrides are merged shallowly per
 * top-level section.
 */
export async function startSwitch(overrides: ConfigInput = {}, extra: Partial<SoftswitchOptions> = {}): Promise<RunningSwitch> {
  const input: ConfigInput = {
    sip: { domain: 'pbx.test', listen: [{ transport: 'udp', host: '127.0.0.1', port: 0 }, { transport: 'tcp', host: '127.0.0.1', port: 0 }] },
    admin: { host: '127.0.0.1', port: 0 },
    store: { path: ':memory:' },
    media: { advertise: '127.0.0.1', portMin: 40000 + Math.floor(Math.random() * 100) * 200, portMax: 0, timeout: 30 },
    users: TEST_USERS,
    ...overrides,
  };
  const media = input.media as { portMin: number; portMax: number };
  if (!media.portMax) media.portMax = media.portMin + 199;
  const config = parseConfig(input, 'test');
  const logger = createLogger({ level: process.env.SOFTSWITCH_TEST_LOG ?? 'silent', pretty: false, destination: process.stderr });
  const sw = new Softswitch({ config, logger, timers: makeTimerConfig({ t1: 100, t2: 400, t4: 500 }), ...extra });
  await sw.start();
  const udp = sw.sipEndpoint('udp');
  const admin = sw.adminEndpoint;
  return {
    sw, config, udp,
    tcp: config.sip.listen.some((l) => l.transport === 'tcp') ? sw.sipEndpoint('tcp') : { protocol: 'tcp', address: '127.0.0.1', port: 0 },
    address: `${udp.address}:${udp.port}`,
    adminUrl: admin ? `http://127.0.0.1:${admin.port}` : '',
    stop: () => sw.stop(),
  };
}
