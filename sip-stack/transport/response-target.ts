import type { SipResponse } from '../message/sip-message.js';
import { bareHost } from './host-address.js';
import { type MessageSource, type SendTarget, TransportError } from './transport-types.js';

/** RFC 3261 §18.2.2: the port used when sent-by names none (5061 would be TLS, unsupported). */
export const DEFAULT_SIP_PORT = 5060;

/**
 * Where a response goes, from its top Via and the request's source. On a reliable transport:
 * the connection the request came on, or if that has closed, `received` (else the sent-by host)
 * at the sent-by port (§18.2.2). On UDP: `received` (else sent-by host) at the `rport` value
 * when there is one (RFC 3581 §4), else at the sent-by port.
 */
export function responseTarget(response: SipResponse, source: MessageSource): SendTarget | TransportError {
  const via = response.check('via') === undefined ? response.vias[0] : undefined;
  if (via === undefined) return new TransportError('Response has no usable Via', source);
  const address = bareHost(via.received ?? via.host);
  if (source.flowId !== undefined) {
    return { protocol: source.protocol, address, port: via.port ?? DEFAULT_SIP_PORT, flowId: source.flowId };
  }
  const port = typeof via.rport === 'number' ? via.rport : (via.port ?? DEFAULT_SIP_PORT);
  return { protocol: source.protocol, address, port };
}
