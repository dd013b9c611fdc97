import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  UserAgent,
  type Core,
  type LogLevel,
  type Session,
} from 'sip.js';
import { Call } from './call.js';
import { rtpMediaHandlerFactory, type RtpMediaHandler, type RtpMediaOptions } from './rtp-media-handler.js';
import { UdpSipSocket, type SipAddress, type SipLogEntry } from './udp-sip-socket.js';
import { UdpSipTransport } from './udp-sip-transport.js';
import { bestEffort, waitFor, withTimeout } from './wait-for.js';

export { Call } from './call.js';
export type { CallState, CallTermination, InfoReceived, PartyIdentity } from './call.js';
export type { MediaStats } from './media-stats.js';
export type { CodecName } from './sdp-offer-answer.js';
export type { SipAddress, SipLogEntry } from './udp-sip-socket.js';

export interface PhoneOptions extends RtpMediaOptions {
  /** User part of the AOR; also the digest username and the Contact user unless overridden. */
  readonly user: string;
  readonly password?: string;
  /** Host part of the AOR and of dialled short numbers; the REGISTER Request-URI. */
  readonly domain: string;
  /**
   * Where every message goes (the softswitch): `{ host, port }` or `"host:port"`. May be set
   * later with {@link Phone.setServer}; signalling before that fails with a clear error.
   */
  readonly server?: SipAddress | string;
  readonly displayName?: string;
  /** A UUID: adds `+sip.instance` (RFC 5626 §4.1) to the Contact of every request and response. */
  readonly instanceId?: string;
  /** Adds `reg-id=<n>` to the REGISTER Contact (RFC 5626 outbound); needs instanceId. */
  readonly regId?: number;
  readonly authorizationUsername?: string;
  readonly contactUser?: string;
  /** Send 180 Ringing automatically for each incoming INVITE (default true). */
  readonly autoRing?: boolean;
  /** sip.js answers an unanswered incoming call with 480 after this long (default 120 s). */
  readonly noAnswerTimeoutSec?: number;
}

export interface CallOptions extends RtpMediaOptions {
  /** Play early media from a 183 with SDP (sip.js then refuses forked answers). Default false. */
  readonly earlyMedia?: boolean;
  /** Send the INVITE without an offer (the answerer offers in the 2xx, we answer in the ACK). */
  readonly withoutSdp?: boolean;
  /** Raw header lines added to the INVITE, e.g. `Alert-Info: <urn:x>`. */
  readonly extraHeaders?: string[];
}

export interface SipFilter {
  readonly direction?: 'in' | 'out';
  /** Request method. */
  readonly method?: string;
  /** Response status. */
  readonly status?: number;
  /** Method in CSeq (matches requests and their responses). */
  readonly cseqMethod?: string;
  readonly callId?: string;
}

const DEFAULT_TIMEOUT_MS = 5000;
const CLEANUP_STEP_MS = 1000;
const SIPJS_LOG_LIMIT = 500;

/**
 * A SIP phone for integration tests: sip.js's UserAgent over a UDP socket on loopback, with
 * real RTP media. Several phones (also several of one user) can share a process.
 *
 *   const alice = await Phone.create({ user: '100', password: 'pw', domain: 'pbx.test', server: sw.address });
 *   expect(await alice.register()).toBe(200);
 *   const call = await alice.call('101');
 *   const ringing = await bob.nextIncoming();
 *   await ringing.answer();
 *   await call.waitForState('established');
 *   await Promise.all([call.expectAudioFlowing(), ringing.expectAudioFlowing()]);
 *   await alice.close();
 */
export class Phone {
  readonly calls: Call[] = [];
  /** sip.js's own log at every level, newest last (500 lines kept); PHONE_DEBUG=1 also prints it. */
  readonly sipjsLog: string[] = [];
  readonly userAgent: UserAgent;
  private readonly incoming: Call[] = [];
  private readonly incomingWaiters: Array<{ resolve: (call: Call) => void; reject: (error: Error) => void }> = [];
  private readonly callBySession = new WeakMap<Session, Call>();
  private readonly handlers = new Set<RtpMediaHandler>();
  private registerer: Registerer | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly socket: UdpSipSocket,
    readonly options: PhoneOptions,
  ) {
    socket.server = options.server === undefined ? undefined : toSipAddress(options.server);
    this.userAgent = this.createUserAgent();
    // sip.js builds the Contact URI without a port; give it the socket's.
    this.userAgent.contact.uri.port = socket.address.port;
  }

  /** Bind a socket on 127.0.0.1 (port 0) and start a UserAgent on it. */
  static async create(options: PhoneOptions): Promise<Phone> {
    const socket = await UdpSipSocket.bind();
    try {
      const phone = new Phone(socket, options);
      await phone.userAgent.start();
      return phone;
    } catch (error) {
      await socket.close();
      throw error;
    }
  }

  get user(): string {
    return this.options.user;
  }

  /** `sip:<user>@<domain>` */
  get aor(): string {
    return `sip:${this.options.user}@${this.options.domain}`;
  }

  /** The phone's own SIP address (its socket). */
  get sipAddress(): SipAddress {
    return this.socket.address;
  }

  /** The Contact URI this phone registers, e.g. `sip:100@127.0.0.1:40123;transport=udp`. */
  get contactUri(): string {
    return this.userAgent.contact.uri.toString();
  }

  get instanceId(): string | undefined {
    return this.options.instanceId;
  }

  /** Every SIP message sent and received, raw, in order. */
  get sipLog(): readonly SipLogEntry[] {
    return this.socket.log;
  }

  /** The next incoming SIP message whose text `match` accepts is lost on the way in. */
  loseNextIncoming(match: (text: string) => boolean): void {
    this.socket.loseNext(match);
  }

  /** Messages lost on the way in (loseNextIncoming), as text. */
  get lostIncoming(): readonly string[] {
    return this.socket.lost;
  }

  get registered(): boolean {
    return this.registerer?.state === RegistererState.Registered;
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  setServer(server: SipAddress | string): void {
    this.socket.server = toSipAddress(server);
  }

  /**
   * REGISTER (sip.js answers a 401/407 digest challenge itself) and resolve with the final
   * status: 200, or the failure (e.g. 401 again or 403 after a wrong password). sip.js
   * refreshes the binding on its own until {@link unregister} or {@link close}.
   */
  async register(expires = 600, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
    this.requireServer('register');
    const registerer = this.registererFor(expires);
    return withTimeout(
      registerOutcome(registerer, (requestDelegate) => registerer.register({ requestDelegate }), true),
      timeoutMs,
      `the final response to ${this.user}'s REGISTER (expires ${expires})`,
    );
  }

  /** REGISTER with expires 0 for this phone's contact; resolves with the final status. */
  async unregister(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
    this.requireServer('unregister');
    const registerer = this.registererFor(undefined);
    return withTimeout(
      registerOutcome(registerer, (requestDelegate) => registerer.unregister({ requestDelegate }), false),
      timeoutMs,
      `the final response to ${this.user}'s un-REGISTER`,
    );
  }

  /**
   * Call `target` (an extension or feature code dialled at the phone's domain, or a full SIP
   * URI). Resolves once the INVITE is sent.
   */
  async call(target: string, options: CallOptions = {}): Promise<Call> {
    this.requireServer('call');
    const uri = UserAgent.makeURI(target.startsWith('sip:') ? target : `sip:${target}@${this.options.domain}`);
    if (!uri) throw new Error(`not a dialable target: ${target}`);
    const inviter = new Inviter(this.userAgent, uri, {
      earlyMedia: options.earlyMedia ?? false,
      inviteWithoutSdp: options.withoutSdp ?? false,
      extraHeaders: options.extraHeaders ?? [],
    });
    const call = this.track(inviter, {
      codecs: options.codecs ?? this.options.codecs,
      telephoneEvent: options.telephoneEvent ?? this.options.telephoneEvent,
    });
    await call.start();
    return call;
  }

  /**
   * The next incoming call not yet taken, in arrival order (ringing: 180 was sent). A call
   * taken late may already be over, e.g. CANCELled: check `state` / `termination`.
   */
  nextIncoming(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Call> {
    const queued = this.incoming.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closed) return Promise.reject(new Error(`phone ${this.user} is closed`));
    let waiter: { resolve: (call: Call) => void; reject: (error: Error) => void } | undefined;
    const arrival = new Promise<Call>((resolve, reject) => {
      waiter = { resolve, reject };
      this.incomingWaiters.push(waiter);
    });
    return withTimeout(arrival, timeoutMs, `an incoming call at ${this.user} (${this.contactUri})`).finally(() => {
      // A waiter that timed out must not swallow a later call.
      const index = waiter ? this.incomingWaiters.indexOf(waiter) : -1;
      if (index >= 0) this.incomingWaiters.splice(index, 1);
    });
  }

  /** SIP log entries matching every given field. */
  findSip(filter: SipFilter): SipLogEntry[] {
    return this.sipLog.filter((entry) => matches(entry, filter));
  }

  /** Wait for a SIP message matching `filter` (already logged ones count). */
  waitForSip(filter: SipFilter, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SipLogEntry> {
    return waitFor(() => this.findSip(filter)[0], {
      timeoutMs,
      what: `SIP message ${JSON.stringify(filter)} at ${this.user}`,
    });
  }

  /**
   * Unregister (best effort), end every call, stop sip.js and close all sockets. Each step is
   * bounded, so a peer that is already gone cannot stall a test's cleanup. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** @internal Number of sockets still open (SIP + RTP); 0 after close(). */
  get openSockets(): number {
    return (this.socket.closed ? 0 : 1) + [...this.handlers].filter((h) => !h.closed).length;
  }

  /** Without a server, sip.js would turn the send failure into a puzzling internal 503. */
  private requireServer(action: string): void {
    if (this.closed) throw new Error(`${action}: phone ${this.user} is closed`);
    if (!this.socket.server) throw new Error(`${action}: phone ${this.user} has no server address (setServer)`);
  }

  private createUserAgent(): UserAgent {
    const { options, socket } = this;
    const uri = UserAgent.makeURI(this.aor);
    if (!uri) throw new Error(`invalid user or domain: ${this.aor}`);
    const debug = process.env['PHONE_DEBUG'] === '1';
    return new UserAgent({
      uri,
      displayName: options.displayName,
      authorizationUsername: options.authorizationUsername ?? options.user,
      authorizationPassword: options.password,
      viaHost: socket.address.host,
      forceRport: true,
      contactName: options.contactUser ?? options.user,
      contactParams: { transport: 'udp' },
      instanceId: options.instanceId,
      instanceIdAlwaysAdded: options.instanceId !== undefined,
      transportConstructor: UdpSipTransport,
      transportOptions: { socket },
      sessionDescriptionHandlerFactory: rtpMediaHandlerFactory(
        (session) => this.callBySession.get(session)?.mediaOptions ?? this.options,
        (session, handler) => this.adoptHandler(session, handler),
      ),
      delegate: { onInvite: (invitation) => this.onInvite(invitation) },
      sendInitialProvisionalResponse: options.autoRing ?? true,
      noAnswerTimeout: options.noAnswerTimeoutSec ?? 120,
      gracefulShutdown: false, // close() does its own bounded shutdown
      userAgentString: 'softswitch-test-phone (sip.js)',
      logBuiltinEnabled: debug,
      logConfiguration: false,
      logLevel: debug ? 'debug' : 'warn',
      logConnector: (level, category, _label, content) => this.recordSipjsLog(level, category, content),
    });
  }

  private track(session: Inviter | Invitation, media: RtpMediaOptions): Call {
    const call = new Call(session, media, this.sipLog);
    this.callBySession.set(session, call);
    this.calls.push(call);
    return call;
  }

  private adoptHandler(session: Session, handler: RtpMediaHandler): void {
    this.handlers.add(handler);
    this.callBySession.get(session)?.attachMedia(handler);
    if (this.closed) handler.close();
  }

  private onInvite(invitation: Invitation): void {
    if (this.closed) {
      void invitation.reject({ statusCode: 480 });
      return;
    }
    const call = this.track(invitation, this.options);
    const waiter = this.incomingWaiters.shift();
    if (waiter) waiter.resolve(call);
    else this.incoming.push(call);
  }

  /** One Registerer for the phone's life: its Call-ID and CSeq then continue, as RFC 3261 §10.2 asks. */
  private registererFor(expires: number | undefined): Registerer {
    // instanceId is not handed to the Registerer: the UserAgent already adds +sip.instance to
    // every Contact (instanceIdAlwaysAdded), and the Registerer would add it a second time.
    const regId = this.options.regId;
    this.registerer ??= new Registerer(this.userAgent, {
      expires: expires ?? 600,
      extraContactHeaderParams: regId === undefined ? [] : [`reg-id=${regId}`],
      logConfiguration: false,
    });
    // sip.js fixes `expires` at construction; a later register(expires) reuses the registerer.
    if (expires !== undefined) Reflect.set(this.registerer, 'expires', expires);
    return this.registerer;
  }

  private async shutdown(): Promise<void> {
    for (const waiter of this.incomingWaiters.splice(0)) waiter.reject(new Error(`phone ${this.user} closed`));
    if (this.registered) await bestEffort(this.unregister(CLEANUP_STEP_MS), CLEANUP_STEP_MS);
    const live = this.calls.filter((call) => call.state !== 'terminated');
    await Promise.all(live.map((call) => bestEffort(call.hangup(CLEANUP_STEP_MS), CLEANUP_STEP_MS)));
    if (this.registerer) stopRefreshing(this.registerer);
    await bestEffort(this.userAgent.stop(), CLEANUP_STEP_MS);
    for (const handler of this.handlers) handler.close();
    await this.socket.close();
  }

  private recordSipjsLog(level: LogLevel, category: string, content: string): void {
    this.sipjsLog.push(`${level} ${category}: ${content}`);
    if (this.sipjsLog.length > SIPJS_LOG_LIMIT) this.sipjsLog.shift();
  }
}

type RegisterDelegate = Core.OutgoingRequestDelegate;

/**
 * The final status of one REGISTER exchange. sip.js reports it through the request delegate,
 * except when a 2xx lists no Contact equal to ours: it then drops the response and only moves
 * to Unregistered. That case fails here with an explanation instead of a timeout.
 */
function registerOutcome(
  registerer: Registerer,
  send: (delegate: RegisterDelegate) => Promise<unknown>,
  binding: boolean,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      registerer.stateChange.removeListener(onState);
      outcome();
    };
    const status = (response: Core.IncomingResponse): void => finish(() => resolve(response.message.statusCode ?? 0));
    const accepted = (response: Core.IncomingResponse): void => {
      const problem = binding ? contactsWithoutExpires(response.message) : undefined;
      if (problem === undefined) return status(response);
      stopRefreshing(registerer);
      finish(() => reject(new Error(problem)));
    };
    const onState = (state: RegistererState): void => {
      // sip.js changes state just before it calls the delegate: give the delegate its turn.
      setImmediate(() => {
        if (state === RegistererState.Registered) finish(() => resolve(200));
        if (state === RegistererState.Unregistered) {
          finish(() => reject(new Error('REGISTER got a response sip.js dropped (a 2xx whose Contact list lacks ours, with expires?)')));
        }
      });
    };
    registerer.stateChange.addListener(onState);
    send({ onAccept: accepted, onReject: status, onRedirect: status }).catch((error: unknown) => finish(() => reject(error)));
  });
}

/**
 * sip.js takes the binding's lifetime from our Contact's `expires` parameter only; without it
 * the lifetime is NaN and it re-REGISTERs in a tight loop. RFC 3261 §10.3 step 8 asks for it.
 */
function contactsWithoutExpires(response: Core.IncomingResponseMessage): string | undefined {
  const bare = response.getHeaders('contact').filter((contact) => !/;\s*expires\s*=/i.test(contact));
  if (bare.length === 0) return undefined;
  return `2xx to REGISTER lists Contact without ;expires= (${bare.join(', ')}); sip.js needs it`;
}

/** sip.js has no public way to stop re-REGISTER timers without sending an un-REGISTER. */
function stopRefreshing(registerer: Registerer): void {
  const clearTimers: unknown = Reflect.get(registerer, 'clearTimers');
  if (typeof clearTimers === 'function') clearTimers.call(registerer);
}

function toSipAddress(server: SipAddress | string): SipAddress {
  if (typeof server !== 'string') return server;
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(server.trim());
  if (match?.[1] === undefined || match[2] === undefined) throw new Error(`server must be "host:port", got ${server}`);
  return { host: match[1], port: Number(match[2]) };
}

function matches(entry: SipLogEntry, filter: SipFilter): boolean {
  return (
    (filter.direction === undefined || entry.direction === filter.direction) &&
    (filter.method === undefined || entry.method === filter.method.toUpperCase()) &&
    (filter.status === undefined || entry.status === filter.status) &&
    (filter.cseqMethod === undefined || entry.cseq?.method === filter.cseqMethod.toUpperCase()) &&
    (filter.callId === undefined || entry.callId === filter.callId)
  );
}
