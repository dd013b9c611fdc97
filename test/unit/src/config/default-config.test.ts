import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  configSchema,
  defaultConfig,
  defaultConfigYaml,
  parseConfig,
  validateConfig,
} from '../../../../src/config/index.js';

describe('the built-in default', () => {
  it('passes the schema unchanged: every field is spelled out', () => {
    expect(configSchema.parse(defaultConfig)).toEqual(defaultConfig);
  });

  it('passes the cross-field rules', () => {
    expect(validateConfig(defaultConfig)).toEqual([]);
  });

  it('is the small office of DESIGN §3', () => {
    expect(defaultConfig.users.map((user) => user.extension)).toEqual(['100', '101', '102', '103', '104', '105']);
    expect(new Set(defaultConfig.users.flatMap((user) => user.callGroups))).toEqual(new Set(['sales', 'support']));
    expect(defaultConfig.queues).toMatchObject([{ id: 10, name: 'Support', extension: '700', agents: ['100', '101'] }]);
    expect(defaultConfig.sip.listen.map((entry) => `${entry.transport}:${entry.port}`)).toEqual(['udp:5060', 'tcp:5060']);
    expect(defaultConfig.media).toMatchObject({ portMin: 20000, portMax: 29999 });
    expect(defaultConfig.aclGroups).toEqual([
      { name: 'Default', cannot: [] },
      { name: 'Lobby', cannot: [{ service: 'pickup', target: 'Default' }] },
    ]);
  });

  it('is frozen, so no test can change it for another', () => {
    expect(Object.isFrozen(defaultConfig.users[0])).toBe(true);
    expect(Object.isFrozen(defaultConfig.users[0]?.callGroups)).toBe(true);
  });
});

describe('defaultConfigYaml', () => {
  it('parses back to the built-in default', () => {
    expect(parseConfig(parse(defaultConfigYaml()))).toEqual(defaultConfig);
  });

  it('quotes extensions so YAML keeps them as strings', () => {
    expect(defaultConfigYaml()).toContain('extension: "100"');
  });

  it('explains itself with comments', () => {
    const yaml = defaultConfigYaml();
    expect(yaml.startsWith('# softswitch configuration')).toBe(true);
    expect(yaml).toContain('prefix: "" # prepended to every code that does not start with * or #');
  });
});
