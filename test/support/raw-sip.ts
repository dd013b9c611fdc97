import { type Socket, createSocket } from 'node:dgram';
import { waitFor } from './wait-for.js';

/** A bare UDP socket for sending hand-written SIP to the switch and reading the answers. */
export class RawSip {
  readonly received: string[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('message', (msg) => this.received.push(msg.toString('utf8')));
  }

  static async open(): Promise<RawSip> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new RawSip(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(text: string | Buffer, port: number, host = '127.0.0.1'): void {
    const bytes = typeof text === 'string' ? Buffer.from(text.replace(/\r?\n/g, '\r\n')) : text;
    this.socket.send(bytes, port, host);
  }

  /** The first received message whose start line matches, within the timeout. */
  async expect(startLine: RegExp, timeoutMs = 3000): Promise<string> {
    return waitFor(() => this.received.find((m) => startLine.test(m.split('\r\n')[0] ?? '')), { timeoutMs, what: `a message matching ${startLine}` });
  }

  close(): void {
    this.socket.close();
  }
}
