import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { BindResult, PacketHandler, RelaySocket, SocketFactory } from './relay-socket.js';

function ignore(): void {}

/** dgram sockets, registered while open. */
export class UdpSocketFactory implements SocketFactory {
  private open = 0;

  get openCount(): number {
    return this.open;
  }

  bind(address: string, port: number, onPacket: PacketHandler): Promise<BindResult> {
    return new Promise((resolve) => {
      const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
      const onError = (error: NodeJS.ErrnoException): void => {
        closeQuietly(socket);
        resolve({ ok: false, code: error.code ?? 'EUNKNOWN' });
      };
      socket.once('error', onError);
      socket.bind({ address, port, exclusive: true }, () => {
        socket.off('error', onError);
        // Send errors (ICMP unreachable and the like) are the far end's problem, not a crash.
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

  constructor(private readonly socket: Socket, private readonly onClose: () => void) {}

  send(packet: Buffer, port: number, address: string): void {
    if (!this.closed) this.socket.send(packet, port, address);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.removeAllListeners('message');
    closeQuietly(this.socket);
    this.onClose();
  }
}

function closeQuietly(socket: Socket): void {
  try {
    socket.close();
  } catch {
    // Already closed: a failed bind may leave the socket in that state.
  }
}
