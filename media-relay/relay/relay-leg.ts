import type { RelayEndpoint } from '../sdp/rewrite-sdp.js';
import type { SdpDescription } from '../sdp/describe-sdp.js';
import type { SdpOrigin } from '../sdp/sdp-origin.js';
import type { RelayStream } from './relay-stream.js';
import { rtcpMuxLines } from './rtcp-mux-lines.js';
import type { StreamOwner } from './stream-hooks.js';

/**
 * One side of a call as the relay sees it: one phone (or, after a repoint, its successor), its
 * relay ports (a stream per m-line index) and the o= line of the SDP the relay sends it.
 */
export class RelayLeg implements StreamOwner {
  /** A stream per m-line index, in an array exactly as long as needed (see addStream). */
  private slots: (RelayStream | undefined)[] = [];
  /** The latest SDP this leg's phone sent. */
  sdp: string | undefined = undefined;
  /** Per m-line of that SDP, whether it asked for rtcp-mux; undefined until the phone sent SDP. */
  rtcpMux: readonly boolean[] | undefined = undefined;
  /** The leg whose offer this leg has yet to answer. */
  offeredBy: RelayLeg | undefined = undefined;
  /** The leg whose media this leg exchanges. */
  peer: RelayLeg | undefined = undefined;

  constructor(
    readonly callId: string,
    public id: string,
    readonly origin: SdpOrigin,
    /** Created by an offer that named no answering leg: the first unknown answerer adopts it. */
    public placeholder = false,
  ) {}

  /** Where this leg's phone must send each stream: the relay address and this leg's ports. */
  endpoints(address: string): (RelayEndpoint | undefined)[] {
    return this.streams.map((stream) => stream === undefined ? undefined : {
      address,
      rtpPort: stream.rtpPort,
      // RFC 5761 §5.1.3: once muxed, a=rtcp names the RTP port.
      rtcpPort: stream.muxed ? stream.rtpPort : stream.rtcpPort,
    });
  }

  /** Takes the phone's SDP: each stream learns its remote end and restarts its latch. */
  takeSdp(sdp: string, summary: SdpDescription, newPhone: boolean): void {
    this.sdp = sdp;
    this.rtcpMux = rtcpMuxLines(summary.media);
    this.streams.forEach((stream, index) => stream?.setRemote(summary.media[index], newPhone));
  }

  get streams(): readonly (RelayStream | undefined)[] {
    return this.slots;
  }

  /**
   * Gives m-line `index` its stream. Beyond the end, the streams move to an array of the new
   * length: growing one in place reserves room for 16 more streams than the leg will ever have.
   */
  addStream(index: number, stream: RelayStream): void {
    if (index >= this.slots.length) this.slots = lengthened(this.slots, index + 1);
    this.slots[index] = stream;
  }

  closeStream(index: number): void {
    this.slots[index]?.close();
    this.slots[index] = undefined;
  }

  close(): void {
    for (let index = 0; index < this.slots.length; index++) this.closeStream(index);
    this.slots = [];
  }
}

function lengthened<T>(items: readonly T[], length: number): (T | undefined)[] {
  const copy = new Array<T | undefined>(length);
  for (let index = 0; index < items.length; index++) copy[index] = items[index];
  return copy;
}

/** Bridges two legs: each stream forwards to the other leg's stream at the same m-line index. */
export function bridgeLegs(a: RelayLeg, b: RelayLeg): void {
  if (a.peer !== undefined && a.peer !== b) unbridgeLeg(a);
  if (b.peer !== undefined && b.peer !== a) unbridgeLeg(b);
  a.peer = b;
  b.peer = a;
  const count = Math.max(a.streams.length, b.streams.length);
  for (let index = 0; index < count; index++) {
    const sa = a.streams[index];
    const sb = b.streams[index];
    if (sa !== undefined) sa.peer = sb;
    if (sb !== undefined) sb.peer = sa;
  }
}

export function unbridgeLeg(leg: RelayLeg): void {
  const peer = leg.peer;
  if (peer === undefined) return;
  for (const stream of leg.streams) if (stream !== undefined) stream.peer = undefined;
  for (const stream of peer.streams) if (stream !== undefined) stream.peer = undefined;
  leg.peer = undefined;
  if (peer.peer === leg) peer.peer = undefined;
}
