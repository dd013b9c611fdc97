import { z } from 'zod';

/**
 * The configuration file format (DESIGN §3). Every section has defaults, so a file holding only
 * `users` is a working configuration; every object is strict, so a misspelt key is an error
 * rather than a silently ignored setting.
 */

const DIGITS = /^[0-9]+$/;

/** Fractions are allowed so tests can run with short timers. */
const seconds = z.number().positive();
/** 0 asks the OS for a free port, which tests rely on. */
const listenPort = z.number().int().min(0).max(65535);
const mediaPort = z.number().int().min(1).max(65535);
const nonEmpty = z.string().min(1);
const host = z.string().regex(/^\S+$/, 'must be a host name or address without spaces');

const extension = z.string().regex(DIGITS, 'must hold digits only');
const featureCode = z.string().regex(/^[0-9*#]+$/, 'must hold only digits, * and # (at least one)');

/** Group names are dialled after the pickup code, so all digits would read as an extension. */
const groupName = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, 'group names hold only letters, digits, _ and -')
  .refine((name) => !DIGITS.test(name), 'group names must not be all digits');

const listenSchema = z.strictObject({
  transport: z.enum(['udp', 'tcp']),
  host: host.default('0.0.0.0'),
  port: listenPort.default(5060),
});

const defaultListen = (): z.input<typeof listenSchema>[] => [
  { transport: 'udp', host: '0.0.0.0', port: 5060 },
  { transport: 'tcp', host: '0.0.0.0', port: 5060 },
];

const sipSchema = z.strictObject({
  domain: host.default('pbx.local'),
  listen: z.array(listenSchema).min(1).prefault(defaultListen),
  advertise: host.optional(),
  /**
   * Digest algorithms offered, one challenge each, in this order (RFC 8760). MD5 alone by
   * default: phones and SIP libraries (sip.js among them) read a single challenge, and abort on
   * SHA-256; add SHA-256 where every phone supports RFC 8760.
   */
  authAlgorithms: z.array(z.enum(['MD5', 'SHA-256'])).min(1).default(() => ['MD5' as const]),
});

const registrarSchema = z.strictObject({
  minExpires: z.number().int().min(1).default(60),
  maxExpires: z.number().int().min(1).default(3600),
  defaultExpires: z.number().int().min(1).default(600),
  maxContacts: z.number().int().min(1).default(10),
});

const mediaSchema = z.strictObject({
  advertise: host.optional(),
  portMin: mediaPort.default(20000),
  portMax: mediaPort.default(29999),
  timeout: seconds.default(30),
  /**
   * Connect each RTP socket to its phone once the phone's packets come from the address its SDP
   * names: the kernel then refuses everyone else, and forwarding costs less. Spray at such a port
   * is no longer counted as dropped. Phones behind NAT are never pinned.
   */
  pinPeers: z.boolean().default(true),
  /**
   * Seconds an ended call's relay ports keep forwarding before they close: the last RTP of a call
   * is still on its way when the BYE arrives, and a port that closes a moment later also keeps
   * the ended call's stragglers from reaching the next call on it. 0 closes at once.
   */
  linger: z.number().min(0).max(60).default(1),
  /**
   * Who forwards an established stream's RTP: `native`, the forwarder built with the switch
   * (a thread of its own reads the relay's sockets; JavaScript sees only what it must judge),
   * or `node`, node:dgram on the event loop. Where the forwarder was not built, `native` warns
   * and uses node:dgram.
   */
  forwarder: z.enum(['native', 'node']).default('native'),
});

const storeSchema = z.strictObject({ path: nonEmpty.default('./data/softswitch.db') });

const adminSchema = z.strictObject({
  host: host.default('127.0.0.1'),
  port: listenPort.default(8080),
});

const featureCodesSchema = z.strictObject({
  prefix: z.string().regex(/^[0-9*#]*$/, 'may hold only digits, * and #').default(''),
  pickup: featureCode.default('88'),
  /** The first is the code; the rest are aliases kept for phones set up on older systems. */
  queue: z.array(featureCode).min(1).default(() => ['79', '59']),
  switchDevice: featureCode.default('*5'),
  switchTimeout: seconds.default(20),
  /** Whether `*5` pressed during a call (RFC 4733 or SIP INFO) is acted on. */
  inCallCodes: z.boolean().default(true),
});

const pickupSchema = z.strictObject({
  selection: z.enum(['longest-ringing', 'random']).default('longest-ringing'),
});

const aclRuleSchema = z.strictObject({
  service: z.literal('pickup'),
  target: nonEmpty,
});

const aclGroupSchema = z.strictObject({
  name: nonEmpty,
  cannot: z.array(aclRuleSchema).default(() => []),
});

/** Credentials are all optional here; "exactly one" is a cross-field rule in the validator. */
const userSchema = z.strictObject({
  extension,
  name: nonEmpty,
  password: nonEmpty.optional(),
  ha1: z.string().regex(/^[0-9a-fA-F]{32}$/, 'must be 32 hex digits (MD5 of user:realm:password)').optional(),
  ha1Sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (SHA-256 of user:realm:password)')
    .optional(),
  aclGroup: nonEmpty.default('Default'),
  callGroups: z.array(groupName).default(() => []),
  pickupGroups: z.array(groupName).default(() => []),
  ringTimeout: seconds.default(30),
  staticContact: z.string().regex(/^sips?:\S+$/, 'must be a sip: or sips: URI').optional(),
});

const queueSchema = z.strictObject({
  id: z.number().int().min(0),
  name: nonEmpty,
  extension: extension.optional(),
  strategy: z.enum(['ring-all', 'round-robin', 'longest-idle', 'linear']).default('ring-all'),
  agents: z.array(extension).default(() => []),
  ringTimeout: seconds.default(15),
  retryPause: z.number().min(0).default(5),
  timeout: seconds.default(60),
  fallback: extension.optional(),
});

const loggingSchema = z.strictObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const configSchema = z.strictObject({
  sip: sipSchema.prefault({}),
  registrar: registrarSchema.prefault({}),
  media: mediaSchema.prefault({}),
  store: storeSchema.prefault({}),
  admin: adminSchema.prefault({}),
  featureCodes: featureCodesSchema.prefault({}),
  pickup: pickupSchema.prefault({}),
  aclGroups: z.array(aclGroupSchema).prefault(() => [{ name: 'Default' }]),
  users: z.array(userSchema).default(() => []),
  queues: z.array(queueSchema).default(() => []),
  logging: loggingSchema.prefault({}),
});

/** The resolved configuration: every default applied. */
export type Config = z.output<typeof configSchema>;
/** What a file may contain: every section and most fields optional. */
export type ConfigInput = z.input<typeof configSchema>;

export type ListenConfig = Config['sip']['listen'][number];
export type FeatureCodesConfig = Config['featureCodes'];
export type AclGroupConfig = Config['aclGroups'][number];
export type UserConfig = Config['users'][number];
export type QueueConfig = Config['queues'][number];
export type QueueStrategy = QueueConfig['strategy'];
export type PickupSelection = Config['pickup']['selection'];
