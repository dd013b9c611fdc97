import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/config/index.js';

const issues = [
  { path: 'users[3].extension', reason: 'duplicate of users[0]' },
  { path: 'sip.lisen', reason: 'unknown key' },
];

describe('ConfigError', () => {
  it('lists one issue per line', () => {
    expect(new ConfigError(issues).message).toBe('users[3].extension: duplicate of users[0]\nsip.lisen: unknown key');
  });

  it('prefixes each line with the file name when there is one', () => {
    expect(new ConfigError(issues, 'office.yaml').message).toBe(
      'office.yaml: users[3].extension: duplicate of users[0]\noffice.yaml: sip.lisen: unknown key',
    );
  });

  it('omits the path of an issue about the whole file', () => {
    expect(new ConfigError([{ path: '', reason: 'cannot read the file' }], 'x.yaml').message).toBe(
      'x.yaml: cannot read the file',
    );
  });

  it('is an Error named ConfigError that keeps its issues', () => {
    const error = new ConfigError(issues);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.issues).toEqual(issues);
  });
});
