import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, loadConfig, loadConfigFile } from '../../../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'softswitch-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function writeYaml(text: string): string {
  const path = join(dir, `config-${++files}.yaml`);
  writeFileSync(path, text);
  return path;
}

function configErrorFrom(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfigFile', () => {
  it('gives an almost empty file every default', () => {
    const config = loadConfigFile(writeYaml('users: [{extension: "200", name: X, password: y}]\n'));
    expect(config).toEqual({
      sip: {
        domain: 'pbx.local',
        listen: [
          { transport: 'udp', host: '0.0.0.0', port: 5060 },
          { transport: 'tcp', host: '0.0.0.0', port: 5060 },
        ],
        authAlgorithms: ['MD5'],
      },
      registrar: { minExpires: 60, maxExpires: 3600, defaultExpires: 600, maxContacts: 10 },
      media: { portMin: 20000, portMax: 29999, timeout: 30, pinPeers: true, linger: 1, forwarder: 'native' },
      store: { path: './data/softswitch.db' },
      admin: { host: '127.0.0.1', port: 8080 },
      featureCodes: {
        prefix: '',
        pickup: '88',
        queue: ['79', '59'],
        switchDevice: '*5',
        switchTimeout: 20,
        inCallCodes: true,
      },
      pickup: { selection: 'longest-ringing' },
      aclGroups: [{ name: 'Default', cannot: [] }],
      users: [
        {
          extension: '200',
          name: 'X',
          password: 'y',
          aclGroup: 'Default',
          callGroups: [],
          pickupGroups: [],
          ringTimeout: 30,
        },
      ],
      queues: [],
      logging: { level: 'info' },
    });
  });

  it('fills the omitted fields of a section that is partly given', () => {
    const config = loadConfigFile(writeYaml('registrar: { maxExpires: 7200 }\nsip: { domain: example.org }\n'));
    expect(config.registrar).toEqual({ minExpires: 60, maxExpires: 7200, defaultExpires: 600, maxContacts: 10 });
    expect(config.sip.listen).toHaveLength(2);
    expect(config.sip.domain).toBe('example.org');
  });

  it('treats an empty file as all defaults, with no users', () => {
    const config = loadConfigFile(writeYaml('# nothing configured yet\n'));
    expect(config.users).toEqual([]);
    expect(config.sip.domain).toBe('pbx.local');
  });

  it('names the file, line and reason of a YAML syntax error', () => {
    const path = writeYaml('users:\n  - extension: "200"\n    name: X\n   password: y\n');
    const error = configErrorFrom(() => loadConfigFile(path));
    expect(error.source).toBe(path);
    expect(error.issues).toEqual([{ path: 'line 4, column 1', reason: 'Sequence item without - indicator' }]);
    expect(error.message).toBe(`${path}: line 4, column 1: Sequence item without - indicator`);
  });

  it('reports a repeated key as a YAML error', () => {
    const path = writeYaml('media: { portMin: 20000 }\nmedia: { portMin: 30000 }\n');
    expect(() => loadConfigFile(path)).toThrow(`${path}: line 2, column 1: Map keys must be unique`);
  });

  it('prefixes schema and cross-field issues with the file name', () => {
    const path = writeYaml('sip: { lisen: [] }\n');
    expect(() => loadConfigFile(path)).toThrow(`${path}: sip.lisen: unknown key`);
  });

  it('names media.linger when it is negative or longer than a minute', () => {
    for (const linger of [-1, 61]) {
      const path = writeYaml(`media: { linger: ${linger} }\n`);
      expect(() => loadConfigFile(path)).toThrow(/media\.linger/);
    }
  });

  it('reports a file it cannot read', () => {
    const path = join(dir, 'missing.yaml');
    const error = configErrorFrom(() => loadConfigFile(path));
    expect(error.message).toMatch(new RegExp(`^${path}: cannot read the file: ENOENT`));
  });
});

describe('loadConfig', () => {
  it('returns the built-in default when no path is given', () => {
    expect(loadConfig()).toEqual(defaultConfig);
  });

  it('returns a copy the caller may change', () => {
    const config = loadConfig();
    config.users.pop();
    expect(defaultConfig.users).toHaveLength(6);
    expect(loadConfig().users).toHaveLength(6);
  });

  it('loads the file when a path is given', () => {
    const path = writeYaml('users: [{extension: "200", name: X, password: y}]\n');
    expect(loadConfig(path).users.map((user) => user.extension)).toEqual(['200']);
  });
});
