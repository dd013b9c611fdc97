import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { CR, LF } from '../parser/char-codes.js';
import { bareHost, normalizeAddress } from './host-address.js';
import type { InboundDispatcher } from './inbound-dispatcher.js';
import {
  type BoundAddress, type MessageSource, type SendTarget, type Transport, TransportError,
} from './transport-types.js';
import { isDottedQuad, udpLookup } from './udp-lookup.js';

/** Requested SO_RCVBUF of a SIP socket. */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

export interface UdpTransportOptions {
  /** IPv4 or IPv6 address to bind; an IPv6 one (including "::") makes a udp6 socket. */
  readonly host: string;
  /** 0 binds an ephemeral port; `bound.port` reports it. */
  readonly port: number;
}

/**
 * SIP over UDP: one datagram is one message (RFC 3261 §18.3). Requests larger than the path
 * MTU are still sent over UDP; §18.1.1 would move those above 1300 bytes to TCP, which is the
 * caller's choice of target protocol, not this socket's.
 */
export class UdpTransport implements Transport {
  readonly protocol = 'udp';
  readonly reliable = false;
  readonly host: string;
  private readonly port: number;
  /** Fixed by the bind address; asked on every send, so worked out once. */
  private readonly ipv6: boolean;
  private socket: dgram.Socket | undefined;
  private boundAddress: BoundAddress | undefined;
  private closing: Promise<void> | undefined;
  private lastAddress = '';

  constructor(options: UdpTransportOptions, private readonly inbound: InboundDispatcher) {
    this.host = bareHost(options.host);
    this.port = options.port;
    this.ipv6 = isIPv6(this.host);
  }

  get bound(): BoundAddress | undefined {
    return this.boundAddress;
  }

  listen(): Promise<BoundAddress> {
    // A burst of requests (every phone re-registering after an outage) must wait in the kernel
    // while the event loop is busy, not be dropped; the kernel caps this at net.core.rmem_max.
    const socket = dgram.createSocket({
      type: this.ipv6 ? 'udp6' : 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES, lookup: udpLookup,
    });
    return new Promise((resolve, reject) => {
      const failBind = (error: Error): void => {
        socket.close();
        reject(error);
      };
      socket.once('error', failBind);
      socket.bind({ port: this.port, address: this.host }, () => {
        socket.off('error', failBind);
        // Errors of individual sends reach their callbacks; nothing else may crash the process.
        socket.on('error', () => undefined);
        socket.on('message', (bytes, rinfo) => this.receive(bytes, rinfo));
        const { address, port } = socket.address();
        this.socket = socket;
        this.boundAddress = { address, port };
        resolve(this.boundAddress);
      });
    });
  }

  send(bytes: Buffer, target: SendTarget, onError: (error: TransportError) => void): void {
    const socket = this.socket;
    if (socket === undefined || this.closing) {
      onError(new TransportError('UDP socket is closed', target));
      return;
    }
    const address = this.socketAddress(target.address);
    if (address === undefined) {
      onError(new TransportError('Address family not served by this socket', target));
      return;
    }
    try {
      socket.send(bytes, target.port, address, (error) => {
        if (error) onError(new TransportError(error.message, target));
      });
    } catch (error) {
      // dgram validates the port and address synchronously.
      onError(new TransportError(error instanceof Error ? error.message : String(error), target));
    }
  }

  hasFlow(): boolean {
    return false;
  }

  dispose(): Promise<void> {
    if (this.closing) return this.closing;
    const socket = this.socket;
    this.socket = undefined;
    this.closing = socket === undefined ? Promise.resolve() : new Promise((resolve) => socket.close(() => resolve()));
    return this.closing;
  }

  /**
   * A udp6 socket reaches IPv4 peers through IPv4-mapped addresses; a udp4 one cannot reach IPv6.
   * Char tests rather than net.isIP, whose regex would run on every datagram.
   */
  private socketAddress(address: string): string | undefined {
    const bare = bareHost(address);
    if (this.ipv6) return isDottedQuad(bare) ? `::ffff:${bare}` : bare;
    return bare.includes(':') ? undefined : bare;
  }

  /**
   * dgram makes a new address string per datagram, and transactions keep their source for
   * 32 s: datagrams in a row from one peer (a registrar's busiest case) share one string.
   */
  private sharedAddress(address: string): string {
    if (address === this.lastAddress) return this.lastAddress;
    this.lastAddress = address;
    return address;
  }

  private receive(bytes: Buffer, rinfo: dgram.RemoteInfo): void {
    // Phones keep NAT bindings open with bare CRLF datagrams; they carry no message.
    if (isOnlyLineEnds(bytes)) return;
    const bound = this.boundAddress;
    const source: MessageSource = {
      protocol: 'udp',
      address: this.sharedAddress(normalizeAddress(rinfo.address)),
      port: rinfo.port,
      localAddress: bound?.address ?? this.host,
      localPort: bound?.port ?? this.port,
      flowId: undefined,
    };
    this.inbound.dispatch(bytes, source, false);
  }
}

function isOnlyLineEnds(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== CR && bytes[i] !== LF) return false;
  return true;
}
