import type { SipMessage, SipRequest, SipResponse } from '../message/sip-message.js';
import type { SipParseError } from '../parser/sip-parse-error.js';

export type TransportProtocol = 'udp' | 'tcp';

/** A network address of a peer or of one of our sockets. */
export interface Endpoint {
  readonly protocol: TransportProtocol;
  readonly address: string;
  readonly port: number;
}

/**
 * Where a message arrived from, and on which of our sockets. For stream transports `flowId`
 * names the connection, so that responses and later requests to a phone behind NAT reuse it
 * (RFC 3261 §18.2.2, RFC 5626 flows).
 */
export interface MessageSource extends Endpoint {
  readonly localAddress: string;
  readonly localPort: number;
  readonly flowId: string | undefined;
}

/** Where to send a message: a flow when one is known and still open, else the address. */
export interface SendTarget extends Endpoint {
  readonly flowId?: string | undefined;
}

/** A message could not be sent (socket error, connection refused or closed, no route). */
export class TransportError {
  readonly name = 'TransportError';
  constructor(readonly reason: string, readonly target: SendTarget) {}
  get message(): string {
    return `${this.reason} (${this.target.protocol}:${this.target.address}:${this.target.port})`;
  }
}

/** What the transport layer delivers upward. */
export interface TransportUser {
  receiveRequest(request: SipRequest, source: MessageSource): void;
  receiveResponse(response: SipResponse, source: MessageSource): void;
  /** Bytes that did not parse; the layer above answers a request with 400 where it can. */
  receiveMalformed(error: SipParseError, bytes: Buffer, source: MessageSource): void;
}

/** The sending side of the transport layer, as the transaction layer sees it. */
export interface MessageSender {
  /** Sends, reporting failure through `onError` (never by throwing). */
  send(message: SipMessage, target: SendTarget, onError?: (error: TransportError) => void): void;
  /** Our address and port for `protocol`, for Via sent-by and Contact. */
  localEndpoint(protocol: TransportProtocol): Endpoint;
  /** True for transports with reliable delivery (timers A, E, G are not used, §17). */
  isReliable(protocol: TransportProtocol): boolean;
}

/** The address one of our sockets is bound to. */
export interface BoundAddress {
  readonly address: string;
  readonly port: number;
}

/**
 * One listening socket of the transport layer: a UDP socket, or a TCP server with the
 * connections it accepted and opened. The TransportLayer owns and chooses among them.
 */
export interface Transport {
  readonly protocol: TransportProtocol;
  readonly reliable: boolean;
  /** The address asked for (maybe a wildcard); `bound` has the port actually got. */
  readonly host: string;
  readonly bound: BoundAddress | undefined;
  /** Binds; rejects with the socket error. */
  listen(): Promise<BoundAddress>;
  /** Sends wire bytes; failures are reported through `onError`, never thrown. */
  send(bytes: Buffer, target: SendTarget, onError: (error: TransportError) => void): void;
  /** True while the connection `flowId` is open on this transport. */
  hasFlow(flowId: string): boolean;
  /** Closes every socket; idempotent. */
  dispose(): Promise<void>;
}

/** Running totals for metrics. */
export interface TransportCounters {
  /** Messages parsed and delivered upward. */
  messagesIn: number;
  /** Messages handed to a socket (whether or not the send then failed). */
  messagesOut: number;
  /** Datagrams or framed stream messages that did not parse. */
  parseErrors: number;
  /** Streams that could not be framed (size limits, Content-Length); each closed the connection. */
  framingErrors: number;
  sendErrors: number;
  /** RFC 5626 keep-alive pings answered. */
  keepAlivePings: number;
  connectionsAccepted: number;
  connectionsOpened: number;
  /** Connections refused or not opened because of the connection limit. */
  connectionsRejected: number;
}
