import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ConfigInput } from '../../src/config/config-schema.js';
import { Phone, type PhoneOptions } from './phone.js';
import { type RunningSwitch, startSwitch } from './softswitch-fixture.js';
import { waitFor } from './wait-for.js';

export interface SwitchSession {
  /** The switch of this test file (started in beforeAll). */
  readonly sw: () => RunningSwitch;
  /** A phone of `user` on this switch, registered unless `register: false`; closed after each test. */
  phone(user: string, password: string, options?: Partial<PhoneOptions> & { register?: boolean }): Promise<Phone>;
}

/**
 * One switch per test file, phones per test: registers the vitest hooks that start the switch,
 * close every phone after each test and wait until the switch has forgotten every call, so that
 * each test starts clean.
 */
export function useSwitch(overrides: ConfigInput = {}): SwitchSession {
  let running: RunningSwitch | undefined;
  const phones: Phone[] = [];
  beforeAll(async () => {
    running = await startSwitch(overrides);
  });
  afterAll(async () => {
    await running?.stop();
  });
  afterEach(async () => {
    await Promise.all(phones.splice(0).map((p) => p.close()));
    const sw = running;
    if (sw) await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'every call of the test to end' });
  });
  const sw = (): RunningSwitch => {
    if (!running) throw new Error('the switch is not running');
    return running;
  };
  return {
    sw,
    async phone(user, password, options = {}) {
      const { register = true, ...rest } = options;
      const server = { host: sw().udp.address, port: sw().udp.port };
      const p = await Phone.create({ user, password, domain: 'pbx.test', server, ...rest });
      phones.push(p);
      if (register) {
        const status = await p.register();
        if (status !== 200) throw new Error(`phone ${user} could not register: ${status}`);
      }
      return p;
    },
  };
}
