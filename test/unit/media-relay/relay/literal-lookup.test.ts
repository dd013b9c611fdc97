import { describe, expect, it } from 'vitest';
import { literalFamily, literalLookup } from '../../../../media-relay/relay/literal-lookup.js';

describe('literalLookup (the relay sockets’ resolver)', () => {
  it('tells IPv4 and IPv6 literals from host names by their characters', () => {
    for (const address of ['127.0.0.1', '192.0.2.10', '0.0.0.0', '255.255.255.255', '10.0.100.200']) expect(literalFamily(address)).toBe(4);
    for (const address of ['::1', '::', '2001:db8::7', '::ffff:192.0.2.1', 'fe80::1%eth0']) expect(literalFamily(address)).toBe(6);
    for (const address of ['', 'localhost', 'pbx.example.com', '1.2.3', '1.2.3.4.5', '1..2.3', '.1.2.3', '1.2.3.', '1.2.3.4a', '1234.1.1.1', '1.2.3.4 ',
      '256.1.1.1', '1.2.3.999', '01.2.3.4', '1.2.3.00', '1.2.03.4']) {
      expect(literalFamily(address)).toBe(0);
    }
  });

  it('answers a literal before returning, so a send goes out without waiting a tick', () => {
    const answers: unknown[][] = [];
    literalLookup('192.0.2.10', { family: 4 }, (...answer) => answers.push(answer));
    literalLookup('2001:db8::7', { family: 6 }, (...answer) => answers.push(answer));
    expect(answers).toEqual([[null, '192.0.2.10', 4], [null, '2001:db8::7', 6]]);
  });

  it('passes a host name on to dns.lookup', async () => {
    const answer = await new Promise<unknown[]>((resolve) => {
      literalLookup('localhost', { family: 4 }, (...args) => resolve(args));
    });
    expect(answer).toEqual([null, '127.0.0.1', 4]);
  });
});
