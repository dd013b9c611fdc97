/**
 * Raw-wire helpers for the RFC 4475 torture messages sent to a running switch: adding `rport`
 * to the top Via so that the answer comes back to our ephemeral port, and reading answers
 * from a UDP socket or a TCP connection.
 */
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';

const SP = 0x20;
const HT = 0x09;
const CR = 0x0d;
const LF = 0x0a;

/**
 * The message with `;rport` added to the sent-by of its top Via (RFC 3581), so that the switch
 * answers to the port the datagram came from rather than to the sent-by port (5060 if none).
 * Only the top Via's sent-by is touched; folding, odd LWS and whatever follows the sent-by (the
 * part a torture message may be probing) are kept byte for byte. Unchanged if there is no Via
 * whose sent-by can be found, or if its first value already has `rport`.
 */
export function withRport(message: Buffer): Buffer {
  const text = message.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  const end = headEnd < 0 ? text.length : headEnd;
  let lineStart = text.indexOf('\r\n');
  while (lineStart >= 0 && lineStart < end) {
    const p = lineStart + 2;
    const at = sentByEnd(text, p, end);
    if (at !== undefined) {
      // Already asked for (mpart01.dat): a second rport would be a torture of our own making.
      if (/^[^,\r\n]*;\s*rport\b/i.test(text.slice(at, end))) return message;
      return Buffer.concat([message.subarray(0, at), Buffer.from(';rport'), message.subarray(at)]);
    }
    lineStart = text.indexOf('\r\n', p);
  }
  return message;
}

/** If a Via header starts at `p`, the offset just after its first sent-by (host[:port]). */
function sentByEnd(s: string, p: number, end: number): number | undefined {
  const name = /^(via|v)[ \t]*:/i.exec(s.slice(p, Math.min(end, p + 16)));
  if (!name) return undefined;
  let i = skipLws(s, p + name[0].length, end);
  for (const part of ['protocol', '/', 'version', '/', 'transport']) {
    if (part === '/') {
      if (s[i] !== '/') return undefined;
      i = skipLws(s, i + 1, end);
      continue;
    }
    const start = i;
    while (i < end && !'/ \t\r\n'.includes(s[i] as string)) i++;
    if (i === start) return undefined;
    i = skipLws(s, i, end);
  }
  const hostStart = i;
  if (s[i] === '[') {
    i = s.indexOf(']', i);
    if (i < 0 || i >= end) return undefined;
    i++;
  } else {
    while (i < end && !';,: \t\r\n'.includes(s[i] as string)) i++;
  }
  if (i === hostStart) return undefined;
  if (s[i] === ':') {
    let j = i + 1;
    while (j < end && (s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x39)) j++;
    if (j > i + 1) i = j;
  }
  return i;
}

function skipLws(s: string, i: number, end: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (i < end && (c === SP || c === HT)) i++;
    else if (i + 2 < end && c === CR && s.charCodeAt(i + 1) === LF && (s.charCodeAt(i + 2) === SP || s.charCodeAt(i + 2) === HT)) i += 3;
    else return i;
  }
}

/** The status code of each SIP response in `text` (several may share one TCP read). */
export function statusCodes(text: string): number[] {
  const out: number[] = [];
  const re = /(?:^|\r\n)SIP\/2\.0 (\d{3}) /g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(Number(m[1]));
  return out;
}

/** A loopback UDP socket on an ephemeral port that records every datagram it receives. */
export class UdpProbe {
  readonly received: string[] = [];

  private constructor(private readonly socket: Socket, readonly port: number) {
    socket.on('message', (data) => this.received.push(data.toString('latin1')));
    socket.on('error', () => undefined);
  }

  static async open(): Promise<UdpProbe> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    return new UdpProbe(socket, socket.address().port);
  }

  send(data: Buffer, port: number, host = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(data, port, host, (e) => (e ? reject(e) : resolve())));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

export interface TcpExchange {
  /** Everything the switch sent on the connection. */
  readonly text: string;
  /** Whether the switch (not we) closed the connection before `waitMs` ran out. */
  readonly closedByPeer: boolean;
}

/**
 * Sends `data` on a new TCP connection and collects what comes back until the switch closes
 * the connection, `until(text)` holds, or `waitMs` passes; then closes our side.
 */
export function tcpExchange(
  data: Buffer, port: number, waitMs: number, until: (text: string) => boolean = () => false,
): Promise<TcpExchange> {
  return new Promise((resolve, reject) => {
    let text = '';
    let settled = false;
    const socket = connect(port, '127.0.0.1');
    const finish = (closedByPeer: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closedByPeer });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('connect', () => socket.write(data));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (until(text)) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    });
  });
}
