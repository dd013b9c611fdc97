import { Grammar, Invitation, Inviter, SessionState, type Bye, type Cancel, type Core, type Info } from 'sip.js';
import {
  identityOf,
  infoRecord,
  remoteEnd,
  type CallState,
  type CallTermination,
  type InfoReceived,
  type PartyIdentity,
} from './call-records.js';
import { emptyMediaStats, type MediaStats } from './media-stats.js';
import type { RtpMediaHandler, RtpMediaOptions, RtpSdhOptions } from './rtp-media-handler.js';
import { CODECS, commonCodecs, mediaAddress, parseRemoteAudio } from './sdp-offer-answer.js';
import { SipText } from './sip-text.js';
import type { SipLogEntry } from './udp-sip-socket.js';
import { waitFor, withTimeout } from './wait-for.js';

export type { CallState, CallTermination, InfoReceived, PartyIdentity } from './call-records.js';

const STATE_ORDER: readonly CallState[] = ['calling', 'ringing', 'early', 'established', 'terminated'];
const DEFAULT_TIMEOUT_MS = 5000;
/** "Audio flows" means this many packets (200 ms at 50 packets/s) arrive within the wait. */
const AUDIO_FLOWING_PACKETS = 10;
/** "Audio stopped" means no packet for this long (15 packet intervals). */
const AUDIO_QUIET_MS = 300;

/**
 * One call of a test phone, incoming or outgoing, over a sip.js Session. Every wait is
 * bounded and names what it waited for.
 */
export class Call {
  /** Final response: received (outgoing) or sent (incoming). */
  finalStatus: number | undefined;
  /** Outgoing: every response to the initial INVITE (provisional and final), in order. */
  readonly responses: SipText[] = [];
  readonly infoReceived: InfoReceived[] = [];
  /** Re-INVITEs received from the other side (hold, resume, re-pointing). */
  reinvitesReceived = 0;
  /** Protocol oddities seen on this call that can explain a media failure; shown in timeouts. */
  readonly warnings: string[] = [];
  private readonly reached = new Set<CallState>();
  private current: CallState;
  /** How the call ended, when known from an event; see {@link termination}. */
  private ending: CallTermination | undefined;
  private acceptResponse: Core.IncomingResponseMessage | undefined;
  /** Outgoing: the first SDP in a response, which sip.js treats as the answer for good. */
  private firstAnswer: { status: number; sdp: string } | undefined;
  private handler: RtpMediaHandler | undefined;

  constructor(
    readonly session: Inviter | Invitation,
    /** Codecs and telephone-event of this call's media. */
    readonly mediaOptions: RtpMediaOptions,
    private readonly sipLog: readonly SipLogEntry[],
  ) {
    this.current = session instanceof Invitation ? 'ringing' : 'calling';
    this.reached.add(this.current);
    session.delegate = {
      // A UAS is established once the ACK arrived: sip.js says so when it sends the 200, but a
      // re-INVITE sent before the ACK arrives makes it tear the call down (RFC 3261 §14.1).
      onAck: () => {
        if (this.direction === 'incoming') this.mark('established');
      },
      onBye: (bye) => this.onBye(bye),
      onCancel: (cancel) => this.onCancel(cancel),
      onInfo: (info) => this.onInfo(info),
      onInvite: () => {
        this.reinvitesReceived += 1;
      },
    };
    session.stateChange.addListener((state) => this.onSessionState(state));
  }

  get direction(): 'incoming' | 'outgoing' {
    return this.session instanceof Invitation ? 'incoming' : 'outgoing';
  }

  get state(): CallState {
    return this.current;
  }

  get callId(): string {
    return this.session.request.callId;
  }

  /**
   * How the call ended (undefined while it lasts). A CANCEL or BYE that sip.js handled before
   * this handle existed is still found, in the phone's SIP log.
   */
  get termination(): CallTermination | undefined {
    if (this.ending) return this.ending;
    if (this.current !== 'terminated') return undefined;
    const received = this.sipLog.find(
      (e) => e.direction === 'in' && e.callId === this.callId && (e.method === 'BYE' || e.method === 'CANCEL'),
    );
    if (received?.method === 'BYE' || received?.method === 'CANCEL') {
      return { by: 'remote', method: received.method, request: received, reason: received.header('reason') };
    }
    const status = this.finalStatus;
    return status !== undefined && status >= 300 && this.direction === 'outgoing' ? { by: 'remote', status } : { by: 'local' };
  }

  /** Incoming: the INVITE as received. */
  get inviteRequest(): SipText | undefined {
    return this.session instanceof Invitation ? new SipText(this.session.request.data) : undefined;
  }

  /**
   * The other party: for an incoming call the INVITE's From; for an outgoing call the 2xx's
   * P-Asserted-Identity if present, else its To (before the answer: the INVITE's To).
   */
  get remoteIdentity(): PartyIdentity {
    if (this.session instanceof Invitation) return identityOf(this.session.remoteIdentity);
    const response = this.acceptResponse;
    const asserted = response?.getHeader('P-Asserted-Identity');
    const parsed = asserted === undefined ? undefined : Grammar.nameAddrHeaderParse(asserted);
    return identityOf(parsed ?? response?.to ?? this.session.remoteIdentity);
  }

  /** Live media counters (an empty, detached set until media exists). */
  get media(): MediaStats {
    return this.handler?.stats ?? emptyMediaStats();
  }

  get mediaHandler(): RtpMediaHandler | undefined {
    return this.handler;
  }

  /** Only the DTMF digits received by SIP INFO, in order. */
  get dtmfInfoReceived(): string[] {
    return this.infoReceived.flatMap((info) => (info.signal === undefined ? [] : [info.signal]));
  }

  /** @internal The phone's SDH factory hands over the handler it made for this call. */
  attachMedia(handler: RtpMediaHandler): void {
    this.handler = handler;
  }

  /** @internal Send the initial INVITE (outgoing calls). */
  async start(): Promise<void> {
    if (!(this.session instanceof Inviter)) throw new Error('start() is for outgoing calls');
    await this.session.invite({
      requestDelegate: {
        onTrying: (response) => this.responses.push(new SipText(response.message.data)),
        onProgress: (response) => this.onProgress(response.message),
        onAccept: (response) => this.onFinal(response.message),
        onReject: (response) => this.onFinal(response.message),
        onRedirect: (response) => this.onFinal(response.message),
      },
    });
  }

  /** Incoming: send another provisional response (e.g. 183, which carries an SDP answer: early media). */
  async progress(statusCode = 180): Promise<void> {
    await this.invitation('progress').progress({ statusCode });
    if (statusCode === 183) this.mark('early');
  }

  /**
   * Incoming: answer with 200 (488 instead, and an error, if the offer has no codec we have).
   * `extraHeaders` are raw lines added to the 200, e.g. `P-Asserted-Identity: <sip:101@pbx.local>`.
   */
  async answer(timeoutMs = DEFAULT_TIMEOUT_MS, extraHeaders: string[] = []): Promise<void> {
    const invitation = this.invitation('answer');
    const mismatch = this.codecMismatch(invitation.body);
    if (mismatch) {
      await this.reject(488);
      throw new Error(`answer: ${mismatch}; rejected with 488`);
    }
    this.finalStatus = 200;
    await withTimeout(invitation.accept({ extraHeaders }), timeoutMs, 'the 200 OK to be sent');
    await this.waitForState('established', timeoutMs); // i.e. the ACK arrived
  }

  /** Incoming: reject with a final status (default 486 Busy Here). */
  async reject(status = 486): Promise<void> {
    const invitation = this.invitation('reject');
    this.finalStatus = status;
    this.ending = { by: 'local', status };
    await invitation.reject({ statusCode: status });
  }

  /**
   * End the call: CANCEL (outgoing, unanswered), 486 (incoming, unanswered) or BYE (answered).
   * Resolves once the call is terminated and, for BYE, once the BYE was answered.
   * `reason` becomes a Reason header on the CANCEL or BYE (e.g. `SIP;cause=200;text="Call completed elsewhere"`).
   */
  async hangup(timeoutMs = DEFAULT_TIMEOUT_MS, reason?: string): Promise<void> {
    if (this.current === 'terminated') return;
    const extraHeaders = reason === undefined ? [] : [`Reason: ${reason}`];
    if (this.session.state === SessionState.Established) return this.sendBye(timeoutMs, reason, extraHeaders);
    if (this.session instanceof Invitation) return this.reject(486);
    this.ending = { by: 'local', method: 'CANCEL', reason };
    // sip.js holds the CANCEL back until a provisional response arrived (RFC 3261 §9.1).
    await this.session.cancel({ extraHeaders });
    await this.waitForState('terminated', timeoutMs);
  }

  /** Put the other side on hold by re-INVITE (`a=sendonly`, or `a=inactive`). */
  hold(direction: 'sendonly' | 'inactive' = 'sendonly', timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return this.reinvite({ hold: true, holdDirection: direction }, `hold re-INVITE (${direction})`, timeoutMs);
  }

  unhold(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return this.reinvite({ hold: false }, 'resume re-INVITE (sendrecv)', timeoutMs);
  }

  /** Send one digit as RFC 4733 events; resolves when the last end packet is on the wire. */
  async sendDtmfRfc4733(digit: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    const handler = this.handler;
    if (!handler) throw new Error('sendDtmfRfc4733: the call has no media yet');
    await withTimeout(handler.queueDtmf(digit), timeoutMs, `RFC 4733 events for ${digit} to be sent`);
  }

  /** Send one digit by SIP INFO (application/dtmf-relay); resolves with the 2xx status. */
  sendDtmfInfo(digit: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
    const content = `Signal=${digit}\r\nDuration=160\r\n`;
    const body = { contentDisposition: 'render', contentType: 'application/dtmf-relay', content };
    const answered = new Promise<number>((resolve, reject) => {
      const settle = (response: Core.IncomingResponse): void => {
        const status = response.message.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(status);
        else reject(new Error(`INFO ${digit} answered ${status}`));
      };
      this.session
        .info({ requestOptions: { body }, requestDelegate: { onAccept: settle, onReject: settle } })
        .catch(reject);
    });
    return withTimeout(answered, timeoutMs, `the response to INFO (DTMF ${digit})`);
  }

  /**
   * Wait until the call reaches `state` (or has reached it before). Fails at once when it can
   * no longer get there: terminated first, or established without ever ringing.
   */
  async waitForState(state: CallState, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await waitFor(
      () => {
        if (this.reached.has(state)) return true;
        const tooLate = state === 'ringing' || state === 'early' ? this.reached.has('established') : false;
        if (this.reached.has('terminated') || tooLate) {
          throw new Error(`call ${this.describe()} is ${this.current}, it will not become ${state}`);
        }
        return false;
      },
      { timeoutMs, what: `call ${this.describe()} to become ${state} (now ${this.current})` },
    );
  }

  /** Resolve once `packets` new RTP packets arrive after this call: audio flows right now. */
  async expectAudioFlowing(timeoutMs = DEFAULT_TIMEOUT_MS, packets = AUDIO_FLOWING_PACKETS): Promise<void> {
    const baseline = this.media.received;
    await waitFor(() => this.media.received - baseline >= packets, {
      timeoutMs,
      what: `${packets} RTP packets on call ${this.describe()} (got ${this.media.received - baseline})`,
    });
  }

  /** Resolve once no RTP has arrived for `quietMs`: the other side stopped sending. */
  async expectAudioStopped(timeoutMs = DEFAULT_TIMEOUT_MS, quietMs = AUDIO_QUIET_MS): Promise<void> {
    await waitFor(() => Date.now() - (this.media.lastReceivedAt ?? 0) >= quietMs, {
      timeoutMs,
      what: `RTP to stop on call ${this.describe()} (${quietMs} ms without a packet)`,
    });
  }

  /** Resolve once the received RFC 4733 digits contain `digits`. */
  async waitForDtmf(digits: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await waitFor(() => this.media.dtmfReceived.join('').includes(digits), {
      timeoutMs,
      what: `RFC 4733 DTMF "${digits}" on call ${this.describe()} (got "${this.media.dtmfReceived.join('')}")`,
    });
  }

  /** Resolve once the digits received by SIP INFO contain `digits`. */
  async waitForInfoDtmf(digits: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await waitFor(() => this.dtmfInfoReceived.join('').includes(digits), {
      timeoutMs,
      what: `INFO DTMF "${digits}" on call ${this.describe()} (got "${this.dtmfInfoReceived.join('')}")`,
    });
  }

  /** "outgoing to 101 (Call-ID …)", plus any warnings, for error messages. */
  describe(): string {
    const toOrFrom = this.direction === 'incoming' ? 'from' : 'to';
    const warnings = this.warnings.length === 0 ? '' : `; warnings: ${this.warnings.join('; ')}`;
    return `${this.direction} ${toOrFrom} ${this.remoteIdentity.user ?? this.remoteIdentity.uri} (Call-ID ${this.callId}${warnings})`;
  }

  private invitation(action: string): Invitation {
    if (!(this.session instanceof Invitation)) throw new Error(`${action}() is for incoming calls`);
    return this.session;
  }

  private codecMismatch(offer: string | undefined): string | undefined {
    if (!offer?.trim()) return undefined; // no offer: we offer in the 200
    const ours = (this.mediaOptions.codecs ?? ['PCMU']).map((name) => CODECS[name]);
    const offered = parseRemoteAudio(offer).codecs;
    if (commonCodecs(offered, ours).length > 0) return undefined;
    return `no common codec (offered ${offered.map((c) => c.name).join(',') || 'none'})`;
  }

  private async sendBye(timeoutMs: number, reason: string | undefined, extraHeaders: string[]): Promise<void> {
    this.ending = { by: 'local', method: 'BYE', reason };
    const answered = new Promise<void>((resolve, reject) => {
      const done = (): void => resolve();
      this.session
        .bye({ requestDelegate: { onAccept: done, onReject: done }, requestOptions: { extraHeaders } })
        .catch(reject);
    });
    await withTimeout(answered, timeoutMs, `the response to BYE on call ${this.describe()}`);
  }

  private reinvite(options: RtpSdhOptions, what: string, timeoutMs: number): Promise<void> {
    const answered = new Promise<void>((resolve, reject) => {
      this.session
        .invite({
          sessionDescriptionHandlerOptions: options,
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (response) => reject(new Error(`${what} answered ${response.message.statusCode ?? '?'}`)),
          },
        })
        .catch(reject);
    });
    return withTimeout(answered, timeoutMs, `the 2xx to the ${what}`);
  }

  private onProgress(message: Core.IncomingResponseMessage): void {
    this.responses.push(new SipText(message.data));
    const status = message.statusCode ?? 0;
    if (status < 180) return;
    this.mark('ringing');
    if (message.body.trim() === '') return;
    this.mark('early');
    this.firstAnswer ??= { status, sdp: message.body };
  }

  private onFinal(message: Core.IncomingResponseMessage): void {
    this.responses.push(new SipText(message.data));
    const status = message.statusCode;
    this.finalStatus = status;
    if (status !== undefined && status >= 200 && status < 300) {
      this.acceptResponse = message;
      this.checkAnswerUnchanged(status, message.body);
      // sip.js reports Established before this delegate runs; wait for both, so that
      // remoteIdentity is final once the call is seen established.
      if (this.session.state === SessionState.Established) this.mark('established');
      return;
    }
    this.ending = this.ending ? { ...this.ending, status } : { by: 'remote', status };
  }

  /**
   * RFC 3261 §13.2.1: the first SDP in a response is the answer and later ones MUST be ignored,
   * which sip.js does. A 2xx whose media differs from an earlier 18x therefore changes nothing
   * here: worth a warning, since the far end probably expects the new address to be used.
   */
  private checkAnswerUnchanged(status: number, sdp: string): void {
    const first = this.firstAnswer;
    if (!first || sdp.trim() === '') return;
    const before = mediaAddress(first.sdp);
    const now = mediaAddress(sdp);
    if (before === now) return;
    this.warnings.push(
      `the ${status} carries media ${now} but the ${first.status} answered ${before}; sip.js keeps the first ` +
        'answer (RFC 3261 §13.2.1), so RTP still goes to the first address',
    );
  }

  private onBye(bye: Bye): void {
    this.ending = remoteEnd('BYE', bye.request);
    void bye.accept();
  }

  private onCancel(cancel: Cancel): void {
    this.ending = remoteEnd('CANCEL', cancel.request);
    this.finalStatus = 487;
  }

  private onInfo(info: Info): void {
    this.infoReceived.push(infoRecord(info.request));
    void info.accept();
  }

  private onSessionState(state: SessionState): void {
    if (state === SessionState.Established && this.acceptResponse !== undefined) this.mark('established');
    if (state === SessionState.Terminated) this.mark('terminated');
  }

  /** Record a state; the current state only moves forward (a late 180 does not undo 183). */
  private mark(state: CallState): void {
    this.reached.add(state);
    if (STATE_ORDER.indexOf(state) > STATE_ORDER.indexOf(this.current)) this.current = state;
  }
}
