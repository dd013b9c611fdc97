import { isIP, isIPv4 } from 'node:net';
import { isDottedQuad } from './udp-lookup.js';

/** Dual-stack sockets report IPv4 peers as IPv4-mapped IPv6 (::ffff:a.b.c.d); fold them back. */
export function normalizeAddress(address: string): string {
  const lower = address.toLowerCase();
  if (lower.startsWith('::ffff:') && isIPv4(lower.slice(7))) return lower.slice(7);
  return lower;
}

/** A Via or URI host without the brackets of an IPv6 reference (RFC 3261 §25.1). */
export function bareHost(host: string): string {
  return host.length > 1 && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** host[:port] as written in Via sent-by and SIP URIs: IPv6 addresses get brackets. */
export function formatHostPort(address: string, port?: number): string {
  const host = ipFamily(address) === 6 ? `[${address}]` : address;
  return port === undefined ? host : `${host}:${port}`;
}

/** 4, 6, or 0 for a host name. */
export function addressFamily(address: string): 0 | 4 | 6 {
  return ipFamily(bareHost(address));
}

/** net.isIP, with IPv4 (nearly every destination) told by its chars rather than a regex per datagram. */
function ipFamily(bare: string): 0 | 4 | 6 {
  return isDottedQuad(bare) ? 4 : isIP(bare) as 0 | 4 | 6;
}

export function isWildcard(address: string): boolean {
  const bare = bareHost(address);
  return bare === '0.0.0.0' || bare === '::' || bare === '';
}

/** The key under which connections to one peer address are found. */
export function addressKey(address: string, port: number): string {
  return `${normalizeAddress(bareHost(address))}|${port}`;
}

/**
 * A limited-broadcast or multicast destination: RFC 3261 §18.2.2 sends multicast only with
 * maddr, which we do not support, and a broadcast answer would reach every host on the link.
 */
export function isBroadcastOrMulticast(address: string): boolean {
  const bare = normalizeAddress(bareHost(address));
  const family = ipFamily(bare);
  if (family === 6) return bare.startsWith('ff');
  if (family !== 4) return false;
  if (bare === '255.255.255.255') return true;
  const first = Number(bare.slice(0, bare.indexOf('.')));
  return first >= 224 && first <= 239;
}
