import { describe, expect, it } from 'vitest';
import {
  addressKey, bareHost, formatHostPort, isBroadcastOrMulticast, isWildcard, normalizeAddress,
} from '../../../../sip-stack/transport/host-address.js';

describe('host addresses', () => {
  it('folds IPv4-mapped IPv6 addresses from dual-stack sockets back to IPv4', () => {
    expect(normalizeAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeAddress('::FFFF:C000:0201')).toBe('::ffff:c000:0201');
    expect(normalizeAddress('2001:DB8::1')).toBe('2001:db8::1');
  });

  it('brackets IPv6 in host:port and strips brackets from references', () => {
    expect(formatHostPort('::1', 5060)).toBe('[::1]:5060');
    expect(formatHostPort('192.0.2.1', 5060)).toBe('192.0.2.1:5060');
    expect(formatHostPort('pbx.example.com')).toBe('pbx.example.com');
    expect(bareHost('[::1]')).toBe('::1');
    expect(addressKey('[::FFFF:10.0.0.1]', 5060)).toBe(addressKey('10.0.0.1', 5060));
  });

  it('recognises wildcards', () => {
    expect(isWildcard('0.0.0.0')).toBe(true);
    expect(isWildcard('::')).toBe(true);
    expect(isWildcard('[::]')).toBe(true);
    expect(isWildcard('127.0.0.1')).toBe(false);
  });

  it('refuses limited broadcast and multicast destinations, IPv4 and IPv6', () => {
    for (const a of ['255.255.255.255', '224.0.0.1', '239.255.255.250', '[ff02::1]', 'ff05::fb', '::ffff:224.0.0.5']) {
      expect(isBroadcastOrMulticast(a), a).toBe(true);
    }
    for (const a of ['192.0.2.255', '223.255.255.255', '240.0.0.1', '::1', 'ffx.example.com', 'example.com']) {
      expect(isBroadcastOrMulticast(a), a).toBe(false);
    }
  });
});
