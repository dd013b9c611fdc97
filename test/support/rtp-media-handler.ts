import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import type {
  BodyAndContentType,
  Session,
  SessionDescriptionHandler,
  SessionDescriptionHandlerFactory,
  SessionDescriptionHandlerModifier,
  SessionDescriptionHandlerOptions,
} from 'sip.js';
import {
  CODECS,
  DEFAULT_TELEPHONE_EVENT_PT,
  agreedDirection,
  buildSdp,
  commonCodecs,
  parseRemoteAudio,
  type Codec,
  type CodecName,
  type MediaDirection,
  type RemoteAudio,
} from './sdp-offer-answer.js';
import { RtpSender, type MediaPlan } from './rtp-sender.js';
import { dtmfDigit, parseRtp, parseTelephoneEvent, type RtpPacket } from './rtp-packet.js';
import { emptyMediaStats } from './media-stats.js';

/** Media settings of one phone (or one call). */
export interface RtpMediaOptions {
  /** Codecs to offer / accept, in preference order (default: PCMU). */
  readonly codecs?: readonly CodecName[];
  /** Announce and accept RFC 4733 telephone-event (default: true). */
  readonly telephoneEvent?: boolean;
  /**
   * Behave like a phone behind NAT: the SDP announces a port nobody listens on (9, discard)
   * while RTP is sent from, and expected on, the real socket.
   */
  readonly behindNat?: boolean;
}

/**
 * SDH options the phone passes through sip.js (`SessionDescriptionHandlerOptions` is open for
 * extension; sip.js's own web handler reads `hold` the same way).
 */
export interface RtpSdhOptions extends SessionDescriptionHandlerOptions {
  hold?: boolean;
  /** How to hold: `sendonly` (music on hold style, default) or `inactive`. */
  holdDirection?: 'sendonly' | 'inactive';
}

const LOCAL_ADDRESS = '127.0.0.1';
/** RFC 863 discard: the port a NATed phone's SDP names, where nothing listens. */
const DISCARD_PORT = 9;

type Signaling = 'stable' | 'have-local-offer' | 'have-remote-offer';

/**
 * A sip.js SessionDescriptionHandler for Node: owns one UDP socket for RTP, speaks plain
 * RTP/AVP offer/answer, sends PCMU-style frames at 50 packets/s while the agreed direction
 * allows it, and counts what arrives. One instance lives for the whole session (sip.js reuses
 * it for every re-INVITE), so counters span hold/resume and re-pointing.
 */
export class RtpMediaHandler implements SessionDescriptionHandler {
  readonly stats = emptyMediaStats();
  private readonly socket: Socket;
  private readonly ready: Promise<void>;
  private readonly sender: RtpSender;
  private readonly codecs: readonly Codec[];
  private readonly telephoneEvent: boolean;
  private readonly sessionId = randomInt(1, 2 ** 31);
  private sdpVersion = 0;
  private signaling: Signaling = 'stable';
  private pendingOffer: RemoteAudio | undefined;
  private hold = false;
  private holdDirection: 'sendonly' | 'inactive' = 'sendonly';
  private holdBeforeOffer = false;
  private plan: MediaPlan | undefined;
  private readonly seenEvents = new Set<string>();
  private isClosed = false;
  private readonly behindNat: boolean;

  constructor(options: RtpMediaOptions = {}) {
    this.codecs = (options.codecs ?? ['PCMU']).map((name) => CODECS[name]);
    this.telephoneEvent = options.telephoneEvent ?? true;
    this.behindNat = options.behindNat ?? false;
    this.socket = createSocket('udp4');
    this.socket.on('message', (data, from) => this.receive(data, from));
    this.socket.on('error', () => undefined); // loopback ICMP noise must not crash a test worker
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(0, LOCAL_ADDRESS, () => resolve());
    });
    this.sender = new RtpSender(this.socket, this.stats);
    this.ready.then(() => this.sender.start(), () => undefined);
  }

  /** The local RTP port (0 until the socket is bound). */
  get localPort(): number {
    return this.isClosed ? 0 : safePort(this.socket);
  }

  /** Resolves once the RTP socket is bound. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Our side's agreed direction (undefined before the first offer/answer completes). */
  get direction(): MediaDirection | undefined {
    return this.plan?.direction;
  }

  /** Where RTP goes now ("host:port"), or undefined if nothing is being sent. */
  get sendingTo(): string | undefined {
    return this.sender.destination;
  }

  /** The codec we send, after negotiation. */
  get codec(): Codec | undefined {
    return this.plan?.codec;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.sender.stop();
    this.socket.close();
  }

  hasDescription(contentType: string): boolean {
    return contentType.toLowerCase().startsWith('application/sdp');
  }

  async getDescription(
    options?: SessionDescriptionHandlerOptions,
    modifiers?: SessionDescriptionHandlerModifier[],
  ): Promise<BodyAndContentType> {
    await this.ensureOpen();
    this.applyHoldOption(options);
    const sdp = this.signaling === 'have-remote-offer' ? this.answer() : this.offer();
    const type = this.signaling === 'have-local-offer' ? 'offer' : 'answer';
    return { body: await applyModifiers(sdp, type, modifiers), contentType: 'application/sdp' };
  }

  async setDescription(
    sdp: string,
    options?: SessionDescriptionHandlerOptions,
    modifiers?: SessionDescriptionHandlerModifier[],
  ): Promise<void> {
    await this.ensureOpen();
    this.applyHoldOption(options);
    const isAnswer = this.signaling === 'have-local-offer';
    const remote = parseRemoteAudio(await applyModifiers(sdp, isAnswer ? 'answer' : 'offer', modifiers));
    if (isAnswer) this.acceptAnswer(remote);
    else this.acceptOffer(remote);
  }

  async rollbackDescription(): Promise<void> {
    if (this.signaling === 'have-local-offer') this.hold = this.holdBeforeOffer;
    this.pendingOffer = undefined;
    this.signaling = 'stable';
  }

  /** sip.js's DTMF hook: queue RFC 4733 events; false if we cannot send them now. */
  sendDtmf(tones: string): boolean {
    try {
      this.queueDtmf(tones).catch(() => undefined);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Send RFC 4733 events for each digit (progress packets, then the end packet three times),
   * resolving once all are on the wire. Throws at once if no telephone-event was negotiated or
   * the direction forbids sending.
   */
  queueDtmf(digits: string): Promise<void> {
    const plan = this.plan;
    if (plan?.telephoneEventPt === undefined) throw new Error('no telephone-event payload type negotiated');
    if (!this.sender.canSend) throw new Error('media is not being sent (on hold, inactive or port 0)');
    return Promise.all([...digits].map((digit) => this.sender.queueEvent(digit))).then(() => undefined);
  }

  private async ensureOpen(): Promise<void> {
    await this.ready;
    if (this.isClosed) throw new Error('RTP media handler closed');
  }

  private applyHoldOption(options: SessionDescriptionHandlerOptions | undefined): void {
    if (!isRtpSdhOptions(options)) return;
    if (options.hold !== undefined) this.hold = options.hold;
    if (options.holdDirection !== undefined) this.holdDirection = options.holdDirection;
  }

  private get wantedDirection(): MediaDirection {
    return this.hold ? this.holdDirection : 'sendrecv';
  }

  private offer(): string {
    this.holdBeforeOffer = this.hold;
    this.signaling = 'have-local-offer';
    return this.describe({
      port: this.localPort,
      codecs: this.codecs,
      telephoneEventPt: this.telephoneEvent ? DEFAULT_TELEPHONE_EVENT_PT : undefined,
      direction: this.wantedDirection,
    });
  }

  private answer(): string {
    const offer = this.pendingOffer;
    if (!offer) throw new Error('no remote offer to answer');
    const codecs = commonCodecs(offer.codecs, this.codecs);
    const telephoneEventPt = this.telephoneEvent ? offer.telephoneEventPt : undefined;
    const direction = agreedDirection(this.wantedDirection, offer.direction);
    this.pendingOffer = undefined;
    this.signaling = 'stable';
    this.adopt({ remote: offer, codec: codecs[0], telephoneEventPt, direction });
    // RFC 3264 §6: a stream offered with port 0 is answered with port 0.
    return this.describe({ port: offer.port === 0 ? 0 : this.localPort, codecs, telephoneEventPt, direction });
  }

  private acceptOffer(remote: RemoteAudio): void {
    if (commonCodecs(remote.codecs, this.codecs).length === 0) {
      throw new Error(`no common codec: offered ${describeCodecs(remote.codecs)}, have ${describeCodecs(this.codecs)}`);
    }
    this.pendingOffer = remote;
    this.signaling = 'have-remote-offer';
  }

  private acceptAnswer(remote: RemoteAudio): void {
    const codec = commonCodecs(remote.codecs, this.codecs)[0];
    if (codec === undefined && remote.port !== 0) {
      throw new Error(`answer has no codec we offered: ${describeCodecs(remote.codecs)}`);
    }
    this.signaling = 'stable';
    const telephoneEventPt = this.telephoneEvent ? remote.telephoneEventPt : undefined;
    this.adopt({ remote, codec, telephoneEventPt, direction: agreedDirection(this.wantedDirection, remote.direction) });
  }

  /** Start, stop or re-point sending according to a completed offer/answer exchange. */
  private adopt(plan: MediaPlan): void {
    this.plan = plan;
    this.sender.plan = plan;
  }

  private describe(media: Pick<Parameters<typeof buildSdp>[0], 'port' | 'codecs' | 'telephoneEventPt' | 'direction'>): string {
    this.sdpVersion += 1;
    const port = this.behindNat && media.port !== 0 ? DISCARD_PORT : media.port;
    return buildSdp({ ...media, port, sessionId: this.sessionId, version: this.sdpVersion, address: LOCAL_ADDRESS });
  }

  private receive(data: Buffer, from: RemoteInfo): void {
    const packet = parseRtp(data);
    if (!packet) return;
    this.stats.received += 1;
    this.stats.lastReceivedAt = Date.now();
    this.stats.receivedFrom.add(`${from.address}:${from.port}`);
    this.stats.receivedPayloadTypes.add(packet.payloadType);
    if (this.isTelephoneEvent(packet.payloadType)) this.recordEvent(packet);
  }

  private isTelephoneEvent(payloadType: number): boolean {
    return payloadType === DEFAULT_TELEPHONE_EVENT_PT || payloadType === this.plan?.telephoneEventPt;
  }

  /** Each event is repeated (progress and three end packets) with one timestamp: count it once. */
  private recordEvent(packet: RtpPacket): void {
    const event = parseTelephoneEvent(packet.payload);
    const key = `${packet.ssrc}:${packet.timestamp}`;
    if (!event || this.seenEvents.has(key)) return;
    this.seenEvents.add(key);
    this.stats.dtmfReceived.push(dtmfDigit(event.event));
  }
}

/** A sip.js factory making one {@link RtpMediaHandler} per session. */
export function rtpMediaHandlerFactory(
  optionsFor: (session: Session) => RtpMediaOptions,
  onCreated?: (session: Session, handler: RtpMediaHandler) => void,
): SessionDescriptionHandlerFactory {
  return (session) => {
    const handler = new RtpMediaHandler(optionsFor(session));
    onCreated?.(session, handler);
    return handler;
  };
}

function isRtpSdhOptions(options: SessionDescriptionHandlerOptions | undefined): options is RtpSdhOptions {
  return options !== undefined && ('hold' in options || 'holdDirection' in options);
}

function describeCodecs(codecs: readonly Codec[]): string {
  return codecs.map((c) => `${c.name}/${c.payloadType}`).join(' ') || '(none)';
}

function safePort(socket: Socket): number {
  try {
    return socket.address().port;
  } catch {
    return 0; // not bound yet
  }
}

/**
 * sip.js modifiers are typed on the DOM's RTCSessionDescriptionInit, which does not exist in
 * Node; the shape ({ type, sdp }) is all they use, so the result is narrowed rather than trusted.
 */
async function applyModifiers(
  sdp: string,
  type: 'offer' | 'answer',
  modifiers: SessionDescriptionHandlerModifier[] | undefined,
): Promise<string> {
  let current = sdp;
  for (const modifier of modifiers ?? []) {
    const result: unknown = await modifier({ type, sdp: current });
    if (typeof result === 'object' && result !== null && 'sdp' in result && typeof result.sdp === 'string') {
      current = result.sdp;
    }
  }
  return current;
}
