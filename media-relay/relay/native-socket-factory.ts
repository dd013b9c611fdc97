import { type ForwarderAddon, forget, listen, nativeForwarder } from './native-forwarder.js';
import { constants } from 'node:os';
import type { BindResult, ForwardingSocket, PacketReceiver, PacketSource, RelayCounters, SocketFactory, StreamRoute } from './relay-socket.js';

/** errno names by number, as dgram reports bind failures (the relay retries on EADDRINUSE). */
const ERRNO_NAMES = new Map<number, string>(Object.entries(constants.errno).map(([name, number]) => [number, name]));

/**
 * Sockets read and, once routed, forwarded by the native forwarder's thread: an established
 * stream's RTP never wakes the event loop. Undefined from create() where the addon is missing.
 */
export class NativeSocketFactory implements SocketFactory {
  private readonly tally = { count: 0 };

  private constructor(private readonly addon: ForwarderAddon) {}

  static create(): NativeSocketFactory | undefined {
    const addon = nativeForwarder();
    return addon === undefined ? undefined : new NativeSocketFactory(addon);
  }

  get openCount(): number {
    return this.tally.count;
  }

  /** Datagrams the forwarder dropped because too many already waited for the relay's code. */
  get droppedHandoffs(): number {
    return this.addon.status().overflow;
  }

  get failed(): boolean {
    return this.addon.status().failed;
  }

  bind(address: string, port: number, receiver: PacketReceiver): Promise<BindResult> {
    const handle = this.addon.bind(address, port);
    if (handle < 0) return Promise.resolve({ ok: false, code: ERRNO_NAMES.get(-handle) ?? `E${-handle}` });
    listen(handle, receiver);
    this.tally.count++;
    return Promise.resolve({ ok: true, socket: new NativeRelaySocket(this.addon, handle, this.tally) });
  }
}

const NO_PAYLOAD_TYPE = -1;

class NativeRelaySocket implements ForwardingSocket {
  private closed = false;
  private peerAddress = '';
  private peerPort = 0;

  constructor(private readonly addon: ForwarderAddon, readonly handle: number, private readonly tally: { count: number }) {}

  send(packet: Buffer, port: number, address: string): void {
    if (this.closed) return;
    if (this.peerPort !== 0 && (port !== this.peerPort || address !== this.peerAddress)) this.unpin();
    this.addon.send(this.handle, packet, port, address);
  }

  pin(peer: PacketSource | undefined, localAddress?: string): boolean {
    if (this.closed) return false;
    if (this.peerPort !== 0) this.unpin();
    if (peer === undefined || this.addon.connect(this.handle, peer.address, peer.port) !== 0) return false;
    if (localAddress !== undefined && this.addon.localAddress(this.handle) !== localAddress) {
      this.unpin();
      return false;
    }
    this.peerAddress = peer.address;
    this.peerPort = peer.port;
    return true;
  }

  private unpin(): void {
    this.addon.connect(this.handle, '', 0);
    this.peerAddress = '';
    this.peerPort = 0;
  }

  route(route: StreamRoute | undefined): boolean {
    if (this.closed) return false;
    if (route === undefined || !(route.to instanceof NativeRelaySocket)) {
      this.addon.route(this.handle);
      return false;
    }
    const [divert0 = NO_PAYLOAD_TYPE, divert1 = NO_PAYLOAD_TYPE] = route.divert;
    return this.addon.route(this.handle, route.source.address, route.source.port, route.to.handle,
      route.destination.address, route.destination.port, divert0, divert1) === 1;
  }

  track(ssrc: number, sequence: number): void {
    if (!this.closed) this.addon.track(this.handle, ssrc, sequence);
  }

  counters(out: RelayCounters): boolean {
    return !this.closed && this.addon.counters(this.handle, out) === 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    forget(this.handle);
    this.addon.close(this.handle);
    this.tally.count--;
  }
}
