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
  /** Datagrams received but dropped before the relay's code saw them (a forwarder's full queue). */
  readonly droppedHandoffs?: number;
  /** True once a forwarder's thread stopped on an error: no socket is read any more. */
  readonly failed?: boolean;
}

/**
 * Where a stream's RTP goes when a socket forwards it without the relay seeing it: from
 * `source` (the latched phone) out of `to` toward `destination`, all but the payload types in
 * `divert` (telephone events), which still reach the receiver.
 */
export interface StreamRoute {
  readonly source: PacketSource;
  readonly to: RelaySocket;
  readonly destination: PacketSource;
  readonly divert: readonly number[];
}

/**
 * What a forwarding socket counted of the RTP it forwarded by itself: packets, bytes, ms since
 * the last one (-1: none yet), and loss over every RTP packet of the stream (RFC 3550 A.1),
 * including those the relay forwarded and passed to track().
 */
export type RelayCounters = Float64Array;

/** A socket that forwards an established stream's RTP itself (the native forwarder). */
export interface ForwardingSocket extends RelaySocket {
  /** Sets or (undefined) removes the route; false when none is set. */
  route(route: StreamRoute | undefined): boolean;
  /** An RTP packet the relay forwarded itself, for the loss count. */
  track(ssrc: number, sequence: number): void;
  /** Fills `out` (4 entries); false once closed. */
  counters(out: RelayCounters): boolean;
}

/** Whether a socket forwards routed RTP itself (the native forwarder's do). */
export function isForwarding(socket: RelaySocket | undefined): socket is ForwardingSocket {
  return socket !== undefined && 'route' in socket;
}
