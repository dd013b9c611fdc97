import { describe, expect, it } from 'vitest';
import { Dialplan } from '../../../../src/dialplan/dialplan.js';

const directory = {
  hasUser: (ext: string) => ['100', '101', '2000'].includes(ext),
  queueByExtension: (ext: string) => (ext === '700' ? 10 : undefined),
};
const codes = { prefix: '', pickup: '88', queue: ['79', '59'], switchDevice: '*5' };

describe('Dialplan (DESIGN §4)', () => {
  const plan = new Dialplan(codes, directory);
  it.each([
    ['100', { kind: 'user', extension: '100' }],
    ['700', { kind: 'queue', queueId: 10 }],
    ['7910', { kind: 'queue', queueId: 10 }],
    ['5910', { kind: 'queue', queueId: 10 }],
    ['88', { kind: 'pickup-any' }],
    ['88101', { kind: 'pickup-extension', extension: '101' }],
    ['88*101', { kind: 'pickup-extension', extension: '101' }],
    ['88sales', { kind: 'pickup-group', group: 'sales' }],
    ['88Front_Desk-2', { kind: 'pickup-group', group: 'Front_Desk-2' }],
    ['88*79*10', { kind: 'pickup-queue', queueId: 10 }],
    ['887910', { kind: 'pickup-queue', queueId: 10 }],
    ['88*59*10', { kind: 'pickup-queue', queueId: 10 }],
    ['885910', { kind: 'pickup-queue', queueId: 10 }],
    ['*5', { kind: 'switch-device' }],
    ['555', { kind: 'unknown', dialled: '555' }],
    ['88 x', { kind: 'unknown', dialled: '88 x' }],
  ])('reads %s', (dialled, expected) => {
    expect(plan.resolve(dialled)).toEqual(expected);
  });

  it('prepends the global prefix to codes that do not start with * or #', () => {
    const prefixed = new Dialplan({ ...codes, prefix: '9' }, directory);
    expect(prefixed.resolve('988101')).toEqual({ kind: 'pickup-extension', extension: '101' });
    expect(prefixed.resolve('97910')).toEqual({ kind: 'queue', queueId: 10 });
    expect(prefixed.resolve('988*79*10')).toEqual({ kind: 'pickup-queue', queueId: 10 });
    expect(prefixed.resolve('988*979*10')).toEqual({ kind: 'pickup-queue', queueId: 10 });
    expect(prefixed.resolve('*5')).toEqual({ kind: 'switch-device' });
    expect(prefixed.resolve('88101')).toEqual({ kind: 'unknown', dialled: '88101' });
  });
});
