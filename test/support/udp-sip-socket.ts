import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { SipText } from './sip-text.js';

export interface SipAddress {
  readonly host: string;
  readonly port: number;
}

/** One SIP message as it crossed the phone's socket (outgoing: exactly the bytes sent). */
export class SipLogEntry extends SipText {
  constructor(
    readonly direction: 'in' | 'out',
    /** The other end: where it was sent to, or where it came from ("host:port"). */
    readonly peer: string,
    raw: string,
    readonly at = Date.now(),
  ) {
    super(raw);
  }
}

/**
 * The phone's SIP socket: one UDP socket on loopback, port 0, that sends everything to one
 * configured server (the softswitch, or another phone in the unit tests) and records all
 * traffic. It exists before the sip.js UserAgent, because the UserAgent's Via and Contact
 * must name the port the socket got.
 */
export class UdpSipSocket {
  readonly log: SipLogEntry[] = [];
  /** Where every outgoing message goes. May be set after creation (phones wired to each other). */
  server: SipAddress | undefined;
  /** Receives every non-empty datagram as text. */
  onMessage: ((text: string) => void) | undefined;
  /** Datagrams lost on purpose (see loseNext), in arrival order. */
  readonly lost: string[] = [];
  private readonly losses: Array<(text: string) => boolean> = [];
  private isClosed = false;

  private constructor(
    private readonly socket: Socket,
    readonly address: SipAddress,
  ) {
    socket.on('message', (data, from) => this.receive(data, from));
    // An unconnected UDP socket should not error on loopback; if it does, a test must not
    // crash the worker: the missing response then shows up as a named timeout.
    socket.on('error', () => undefined);
  }

  static async bind(host = '127.0.0.1'): Promise<UdpSipSocket> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new UdpSipSocket(socket, { host, port: socket.address().port });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  send(text: string): Promise<void> {
    const server = this.server;
    if (this.isClosed) return Promise.reject(new Error('SIP socket closed'));
    if (!server) return Promise.reject(new Error('no server address set on the phone'));
    this.log.push(new SipLogEntry('out', `${server.host}:${server.port}`, text));
    return new Promise((resolve, reject) => {
      this.socket.send(text, server.port, server.host, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** The next incoming datagram for which `match` is true is lost, as on a bad network: neither logged nor delivered. */
  loseNext(match: (text: string) => boolean): void {
    this.losses.push(match);
  }

  close(): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    this.isClosed = true;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private receive(data: Buffer, from: RemoteInfo): void {
    const text = data.toString('utf8');
    // CRLF keep-alives (RFC 5626 §4.4.1) carry no message.
    if (text.trim() === '') return;
    const loss = this.losses.findIndex((match) => match(text));
    if (loss >= 0) {
      this.losses.splice(loss, 1);
      this.lost.push(text);
      return;
    }
    this.log.push(new SipLogEntry('in', `${from.address}:${from.port}`, text));
    this.onMessage?.(text);
  }
}
