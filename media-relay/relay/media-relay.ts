import type { DtmfDigit } from '../rtp/dtmf-digit.js';
import { RtpPacket } from '../rtp/rtp-packet.js';
import { TelephoneEvent } from '../rtp/telephone-event.js';
import { describeSession } from '../sdp/describe-sdp.js';
import { parseSdp } from '../sdp/parse-sdp.js';
import { SdpError } from '../sdp/sdp-error.js';
import { SdpOrigin } from '../sdp/sdp-origin.js';
import {
  negotiateAnswer, negotiateOffer, repointLeg,
  type AnswerResult, type OfferResult, type ReceivedSdp, type RepointResult,
} from './call-negotiation.js';
import type { Clock } from './clock.js';
import { failure, type Failure } from './media-relay-error.js';
import { isCallSilent, MediaTimeoutSweeper } from './media-timeout.js';
import { LingeringCalls } from './lingering-calls.js';
import { PortAllocator } from './port-allocator.js';
import { RelayCall, type CallContext } from './relay-call.js';
import type { SocketFactory } from './relay-socket.js';
import { legStats, type CallStats } from './relay-stats.js';
import type { EventVerdict, StreamHooks, StreamOwner } from './stream-hooks.js';
import { systemClock } from './system-clock.js';
import { UdpSocketFactory } from './udp-socket-factory.js';

export interface MediaRelayOptions {
  /** Address the relay's sockets bind to. */
  readonly bindAddress: string;
  /** Address written into SDP (c=, o=, a=rtcp); default bindAddress. */
  readonly advertiseAddress?: string;
  readonly portMin: number;
  readonly portMax: number;
  /** No RTP from a bridged, not-held leg for this long calls onTimeout; 0 or absent: never. */
  readonly timeoutMs?: number;
  /** How often silence is checked; default timeoutMs / 4, between 10 ms and 1 s. */
  readonly sweepIntervalMs?: number;
  readonly clock?: Clock;
  /** Default: real UDP sockets. */
  readonly sockets?: SocketFactory;
  /**
   * Once a phone sends from the address and port its SDP names, connect the RTP socket facing it
   * to that source: the kernel then refuses every other source (those packets never reach the
   * relay, so `dropped` does not count them) and each send skips the route lookup, which makes
   * forwarding cheaper. Phones behind NAT are not pinned, since their SDP source may re-latch.
   * Default false.
   */
  readonly kernelSourceFilter?: boolean;
  /**
   * How long an ended call's ports keep forwarding before they close (rtpengine calls this its
   * delete delay): packets already on their way when the BYE arrives still reach the other
   * phone. Default 0: delete() closes at once.
   */
  readonly lingerMs?: number;
  /** o= username of the SDP the relay writes; default '-'. */
  readonly originUsername?: string;
  /** A key pressed on leg `legId`'s phone, from RFC 4733 telephone-events; reported once per press. */
  readonly onDigit?: (callId: string, legId: string, digit: DtmfDigit) => void;
  /** Called once per silence; the owner normally hangs up and delete()s the call. */
  readonly onTimeout?: (callId: string) => void;
  /** Returning false drops a telephone-event packet instead of forwarding it (e.g. to hide `*`). */
  /** Called for every telephone-event packet; `timestamp` tells packets of one key press apart. */
  readonly shouldForwardEvent?: (callId: string, legId: string, event: number, timestamp: number) => EventVerdict;
}

export interface OfferOptions {
  /**
   * The leg this offer goes to. Each named leg gets its own relay ports, so forked branches
   * never share a latch. Default: the offerer's bridged peer, else a placeholder leg that the
   * first answer from an unknown leg adopts.
   */
  readonly toLegId?: string;
}

export interface RelayResources {
  readonly calls: number;
  readonly portPairsInUse: number;
  readonly openSockets: number;
  readonly timers: number;
}

/**
 * Anchors every call's media, with rtpengine's control model: offer/answer/delete, plus repoint
 * to hand a leg to another phone. The SDP an operation returns is for the *other* party and
 * points at the relay ports that face that party, exactly like rtpengine's offer (from-tag in,
 * SDP for the callee out, callee-facing ports) and answer (to-tag in, SDP for the caller out).
 * Failures are results (MediaRelayError), never throws.
 */
export class MediaRelay {
  private readonly calls = new Map<string, RelayCall>();
  private readonly allocator: PortAllocator;
  private readonly sockets: SocketFactory;
  private readonly context: CallContext;
  private readonly sweeper: MediaTimeoutSweeper;
  private readonly lingering: LingeringCalls;
  private disposed = false;

  constructor(private readonly options: MediaRelayOptions) {
    this.allocator = new PortAllocator(options.portMin, options.portMax);
    this.sockets = options.sockets ?? new UdpSocketFactory();
    const clock = options.clock ?? systemClock;
    const advertiseAddress = options.advertiseAddress ?? options.bindAddress;
    const hooks = this.streamHooks(clock);
    this.context = {
      hooks,
      advertiseAddress,
      newOrigin: () => new SdpOrigin({ username: options.originUsername, address: advertiseAddress }),
    };
    const timeoutMs = options.timeoutMs ?? 0;
    const interval = options.sweepIntervalMs ?? Math.min(1000, Math.max(10, timeoutMs / 4));
    this.lingering = new LingeringCalls(clock, options.lingerMs ?? 0);
    this.sweeper = new MediaTimeoutSweeper(clock, interval, (now) => this.sweep(now, timeoutMs), () => timeoutMs > 0 && this.calls.size > 0);
  }

  /** An SDP offer from leg `legId`'s phone; returns the SDP to send on to the leg it is for. */
  offer(callId: string, legId: string, sdp: string, options: OfferOptions = {}): Promise<OfferResult> {
    return this.operate(callId, sdp, true, (call, received) => negotiateOffer(call, legId, received, options.toLegId));
  }

  /** The SDP answer from leg `legId`'s phone; returns the SDP to send back to the offerer. */
  answer(callId: string, legId: string, sdp: string): Promise<AnswerResult> {
    return this.operate(callId, sdp, false, (call, received) => negotiateAnswer(call, legId, received));
  }

  /** Leg `legId` now belongs to the phone that sent `sdp`; returns the SDP for that phone. */
  repoint(callId: string, legId: string, sdp: string): Promise<RepointResult> {
    return this.operate(callId, sdp, false, (call, received) => repointLeg(call, legId, received));
  }

  /** Releases one leg's ports, e.g. a forked branch that lost; idempotent. */
  /**
   * Sends on (`forward`) or forgets the telephone-event packets a `hold` verdict kept back from
   * leg `legId`'s phone; returns how many there were.
   */
  releaseHeldEvents(callId: string, legId: string, forward: boolean): number {
    const leg = this.calls.get(callId)?.legs.get(legId);
    let count = 0;
    for (const stream of leg?.streams ?? []) count += stream?.releaseHeld(forward) ?? 0;
    return count;
  }

  deleteLeg(callId: string, legId: string): void {
    this.calls.get(callId)?.deleteLeg(legId);
  }

  /**
   * Ends the call: it is forgotten at once, and its sockets close and its ports return after
   * `lingerMs`; idempotent.
   */
  delete(callId: string): void {
    const call = this.calls.get(callId);
    if (call === undefined) return;
    this.calls.delete(callId);
    if ((this.options.lingerMs ?? 0) > 0 && call.legs.size > 0) this.lingering.add(call);
    else call.close();
    if (this.calls.size === 0) this.sweeper.stop();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const call of this.calls.values()) call.close();
    this.calls.clear();
    this.lingering.closeAll();
    this.sweeper.stop();
  }

  stats(callId: string): CallStats | undefined {
    const call = this.calls.get(callId);
    return call === undefined ? undefined : { callId, legs: [...call.legs.values()].map(legStats) };
  }

  /** Datagrams dropped before the relay's code saw them (the native forwarder's queue was full). */
  droppedHandoffs(): number {
    return this.sockets.droppedHandoffs ?? 0;
  }

  /** Whether the sockets stopped being read (the native forwarder's thread failed): calls have no audio. */
  socketsFailed(): boolean {
    return this.sockets.failed ?? false;
  }

  resources(): RelayResources {
    return {
      calls: this.calls.size,
      portPairsInUse: this.allocator.inUse,
      openSockets: this.sockets.openCount,
      timers: (this.sweeper.active ? 1 : 0) + (this.lingering.timerActive ? 1 : 0),
    };
  }

  private async operate<T>(
    callId: string,
    sdp: string,
    create: boolean,
    operation: (call: RelayCall, received: ReceivedSdp) => Promise<T | Failure>,
  ): Promise<T | Failure> {
    if (this.disposed) return failure('disposed', 'the media relay is disposed');
    const session = parseSdp(sdp);
    if (session instanceof SdpError) return failure('malformed-sdp', session.reason);
    const received: ReceivedSdp = { text: sdp, session, summary: describeSession(session) };
    const call = this.calls.get(callId) ?? (create ? this.addCall(callId) : undefined);
    if (call === undefined) return failure('unknown-call', `no call ${callId}`);
    const result = await call.serialize(() => (call.closed || call.ended ? Promise.resolve(failure('call-deleted', 'the call was deleted')) : operation(call, received)));
    this.dropIfEmpty(call);
    return result;
  }

  private addCall(callId: string): RelayCall {
    const call = new RelayCall(callId, this.context);
    this.calls.set(callId, call);
    this.sweeper.ensureRunning();
    return call;
  }

  /** A failed first offer leaves a call without legs: forget it, so nothing lingers. */
  private dropIfEmpty(call: RelayCall): void {
    if (!call.closed && call.legs.size === 0 && this.calls.get(call.id) === call) this.delete(call.id);
  }

  private sweep(now: number, timeoutMs: number): void {
    for (const call of this.calls.values()) {
      if (!isCallSilent(call, now, timeoutMs)) continue;
      call.timedOut = true;
      this.report(() => this.options.onTimeout?.(call.id));
    }
  }

  private streamHooks(clock: Clock): StreamHooks {
    return {
      clock,
      allocator: this.allocator,
      sockets: this.sockets,
      bindAddress: this.options.bindAddress,
      kernelSourceFilter: this.options.kernelSourceFilter ?? false,
      advertiseAddress: this.options.advertiseAddress ?? this.options.bindAddress,
      rtp: new RtpPacket(),
      event: new TelephoneEvent(),
      reclaimPorts: () => this.lingering.closeOldest(),
      onDigit: (owner: StreamOwner, digit: DtmfDigit) => this.report(() => this.options.onDigit?.(owner.callId, owner.id, digit)),
      shouldForwardEvent: (owner: StreamOwner, event: number, timestamp: number) => {
        const filter = this.options.shouldForwardEvent;
        let forward: EventVerdict = true;
        if (filter !== undefined) this.report(() => { forward = filter(owner.callId, owner.id, event, timestamp); });
        return forward;
      },
    };
  }

  /** A callback that throws must not take the socket handler or the sweep down with it. */
  private report(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      process.emitWarning(error instanceof Error ? error : String(error), 'MediaRelayCallbackError');
    }
  }
}
