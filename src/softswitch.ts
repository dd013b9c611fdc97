import type { AddressInfo } from 'node:net';
import { SipStack } from '../sip-stack/stack/sip-stack.js';
import { nativeScannerLoaded } from '../sip-stack/parser/native-scanner.js';
import type { Clock } from '../sip-stack/timers/clock.js';
import type { TimerConfig } from '../sip-stack/timers/timer-config.js';
import type { Endpoint, TransportProtocol } from '../sip-stack/transport/transport-types.js';
import type { Config } from './config/config-schema.js';
import { RequestAuthenticator } from './auth/request-authenticator.js';
import { CallRegistry } from './b2bua/call-registry.js';
import type { CallMedia } from './b2bua/call-media.js';
import { RelayMedia } from './b2bua/relay-media.js';
import { MediaRelay, NativeSocketFactory, type SocketFactory } from '../media-relay/index.js';
import { firstExternalIpv4 } from './host-address.js';
import type { CallContext } from './b2bua/call.js';
import { Dialplan } from './dialplan/dialplan.js';
import { type DispatcherParts, type FeatureHandler, InviteDispatcher } from './dialplan/invite-dispatcher.js';
import { PickupFeature } from './features/pickup.js';
import { DeviceSwitchFeature } from './features/device-switch.js';
import { QueueFeature } from './queues/queue-feature.js';
import { InCallCodes } from './features/in-call-codes.js';
import { DevicePush } from './features/device-push.js';
import { forwardAnswered } from './b2bua/in-dialog-relay.js';
import { effectiveCodes } from './config/feature-codes.js';
import { UserDirectory } from './directory/user-directory.js';
import { LocationService } from './registrar/location-service.js';
import { Registrar } from './registrar/registrar.js';
import { RegistrationStore } from './store/registration-store.js';
import { RequestRouter } from './request-router.js';
import type { Logger } from './logging/logger.js';
import { AdminServer } from './admin/admin-server.js';
import { adminSources } from './admin/admin-sources.js';
import { STACK_CAPABILITIES } from './stack-capabilities.js';

export interface SoftswitchOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly timers?: TimerConfig;
  readonly media?: CallMedia;
  /** Start the admin HTTP API (default true). */
  readonly admin?: boolean;
}

/** How often expired registrations are deleted from memory and the store. */
const PRUNE_INTERVAL_MS = 60_000;

/** The softswitch process: SIP stack, registrar, B2BUA and admin API over one configuration. */
export class Softswitch {
  readonly stack: SipStack;
  readonly calls = new CallRegistry();
  readonly location: LocationService;
  private readonly store: RegistrationStore | undefined;
  private readonly authenticator: RequestAuthenticator;
  private directory: UserDirectory;
  private dialplan: Dialplan;
  private config: Config;
  private admin: AdminServer | undefined;
  private adminAddress: AddressInfo | undefined;
  private accepting = true;
  private pruneTimer: NodeJS.Timeout | undefined;
  readonly dispatcher: InviteDispatcher;
  private readonly queues: QueueFeature;
  private readonly inCallCodes: InCallCodes;
  private relay: MediaRelay | undefined;

  constructor(private readonly options: SoftswitchOptions) {
    const { config, logger } = options;
    this.config = config;
    this.directory = new UserDirectory(config);
    this.dialplan = new Dialplan(config.featureCodes, this.directory);
    this.store = config.store.path === ':memory:' ? undefined : new RegistrationStore(
      config.store.path, (error) => logger.error({ err: error }, 'registration store write failed'),
    );
    this.location = new LocationService(this.store, Date.now);
    this.authenticator = new RequestAuthenticator({
      realm: config.sip.domain, algorithms: config.sip.authAlgorithms,
      credentials: (user) => this.directory.credentials(user),
    });
    const router = new RequestRouter({
      authenticator: this.authenticator,
      registrar: new Registrar(this.location, config.registrar, Date.now),
      directory: () => this.directory,
      calls: this.calls,
      invites: { handleInvite: (r, t, u) => this.dispatcher.handleInvite(r, t, u), handleCancel: (t) => this.dispatcher.handleCancel(t) },
      logger,
      accepting: () => this.accepting,
    });
    this.stack = new SipStack({
      listen: config.sip.listen.map((l) => ({ protocol: l.transport, host: l.host, port: l.port })),
      ...(config.sip.advertise ? { advertise: config.sip.advertise } : {}),
      capabilities: STACK_CAPABILITIES,
      user: router,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timers ? { timers: options.timers } : {}),
      onReject: (what, reason, source) => logger.debug({ what, reason, from: `${source.address}:${source.port}` }, 'refused'),
      onUserError: (error) => logger.error({ err: error }, 'error while handling a message'),
    });
    this.inCallCodes = this.createInCallCodes();
    this.queues = new QueueFeature({
      registry: this.calls, directory: () => this.directory, location: this.location,
      newCall: (request, tx, caller) => this.dispatcher.newCall(request, tx, caller),
    });
    this.dispatcher = new InviteDispatcher({
      ctx: this.callContext(options.media ?? this.relayMedia()),
      directory: () => this.directory,
      dialplan: () => this.dialplan,
      location: this.location,
      features: this.features(),
    });
  }

  private features(): DispatcherParts['features'] {
    const pickup = new PickupFeature({ registry: this.calls, directory: () => this.directory, config: () => this.config });
    const pick: FeatureHandler = (request, tx, caller, destination) => pickup.handle(request, tx, caller, destination);
    const deviceSwitch = new DeviceSwitchFeature({ registry: this.calls });
    const queues = this.queues;
    return {
      queue: (request, tx, caller, destination) => queues.handle(request, tx, caller, destination),
      'pickup-any': pick, 'pickup-extension': pick, 'pickup-group': pick, 'pickup-queue': pick,
      'switch-device': (request, tx, caller) => deviceSwitch.handle(request, tx, caller),
    };
  }

  /** `*5` pressed during a call rings the user's other devices (device switch, push). */
  private createInCallCodes(): InCallCodes {
    const push = new DevicePush({
      directory: () => this.directory, location: this.location,
      timeoutMs: () => this.config.featureCodes.switchTimeout * 1000,
    });
    const legOf = (callId: string, legId: string) => {
      const call = this.calls.get(callId);
      const leg = call?.legs.get(legId);
      return call && leg ? { call, leg } : undefined;
    };
    return new InCallCodes({
      clock: this.stack.clock,
      code: () => (this.config.featureCodes.inCallCodes ? effectiveCodes(this.config.featureCodes).switchDevice : undefined),
      watches: (callId, legId) => {
        const ref = legOf(callId, legId);
        return ref !== undefined && ref.call.state === 'answered' && ref.leg.state === 'answered'
          && this.directory.hasUser(ref.leg.identity.extension);
      },
      releaseEvents: (callId, legId, forward) => this.relay?.releaseHeldEvents(callId, legId, forward),
      forwardInfo: (callId, legId, info) => {
        const ref = legOf(callId, legId);
        if (ref) forwardAnswered(ref.call, ref.leg, info);
      },
      onCode: (callId, legId) => {
        const ref = legOf(callId, legId);
        if (ref) push.start(ref.call, ref.leg);
      },
    });
  }

  /** Our RTP relay, anchoring every call's media (DESIGN §2). */
  private relayMedia(): CallMedia {
    const { media, sip } = this.config;
    this.relay = new MediaRelay({
      bindAddress: '0.0.0.0',
      advertiseAddress: media.advertise ?? sip.advertise ?? firstExternalIpv4() ?? '127.0.0.1',
      portMin: media.portMin,
      portMax: media.portMax,
      timeoutMs: media.timeout * 1000,
      kernelSourceFilter: media.pinPeers,
      lingerMs: media.linger * 1000,
      sockets: this.relaySockets(media.forwarder),
      onTimeout: (callId) => this.calls.get(callId)?.end('no media'),
      shouldForwardEvent: (callId, legId, event, timestamp) => this.inCallCodes.eventVerdict(callId, legId, event, timestamp),
      onDigit: (callId, legId, digit) => this.inCallCodes.onDigit(callId, legId, digit),
    });
    return new RelayMedia(this.relay);
  }

  /** The native forwarder's sockets when chosen and built; undefined lets the relay use node:dgram. */
  private relaySockets(forwarder: 'native' | 'node'): SocketFactory | undefined {
    if (forwarder === 'node') return undefined;
    const sockets = NativeSocketFactory.create();
    if (sockets === undefined) {
      this.options.logger.warn('media.forwarder is native but the forwarder is not built (npm run build needs a C compiler and the Node.js headers): RTP goes through node:dgram');
    }
    return sockets;
  }

  private callContext(media: CallMedia): CallContext {
    return {
      signalling: this.stack,
      media,
      registry: this.calls,
      domain: this.config.sip.domain,
      logger: this.options.logger,
      onEnded: (call) => {
        this.queues.callEnded(call);
        for (const leg of call.legs.values()) this.inCallCodes.forget(call.id, leg.id);
      },
      interceptInfo: (call, leg, request) => this.inCallCodes.interceptInfo(call.id, leg.id, request),
    };
  }

  async start(): Promise<void> {
    const restored = this.location.restore();
    await this.stack.start();
    if (this.options.admin !== false) {
      this.admin = new AdminServer(adminSources(this));
      this.adminAddress = await this.admin.start(this.config.admin.host, this.config.admin.port);
    }
    this.pruneTimer = setInterval(() => this.location.prune(), PRUNE_INTERVAL_MS).unref();
    if (!nativeScannerLoaded()) {
      this.options.logger.warn('the SIP head scanner is not built (npm run build needs a C compiler and the Node.js headers): SIP heads are scanned in TypeScript');
    }
    this.options.logger.info({ restoredRegistrations: restored }, 'softswitch started');
  }

  /** SIGTERM: refuse new calls, end live ones with BYE, close sockets and the store. */
  async stop(): Promise<void> {
    this.accepting = false;
    for (const call of this.calls.all()) call.end('shutting down');
    clearInterval(this.pruneTimer);
    await this.admin?.stop();
    // Give the BYEs a moment on the wire before the sockets close.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await this.stack.stop();
    this.relay?.dispose();
    this.store?.close();
  }

  /** SIGHUP: new users, groups and queues apply to new calls; live calls are untouched. */
  reload(config: Config): void {
    this.config = config;
    this.directory = new UserDirectory(config);
    this.dialplan = new Dialplan(config.featureCodes, this.directory);
    this.authenticator.setCredentials((user) => this.directory.credentials(user));
  }

  get currentConfig(): Config {
    return this.config;
  }

  get users(): UserDirectory {
    return this.directory;
  }

  sipEndpoint(protocol: TransportProtocol): Endpoint {
    return this.stack.localEndpoint(protocol);
  }

  /** The RTP relay, when the switch anchors media itself. */
  get mediaRelay(): MediaRelay | undefined {
    return this.relay;
  }

  get adminEndpoint(): AddressInfo | undefined {
    return this.adminAddress;
  }
}
