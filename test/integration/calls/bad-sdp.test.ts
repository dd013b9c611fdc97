import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestClient } from '../../../sip-stack/auth/digest-client.js';
import { Phone } from '../../support/phone.js';
import { RawSip } from '../../support/raw-sip.js';
import { type RunningSwitch, startSwitch } from '../../support/softswitch-fixture.js';
import { waitFor } from '../../support/wait-for.js';

let sw: RunningSwitch;
beforeAll(async () => {
  sw = await startSwitch();
});
afterAll(async () => {
  await sw?.stop();
});

function invite(raw: RawSip, cseq: number, body: string, auth?: string): string {
  return `INVITE sip:101@pbx.test SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:${raw.port};branch=z9hG4bKbadsdp${cseq};rport
From: "Alice" <sip:100@pbx.test>;tag=badsdp
To: <sip:101@pbx.test>
Call-ID: bad-sdp@test
CSeq: ${cseq} INVITE
Contact: <sip:100@127.0.0.1:${raw.port}>
Max-Forwards: 70
${auth ? `Proxy-Authorization: ${auth}\n` : ''}Content-Type: application/sdp
Content-Length: ${Buffer.byteLength(body.replace(/\r?\n/g, '\r\n'))}

${body}`;
}

describe('malformed SDP', () => {
  it('gets 488 with a reason, never a crash; calls before and after are unaffected', async () => {
    const bob = await Phone.create({ user: '101', password: 'bob-pw', domain: 'pbx.test', server: { host: sw.udp.address, port: sw.udp.port } });
    const alice = await Phone.create({ user: '100', password: 'alice-pw', domain: 'pbx.test', server: { host: sw.udp.address, port: sw.udp.port } });
    const raw = await RawSip.open();
    try {
      expect(await bob.register()).toBe(200);
      expect(await alice.register()).toBe(200);
      const before = await alice.call('101');
      const ringing = await bob.nextIncoming();
      await ringing.answer();
      await before.waitForState('established');

      const garbage = 'v=0\no=- x\nm=audio notaport RTP/AVP\n';
      raw.send(invite(raw, 1, garbage), sw.udp.port);
      const challenge = await raw.expect(/^SIP\/2\.0 407/);
      raw.send(`ACK sip:101@pbx.test SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:${raw.port};branch=z9hG4bKbadsdp1;rport\nFrom: "Alice" <sip:100@pbx.test>;tag=badsdp\nTo: <sip:101@pbx.test>\nCall-ID: bad-sdp@test\nCSeq: 1 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n`, sw.udp.port);
      const header = /Proxy-Authenticate: (.*)\r\n/.exec(challenge)?.[1] ?? '';
      const answer = new DigestClient({ username: '100', password: 'alice-pw' }).answer({ challenges: header, method: 'INVITE', uri: 'sip:101@pbx.test' });
      expect(answer.ok).toBe(true);
      raw.received.length = 0;
      raw.send(invite(raw, 2, garbage, answer.ok ? answer.header : ''), sw.udp.port);
      const refused = await raw.expect(/^SIP\/2\.0 [3-6]\d\d /, 5000);
      const statusLine = refused.split('\r\n')[0] ?? '';
      expect(statusLine).toMatch(/^SIP\/2\.0 488 /);
      expect(statusLine).not.toBe('SIP/2.0 488 Not Acceptable Here');

      await before.expectAudioFlowing();
      await before.hangup();
      const after = await alice.call('101');
      const again = await bob.nextIncoming();
      await again.answer();
      await after.waitForState('established');
      await after.expectAudioFlowing();
      await after.hangup();
      await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'calls to end' });
    } finally {
      raw.close();
      await alice.close();
      await bob.close();
    }
  });
});
