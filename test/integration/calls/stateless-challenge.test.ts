import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSip } from '../../support/raw-sip.js';
import { type RunningSwitch, startSwitch } from '../../support/softswitch-fixture.js';

let sw: RunningSwitch;
let raw: RawSip;
beforeAll(async () => {
  sw = await startSwitch();
  raw = await RawSip.open();
});
afterAll(async () => {
  raw?.close();
  await sw?.stop();
});

function request(method: 'REGISTER' | 'INVITE' | 'ACK', branch: string, cseq: number, toTag = ''): string {
  const uri = method === 'REGISTER' ? 'sip:pbx.test' : 'sip:101@pbx.test';
  const to = method === 'REGISTER' ? '<sip:100@pbx.test>' : '<sip:101@pbx.test>';
  return `${method} ${uri} SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:${raw.port};branch=${branch};rport
From: <sip:100@pbx.test>;tag=stateless
To: ${to}${toTag ? `;tag=${toTag}` : ''}
Call-ID: stateless-${branch}@test
CSeq: ${cseq} ${method}
Contact: <sip:100@127.0.0.1:${raw.port}>
Max-Forwards: 70
Content-Length: 0

`;
}

describe('digest challenges without a transaction (RFC 3261 §8.2.7)', () => {
  it('answers a REGISTER without credentials 401 and keeps no transaction for it', async () => {
    const before = sw.sw.stack.transactions.counters();
    raw.send(request('REGISTER', 'z9hG4bKreg1', 1), sw.udp.port);
    const challenge = await raw.expect(/^SIP\/2\.0 401 /);
    expect(challenge).toMatch(/\r\nWWW-Authenticate: Digest /);
    const after = sw.sw.stack.transactions.counters();
    expect(after.statelessResponses - before.statelessResponses).toBe(1);
    expect(after.serverTransactionsCreated).toBe(before.serverTransactionsCreated);
    expect(sw.sw.stack.transactions.size()).toBe(0);
  });

  it('answers an INVITE without credentials 407, drops its ACK silently and sets up no call', async () => {
    raw.received.length = 0;
    raw.send(request('INVITE', 'z9hG4bKinv1', 1), sw.udp.port);
    const challenge = await raw.expect(/^SIP\/2\.0 407 /);
    expect(challenge).toMatch(/\r\nProxy-Authenticate: Digest /);
    const toTag = /\r\nTo: [^\r]*;tag=([^;\r]+)/.exec(challenge)?.[1] ?? '';
    expect(toTag).not.toBe('');
    raw.received.length = 0;
    raw.send(request('ACK', 'z9hG4bKinv1', 1, toTag), sw.udp.port);
    // A retransmitted INVITE is challenged again (there is no transaction to absorb it), with
    // the same To tag (§8.2.7).
    raw.send(request('INVITE', 'z9hG4bKinv1', 1), sw.udp.port);
    const again = await raw.expect(/^SIP\/2\.0 407 /);
    expect(/\r\nTo: [^\r]*;tag=([^;\r]+)/.exec(again)?.[1]).toBe(toTag);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(raw.received.map((m) => m.split('\r\n')[0])).toEqual(['SIP/2.0 407 Proxy Authentication Required']);
    expect(sw.sw.stack.transactions.size()).toBe(0);
    expect(sw.sw.calls.size).toBe(0);
  });
});
