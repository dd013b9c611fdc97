import type { RelayLeg } from './relay-leg.js';
import type { RelayStream } from './relay-stream.js';

export interface StreamStats {
  /** m-line index. */
  readonly index: number;
  readonly type: string | undefined;
  readonly localRtpPort: number;
  /** Undefined while RTCP is muxed onto the RTP port. */
  readonly localRtcpPort: number | undefined;
  /** Where RTP toward the phone goes: latched source, else the SDP's address. */
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly latched: boolean;
  /** RTP packets and bytes received from the phone. */
  readonly packets: number;
  readonly bytes: number;
  readonly rtcpPackets: number;
  /**
   * Packets refused: wrong source after latching, or not RTP/RTCP. With kernelSourceFilter, what
   * other sources send to a pinned RTP port is refused by the kernel and not counted here.
   */
  readonly dropped: number;
  /** From RTP sequence gaps (RFC 3550 A.3). */
  readonly lost: number;
  /** Clock time of the last RTP packet from the phone. */
  readonly lastSeen: number | undefined;
}

export interface LegStats {
  readonly legId: string;
  readonly peerLegId: string | undefined;
  readonly streams: readonly StreamStats[];
}

export interface CallStats {
  readonly callId: string;
  readonly legs: readonly LegStats[];
}

export function legStats(leg: RelayLeg): LegStats {
  const streams = leg.streams.filter((stream): stream is RelayStream => stream !== undefined).map(streamStats);
  return { legId: leg.id, peerLegId: leg.peer?.id, streams };
}

function streamStats(stream: RelayStream): StreamStats {
  const destination = stream.destination();
  return {
    index: stream.index,
    type: stream.mediaType,
    localRtpPort: stream.rtpPort,
    localRtcpPort: stream.muxed ? undefined : stream.rtcpPort,
    remoteAddress: destination?.address,
    remotePort: destination?.port,
    latched: stream.latched,
    packets: stream.packets,
    bytes: stream.bytes,
    rtcpPackets: stream.rtcpPackets,
    dropped: stream.dropped,
    lost: stream.lost,
    lastSeen: Number.isFinite(stream.lastSeen) ? stream.lastSeen : undefined,
  };
}
