import { networkInterfaces } from 'node:os';

/** The first non-internal IPv4 address of this host: the default address phones send media to. */
export function firstExternalIpv4(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}
