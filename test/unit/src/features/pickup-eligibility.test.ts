import { describe, expect, it } from 'vitest';
import { type PickableCall, type PickupPolicy, choosePickup, eligibleCalls } from '../../../../src/features/pickup-eligibility.js';
import type { UserConfig } from '../../../../src/config/config-schema.js';

function user(extension: string, extra: Partial<UserConfig> = {}): UserConfig {
  return { extension, name: extension, password: 'x', aclGroup: 'Default', callGroups: [], pickupGroups: [], ringTimeout: 30, ...extra };
}

const users = new Map<string, UserConfig>([
  ['100', user('100', { callGroups: ['sales'], pickupGroups: ['sales', 'support'] })],
  ['101', user('101', { callGroups: ['sales'], pickupGroups: ['sales'] })],
  ['102', user('102', { callGroups: ['support'] })],
  ['103', user('103')],
  ['104', user('104')],
  ['105', user('105', { aclGroup: 'Lobby' })],
  ['106', user('106', { aclGroup: 'Lobby' })],
]);
const policy: PickupPolicy = {
  user: (ext) => users.get(ext),
  aclGroup: (name) => (name === 'Lobby' ? { name, cannot: [{ service: 'pickup', target: 'Default' }] } : { name, cannot: [] }),
  hasQueue: (id) => id === 10,
  groupExists: (g) => [...users.values()].some((u) => u.callGroups.includes(g)),
};

function ringing(id: string, offeredTo: string[], since: number, queueId?: number, caller = '999'): PickableCall {
  return { id, offeredTo, queueId, callerExtension: caller, ringingSince: since };
}

const calls = [
  ringing('to101', ['101'], 3),
  ringing('to102', ['102'], 2),
  ringing('to104', ['104'], 1),
  ringing('to106', ['106'], 4),
  ringing('queue', ['100', '101'], 5, 10),
];

const ids = (d: ReturnType<typeof eligibleCalls>): string[] => (d.ok ? d.candidates.map((c) => c.id).sort() : [`${d.status}`]);

describe('pickup eligibility (DESIGN §4)', () => {
  it('88 with groups: calls to users whose callGroups meet my pickupGroups', () => {
    expect(ids(eligibleCalls(users.get('100')!, { kind: 'any' }, calls, policy))).toEqual(['queue', 'to101', 'to102']);
    expect(ids(eligibleCalls(users.get('101')!, { kind: 'any' }, calls, policy))).toEqual(['queue']);
  });

  it('88 without groups: calls to users of my own ACL group', () => {
    expect(ids(eligibleCalls(users.get('103')!, { kind: 'any' }, calls, policy))).toEqual(['queue', 'to101', 'to102', 'to104']);
    expect(ids(eligibleCalls(users.get('105')!, { kind: 'any' }, calls, policy))).toEqual(['to106']);
  });

  it('88<ext>: groups decide for users with groups, ACL rules for the others', () => {
    expect(ids(eligibleCalls(users.get('101')!, { kind: 'extension', extension: '102' }, calls, policy))).toEqual(['403']);
    expect(ids(eligibleCalls(users.get('100')!, { kind: 'extension', extension: '102' }, calls, policy))).toEqual(['to102']);
    expect(ids(eligibleCalls(users.get('103')!, { kind: 'extension', extension: '106' }, calls, policy))).toEqual(['to106']);
    expect(ids(eligibleCalls(users.get('105')!, { kind: 'extension', extension: '104' }, calls, policy))).toEqual(['403']);
    expect(ids(eligibleCalls(users.get('103')!, { kind: 'extension', extension: '999' }, calls, policy))).toEqual(['404']);
  });

  it('88<group>: must be one of my pickup groups (403), and must exist (404)', () => {
    expect(ids(eligibleCalls(users.get('100')!, { kind: 'group', group: 'support' }, calls, policy))).toEqual(['to102']);
    expect(ids(eligibleCalls(users.get('101')!, { kind: 'group', group: 'support' }, calls, policy))).toEqual(['403']);
    expect(ids(eligibleCalls(users.get('101')!, { kind: 'group', group: 'nosuch' }, calls, policy))).toEqual(['404']);
  });

  it('88*79*<id>: calls waiting in the queue; unknown queue 404', () => {
    expect(ids(eligibleCalls(users.get('103')!, { kind: 'queue', queueId: 10 }, calls, policy))).toEqual(['queue']);
    expect(ids(eligibleCalls(users.get('103')!, { kind: 'queue', queueId: 11 }, calls, policy))).toEqual(['404']);
  });

  it('never offers the picker its own outgoing call', () => {
    const own = [ringing('mine', ['104'], 1, undefined, '103')];
    expect(ids(eligibleCalls(users.get('103')!, { kind: 'any' }, own, policy))).toEqual([]);
  });

  it('chooses the longest ringing call by default', () => {
    expect(choosePickup(calls, 'longest-ringing')?.id).toBe('to104');
    expect(choosePickup([], 'random')).toBeUndefined();
    expect(calls.map((c) => c.id)).toContain(choosePickup(calls, 'random')?.id);
  });
});
