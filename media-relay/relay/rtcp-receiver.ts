import type { PacketReceiver, PacketSource } from './relay-socket.js';

/** What a stream's RTCP socket hears; its RTP socket hears with the stream itself. */
export interface RtcpListener {
  receiveRtcpPacket(packet: Buffer, source: PacketSource): void;
}

/** Passes what the RTCP socket hears to its stream: a stream is the receiver of one socket only. */
export class RtcpReceiver implements PacketReceiver {
  constructor(private readonly stream: RtcpListener) {}

  receivePacket(packet: Buffer, source: PacketSource): void {
    this.stream.receiveRtcpPacket(packet, source);
  }
}
