import type { SipMessage, SipResponse } from '../message/sip-message.js';
import type { Clock } from '../timers/clock.js';
import { TimerWheelClock } from '../timers/timer-wheel-clock.js';
import {
  addressFamily, bareHost, formatHostPort, isBroadcastOrMulticast, isWildcard, normalizeAddress,
} from './host-address.js';
import { InboundDispatcher } from './inbound-dispatcher.js';
import { responseTarget } from './response-target.js';
import { type TcpLimits, TcpTransport } from './tcp-transport.js';
import {
  type Endpoint, type MessageSender, type MessageSource, type SendTarget, type Transport,
  type TransportCounters, TransportError, type TransportProtocol, type TransportUser,
} from './transport-types.js';
import { UdpTransport } from './udp-transport.js';

/** One socket to listen on. */
export interface ListenSpec {
  readonly protocol: TransportProtocol;
  readonly host: string;
  /** 0 for an ephemeral port (tests); localEndpoint() reports the one bound. */
  readonly port: number;
}

export interface TransportLayerOptions {
  readonly listen: readonly ListenSpec[];
  /** Address for Via and Contact when listening on a wildcard; else loopback is reported. */
  readonly advertise?: string;
  readonly user?: TransportUser;
  /** Idle timers of TCP connections; default a TimerWheelClock owned (and disposed) by the layer. */
  readonly clock?: Clock;
  readonly tcp?: TcpLimits;
  /** Receives whatever the transport user throws while handling a message. */
  readonly onUserError?: (error: unknown) => void;
}

type OnError = (error: TransportError) => void;

function ignore(): void {}

/**
 * The transport layer (RFC 3261 §18): owns the UDP sockets and TCP servers, delivers what
 * arrives to its TransportUser, and sends requests and responses on the right socket.
 */
export class TransportLayer implements MessageSender {
  private readonly inbound: InboundDispatcher;
  private readonly clock: Clock;
  private readonly ownedClock: TimerWheelClock | undefined;
  private readonly transports: Transport[];
  private state: 'new' | 'starting' | 'started' | 'stopped' = 'new';
  private disposing: Promise<void> | undefined;

  constructor(private readonly options: TransportLayerOptions) {
    this.inbound = new InboundDispatcher(options.onUserError);
    this.inbound.user = options.user;
    this.ownedClock = options.clock === undefined ? new TimerWheelClock() : undefined;
    this.clock = options.clock ?? (this.ownedClock as TimerWheelClock);
    this.transports = options.listen.map((spec) => this.create(spec));
  }

  setUser(user: TransportUser): void {
    this.inbound.user = user;
  }

  /** Binds every socket; on failure closes those already bound and names the one that failed. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`TransportLayer cannot start: it is ${this.state}`);
    this.state = 'starting';
    for (const transport of this.transports) {
      try {
        await transport.listen();
      } catch (error) {
        await this.dispose();
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`Cannot listen on ${transport.protocol} ${formatHostPort(transport.host, this.specPort(transport))}: ${reason}`);
      }
    }
    this.state = 'started';
  }

  stop(): Promise<void> {
    return this.dispose();
  }

  /** Closes every socket and connection; safe to call more than once. */
  dispose(): Promise<void> {
    if (this.disposing) return this.disposing;
    this.state = 'stopped';
    this.disposing = Promise.all(this.transports.map((t) => t.dispose())).then(() => this.ownedClock?.dispose());
    return this.disposing;
  }

  localEndpoint(protocol: TransportProtocol): Endpoint {
    const transport = this.transports.find((t) => t.protocol === protocol);
    const bound = transport?.bound;
    if (transport === undefined || bound === undefined) throw new Error(`No ${protocol} transport is listening`);
    return { protocol, address: this.advertised(bound.address), port: bound.port };
  }

  /** Every bound socket, with the address actually bound (wildcards included). */
  boundEndpoints(): Endpoint[] {
    const out: Endpoint[] = [];
    for (const t of this.transports) if (t.bound) out.push({ protocol: t.protocol, ...t.bound });
    return out;
  }

  isReliable(protocol: TransportProtocol): boolean {
    return protocol === 'tcp';
  }

  get counters(): Readonly<TransportCounters> {
    return { ...this.inbound.counters };
  }

  /** Open TCP connections, inbound and outbound. */
  get connectionCount(): number {
    let count = 0;
    for (const t of this.transports) if (t instanceof TcpTransport) count += t.connectionCount;
    return count;
  }

  send(message: SipMessage, target: SendTarget, onError: OnError = ignore): void {
    const transport = this.route(target, undefined, onError);
    if (transport) this.emit(transport, message.serialize(), target, onError);
  }

  /** Sends wire bytes serialised earlier, as a transaction retransmitting them does. */
  sendBytes(bytes: Buffer, target: SendTarget, onError: OnError = ignore): void {
    const transport = this.route(target, undefined, onError);
    if (transport) this.emit(transport, bytes, target, onError);
  }

  /** RFC 3261 §18.2.2, RFC 3581 §4: a response goes back the way its request came. */
  sendResponse(response: SipResponse, source: MessageSource, onError: OnError = ignore): void {
    const target = responseTarget(response, source);
    if (target instanceof TransportError) {
      this.fail(onError, target);
      return;
    }
    const transport = this.route(target, source, onError);
    if (transport) this.emit(transport, response.serialize(), target, onError);
  }

  private emit(transport: Transport, bytes: Buffer, target: SendTarget, onError: OnError): void {
    this.inbound.counters.messagesOut++;
    transport.send(bytes, target, (error) => this.fail(onError, error));
  }

  private route(target: SendTarget, source: MessageSource | undefined, onError: OnError): Transport | undefined {
    if (this.state !== 'started') {
      this.fail(onError, new TransportError('Transport layer is not running', target));
      return undefined;
    }
    if (isBroadcastOrMulticast(target.address)) {
      this.fail(onError, new TransportError('Refusing to send to a broadcast or multicast address', target));
      return undefined;
    }
    const transport = this.pick(target, source);
    if (transport === undefined) this.fail(onError, new TransportError(`No ${target.protocol} transport for this address`, target));
    return transport;
  }

  /**
   * The socket to send from: the one holding the flow; for a response over UDP the socket the
   * request arrived on (RFC 3581 §4: symmetric NATs only pass it back from there); else the
   * first socket of the protocol that can reach the address family.
   */
  private pick(target: SendTarget, source: MessageSource | undefined): Transport | undefined {
    // Loops rather than filter/find: this runs for every datagram sent.
    const { protocol, flowId } = target;
    if (flowId !== undefined) {
      for (const t of this.transports) if (t.protocol === protocol && t.hasFlow(flowId)) return t;
    }
    if (source !== undefined) {
      for (const t of this.transports) {
        if (t.protocol === protocol && t.bound?.port === source.localPort && this.sameLocal(t, source)) return t;
      }
    }
    const family = addressFamily(target.address);
    let first: Transport | undefined;
    for (const t of this.transports) {
      if (t.protocol !== protocol) continue;
      first ??= t;
      if (canReach(t, family)) return t;
    }
    return protocol === 'tcp' ? first : undefined;
  }

  private sameLocal(transport: Transport, source: MessageSource): boolean {
    return isWildcard(transport.host) || normalizeAddress(transport.bound?.address ?? '') === source.localAddress;
  }

  /**
   * Every failure reaches the caller after send() has returned, even one found at once, so a
   * state machine that sends from inside its handler is never re-entered by its own send.
   */
  private fail(onError: OnError, error: TransportError): void {
    this.inbound.counters.sendErrors++;
    queueMicrotask(() => onError(error));
  }

  private advertised(bound: string): string {
    if (!isWildcard(bound)) return normalizeAddress(bound);
    return this.options.advertise ?? (bareHost(bound) === '::' ? '::1' : '127.0.0.1');
  }

  private specPort(transport: Transport): number {
    return this.options.listen[this.transports.indexOf(transport)]?.port ?? 0;
  }

  private create(spec: ListenSpec): Transport {
    if (spec.protocol === 'udp') return new UdpTransport(spec, this.inbound);
    return new TcpTransport({ ...this.options.tcp, host: spec.host, port: spec.port, clock: this.clock }, this.inbound);
  }
}

/** Host names can go anywhere; an IPv6 wildcard socket is dual-stack and reaches IPv4 too. */
function canReach(transport: Transport, family: 0 | 4 | 6): boolean {
  if (family === 0) return true;
  const local = transport.bound?.address ?? transport.host;
  const own = addressFamily(local);
  return own === family || (own === 6 && family === 4 && isWildcard(local));
}
