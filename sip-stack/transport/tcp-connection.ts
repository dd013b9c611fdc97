import type { Socket } from 'node:net';
import { type FramerEvent, type FramingError, StreamFramer, type StreamFramerOptions } from '../parser/stream-framer.js';
import type { Clock, TimerHandle } from '../timers/clock.js';
import { framingErrorResponse } from './framing-error-response.js';
import { addressKey, normalizeAddress } from './host-address.js';
import { type MessageSource, type SendTarget, TransportError } from './transport-types.js';

/** What a connection reports to the transport that owns it. */
export interface TcpConnectionOwner {
  onMessage(bytes: Buffer, source: MessageSource): void;
  onPing(): void;
  onFramingError(error: FramingError): void;
  onClose(connection: TcpConnection): void;
}

export interface TcpConnectionOptions {
  readonly flowId: string;
  /** True for connections we opened; their target is known before the socket connects. */
  readonly outbound: boolean;
  readonly remote: { readonly address: string; readonly port: number };
  readonly clock: Clock;
  readonly idleMs: number;
  /** Once a message's first byte has arrived, how long the rest of it may take. */
  readonly messageDeadlineMs: number;
  /** Outbound only: how long the TCP handshake may take. */
  readonly connectTimeoutMs: number;
  /** Beyond this many unsent bytes the peer is not reading and the connection is dropped. */
  readonly maxWriteBuffer: number;
  readonly framer: StreamFramerOptions;
}

interface PendingWrite {
  readonly bytes: Buffer;
  readonly target: SendTarget;
  readonly onError: (error: TransportError) => void;
}

const PONG = Buffer.from('\r\n');

/**
 * One TCP connection: framing, keep-alive answers, writes queued until connected, and closing
 * when idle or when a message started is not completed in time.
 */
export class TcpConnection {
  readonly flowId: string;
  readonly outbound: boolean;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly key: string;
  private readonly framer: StreamFramer;
  private connected: boolean;
  private pending: PendingWrite[] = [];
  private lastActivity: number;
  private idleTimer: TimerHandle | undefined;
  /** When the first byte of the message still being framed arrived; undefined between messages. */
  private messageStartedAt: number | undefined;
  private messageTimer: TimerHandle | undefined;
  private closing = false;
  private failure: string | undefined;
  private local: { address: string; port: number } | undefined;

  constructor(private readonly socket: Socket, private readonly owner: TcpConnectionOwner, private readonly options: TcpConnectionOptions) {
    this.flowId = options.flowId;
    this.outbound = options.outbound;
    this.remoteAddress = normalizeAddress(options.remote.address);
    this.remotePort = options.remote.port;
    this.key = addressKey(this.remoteAddress, this.remotePort);
    this.framer = new StreamFramer(options.framer);
    this.connected = !options.outbound;
    this.lastActivity = options.clock.now();
    socket.setNoDelay(true);
    socket.on('connect', () => this.onConnect());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => (this.failure ??= error.message));
    socket.on('close', () => this.onClose());
    this.armIdle(options.idleMs);
    if (!this.connected) this.armConnectTimeout();
  }

  /** Open for new writes: not closed, not being closed after an error or idle time. */
  get isOpen(): boolean {
    return !this.closing && !this.socket.destroyed;
  }

  write(bytes: Buffer, target: SendTarget, onError: (error: TransportError) => void): void {
    if (!this.isOpen) {
      onError(new TransportError('Connection closed', target));
      return;
    }
    if (!this.connected) {
      this.pending.push({ bytes, target, onError });
      return;
    }
    this.touch();
    this.socket.write(bytes, (error) => {
      if (error) onError(new TransportError(error.message, target));
    });
    if (this.socket.writableLength > this.options.maxWriteBuffer) this.abort('Peer is not reading');
  }

  /** Closes at once; queued writes fail. Idempotent. */
  destroy(): void {
    this.closing = true;
    this.cancelTimers();
    this.socket.destroy();
  }

  private abort(reason: string): void {
    this.failure ??= reason;
    this.destroy();
  }

  private onConnect(): void {
    this.connected = true;
    this.touch();
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) this.write(p.bytes, p.target, p.onError);
  }

  private onData(chunk: Buffer): void {
    this.touch();
    let completed = false;
    for (const event of this.framer.push(chunk)) {
      // A handler above may have closed us (or the whole transport) mid-chunk.
      if (this.closing) return;
      completed ||= event.type === 'message';
      this.handle(event);
    }
    if (!this.closing) this.trackMessageStart(completed);
  }

  /**
   * Bytes held by the framer mean a message has begun; keep-alive CRLFs are never held, so they
   * start no deadline. A message completed in this chunk means any held bytes began a new one.
   */
  private trackMessageStart(completed: boolean): void {
    if (this.framer.bufferedBytes === 0) {
      this.messageStartedAt = undefined;
      return;
    }
    if (this.messageStartedAt !== undefined && !completed) return;
    this.messageStartedAt = this.options.clock.now();
    if (this.messageTimer === undefined) this.armMessageDeadline(this.options.messageDeadlineMs);
  }

  private handle(event: FramerEvent): void {
    if (event.type === 'message') this.owner.onMessage(event.bytes, this.source());
    else if (event.type === 'ping') this.answerPing();
    else this.closeOnFramingError(event);
  }

  /** RFC 5626 §3.5.1: a CRLFCRLF ping is answered with a single CRLF pong. */
  private answerPing(): void {
    if (!this.isOpen) return;
    this.owner.onPing();
    this.socket.write(PONG);
  }

  /** The stream has lost its framing: answer the request if it can be read, then hang up. */
  private closeOnFramingError(error: FramingError): void {
    this.owner.onFramingError(error);
    this.failure ??= error.reason;
    this.closing = true;
    this.cancelTimers();
    const answer = framingErrorResponse(error);
    if (answer === undefined) this.socket.destroy();
    else this.socket.end(answer, () => this.socket.destroy());
  }

  private onClose(): void {
    this.closing = true;
    this.cancelTimers();
    const reason = this.failure ?? 'Connection closed';
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) p.onError(new TransportError(reason, p.target));
    this.owner.onClose(this);
  }

  private source(): MessageSource {
    // Read once: each socket.localAddress read is a getsockname() call.
    const local = (this.local ??= { address: normalizeAddress(this.socket.localAddress ?? ''), port: this.socket.localPort ?? 0 });
    return {
      protocol: 'tcp',
      address: this.remoteAddress,
      port: this.remotePort,
      localAddress: local.address,
      localPort: local.port,
      flowId: this.flowId,
    };
  }

  private touch(): void {
    this.lastActivity = this.options.clock.now();
  }

  private armConnectTimeout(): void {
    const timer = this.options.clock.setTimer(this.options.connectTimeoutMs, () => {
      if (!this.connected) this.abort('Connection timed out');
    });
    this.socket.once('connect', () => timer.cancel());
    this.socket.once('close', () => timer.cancel());
  }

  /**
   * RFC 3261 §18.3: a message ends where its Content-Length says, so one never completed can get
   * no answer; close rather than hold the connection and its bytes until the idle timeout
   * (slowloris). Like the idle timer it is re-armed for the remainder, and a deadline that lapses
   * between messages is simply not re-armed, so steady traffic never churns timers.
   */
  private armMessageDeadline(delayMs: number): void {
    this.messageTimer = this.options.clock.setTimer(delayMs, () => {
      this.messageTimer = undefined;
      if (this.messageStartedAt === undefined) return;
      const age = this.options.clock.now() - this.messageStartedAt;
      if (age >= this.options.messageDeadlineMs) this.abort('Message not completed in time');
      else this.armMessageDeadline(this.options.messageDeadlineMs - age);
    });
  }

  private cancelTimers(): void {
    this.idleTimer?.cancel();
    this.messageTimer?.cancel();
    this.messageTimer = undefined;
  }

  /** One timer per connection, re-armed for the remainder, so traffic never churns timers. */
  private armIdle(delayMs: number): void {
    this.idleTimer = this.options.clock.setTimer(delayMs, () => {
      const idle = this.options.clock.now() - this.lastActivity;
      if (idle >= this.options.idleMs) this.abort('Idle timeout');
      else this.armIdle(this.options.idleMs - idle);
    });
  }
}
