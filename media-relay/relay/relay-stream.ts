import { isIP } from 'node:net';
import { validateRtcpCompound } from '../rtcp/rtcp-compound.js';
import { classifyMuxedPacket } from '../rtcp/rtp-rtcp-demux.js';
import { peekPayloadType, peekSequenceNumber, peekSsrcBits } from '../rtp/rtp-fields.js';
import { SequenceTracker } from '../rtp/sequence-tracker.js';
import type { MediaLineSummary } from '../sdp/describe-sdp.js';
import { isUnspecifiedAddress } from '../sdp/media-direction.js';
import { type ForwardingSocket, isForwarding, type PacketReceiver, type PacketSource, type RelaySocket } from './relay-socket.js';
import { RtcpReceiver, type RtcpListener } from './rtcp-receiver.js';
import { SourceLatch } from './source-latch.js';
import type { EventVerdict, StreamHooks, StreamOwner } from './stream-hooks.js';
import { TelephoneEventDetector } from './telephone-event-detector.js';

const LENIENT_RTCP = { requireReportFirst: false } as const;
const NO_DIVERT: readonly number[] = [];
/** Read by one stream at a time: the relay runs on one thread. */
const COUNTERS = new Float64Array(4);
const PACKETS = 0;
const BYTES = 1;
const AGE = 2;
const LOST = 3;

/**
 * One m-line of one leg: the relay ports facing that leg's phone. What the phone sends here is
 * forwarded out of the peer stream's socket to the peer's phone, so each phone only ever sees
 * the relay. Receiving and forwarding allocate nothing: the Buffer dgram delivered is sent on.
 */
export class RelayStream implements PacketReceiver, RtcpListener {
  private bridged: RelayStream | undefined = undefined;
  /** The media type (audio, video) of the phone's latest description of this m-line. */
  mediaType: string | undefined = undefined;
  muxed = false;
  /** The call has ended and its ports only linger: telephone events pass without inspection. */
  draining = false;
  telephoneEventPt = -1;
  rtcpPackets = 0;
  dropped = 0;
  /** RTP this stream's code forwarded; a forwarding socket counts the rest itself (counters()). */
  private ownPackets = 0;
  private ownBytes = 0;
  private ownLastSeen = -Infinity;
  /** A route is set on a forwarding RTP socket (route()): its RTP no longer passes through here. */
  private routed = false;
  /** When signalling last (re)started the stream: silence is measured from here at the earliest. */
  armedAt: number;
  readonly rtcpPort: number;
  private rtpSocket: RelaySocket | undefined = undefined;
  private rtcpSocket: RelaySocket | undefined = undefined;
  private readonly rtpLatch = new SourceLatch();
  private readonly rtcpLatch = new SourceLatch();
  private readonly sequence = new SequenceTracker();
  /** Made on the first telephone-event packet: most calls never see one. */
  private events: TelephoneEventDetector | undefined = undefined;
  /** The phone's description says sendrecv and no hold. */
  private bidirectional = false;
  private rtpTargetAddress = '';
  private rtpTargetPort = 0;
  private rtcpTargetAddress = '';
  private rtcpTargetPort = 0;
  private sendBlocked = false;
  /** Pin the RTP socket once the latch holds the source the SDP names (kernelSourceFilter). */
  private pinWanted = false;
  private pinned = false;
  private closed = false;
  /**
   * Telephone-event packets held back for the application (copies: the socket reuses nothing,
   * but be safe); made on the first one held.
   */
  private held: Buffer[] | undefined = undefined;

  constructor(
    readonly owner: StreamOwner,
    readonly index: number,
    readonly rtpPort: number,
    private readonly hooks: StreamHooks,
  ) {
    this.rtcpPort = rtpPort + 1;
    this.armedAt = hooks.clock.now();
  }

  /** Binds both sockets; false (nothing left open) if either port cannot be bound. */
  async bind(): Promise<boolean> {
    const { sockets, bindAddress } = this.hooks;
    const [rtp, rtcp] = await Promise.all([
      sockets.bind(bindAddress, this.rtpPort, this),
      sockets.bind(bindAddress, this.rtcpPort, new RtcpReceiver(this)),
    ]);
    if (rtp.ok && rtcp.ok && !this.closed) {
      this.rtpSocket = rtp.socket;
      this.rtcpSocket = rtcp.socket;
      return true;
    }
    if (rtp.ok) rtp.socket.close();
    if (rtcp.ok) rtcp.socket.close();
    return false;
  }

  /** The stream on the bridged leg at the same m-line index; undefined while unbridged. */
  get peer(): RelayStream | undefined {
    return this.bridged;
  }

  set peer(peer: RelayStream | undefined) {
    if (peer === this.bridged) return;
    this.dropRoutes();
    this.bridged = peer;
  }

  get lost(): number {
    // A forwarding socket tracks every RTP packet of the stream, those forwarded here included.
    return isForwarding(this.rtpSocket) ? this.forwarded(LOST, 0) : this.sequence.lost;
  }

  /** RTP packets received from the phone and admitted, wherever they were forwarded. */
  get packets(): number {
    return this.ownPackets + this.forwarded(PACKETS, 0);
  }

  get bytes(): number {
    return this.ownBytes + this.forwarded(BYTES, 0);
  }

  /** When the phone's RTP last arrived (clock ms), -Infinity before any. */
  get lastSeen(): number {
    const age = this.forwarded(AGE, -1);
    return age < 0 ? this.ownLastSeen : Math.max(this.ownLastSeen, this.hooks.clock.now() - age);
  }

  /** One of the forwarding socket's counters, or `otherwise` for a socket that does not forward. */
  private forwarded(index: number, otherwise: number): number {
    const socket = this.rtpSocket;
    return isForwarding(socket) && socket.counters(COUNTERS) ? (COUNTERS[index] as number) : otherwise;
  }

  get latched(): boolean {
    return this.rtpLatch.latched;
  }

  /** Where RTP toward the phone goes now: the latched source, else the SDP's address. */
  destination(): { address: string; port: number } | undefined {
    if (this.rtpLatch.latched) return { address: this.rtpLatch.address, port: this.rtpLatch.port };
    return this.rtpTargetPort === 0 ? undefined : { address: this.rtpTargetAddress, port: this.rtpTargetPort };
  }

  /** Sending and receiving both ways: the only state in which silence means trouble. */
  isBidirectional(): boolean {
    return this.bidirectional;
  }

  /**
   * Takes the phone's new description of this m-line; the latch restarts. `newPhone` says a
   * different device took the stream over, whose predecessor must not re-latch it.
   */
  setRemote(remote: MediaLineSummary | undefined, newPhone: boolean): void {
    // What this stream sends and where, and what its peer sends here, may all change.
    this.dropRoutes();
    this.mediaType = remote?.type;
    this.bidirectional = remote !== undefined && remote.direction === 'sendrecv' && !remote.onHold;
    this.telephoneEventPt = remote?.telephoneEventPt ?? -1;
    // c=0.0.0.0 asks for no media at all (RFC 3264 §8.4); a declined stream gets none either.
    this.sendBlocked = remote !== undefined && (remote.rejected || isUnspecifiedAddress(remote.address ?? ''));
    const usable = remote !== undefined && !this.sendBlocked;
    this.rtpTargetAddress = usable ? literalAddress(remote.address) : '';
    this.rtpTargetPort = this.rtpTargetAddress === '' ? 0 : remote?.port ?? 0;
    this.rtcpTargetAddress = usable ? literalAddress(remote.rtcpAddress) : '';
    this.rtcpTargetPort = this.rtcpTargetAddress === '' ? 0 : remote?.rtcpPort ?? 0;
    this.rtpLatch.reset(this.rtpTargetAddress, this.rtpTargetPort, newPhone);
    this.rtcpLatch.reset(this.rtcpTargetAddress, this.rtcpTargetPort, newPhone);
    this.unpin();
    this.pinWanted = this.hooks.kernelSourceFilter && this.rtpTargetPort !== 0;
    this.events?.reset();
    this.arm();
  }

  arm(): void {
    this.armedAt = this.hooks.clock.now();
  }

  /** RFC 5761: with RTCP on the RTP port the odd socket is closed; its port stays reserved. */
  async setMuxed(muxed: boolean): Promise<void> {
    this.muxed = muxed;
    if (muxed) {
      this.rtcpSocket?.close();
      this.rtcpSocket = undefined;
      return;
    }
    if (this.rtcpSocket !== undefined || this.closed) return;
    const { sockets, bindAddress } = this.hooks;
    const bound = await sockets.bind(bindAddress, this.rtcpPort, new RtcpReceiver(this));
    if (!bound.ok) return;
    if (this.closed || this.muxed || this.rtcpSocket !== undefined) bound.socket.close();
    else this.rtcpSocket = bound.socket;
  }

  /** Closes the sockets and returns the ports; idempotent. */
  close(): void {
    if (this.closed) return;
    this.dropRoutes();
    this.closed = true;
    this.rtpSocket?.close();
    this.rtcpSocket?.close();
    this.rtpSocket = undefined;
    this.rtcpSocket = undefined;
    if (this.bridged?.bridged === this) this.bridged.bridged = undefined;
    this.bridged = undefined;
    this.hooks.allocator.release(this.rtpPort);
  }

  /** What the RTP socket hears. */
  receivePacket(packet: Buffer, source: PacketSource): void {
    const kind = classifyMuxedPacket(packet, 0, packet.length);
    const latch = this.rtpLatch;
    const latchedPort = latch.port;
    const latchedAddress = latch.address;
    if (!latch.admit(source.address, source.port, kind !== 'other')) {
      this.dropped++;
      return;
    }
    // The peer's route sends to this phone's latched source, and this socket's route admits only
    // it: both are stale once it moved.
    if (latch.port !== latchedPort || latch.address !== latchedAddress) this.dropRoutes();
    if (this.pinWanted) this.pinToPhone();
    if (kind === 'rtp') {
      this.receiveRtp(packet);
    } else if (kind === 'rtcp') {
      this.receiveRtcp(packet);
    } else {
      // From the latched phone but neither RTP nor RTCP (DTLS, keep-alives): passed through.
      this.peer?.sendRtp(packet);
    }
  }

  receiveRtcpPacket(packet: Buffer, source: PacketSource): void {
    const isRtcp = classifyMuxedPacket(packet, 0, packet.length) === 'rtcp';
    if (isRtcp && this.rtcpLatch.admit(source.address, source.port, true)) this.receiveRtcp(packet);
    else this.dropped++;
  }

  /**
   * Once the source the SDP names holds the latch, the latch admits nobody else until signalling
   * resets it, so the kernel may refuse the others. A phone latched from elsewhere (NAT) can
   * still be re-latched by its SDP source, so it stays unpinned.
   */
  private pinToPhone(): void {
    const latch = this.rtpLatch;
    const socket = this.rtpSocket;
    if (socket === undefined || latch.port !== this.rtpTargetPort || latch.address !== this.rtpTargetAddress) return;
    this.pinWanted = false;
    this.pinned = socket.pin({ address: latch.address, port: latch.port }, this.hooks.advertiseAddress);
  }

  private unpin(): void {
    if (!this.pinned) return;
    this.pinned = false;
    this.rtpSocket?.pin(undefined);
  }

  private receiveRtp(packet: Buffer): void {
    this.ownPackets++;
    this.ownBytes += packet.length;
    this.ownLastSeen = this.hooks.clock.now();
    const socket = this.rtpSocket;
    if (isForwarding(socket)) socket.track(peekSsrcBits(packet, 0), peekSequenceNumber(packet, 0));
    else this.sequence.updateFromPacket(packet, 0);
    const peer = this.bridged;
    const pt = peekPayloadType(packet, 0);
    if (!this.draining && (pt === this.telephoneEventPt || (peer !== undefined && pt === peer.telephoneEventPt))) {
      const verdict = this.inspectEvent(packet);
      if (verdict === 'hold') (this.held ??= []).push(Buffer.from(packet));
      if (verdict !== true) return;
    }
    if (peer === undefined) return;
    peer.sendRtp(packet);
    if (isForwarding(socket)) this.routeTo(socket, peer);
  }

  /**
   * After this code forwarded one of the phone's RTP packets, lets the socket forward the
   * following ones itself, to where this one went: from the latched source only, and all but
   * the telephone events, which must still be inspected here while the call is up.
   */
  private routeTo(socket: ForwardingSocket, peer: RelayStream): void {
    const to = peer.rtpSocket;
    const destination = peer.destination();
    if (to === undefined || peer.sendBlocked || destination === undefined) return;
    const divert = this.draining ? NO_DIVERT : [this.telephoneEventPt, peer.telephoneEventPt];
    const source = { address: this.rtpLatch.address, port: this.rtpLatch.port };
    this.routed = socket.route({ source, to, destination, divert });
  }

  /** Removes this socket's route; the next RTP packet comes here again. */
  dropRoute(): void {
    if (!this.routed) return;
    this.routed = false;
    const socket = this.rtpSocket;
    if (isForwarding(socket)) socket.route(undefined);
  }

  /** Drops both directions' routes: this phone's RTP toward the peer, and the peer's toward it. */
  private dropRoutes(): void {
    this.dropRoute();
    this.bridged?.dropRoute();
  }

  private receiveRtcp(packet: Buffer): void {
    if (validateRtcpCompound(packet, 0, packet.length, LENIENT_RTCP) !== undefined) {
      this.dropped++;
      return;
    }
    this.rtcpPackets++;
    this.peer?.sendRtcp(packet);
  }

  /** Sends on (or forgets) the telephone-event packets held back; returns how many there were. */
  releaseHeld(forward: boolean): number {
    const held = this.held;
    if (held === undefined) return 0;
    this.held = undefined;
    if (forward) for (const packet of held) this.peer?.sendRtp(packet);
    return held.length;
  }

  /** Reports a finished key press; the answer says whether to forward the packet. */
  private inspectEvent(packet: Buffer): EventVerdict {
    const { rtp, event } = this.hooks;
    if (rtp.parse(packet, 0, packet.length) !== undefined) return true;
    if (event.parse(packet, rtp.payloadOffset, rtp.payloadLength) !== undefined) return true;
    const digit = (this.events ??= new TelephoneEventDetector()).observe(rtp.timestamp, event);
    if (digit !== undefined) this.hooks.onDigit(this.owner, digit);
    return this.hooks.shouldForwardEvent(this.owner, event.event, rtp.timestamp);
  }

  /** Sends to this stream's phone what its peer received. */
  private sendRtp(packet: Buffer): void {
    const socket = this.rtpSocket;
    if (socket === undefined || this.sendBlocked) return;
    if (this.rtpLatch.latched) socket.send(packet, this.rtpLatch.port, this.rtpLatch.address);
    else if (this.rtpTargetPort !== 0) socket.send(packet, this.rtpTargetPort, this.rtpTargetAddress);
  }

  private sendRtcp(packet: Buffer): void {
    const socket = this.rtcpSocket;
    if (this.muxed || socket === undefined) {
      this.sendRtp(packet);
      return;
    }
    if (this.sendBlocked) return;
    if (this.rtcpLatch.latched) socket.send(packet, this.rtcpLatch.port, this.rtcpLatch.address);
    else if (this.rtcpTargetPort !== 0) socket.send(packet, this.rtcpTargetPort, this.rtcpTargetAddress);
  }
}

/** An IP literal, or '' for anything else: a host name in c= would cost a DNS lookup per packet. */
function literalAddress(address: string | undefined): string {
  return address !== undefined && isIP(address) !== 0 ? address : '';
}
