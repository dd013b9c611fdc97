import { Document, isCollection, isMap, isScalar, type Node } from 'yaml';
import type { Config, UserConfig } from './config-schema.js';

/**
 * The built-in default (DESIGN §3): a small office that works out of the box. Users 100-105,
 * the call groups `sales` and `support`, queue 10 (extension 700) staffed by 100 and 101, and a
 * lobby phone whose ACL group may not pick up the office's calls. Frozen: `loadConfig()` gives
 * a copy that may be changed.
 */
export const defaultConfig: Config = deepFreeze({
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
  aclGroups: [
    { name: 'Default', cannot: [] },
    { name: 'Lobby', cannot: [{ service: 'pickup', target: 'Default' }] },
  ],
  users: [
    user('100', 'Alice', 'alice-100', ['support'], ['support']),
    user('101', 'Bob', 'bob-101', ['support'], ['support']),
    user('102', 'Carol', 'carol-102', ['sales'], ['sales']),
    user('103', 'Dave', 'dave-103', ['sales'], ['sales', 'support']),
    user('104', 'Erin', 'erin-104', [], []),
    { ...user('105', 'Lobby', 'lobby-105', [], []), aclGroup: 'Lobby' },
  ],
  queues: [
    {
      id: 10,
      name: 'Support',
      extension: '700',
      strategy: 'ring-all',
      agents: ['100', '101'],
      ringTimeout: 15,
      retryPause: 5,
      timeout: 60,
    },
  ],
  logging: { level: 'info' },
});

function user(extension: string, name: string, password: string, callGroups: string[], pickupGroups: string[]): UserConfig {
  return { extension, name, password, aclGroup: 'Default', callGroups, pickupGroups, ringTimeout: 30 };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const HEADER = [
  ' softswitch configuration: the built-in default, a small office.',
  ' Every section may be left out; omitted values take the defaults shown here.',
  ' Check a file with: npx softswitch check-config my.yaml',
].join('\n');

/** Comments for the dump: a scalar gets it at the end of its line, a collection above its key. */
const COMMENTS: readonly (readonly [readonly (string | number)[], string])[] = [
  [['sip', 'domain'], ' realm of digest auth, host of our URIs'],
  [['sip'], ' optional "advertise: <address>" under sip sets the address put in Via/Contact'],
  [['media'], ' optional "advertise: <address>" sets the c= address in SDP; default: first non-internal IPv4'],
  [['media', 'timeout'], ' seconds without RTP before a call is torn down'],
  [['media', 'pinPeers'], ' connect RTP sockets to their phone once latched: the kernel drops other senders'],
  [['media', 'forwarder'], ' native: RTP of established calls forwarded by its own thread; node: through node:dgram'],
  [['media', 'linger'], ' seconds an ended call\'s ports still forward the RTP that was on its way at BYE'],
  [['store', 'path'], ' ":memory:" keeps nothing'],
  [['featureCodes', 'prefix'], ' prepended to every code that does not start with * or #'],
  [['featureCodes', 'queue'], ' the first is the code; the rest are accepted aliases'],
  [['featureCodes', 'switchDevice'], ' move my active call to the phone I dial this from'],
  [['featureCodes', 'switchTimeout'], ' seconds my other phones ring when I press the code during a call'],
  [['pickup', 'selection'], ' or: random'],
  [['aclGroups'], ' a Lobby phone may not pick up calls ringing at Default users'],
  [['users'], ' each user: password, ha1 or ha1Sha256; optional staticContact: sip:<host>:<port>'],
  [['queues'], ' numbered call groups; 79<id> always reaches one, extension is optional'],
  [['queues', 0, 'strategy'], ' ring-all | round-robin | longest-idle | linear'],
  [['queues', 0, 'ringTimeout'], ' seconds per round'],
  [['queues', 0, 'retryPause'], ' seconds between rounds'],
  [['queues', 0, 'timeout'], ' then the caller gets 480, or add fallback: "<extension>"'],
];

/** Small mappings and lists of names read best on one line, as in DESIGN §3. */
const FLOW = [
  ['registrar'],
  ['admin'],
  ['logging'],
  ['featureCodes', 'queue'],
  ['aclGroups', 0],
  ['aclGroups', 1],
];

/** The built-in default as a commented YAML file, for `softswitch` to dump as a starting point. */
export function defaultConfigYaml(): string {
  const doc = new Document(defaultConfig);
  doc.commentBefore = HEADER;
  const flowPaths = [...FLOW, ...perEntryFlowPaths()];
  flowPaths.forEach((path) => setFlow(doc, path));
  COMMENTS.forEach(([path, comment]) => addComment(doc, path, comment));
  return doc.toString();
}

function perEntryFlowPaths(): (string | number)[][] {
  return [
    ...defaultConfig.sip.listen.map((_, i) => ['sip', 'listen', i]),
    ...defaultConfig.users.flatMap((_, i) => [['users', i, 'callGroups'], ['users', i, 'pickupGroups']]),
    ...defaultConfig.queues.map((_, i) => ['queues', i, 'agents']),
  ];
}

function setFlow(doc: Document, path: readonly (string | number)[]): void {
  const node = doc.getIn(path, true);
  if (isCollection(node)) node.flow = true;
}

function addComment(doc: Document, path: readonly (string | number)[], comment: string): void {
  const node = doc.getIn(path, true);
  if (isScalar(node)) {
    node.comment = comment;
    return;
  }
  const key = keyNode(doc, path);
  if (key) key.commentBefore = comment;
}

function keyNode(doc: Document, path: readonly (string | number)[]): Node | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path.at(-1));
  return isScalar(pair?.key) ? pair.key : undefined;
}
