import { isIPv4 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isDottedQuad, looksLikeIPv6, udpLookup } from '../../../../sip-stack/transport/udp-lookup.js';

type Answer = { error: NodeJS.ErrnoException | null; address: string; family: number };

/** Calls udpLookup and notes whether it answered before returning. */
function lookUp(address: string, family: 4 | 6): { sync: Answer | undefined; later: Promise<Answer> } {
  let sync: Answer | undefined;
  let returned = false;
  const later = new Promise<Answer>((resolve) => {
    udpLookup(address, family, (error, addr, fam) => {
      const answer = { error, address: addr, family: fam };
      if (!returned) sync = answer;
      resolve(answer);
    });
  });
  returned = true;
  return { sync, later };
}

describe('udpLookup, the lookup of the SIP UDP sockets', () => {
  it.each([
    ['192.0.2.10', 4, 4], ['0.0.0.0', 4, 4], ['255.255.255.255', 4, 4],
    ['::1', 6, 6], ['::', 6, 6], ['2001:DB8::a:1', 6, 6], ['::ffff:192.0.2.10', 6, 6],
    // As dns.lookup does, a literal is answered whatever the family asked for.
    ['192.0.2.10', 6, 4], ['::1', 4, 6],
  ] as const)('answers the literal %s (family %i asked) before returning', (address, asked, family) => {
    const { sync } = lookUp(address, asked);
    expect(sync).toEqual({ error: null, address, family });
  });

  it('leaves a host name to dns.lookup, which answers later', async () => {
    const { sync, later } = lookUp('localhost', 4);
    expect(sync).toBeUndefined();
    const answer = await later;
    expect(answer.error).toBeNull();
    expect(answer.family).toBe(4);
  });

  it('passes on the error of a name that does not resolve', async () => {
    const { sync, later } = lookUp('no-such-host.invalid', 4);
    expect(sync).toBeUndefined();
    const { error } = await later;
    expect(error?.message).toMatch(/getaddrinfo/);
  });
});

describe('isDottedQuad', () => {
  it('agrees with net.isIPv4 on literals and near misses', () => {
    const cases = [
      '0.0.0.0', '1.2.3.4', '10.0.0.255', '192.168.100.200', '255.255.255.255', '127.0.0.1',
      '256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.02.3.4', '1.2.3.00', '1..2.3', '.1.2.3',
      '1.2.3.', '1.2.3.4 ', 'a.b.c.d', '1234.1.1.1', '', '::1', 'pbx.local', '1.2.3.-4', '00.0.0.0',
    ];
    for (const s of cases) expect(isDottedQuad(s), s).toBe(isIPv4(s));
  });
});

describe('looksLikeIPv6', () => {
  it('takes IPv6 literals and nothing a host name could be', () => {
    for (const s of ['::1', '::', 'fe80::1', '2001:db8::1', '::ffff:10.0.0.1', 'FE80::A']) expect(looksLikeIPv6(s), s).toBe(true);
    for (const s of ['pbx.local', 'fe80::1%eth0', '10.0.0.1', 'a:b', 'cafe', 'host:5060', '']) expect(looksLikeIPv6(s), s).toBe(false);
  });
});
