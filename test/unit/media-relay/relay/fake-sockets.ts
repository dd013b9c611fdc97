import type { BindResult, PacketReceiver, PacketSource, RelaySocket, SocketFactory } from '../../../../media-relay/relay/relay-socket.js';

export interface SentPacket {
  readonly packet: Buffer;
  readonly port: number;
  readonly address: string;
}

export class FakeSocket implements RelaySocket {
  readonly sent: SentPacket[] = [];
  closed = false;
  /** The peer the socket is connected to, as the kernel would hold it. */
  pinned: PacketSource | undefined = undefined;
  /** Datagrams the kernel would have refused because the socket is pinned to another peer. */
  refused = 0;

  constructor(readonly port: number, private readonly receiver: PacketReceiver, private readonly onClose: () => void) {}

  send(packet: Buffer, port: number, address: string): void {
    if (this.pinned !== undefined && (port !== this.pinned.port || address !== this.pinned.address)) this.pinned = undefined;
    this.sent.push({ packet, port, address });
  }

  pin(peer: PacketSource | undefined): boolean {
    this.pinned = peer;
    return peer !== undefined;
  }

  /** A datagram arrives; a pinned socket only hears its peer. */
  onPacket(packet: Buffer, from: PacketSource): void {
    if (this.pinned !== undefined && (from.port !== this.pinned.port || from.address !== this.pinned.address)) {
      this.refused++;
      return;
    }
    this.receiver.receivePacket(packet, from);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}

/** Sockets without a network: tests deliver datagrams by port and read what was sent. */
export class FakeSocketFactory implements SocketFactory {
  /** Open sockets by local port. */
  readonly sockets = new Map<number, FakeSocket>();
  /** Ports some other program holds: binding them fails with EADDRINUSE. */
  readonly busy = new Set<number>();

  get openCount(): number {
    return this.sockets.size;
  }

  async bind(_address: string, port: number, receiver: PacketReceiver): Promise<BindResult> {
    if (this.busy.has(port) || this.sockets.has(port)) return { ok: false, code: 'EADDRINUSE' };
    const socket = new FakeSocket(port, receiver, () => this.sockets.delete(port));
    this.sockets.set(port, socket);
    return { ok: true, socket };
  }

  socket(port: number): FakeSocket {
    const socket = this.sockets.get(port);
    if (socket === undefined) throw new Error(`no socket on port ${port}`);
    return socket;
  }

  deliver(port: number, packet: Buffer, from: PacketSource): void {
    this.socket(port).onPacket(packet, from);
  }

  /** Everything sent from every socket, oldest first. */
  allSent(): (SentPacket & { from: number })[] {
    return [...this.sockets.values()].flatMap((socket) => socket.sent.map((sent) => ({ ...sent, from: socket.port })));
  }
}
