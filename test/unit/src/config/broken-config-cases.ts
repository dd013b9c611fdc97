import type { Config } from '../../../../src/config/index.js';

/** A mutable copy of the built-in default that each case breaks in one way. */
export type Draft = Config & Record<string, unknown>;

export interface BrokenCase {
  readonly name: string;
  readonly breakIt: (config: Draft) => void;
  /** The exact `path: reason` lines the ConfigError lists. */
  readonly issues: readonly string[];
}

const HA1 = '0123456789abcdef0123456789abcdef';

/** Assigns through `unknown` so a case can put a value of the wrong type where a file could. */
function put(target: object, key: string, value: unknown): void {
  (target as Record<string, unknown>)[key] = value;
}

const userAt = (config: Draft, i: number): Config['users'][number] => config.users[i] as Config['users'][number];
const queueAt = (config: Draft): Config['queues'][number] => config.queues[0] as Config['queues'][number];

export const schemaCases: readonly BrokenCase[] = [
  {
    name: 'a misspelt key',
    breakIt: (c) => put(c.sip, 'lisen', []),
    issues: ['sip.lisen: unknown key'],
  },
  {
    name: 'an unknown key in a list entry',
    breakIt: (c) => put(userAt(c, 0), 'ringtimeout', 30),
    issues: ['users[0].ringtimeout: unknown key'],
  },
  {
    name: 'an unknown top-level section',
    breakIt: (c) => put(c, 'voicemail', {}),
    issues: ['voicemail: unknown key'],
  },
  {
    name: 'a group name of digits only',
    breakIt: (c) => { userAt(c, 0).callGroups = ['123']; },
    issues: ['users[0].callGroups[0]: group names must not be all digits'],
  },
  {
    name: 'a group name with a space',
    breakIt: (c) => { userAt(c, 1).pickupGroups = ['support', 'sales team']; },
    issues: ['users[1].pickupGroups[1]: group names hold only letters, digits, _ and -'],
  },
  {
    name: 'an extension that is not all digits',
    breakIt: (c) => { userAt(c, 5).extension = '10a'; },
    issues: ['users[5].extension: must hold digits only'],
  },
  {
    name: 'an unquoted extension (YAML reads it as a number)',
    breakIt: (c) => put(userAt(c, 5), 'extension', 105),
    issues: ['users[5].extension: expected a string, got number 105 (quote it: "105")'],
  },
  {
    name: 'a missing required field',
    breakIt: (c) => put(userAt(c, 0), 'name', undefined),
    issues: ['users[0].name: required'],
  },
  {
    name: 'an unknown queue strategy',
    breakIt: (c) => put(queueAt(c), 'strategy', 'random'),
    issues: ['queues[0].strategy: must be one of: ring-all, round-robin, longest-idle, linear'],
  },
  {
    name: 'an ha1 that is not 32 hex digits',
    breakIt: (c) => { userAt(c, 0).password = undefined; userAt(c, 0).ha1 = 'xyz'; },
    issues: ['users[0].ha1: must be 32 hex digits (MD5 of user:realm:password)'],
  },
  {
    name: 'a port out of range',
    breakIt: (c) => { c.media.portMax = 70000; },
    issues: ['media.portMax: must be <= 65535'],
  },
  {
    name: 'a feature code holding a letter',
    breakIt: (c) => { c.featureCodes.pickup = '8a'; },
    issues: ['featureCodes.pickup: must hold only digits, * and # (at least one)'],
  },
  {
    name: 'a section of the wrong shape',
    breakIt: (c) => put(c, 'users', { extension: '100' }),
    issues: ['users: expected a list, got a mapping'],
  },
];

export const crossCases: readonly BrokenCase[] = [
  {
    name: 'a duplicate extension',
    breakIt: (c) => { userAt(c, 3).extension = '100'; },
    issues: ['users[3].extension: duplicate of users[0]'],
  },
  {
    name: 'a queue extension equal to a user extension',
    breakIt: (c) => { queueAt(c).extension = '101'; },
    issues: ['queues[0].extension: duplicate of users[1]'],
  },
  {
    name: 'a queue agent that is not a user',
    breakIt: (c) => { queueAt(c).agents = ['100', '999']; },
    issues: ['queues[0].agents[1]: "999" is not a user extension'],
  },
  {
    name: 'a queue agent listed twice',
    breakIt: (c) => { queueAt(c).agents = ['100', '101', '100']; },
    issues: ['queues[0].agents[2]: duplicate of queues[0].agents[0]'],
  },
  {
    name: 'duplicate queue ids',
    breakIt: (c) => { c.queues.push({ ...queueAt(c), extension: '701' }); },
    issues: ['queues[1].id: duplicate of queues[0]'],
  },
  {
    name: 'a fallback that is no extension',
    breakIt: (c) => { queueAt(c).fallback = '999'; },
    issues: ['queues[0].fallback: "999" is not a user or queue extension'],
  },
  {
    name: 'a fallback chain that loops',
    breakIt: (c) => {
      queueAt(c).fallback = '701';
      c.queues.push({ ...queueAt(c), id: 11, extension: '701', fallback: '700' });
    },
    issues: [
      'queues[0].fallback: the fallback chain leads back to this queue',
      'queues[1].fallback: the fallback chain leads back to this queue',
    ],
  },
  {
    name: 'an unknown ACL group on a user',
    breakIt: (c) => { userAt(c, 2).aclGroup = 'Staff'; },
    issues: ['users[2].aclGroup: unknown ACL group "Staff"'],
  },
  {
    name: 'an unknown ACL group as a cannot target',
    breakIt: (c) => { c.aclGroups[1] = { name: 'Lobby', cannot: [{ service: 'pickup', target: 'Staff' }] }; },
    issues: ['aclGroups[1].cannot[0].target: unknown ACL group "Staff"'],
  },
  {
    name: 'a duplicate ACL group name',
    breakIt: (c) => { c.aclGroups.push({ name: 'Lobby', cannot: [] }); },
    issues: ['aclGroups[2].name: duplicate of aclGroups[1]'],
  },
  {
    name: 'two password fields',
    breakIt: (c) => { userAt(c, 0).ha1 = HA1; },
    issues: ['users[0]: give only one of password, ha1, ha1Sha256 (found password and ha1)'],
  },
  {
    name: 'no password field',
    breakIt: (c) => { userAt(c, 0).password = undefined; },
    issues: ['users[0]: needs one of password, ha1, ha1Sha256'],
  },
  {
    name: 'minExpires greater than maxExpires',
    breakIt: (c) => { c.registrar.minExpires = 4000; },
    issues: ['registrar.minExpires: greater than maxExpires (4000 > 3600)'],
  },
  {
    name: 'defaultExpires outside min..max',
    breakIt: (c) => { c.registrar.defaultExpires = 30; },
    issues: ['registrar.defaultExpires: must be between minExpires and maxExpires (60..3600), got 30'],
  },
  {
    name: 'portMin greater than portMax',
    breakIt: (c) => { c.media.portMin = 30000; },
    issues: ['media.portMin: greater than portMax (30000 > 29999)'],
  },
  {
    name: 'a media range without an even/odd pair',
    breakIt: (c) => { c.media.portMin = 20001; c.media.portMax = 20002; },
    issues: ['media: port range 20001-20002 holds no even/odd port pair for RTP and RTCP'],
  },
  {
    name: 'two identical listeners',
    breakIt: (c) => { c.sip.listen.push({ transport: 'udp', host: '0.0.0.0', port: 5060 }); },
    issues: ['sip.listen[2]: duplicate of sip.listen[0]'],
  },
  {
    name: 'the admin port on a SIP TCP port',
    breakIt: (c) => { c.admin.port = 5060; },
    issues: ['admin.port: 5060 is also used by sip.listen[1]'],
  },
  {
    name: 'a feature code equal to another',
    breakIt: (c) => { c.featureCodes.pickup = '79'; },
    issues: ['featureCodes.queue[0]: code "79" is also featureCodes.pickup'],
  },
  {
    name: 'a feature code that begins another',
    breakIt: (c) => { c.featureCodes.queue = ['79', '885']; },
    issues: ['featureCodes.queue[1]: code "885" begins with featureCodes.pickup "88", so it would be read as that code'],
  },
  {
    name: 'a user extension that begins with a feature code',
    breakIt: (c) => { userAt(c, 4).extension = '881'; },
    issues: [
      'users[4].extension: "881" begins with feature code "88" (featureCodes.pickup), so dialling it would reach the feature',
    ],
  },
  {
    name: 'an extension that begins with a code once the prefix is applied',
    breakIt: (c) => { c.featureCodes.prefix = '9'; userAt(c, 4).extension = '9880'; },
    issues: [
      'users[4].extension: "9880" begins with feature code "988" (featureCodes.pickup), so dialling it would reach the feature',
    ],
  },
];
