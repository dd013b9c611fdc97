import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { SipText } from '../../support/sip-text.js';
import type { SipAddress } from '../../support/udp-sip-socket.js';

/**
 * Just enough of a registrar to exercise the test phone's REGISTER path without the switch:
 * challenges with an MD5 digest (qop=auth), checks the answer against known passwords, echoes
 * the Contact with its expires. Not a model of the real registrar.
 */
export class FakeRegistrar {
  readonly received: SipText[] = [];
  private readonly nonce = randomBytes(8).toString('hex');

  private constructor(
    private readonly socket: Socket,
    private readonly passwords: ReadonlyMap<string, string>,
    private readonly wrongPasswordStatus: 401 | 403,
    readonly realm: string,
  ) {
    socket.on('message', (data, from) => this.onRequest(new SipText(data.toString('utf8')), from));
  }

  static async start(
    passwords: Record<string, string>,
    options: { realm?: string; wrongPasswordStatus?: 401 | 403 } = {},
  ): Promise<FakeRegistrar> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const realm = options.realm ?? 'pbx.local';
    return new FakeRegistrar(socket, new Map(Object.entries(passwords)), options.wrongPasswordStatus ?? 403, realm);
  }

  get address(): SipAddress {
    return { host: '127.0.0.1', port: this.socket.address().port };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private onRequest(request: SipText, from: RemoteInfo): void {
    this.received.push(request);
    if (request.method !== 'REGISTER') return;
    const authorization = request.header('authorization');
    if (authorization === undefined) {
      const challenge = `WWW-Authenticate: Digest realm="${this.realm}", nonce="${this.nonce}", qop="auth", algorithm=MD5`;
      this.respond(request, from, '401 Unauthorized', [challenge]);
      return;
    }
    if (!this.verify(digestParams(authorization))) {
      const status = this.wrongPasswordStatus === 401 ? '401 Unauthorized' : '403 Forbidden';
      const challenge = `WWW-Authenticate: Digest realm="${this.realm}", nonce="${this.nonce}", qop="auth", algorithm=MD5`;
      this.respond(request, from, status, this.wrongPasswordStatus === 401 ? [challenge] : []);
      return;
    }
    const contact = request.header('contact');
    const unregister = contact === undefined || /;\s*expires=0\b/.test(contact);
    this.respond(request, from, '200 OK', unregister ? [] : [`Contact: ${contact}`]);
  }

  private verify(params: ReadonlyMap<string, string>): boolean {
    const password = this.passwords.get(params.get('username') ?? '');
    if (password === undefined || params.get('nonce') !== this.nonce) return false;
    const ha1 = md5(`${params.get('username')}:${this.realm}:${password}`);
    const ha2 = md5(`REGISTER:${params.get('uri')}`);
    const parts = [ha1, this.nonce, params.get('nc'), params.get('cnonce'), params.get('qop'), ha2];
    return params.get('response') === md5(parts.join(':'));
  }

  private respond(request: SipText, to: RemoteInfo, statusLine: string, extra: string[]): void {
    const lines = [
      `SIP/2.0 ${statusLine}`,
      ...request.headerAll('via').map((v) => `Via: ${v}`),
      `From: ${request.header('from') ?? ''}`,
      `To: ${request.header('to') ?? ''};tag=fake-registrar`,
      `Call-ID: ${request.callId ?? ''}`,
      `CSeq: ${request.header('cseq') ?? ''}`,
      ...extra,
      'Content-Length: 0',
    ];
    this.socket.send(lines.join('\r\n') + '\r\n\r\n', to.port, to.address);
  }
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

function digestParams(header: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const match of header.replace(/^\s*Digest\s+/i, '').matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]+))/g)) {
    const [, name, quoted, bare] = match;
    if (name !== undefined) params.set(name.toLowerCase(), quoted ?? bare ?? '');
  }
  return params;
}
