import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { RtpPacket } from '../../../media-relay/rtp/rtp-packet.js';
import { TelephoneEvent } from '../../../media-relay/rtp/telephone-event.js';

export const LOOPBACK = '127.0.0.1';
const PACKET_INTERVAL_MS = 20;
const PCMU_SAMPLES = 160;

export interface Target {
  readonly address: string;
  readonly port: number;
}

export interface Received {
  readonly ssrc: number;
  readonly payloadType: number;
  readonly fromAddress: string;
  readonly fromPort: number;
  readonly at: number;
}

/** A fake phone's media socket: sends PCMU at 50 packets/s and records what arrives. */
export class RtpEndpoint {
  readonly received: Received[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sequence = 0;
  private timestamp = 0;
  private readonly view = new RtpPacket();

  private constructor(private readonly socket: Socket, readonly port: number, readonly ssrc: number) {
    socket.on('message', (packet, from) => {
      if (this.view.parse(packet) !== undefined) return;
      this.received.push({ ssrc: this.view.ssrc, payloadType: this.view.payloadType, fromAddress: from.address, fromPort: from.port, at: performance.now() });
    });
  }

  static open(ssrc: number): Promise<RtpEndpoint> {
    return new Promise((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind(0, LOOPBACK, () => resolve(new RtpEndpoint(socket, socket.address().port, ssrc)));
    });
  }

  /** Starts sending one PCMU packet every 20 ms to `target`. */
  start(target: Target): void {
    this.stop();
    this.timer = setInterval(() => this.send(target, this.pcmu()), PACKET_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  send(target: Target, packet: Buffer): void {
    this.socket.send(packet, target.port, target.address);
  }

  /** An RFC 4733 packet of this endpoint's stream. */
  telephoneEvent(event: number, end: boolean, eventTimestamp: number, payloadType = 101): Buffer {
    const payload = Buffer.alloc(4);
    Object.assign(new TelephoneEvent(), { event, end, volume: 10, duration: end ? 800 : 320 }).serializeInto(payload);
    return this.packet(payloadType, payload, eventTimestamp);
  }

  from(ssrc: number): Received[] {
    return this.received.filter((packet) => packet.ssrc === ssrc);
  }

  close(): void {
    this.stop();
    this.socket.close();
  }

  private pcmu(): Buffer {
    this.timestamp = (this.timestamp + PCMU_SAMPLES) >>> 0;
    return this.packet(0, Buffer.alloc(PCMU_SAMPLES, 0xff), this.timestamp);
  }

  private packet(payloadType: number, payload: Buffer, timestamp: number): Buffer {
    const packet = new RtpPacket();
    packet.payloadType = payloadType;
    packet.sequenceNumber = this.sequence;
    this.sequence = (this.sequence + 1) & 0xffff;
    packet.timestamp = timestamp;
    packet.ssrc = this.ssrc;
    packet.setPayload(payload);
    const out = Buffer.alloc(packet.size());
    packet.serializeInto(out);
    return out;
  }
}

/** A phone's SDP offering PCMU and telephone-event on `port`. */
export function endpointSdp(port: number, direction = 'sendrecv'): string {
  return [
    'v=0', `o=- 1 1 IN IP4 ${LOOPBACK}`, 's=-', `c=IN IP4 ${LOOPBACK}`, 't=0 0',
    `m=audio ${port} RTP/AVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15', 'a=ptime:20', `a=${direction}`, '',
  ].join('\r\n');
}

/** Polls `condition` until it holds or `timeoutMs` passes (then throws `what`). */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A port range of `size` ports at a random even base in 30000-39999, so test files rarely collide. */
export function randomPortRange(size: number): { portMin: number; portMax: number } {
  const portMin = 30000 + 2 * Math.floor(Math.random() * ((10000 - size) / 2));
  return { portMin, portMax: portMin + size - 1 };
}
