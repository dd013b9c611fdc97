import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { literalFamily, literalLookup } from './literal-lookup.js';
import type { BindResult, PacketHandler, PacketSource, RelaySocket, SocketFactory } from './relay-socket.js';

function ignore(): void {}

/** dgram sockets, registered while open. */
export class UdpSocketFactory implements SocketFactory {
  private open = 0;

  get openCount(): number {
    return this.open;
  }

  bind(address: string, port: number, onPacket: PacketHandler): Promise<BindResult> {
    return new Promise((resolve) => {
      const socket = createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4', lookup: literalLookup });
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
        socket.on('message', onPacket);
        this.open++;
        resolve({ ok: true, socket: new UdpRelaySocket(socket, () => { this.open--; }) });
      });
    });
  }
}

class UdpRelaySocket implements RelaySocket {
  private closed = false;
  /** The connected peer; port 0 while unpinned. */
  private peerAddress = '';
  private peerPort = 0;

  constructor(private readonly socket: Socket, private readonly onClose: () => void) {}

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
    this.onClose();
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
