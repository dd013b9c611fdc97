import { type LookupOneOptions, lookup as dnsLookup } from 'node:dns';
import { COLON, isDigit, isHexDigit } from '../parser/char-codes.js';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string, family: number) => void;

const DOT = 0x2e;
const ZERO = 0x30;

/**
 * The `lookup` of the SIP UDP sockets. dgram resolves the address of every datagram it sends;
 * its default, dns.lookup, answers even an IP literal only after a regex test and a
 * process.nextTick. Our destinations are nearly always literals (a request's source, a Via's
 * received, a registered contact), so a literal is answered at once, as dns.lookup would answer
 * it whatever the family asked for, and the datagram goes straight to the socket. Anything else
 * goes to dns.lookup, errors included. dgram calls it as lookup(address, family, callback),
 * with family 4 or 6 by socket type.
 */
export function udpLookup(address: string, options: LookupOneOptions | number, callback: LookupCallback): void {
  if (isDottedQuad(address)) return callback(null, address, 4);
  if (looksLikeIPv6(address)) return callback(null, address, 6);
  if (typeof options === 'number') dnsLookup(address, options, callback);
  else dnsLookup(address, options, callback);
}

/** An IPv4 address as net.isIPv4 accepts it: four decimal octets, none with a leading zero. */
export function isDottedQuad(s: string): boolean {
  if (s.length < 7 || s.length > 15) return false;
  let dots = 0;
  let digits = 0;
  let octet = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || ++dots > 3) return false;
      digits = 0;
      octet = 0;
    } else if (isDigit(c)) {
      if (digits > 0 && octet === 0) return false;
      octet = octet * 10 + c - ZERO;
      if (++digits > 3 || octet > 255) return false;
    } else {
      return false;
    }
  }
  return dots === 3 && digits > 0;
}

/**
 * True for text made only of hex digits, colons and dots, with at least two colons: an IPv6
 * literal (IPv4-mapped ones included), since no host name can contain a colon. A malformed one
 * is refused by the socket itself (EINVAL), which reaches the send callback like any error.
 * A scope id (fe80::1%eth0) is left to dns.lookup.
 */
export function looksLikeIPv6(s: string): boolean {
  let colons = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === COLON) colons++;
    else if (!(isHexDigit(c) || c === DOT)) return false;
  }
  return colons >= 2;
}
