import { makeResponse } from '../../../../sip-stack/message/make-response.js';
import { SipRequest, type SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import type { MessageSource, SendTarget, TransportProtocol } from '../../../../sip-stack/transport/transport-types.js';

export interface RequestSpec {
  method?: string;
  /** null: a Via without branch (RFC 2543). */
  branch?: string | null;
  protocol?: TransportProtocol;
  viaHost?: string;
  viaPort?: number;
  uri?: string;
  callId?: string;
  cseq?: number;
  fromTag?: string;
  toTag?: string;
  /** Leave the Via out, as a TU does when the layer is to add it. */
  noVia?: boolean;
  /** Extra header lines. */
  extra?: string[];
}

/** Builds a request as text and parses it, as the transport would deliver it. */
export function request(spec: RequestSpec = {}): SipRequest {
  const method = spec.method ?? 'INVITE';
  const branch = spec.branch === undefined ? 'z9hG4bK776asdhds' : spec.branch;
  const via = `SIP/2.0/${(spec.protocol ?? 'udp').toUpperCase()} ${spec.viaHost ?? 'pc33.atlanta.com'}:${spec.viaPort ?? 5060}`;
  const lines = [
    `${method} ${spec.uri ?? 'sip:bob@biloxi.com'} SIP/2.0`,
    ...(spec.noVia ? [] : [`Via: ${via}${branch === null ? '' : `;branch=${branch}`}`]),
    'Max-Forwards: 70',
    `From: Alice <sip:alice@atlanta.com>;tag=${spec.fromTag ?? '1928301774'}`,
    `To: Bob <sip:bob@biloxi.com>${spec.toTag === undefined ? '' : `;tag=${spec.toTag}`}`,
    `Call-ID: ${spec.callId ?? 'a84b4c76e66710@pc33.atlanta.com'}`,
    `CSeq: ${spec.cseq ?? 314159} ${method}`,
    ...(spec.extra ?? []),
    'Content-Length: 0',
    '',
    '',
  ];
  const parsed = parseMessage(Buffer.from(lines.join('\r\n')));
  if (!(parsed instanceof SipRequest)) throw new Error(`fixture did not parse as a request: ${String(parsed)}`);
  return parsed;
}

/** The request a live transaction still holds; a test that asks for it later has a bug. */
export function requestOf(tx: { readonly request: SipRequest | undefined }): SipRequest {
  if (tx.request === undefined) throw new Error('the transaction has already let its request go');
  return tx.request;
}

/** What the peer answers to `req` (its Vias copied, §8.2.6.2). */
export function answer(req: SipRequest, status: number, toTag: string | undefined = 'bobtag'): SipResponse {
  return makeResponse(req, status, toTag === undefined ? {} : { toTag });
}

export function source(protocol: TransportProtocol = 'udp', address = '198.51.100.20', port = 5060): MessageSource {
  return {
    protocol, address, port, localAddress: '192.0.2.1', localPort: 5060,
    flowId: protocol === 'tcp' ? `flow-${address}-${port}` : undefined,
  };
}

export function target(protocol: TransportProtocol = 'udp'): SendTarget {
  return { protocol, address: '198.51.100.7', port: 5060 };
}
