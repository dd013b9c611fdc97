import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, parseConfig } from '../../../../src/config/index.js';
import { crossCases, schemaCases, type Draft } from './broken-config-cases.js';

function draft(): Draft {
  return structuredClone(defaultConfig) as Draft;
}

/** The `path: reason` lines of the ConfigError that parsing `input` throws. */
function issuesOf(input: unknown): string[] {
  try {
    parseConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.reason}`);
    throw error;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

describe('configuration the schema rejects', () => {
  it.each(schemaCases)('reports $name', ({ breakIt, issues }) => {
    const config = draft();
    breakIt(config);
    expect(issuesOf(config)).toEqual(issues);
  });
});

describe('configuration the cross-field rules reject', () => {
  it.each(crossCases)('reports $name', ({ breakIt, issues }) => {
    const config = draft();
    breakIt(config);
    expect(issuesOf(config)).toEqual(issues);
  });
});

describe('issue reporting', () => {
  it('lists every issue, not only the first', () => {
    const config = draft();
    config.registrar.minExpires = 4000;
    (config.users[3] as Draft['users'][number]).extension = '100';
    expect(issuesOf(config)).toEqual([
      'registrar.minExpires: greater than maxExpires (4000 > 3600)',
      'users[3].extension: duplicate of users[0]',
    ]);
  });

  it('names the whole file when the top level is not a mapping', () => {
    expect(issuesOf(['users'])).toEqual([': expected a mapping, got a list']);
  });

  it('puts one issue per line in the message', () => {
    const config = draft();
    config.media.portMin = 30000;
    config.registrar.minExpires = 4000;
    expect(() => parseConfig(config)).toThrow(
      'registrar.minExpires: greater than maxExpires (4000 > 3600)\n' +
        'media.portMin: greater than portMax (30000 > 29999)',
    );
  });

  it('accepts the smallest media range that holds one RTP/RTCP pair', () => {
    const config = draft();
    config.media.portMin = 20001;
    config.media.portMax = 20003;
    expect(parseConfig(config).media).toMatchObject({ portMin: 20001, portMax: 20003 });
  });

  it('lets a code without an argument begin another code', () => {
    // "*5" is dialled alone, so "*59<id>" cannot be mistaken for it.
    const config = draft();
    config.featureCodes.prefix = '*';
    expect(parseConfig(config).featureCodes.queue).toEqual(['79', '59']);
  });
});
