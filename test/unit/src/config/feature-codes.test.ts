import { describe, expect, it } from 'vitest';
import { effectiveCodes } from '../../../../src/config/index.js';

const codes = { pickup: '88', queue: ['79', '59'], switchDevice: '*5' };

describe('effectiveCodes', () => {
  it('returns the codes as written when the prefix is empty', () => {
    expect(effectiveCodes({ ...codes, prefix: '' })).toEqual({ pickup: '88', queue: ['79', '59'], switchDevice: '*5' });
  });

  it('prepends the prefix to codes that do not start with * or #', () => {
    expect(effectiveCodes({ ...codes, prefix: '*' })).toEqual({
      pickup: '*88',
      queue: ['*79', '*59'],
      switchDevice: '*5',
    });
  });

  it('leaves codes starting with # alone', () => {
    expect(effectiveCodes({ prefix: '9', pickup: '#8', queue: ['79'], switchDevice: '5' })).toEqual({
      pickup: '#8',
      queue: ['979'],
      switchDevice: '95',
    });
  });
});
