/** Where a datagram came from; dgram's RemoteInfo has this shape. */
export interface PacketSource {
  readonly address: string;
  readonly port: number;
}

/**
 * Receives each datagram as dgram delivers it, with the Buffer dgram allocated. An object
 * rather than a callback, so that every socket shares one listener instead of a closure each.
 */
export interface PacketReceiver {
  receivePacket(packet: Buffer, source: PacketSource): void;
}

/** One bound UDP socket of the relay. */
export interface RelaySocket {
  /** Sends `packet` as is (no copy). */
  send(packet: Buffer, port: number, address: string): void;
  /**
   * Ties the socket to one peer (a connected UDP socket): the kernel refuses datagrams from any
   * other source before they reach the handler, and sends to the peer skip the per-packet route
   * lookup. `undefined` unties it. The caller still filters sources itself: this only moves the
   * refusal into the kernel. A send to another destination unties the socket first.
   * `localAddress` is where the phone sends to (our SDP's address): connecting a socket bound to
   * the wildcard address also fixes its local address to the route's source for the peer, and
   * where the two differ (a host with several addresses) the socket would stop hearing the
   * phone, so it is left untied. Returns whether the socket is tied.
   */
  pin(peer: PacketSource | undefined, localAddress?: string): boolean;
  /** Idempotent. */
  close(): void;
}

export type BindResult =
  | { readonly ok: true; readonly socket: RelaySocket }
  | { readonly ok: false; readonly code: string };

/** Binds relay sockets and counts those still open, so a leak shows as a number. */
export interface SocketFactory {
  bind(address: string, port: number, receiver: PacketReceiver): Promise<BindResult>;
  readonly openCount: number;
}
