import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { literalFamily, literalLookup } from './literal-lookup.js';
import type { BindResult, PacketReceiver, PacketSource, RelaySocket, SocketFactory } from './relay-socket.js';

const kReceiver = Symbol('relayPacketReceiver');

/** A dgram socket that carries its receiver, for the one listener all sockets share. */
interface ReceivingSocket extends Socket {
  [kReceiver]: PacketReceiver;
}

function ignore(): void {}

/** dgram calls a listener with the socket as `this`. */
function deliver(this: ReceivingSocket, packet: Buffer, source: PacketSource): void {
  this[kReceiver].receivePacket(packet, source);
}

/** How many of a factory's sockets are open; each socket holds it to count itself out. */
class OpenSockets {
  count = 0;
}

/** dgram sockets, registered while open. */
export class UdpSocketFactory implements SocketFactory {
  private readonly tally = new OpenSockets();

  get openCount(): number {
    return this.tally.count;
  }

  bind(address: string, port: number, receiver: PacketReceiver): Promise<BindResult> {
    return new Promise((resolve) => {
      const socket = createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4', lookup: literalLookup }) as ReceivingSocket;
      socket[kReceiver] = receiver;
      const onError = (error: NodeJS.ErrnoException): void => {
        closeQuietly(socket);
        resolve({ ok: false, code: error.code ?? 'EUNKNOWN' });
      };
      socket.once('error', onError);
      socket.bind({ address, port, exclusive: true }, () => {
        socket.off('error', onError);
        // Send errors (ICMP unreachable, which a pinned socket also reports on receive) are the
        // far end's problem, not a crash.
        socket.on('error', ignore);
        socket.on('message', deliver);
        this.tally.count++;
        resolve({ ok: true, socket: new UdpRelaySocket(socket, this.tally) });
      });
    });
  }
}

class UdpRelaySocket implements RelaySocket {
  private closed = false;
  /** The connected peer; port 0 while unpinned. */
  private peerAddress = '';
  private peerPort = 0;

  /**
   * The tally rather than a callback: a closure made in bind() would keep the whole bind
   * context (promise, resolve, error handler) alive for as long as the socket is open.
   */
  constructor(private readonly socket: Socket, private readonly tally: OpenSockets) {}

  send(packet: Buffer, port: number, address: string): void {
    if (this.closed) return;
    if (port === this.peerPort && port !== 0 && address === this.peerAddress) {
      this.socket.send(packet);
      return;
    }
    // dgram throws on a send with a destination while connected.
    if (this.peerPort !== 0) this.unpin();
    this.socket.send(packet, port, address);
  }

  pin(peer: PacketSource | undefined, localAddress?: string): boolean {
    if (this.closed) return false;
    if (this.peerPort !== 0) this.unpin();
    // Only a literal connects at once (the lookup answers synchronously); until then a send
    // without a destination would throw.
    if (peer === undefined || literalFamily(peer.address) === 0 || !connectNow(this.socket, peer)) return false;
    if (localAddress !== undefined && localAddressOf(this.socket) !== localAddress) {
      this.socket.disconnect();
      return false;
    }
    this.peerAddress = peer.address;
    this.peerPort = peer.port;
    return true;
  }

  private unpin(): void {
    this.socket.disconnect();
    this.peerAddress = '';
    this.peerPort = 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.removeAllListeners('message');
    closeQuietly(this.socket);
    this.tally.count--;
  }
}

/**
 * Whether the socket is connected to `peer` on return. connect() throws on a bad port, and a
 * connect the kernel refuses leaves the socket unconnected with an error reported a tick later.
 */
function connectNow(socket: Socket, peer: PacketSource): boolean {
  try {
    socket.connect(peer.port, peer.address);
    socket.remoteAddress();
    return true;
  } catch {
    return false;
  }
}

function localAddressOf(socket: Socket): string | undefined {
  try {
    return socket.address().address;
  } catch {
    return undefined;
  }
}

function closeQuietly(socket: Socket): void {
  try {
    socket.close();
  } catch {
    // Already closed: a failed bind may leave the socket in that state.
  }
}
