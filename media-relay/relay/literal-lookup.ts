import { lookup, type LookupOneOptions } from 'node:dns';

const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const IPV4_GROUPS = 4;
const IPV4_GROUP_DIGITS = 3;
const MAX_OCTET = 255;

export type LookupCallback = (error: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * The resolver given to the relay's dgram sockets. dgram resolves the destination of every send
 * (and of bind and connect), and dns.lookup answers even an IP literal only after a regex and a
 * process.nextTick: per packet, at tens of thousands of packets a second. The relay only sends
 * to literals (latched sources, SDP addresses it checked), so those are answered at once, and a
 * send goes out before send() returns; a host name still goes to dns.lookup.
 */
export function literalLookup(hostname: string, options: LookupOneOptions, callback: LookupCallback): void {
  const family = literalFamily(hostname);
  if (family === 0) lookup(hostname, options, callback);
  else callback(null, hostname, family);
}

/**
 * 4 for a dotted quad as net.isIPv4 accepts it (four decimal octets up to 255, none with a
 * leading zero, which some resolvers read as octal), 6 for anything with a colon (no host name
 * has one), else 0. Reads char codes only.
 */
export function literalFamily(address: string): 0 | 4 | 6 {
  if (address.indexOf(':') !== -1) return 6;
  let groups = 1;
  let digits = 0;
  let octet = 0;
  for (let i = 0; i < address.length; i++) {
    const code = address.charCodeAt(i);
    if (code === DOT) {
      if (digits === 0) return 0;
      groups++;
      digits = 0;
      octet = 0;
    } else if (code >= DIGIT_0 && code <= DIGIT_9 && digits < IPV4_GROUP_DIGITS && (digits === 0 || octet !== 0)) {
      octet = octet * 10 + code - DIGIT_0;
      if (octet > MAX_OCTET) return 0;
      digits++;
    } else {
      return 0;
    }
  }
  return groups === IPV4_GROUPS && digits !== 0 ? 4 : 0;
}
