import dgram from 'node:dgram';
import net from 'node:net';
import { SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import type { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';
import { StreamFramer } from '../../../../sip-stack/parser/stream-framer.js';
import type { MessageSource, TransportUser } from '../../../../sip-stack/transport/transport-types.js';

/** Polls until `condition` holds; fails after `timeoutMs` instead of sleeping a fixed time. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export class RecordingUser implements TransportUser {
  readonly requests: { request: SipRequest; source: MessageSource }[] = [];
  readonly responses: { response: SipResponse; source: MessageSource }[] = [];
  readonly malformed: { error: SipParseError; bytes: Buffer; source: MessageSource }[] = [];

  receiveRequest(request: SipRequest, source: MessageSource): void {
    this.requests.push({ request, source });
  }

  receiveResponse(response: SipResponse, source: MessageSource): void {
    this.responses.push({ response, source });
  }

  receiveMalformed(error: SipParseError, bytes: Buffer, source: MessageSource): void {
    this.malformed.push({ error, bytes, source });
  }
}

export function request(via: string, method = 'OPTIONS', body = ''): Buffer {
  return Buffer.from([
    `${method} sip:bob@example.com SIP/2.0`,
    `Via: ${via}`,
    'Max-Forwards: 70',
    'From: <sip:alice@example.com>;tag=1928301774',
    'To: <sip:bob@example.com>',
    `Call-ID: ${Math.random().toString(36).slice(2)}@test`,
    `CSeq: 1 ${method}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n'));
}

export function parsedRequest(bytes: Buffer): SipRequest {
  const m = parseMessage(bytes);
  if (!(m instanceof SipRequest)) throw new Error('fixture did not parse as a request');
  return m;
}

export function parsedResponse(bytes: Buffer | string): SipResponse {
  const m = parseMessage(Buffer.from(bytes));
  if (!(m instanceof SipResponse)) throw new Error('fixture did not parse as a response');
  return m;
}

/** A raw UDP peer that records what it receives. */
export async function udpPeer(type: 'udp4' | 'udp6', host: string): Promise<{ socket: dgram.Socket; port: number; received: Buffer[] }> {
  const socket = dgram.createSocket(type);
  const received: Buffer[] = [];
  socket.on('message', (msg) => received.push(msg));
  await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
  return { socket, port: socket.address().port, received };
}

/** A raw TCP client or accepted socket, with what arrives framed into messages. */
export class TcpPeer {
  readonly messages: Buffer[] = [];
  readonly raw: Buffer[] = [];
  closed = false;
  private readonly framer = new StreamFramer();

  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.raw.push(chunk);
      for (const e of this.framer.push(chunk)) if (e.type === 'message') this.messages.push(e.bytes);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => (this.closed = true));
  }

  static async connect(host: string, port: number): Promise<TcpPeer> {
    const socket = net.connect({ host, port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new TcpPeer(socket);
  }

  get rawText(): string {
    return Buffer.concat(this.raw).toString('latin1');
  }
}

/** A TCP server that records the connections it accepts. */
export async function tcpServer(host: string): Promise<{ server: net.Server; port: number; peers: TcpPeer[] }> {
  const peers: TcpPeer[] = [];
  const server = net.createServer((socket) => peers.push(new TcpPeer(socket)));
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return { server, port: (server.address() as net.AddressInfo).port, peers };
}

/** A port nobody listens on: bound, read and released. */
export async function closedPort(host: string): Promise<number> {
  const { server, port } = await tcpServer(host);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function canBind(host: string): Promise<boolean> {
  const socket = dgram.createSocket('udp6');
  return new Promise((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(0, host, () => {
      socket.close();
      resolve(true);
    });
  });
}
