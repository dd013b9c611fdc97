import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { FramingError } from '../../../../sip-stack/parser/stream-framer.js';
import { FakeClock } from '../../../../sip-stack/timers/fake-clock.js';
import { TcpConnection, type TcpConnectionOwner } from '../../../../sip-stack/transport/tcp-connection.js';
import type { MessageSource } from '../../../../sip-stack/transport/transport-types.js';
import { request } from './transport-test-helpers.js';

const DEADLINE_MS = 32_000;
const IDLE_MS = 15 * 60_000;

/** The part of a net.Socket a TcpConnection uses; the test plays the peer by emitting 'data'. */
class FakeSocket extends EventEmitter {
  destroyed = false;
  readonly writableLength = 0;
  readonly localAddress = '127.0.0.1';
  readonly localPort = 5060;
  readonly written: Buffer[] = [];

  setNoDelay(): this {
    return this;
  }

  write(bytes: Buffer | string, done?: (error?: Error | null) => void): boolean {
    this.written.push(Buffer.from(bytes));
    done?.(null);
    return true;
  }

  end(bytes: Buffer | string, done?: () => void): this {
    this.write(bytes);
    done?.();
    return this.destroy();
  }

  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.emit('close', false);
    return this;
  }

  /** The peer's bytes arriving. */
  receive(bytes: Buffer | string): void {
    this.emit('data', Buffer.from(bytes));
  }
}

class RecordingOwner implements TcpConnectionOwner {
  readonly messages: Buffer[] = [];
  readonly framingErrors: FramingError[] = [];
  pings = 0;
  closed = 0;

  onMessage(bytes: Buffer, _source: MessageSource): void {
    this.messages.push(bytes);
  }

  onPing(): void {
    this.pings++;
  }

  onFramingError(error: FramingError): void {
    this.framingErrors.push(error);
  }

  onClose(): void {
    this.closed++;
  }
}

function open(messageDeadlineMs = DEADLINE_MS): { socket: FakeSocket; owner: RecordingOwner; clock: FakeClock; connection: TcpConnection } {
  const socket = new FakeSocket();
  const owner = new RecordingOwner();
  const clock = new FakeClock();
  const connection = new TcpConnection(socket as unknown as Socket, owner, {
    flowId: 'tcp-test',
    outbound: false,
    remote: { address: '192.0.2.7', port: 5070 },
    clock,
    idleMs: IDLE_MS,
    messageDeadlineMs,
    connectTimeoutMs: 10_000,
    maxWriteBuffer: 1024 * 1024,
    framer: {},
  });
  return { socket, owner, clock, connection };
}

function options(branch: string, body = ''): Buffer {
  return request(`SIP/2.0/TCP 192.0.2.7:5070;branch=${branch}`, 'OPTIONS', body);
}

function halves(bytes: Buffer): [Buffer, Buffer] {
  const cut = Math.floor(bytes.length / 2);
  return [bytes.subarray(0, cut), bytes.subarray(cut)];
}

describe('TcpConnection: per-message read deadline (slowloris)', () => {
  it('closes a connection whose message stops half way through its headers, at the deadline', () => {
    const { socket, owner, clock, connection } = open();
    socket.receive(halves(options('z9hG4bKhalf'))[0]);
    clock.advance(DEADLINE_MS - 1);
    expect(connection.isOpen).toBe(true);
    clock.advance(1);
    expect(socket.destroyed).toBe(true);
    expect(owner.closed).toBe(1);
    // Nothing can be answered without a complete message.
    expect(socket.written).toEqual([]);
    expect(clock.pendingCount()).toBe(0);
  });

  it('closes a connection whose headers promise a body that never comes', () => {
    const { socket, owner, clock } = open();
    const m = options('z9hG4bKbody', 'v=0\r\no=- 1 1 IN IP4 192.0.2.7\r\n');
    socket.receive(m.subarray(0, m.length - 5));
    clock.advance(DEADLINE_MS);
    expect(socket.destroyed).toBe(true);
    expect(owner.messages).toEqual([]);
  });

  it('closes a peer that dribbles bytes: it is never idle, yet its message never ends in time', () => {
    const { socket, clock } = open();
    const m = options('z9hG4bKdribble');
    for (let i = 0; i < 31; i++) {
      socket.receive(m.subarray(i, i + 1));
      clock.advance(1_000);
    }
    expect(socket.destroyed).toBe(false);
    socket.receive(m.subarray(31, 32));
    clock.advance(1_000);
    expect(socket.destroyed).toBe(true);
  });

  it('delivers a message completed within the deadline, and the lapsed deadline closes nothing', () => {
    const { socket, owner, clock, connection } = open();
    const m = options('z9hG4bKslow');
    const [first, second] = halves(m);
    socket.receive(first);
    clock.advance(DEADLINE_MS - 1);
    socket.receive(second);
    expect(owner.messages).toEqual([m]);
    clock.advance(10 * DEADLINE_MS);
    expect(connection.isOpen).toBe(true);
    // Only the idle timer is left.
    expect(clock.pendingCount()).toBe(1);
  });

  it('each message has its own deadline, counted from its first byte', () => {
    const { socket, owner, clock } = open();
    const a = options('z9hG4bKa');
    const b = options('z9hG4bKb');
    const [aFirst, aRest] = halves(a);
    const [bFirst] = halves(b);
    socket.receive(aFirst);
    clock.advance(20_000);
    // One chunk completes the first message and begins the second.
    socket.receive(Buffer.concat([aRest, bFirst]));
    expect(owner.messages).toEqual([a]);
    clock.advance(DEADLINE_MS - 1);
    expect(socket.destroyed).toBe(false);
    clock.advance(1);
    expect(socket.destroyed).toBe(true);
  });

  it('complete messages, even back to back, arm no deadline', () => {
    const { socket, owner, clock } = open();
    const m = options('z9hG4bKfast');
    for (let i = 0; i < 100; i++) socket.receive(m);
    expect(owner.messages).toHaveLength(100);
    expect(clock.pendingCount()).toBe(1);
  });

  it('RFC 5626 §3.5.1: CRLF keep-alives between messages start no deadline; the idle timeout still applies', () => {
    const { socket, owner, clock, connection } = open();
    socket.receive(options('z9hG4bKreg'));
    socket.receive('\r\n\r\n');
    socket.receive('\r\n');
    clock.advance(2 * DEADLINE_MS);
    socket.receive('\r\n');
    expect(owner.pings).toBe(2);
    expect(clock.pendingCount()).toBe(1);
    clock.advance(IDLE_MS - 1);
    expect(connection.isOpen).toBe(true);
    clock.advance(1);
    expect(socket.destroyed).toBe(true);
  });

  it('a peer that closes mid-message leaves no timer behind', () => {
    const { socket, owner, clock } = open();
    socket.receive(halves(options('z9hG4bKgone'))[0]);
    expect(clock.pendingCount()).toBe(2);
    socket.emit('close', false);
    expect(owner.closed).toBe(1);
    expect(clock.pendingCount()).toBe(0);
  });

  it('destroy() mid-message leaves no timer behind', () => {
    const { socket, clock, connection } = open();
    socket.receive(halves(options('z9hG4bKdestroy'))[0]);
    connection.destroy();
    expect(clock.pendingCount()).toBe(0);
  });

  it('a framing error mid-stream leaves no deadline behind', () => {
    const { socket, owner, clock } = open();
    socket.receive(halves(options('z9hG4bKok'))[0]);
    socket.receive('\r\nContent-Length: x\r\n\r\n');
    expect(owner.framingErrors).toHaveLength(1);
    expect(clock.pendingCount()).toBe(0);
  });
});
