import type { Endpoint } from '../transport/transport-types.js';

/**
 * §8.1.1.7, §18.1.1: the Via a client transaction puts on top of its request, with our sent-by
 * and rport (RFC 3581) so that responses find their way back through NAT.
 */
export function makeClientVia(local: Endpoint, branch: string): string {
  const host = local.address.includes(':') && !local.address.startsWith('[') ? `[${local.address}]` : local.address;
  return `SIP/2.0/${local.protocol.toUpperCase()} ${host}:${local.port};branch=${branch};rport`;
}
