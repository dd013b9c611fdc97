import net from 'node:net';
import type { FramingError, StreamFramerOptions } from '../parser/stream-framer.js';
import type { Clock } from '../timers/clock.js';
import { DEFAULT_TIMER_BASE } from '../timers/timer-config.js';
import { addressKey, bareHost, isWildcard, addressFamily } from './host-address.js';
import type { InboundDispatcher } from './inbound-dispatcher.js';
import { TcpConnection, type TcpConnectionOptions, type TcpConnectionOwner } from './tcp-connection.js';
import {
  type BoundAddress, type MessageSource, type SendTarget, type Transport, TransportError,
} from './transport-types.js';

export interface TcpLimits {
  /** Open connections, inbound and outbound together. Default 10,000. */
  readonly maxConnections?: number;
  /**
   * Idle time before closing a connection a peer opened. Long by default (15 min): phones keep
   * their NAT binding and their registration flow on it (RFC 5626).
   */
  readonly inboundIdleMs?: number;
  /** Idle time before closing a connection we opened. Default 64*T1. */
  readonly outboundIdleMs?: number;
  /**
   * Once the first byte of a message has arrived, how long the whole message (headers and
   * Content-Length body) may take before the connection is closed; keep-alive CRLFs between
   * messages start nothing. Default 64*T1 (32 s).
   */
  readonly messageDeadlineMs?: number;
  /** How long an outbound TCP handshake may take. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Unsent bytes beyond which a peer that does not read is dropped. Default 1 MiB. */
  readonly maxWriteBuffer?: number;
  readonly framer?: StreamFramerOptions;
}

export interface TcpTransportOptions extends TcpLimits {
  readonly host: string;
  /** 0 binds an ephemeral port; `bound.port` reports it. */
  readonly port: number;
  readonly clock: Clock;
}

export const DEFAULT_MAX_CONNECTIONS = 10_000;
export const DEFAULT_INBOUND_IDLE_MS = 15 * 60_000;
export const DEFAULT_OUTBOUND_IDLE_MS = 64 * DEFAULT_TIMER_BASE.t1;
export const DEFAULT_MESSAGE_DEADLINE_MS = 64 * DEFAULT_TIMER_BASE.t1;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_WRITE_BUFFER = 1024 * 1024;

let flowCounter = 0;

/** Unique in the process, so a flow id from a closed connection never names a new one. */
function nextFlowId(): string {
  return `tcp-${++flowCounter}`;
}

/**
 * SIP over TCP: a listening server plus the connections it accepted and opened, found by flow
 * id and by peer address so that later messages reuse them (RFC 3261 §18, RFC 5923 spirit).
 */
export class TcpTransport implements Transport, TcpConnectionOwner {
  readonly protocol = 'tcp';
  readonly reliable = true;
  readonly host: string;
  private readonly flows = new Map<string, TcpConnection>();
  private readonly byAddress = new Map<string, TcpConnection>();
  private server: net.Server | undefined;
  private boundAddress: BoundAddress | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: TcpTransportOptions, private readonly inbound: InboundDispatcher) {
    this.host = bareHost(options.host);
  }

  get bound(): BoundAddress | undefined {
    return this.boundAddress;
  }

  get connectionCount(): number {
    return this.flows.size;
  }

  listen(): Promise<BoundAddress> {
    const server = net.createServer((socket) => this.accept(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: this.options.port, host: this.host, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', () => undefined);
        const address = server.address() as net.AddressInfo;
        this.server = server;
        this.boundAddress = { address: address.address, port: address.port };
        resolve(this.boundAddress);
      });
    });
  }

  send(bytes: Buffer, target: SendTarget, onError: (error: TransportError) => void): void {
    if (this.closing) {
      onError(new TransportError('TCP transport is closed', target));
      return;
    }
    const connection = this.reusable(target) ?? this.connect(target, onError);
    connection?.write(bytes, target, onError);
  }

  hasFlow(flowId: string): boolean {
    return this.flows.get(flowId)?.isOpen ?? false;
  }

  dispose(): Promise<void> {
    if (this.closing) return this.closing;
    const server = this.server;
    this.server = undefined;
    for (const connection of [...this.flows.values()]) connection.destroy();
    this.closing = server === undefined ? Promise.resolve() : new Promise((resolve) => server.close(() => resolve()));
    return this.closing;
  }

  // ---- TcpConnectionOwner -------------------------------------------------------------------

  onMessage(bytes: Buffer, source: MessageSource): void {
    this.inbound.dispatch(bytes, source, true);
  }

  onPing(): void {
    this.inbound.counters.keepAlivePings++;
  }

  onFramingError(_error: FramingError): void {
    this.inbound.counters.framingErrors++;
  }

  onClose(connection: TcpConnection): void {
    this.flows.delete(connection.flowId);
    if (this.byAddress.get(connection.key) === connection) this.byAddress.delete(connection.key);
  }

  // ---- connections --------------------------------------------------------------------------

  /** The flow asked for if still open, else any open connection to the same address and port. */
  private reusable(target: SendTarget): TcpConnection | undefined {
    if (target.flowId !== undefined) {
      const flow = this.flows.get(target.flowId);
      if (flow?.isOpen) return flow;
    }
    const byAddress = this.byAddress.get(addressKey(target.address, target.port));
    return byAddress?.isOpen ? byAddress : undefined;
  }

  private accept(socket: net.Socket): void {
    const { remoteAddress, remotePort } = socket;
    if (this.closing || remoteAddress === undefined || remotePort === undefined || this.atLimit()) {
      socket.destroy();
      return;
    }
    this.inbound.counters.connectionsAccepted++;
    this.register(socket, { address: remoteAddress, port: remotePort }, false);
  }

  private connect(target: SendTarget, onError: (error: TransportError) => void): TcpConnection | undefined {
    if (this.atLimit()) {
      onError(new TransportError('Connection limit reached', target));
      return undefined;
    }
    const host = bareHost(target.address);
    let socket: net.Socket;
    try {
      socket = net.connect({ host, port: target.port, localAddress: this.localAddressFor(host) });
    } catch (error) {
      // net validates some options synchronously; sending must never throw.
      onError(new TransportError(error instanceof Error ? error.message : String(error), target));
      return undefined;
    }
    this.inbound.counters.connectionsOpened++;
    return this.register(socket, { address: host, port: target.port }, true);
  }

  /** Outbound connections leave from the address we listen on, unless that is a wildcard. */
  private localAddressFor(host: string): string | undefined {
    if (isWildcard(this.host)) return undefined;
    return addressFamily(host) === addressFamily(this.host) ? this.host : undefined;
  }

  private register(socket: net.Socket, remote: { address: string; port: number }, outbound: boolean): TcpConnection {
    const connection = new TcpConnection(socket, this, this.connectionOptions(remote, outbound));
    this.flows.set(connection.flowId, connection);
    this.byAddress.set(connection.key, connection);
    return connection;
  }

  private connectionOptions(remote: { address: string; port: number }, outbound: boolean): TcpConnectionOptions {
    const o = this.options;
    return {
      flowId: nextFlowId(),
      outbound,
      remote,
      clock: o.clock,
      idleMs: outbound ? (o.outboundIdleMs ?? DEFAULT_OUTBOUND_IDLE_MS) : (o.inboundIdleMs ?? DEFAULT_INBOUND_IDLE_MS),
      messageDeadlineMs: o.messageDeadlineMs ?? DEFAULT_MESSAGE_DEADLINE_MS,
      connectTimeoutMs: o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      maxWriteBuffer: o.maxWriteBuffer ?? DEFAULT_MAX_WRITE_BUFFER,
      framer: o.framer ?? {},
    };
  }

  private atLimit(): boolean {
    if (this.flows.size < (this.options.maxConnections ?? DEFAULT_MAX_CONNECTIONS)) return false;
    this.inbound.counters.connectionsRejected++;
    return true;
  }
}
