import { EmitterImpl, TransportState, type Core, type Emitter, type Transport } from 'sip.js';
import { UdpSipSocket, type SipAddress } from './udp-sip-socket.js';

/** What `UserAgentOptions.transportOptions` must hold for {@link UdpSipTransport}. */
export interface UdpSipTransportOptions {
  readonly socket: UdpSipSocket;
}

/**
 * A sip.js `Transport` over an already bound {@link UdpSipSocket}.
 *
 * sip.js writes `Via: SIP/2.0/<protocol> <viaHost>` and, on the way back, drops every response
 * whose top Via carries a port or a host other than `viaHost` (a non-standard sanity check in
 * UserAgent.onTransportMessage). A real UDP phone must advertise its port, so the UserAgent is
 * configured with `viaHost` = the bare IP, and this transport adds the port to the top Via of
 * each request it sends and strips it again from the top Via of each response it delivers.
 * The wire (and the SIP log) therefore shows a correct `Via: SIP/2.0/UDP 127.0.0.1:<port>`.
 */
export class UdpSipTransport implements Transport {
  readonly protocol = 'UDP';
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  private readonly socket: UdpSipSocket;
  private readonly stateEmitter = new EmitterImpl<TransportState>();
  private currentState = TransportState.Disconnected;

  // sip.js constructs the transport itself: `new transportConstructor(logger, transportOptions)`.
  constructor(_logger: Core.Logger, options: unknown) {
    if (!isTransportOptions(options)) {
      throw new TypeError('UdpSipTransport needs transportOptions { socket: UdpSipSocket }');
    }
    this.socket = options.socket;
    this.socket.onMessage = (text) => this.deliver(text);
  }

  get state(): TransportState {
    return this.currentState;
  }

  get stateChange(): Emitter<TransportState> {
    return this.stateEmitter;
  }

  isConnected(): boolean {
    return this.currentState === TransportState.Connected;
  }

  /** The socket is bound before sip.js exists, so "connecting" is only the state dance sip.js expects. */
  async connect(): Promise<void> {
    if (this.currentState === TransportState.Connected) return;
    if (this.socket.closed) throw new Error('SIP socket closed');
    this.transition(TransportState.Connecting);
    await Promise.resolve(); // callbacks must not run synchronously inside connect()
    this.transition(TransportState.Connected);
    this.onConnect?.();
  }

  async disconnect(): Promise<void> {
    if (this.currentState === TransportState.Disconnected) return;
    const wasConnected = this.currentState === TransportState.Connected;
    this.transition(TransportState.Disconnecting);
    await Promise.resolve();
    this.transition(TransportState.Disconnected);
    if (wasConnected) this.onDisconnect?.();
  }

  /** The phone owns the socket and closes it after the UserAgent has stopped. */
  async dispose(): Promise<void> {
    await this.disconnect();
    this.socket.onMessage = undefined;
  }

  send(message: string): Promise<void> {
    if (!this.isConnected()) return Promise.reject(new Error(`transport not connected (${this.currentState})`));
    const text = isResponse(message) ? message : addPortToTopVia(message, this.socket.address);
    return this.socket.send(text);
  }

  private deliver(text: string): void {
    if (!this.isConnected()) return;
    this.onMessage?.(isResponse(text) ? stripPortFromTopVia(text, this.socket.address) : text);
  }

  private transition(state: TransportState): void {
    this.currentState = state;
    this.stateEmitter.emit(state);
  }
}

function isTransportOptions(options: unknown): options is UdpSipTransportOptions {
  return typeof options === 'object' && options !== null && 'socket' in options && options.socket instanceof UdpSipSocket;
}

function isResponse(text: string): boolean {
  return text.startsWith('SIP/2.0 ');
}

/** The header section only: a body could contain anything, including "Via:". */
function splitHead(text: string): [head: string, rest: string] {
  const end = text.indexOf('\r\n\r\n');
  return end < 0 ? [text, ''] : [text.slice(0, end), text.slice(end)];
}

const TOP_VIA = /^((?:Via|v)[ \t]*:[ \t]*SIP\/2\.0\/UDP[ \t]+)([^\s;:,]+)(:\d+)?/im;

/** `Via: SIP/2.0/UDP 127.0.0.1;branch=…` becomes `Via: SIP/2.0/UDP 127.0.0.1:<port>;branch=…`. */
export function addPortToTopVia(message: string, local: SipAddress): string {
  const [head, rest] = splitHead(message);
  const patched = head.replace(TOP_VIA, (whole, prefix: string, host: string, port: string | undefined) =>
    host === local.host && port === undefined ? `${prefix}${host}:${local.port}` : whole,
  );
  return patched + rest;
}

/** Undo {@link addPortToTopVia} on a response, so sip.js's sent-by check accepts it. */
export function stripPortFromTopVia(message: string, local: SipAddress): string {
  const [head, rest] = splitHead(message);
  const patched = head.replace(TOP_VIA, (whole, prefix: string, host: string, port: string | undefined) =>
    host === local.host && port === `:${local.port}` ? `${prefix}${host}` : whole,
  );
  return patched + rest;
}
