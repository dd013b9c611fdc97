import { describe, expect, it } from 'vitest';
import type { Phone } from '../../support/phone.js';
import { useSwitch } from '../../support/switch-session.js';
import type { Call } from '../../support/call.js';

const session = useSwitch({ featureCodes: { switchTimeout: 1.5 } });
function phone(ext: string, password: string): Promise<Phone> {
  return session.phone(ext, password);
}

/** Alice calls Bob, who answers on his desk phone; Bob also has a softphone (its ringing call is CANCELled). */
async function bobOnDesk(): Promise<{ alice: Phone; soft: Phone; out: Call; desk: Call }> {
  const alice = await phone('100', 'alice-pw');
  const deskPhone = await phone('101', 'bob-pw');
  const soft = await phone('101', 'bob-pw');
  const out = await alice.call('101');
  const desk = await deskPhone.nextIncoming();
  const ringingSoft = await soft.nextIncoming();
  await desk.answer();
  await out.waitForState('established');
  await ringingSoft.waitForState('terminated');
  await out.expectAudioFlowing();
  return { alice, soft, out, desk };
}

function requestsReceivedSince(p: Phone, index: number): string[] {
  return p.sipLog.slice(index).filter((e) => e.direction === 'in' && e.method !== undefined).map((e) => e.method as string);
}

describe('device switch (*5), push during the call', () => {
  for (const via of ['RFC 4733', 'SIP INFO'] as const) {
    it(`${via}: *5 rings my other devices with the far end's identity; answering takes the call`, async () => {
      const { alice, soft, out, desk } = await bobOnDesk();
      const mark = alice.sipLog.length;
      if (via === 'RFC 4733') {
        await desk.sendDtmfRfc4733('*');
        await desk.sendDtmfRfc4733('5');
      } else {
        expect(await desk.sendDtmfInfo('*')).toBe(200);
        expect(await desk.sendDtmfInfo('5')).toBe(200);
      }
      const rings = await soft.nextIncoming();
      expect(rings.remoteIdentity.user).toBe('100');
      await rings.answer();
      await desk.waitForState('terminated');
      expect(desk.termination?.method).toBe('BYE');
      await rings.expectAudioFlowing();
      await out.expectAudioFlowing();
      expect(requestsReceivedSince(alice, mark)).toEqual([]);
      expect(out.media.dtmfReceived).toEqual([]);
      await out.hangup();
      await rings.waitForState('terminated');
    });
  }

  it('the answering device loses the switch\'s ACK: its retransmitted 200 is ACKed again and the call moves over', async () => {
    const { alice, soft, out, desk } = await bobOnDesk();
    const mark = alice.sipLog.length;
    await desk.sendDtmfRfc4733('*');
    await desk.sendDtmfRfc4733('5');
    const rings = await soft.nextIncoming();
    soft.loseNextIncoming((text) => text.startsWith('ACK '));
    await rings.answer();
    // The 200 goes again after T1 (§13.3.1.4); this time its ACK arrives.
    await soft.waitForSip({ direction: 'in', method: 'ACK' });
    expect(soft.lostIncoming.filter((text) => text.startsWith('ACK '))).toHaveLength(1);
    expect(soft.findSip({ direction: 'out', status: 200, cseqMethod: 'INVITE' }).length).toBeGreaterThanOrEqual(2);
    await desk.waitForState('terminated');
    await rings.expectAudioFlowing();
    await out.expectAudioFlowing();
    expect(requestsReceivedSince(alice, mark)).toEqual([]);
    await out.hangup();
    await rings.waitForState('terminated');
  });

  it('nobody answers within the switch timeout: the other device stops ringing, the call stays', async () => {
    const { soft, out, desk } = await bobOnDesk();
    await desk.sendDtmfRfc4733('*');
    await desk.sendDtmfRfc4733('5');
    const rings = await soft.nextIncoming();
    await rings.waitForState('terminated', 5000);
    expect(rings.termination?.method).toBe('CANCEL');
    expect(desk.state).toBe('established');
    await out.expectAudioFlowing();
    await desk.expectAudioFlowing();
    await out.hangup();
  });

  it('the far end hangs up during a push: the ringing device stops', async () => {
    const { soft, out, desk } = await bobOnDesk();
    expect(await desk.sendDtmfInfo('*')).toBe(200);
    expect(await desk.sendDtmfInfo('5')).toBe(200);
    const rings = await soft.nextIncoming();
    await out.hangup();
    await desk.waitForState('terminated');
    await rings.waitForState('terminated');
    expect(rings.termination?.method).toBe('CANCEL');
  });

  it('keys that are not the code reach the far end: * then 1 is sent on, in order', async () => {
    const { out, desk } = await bobOnDesk();
    await desk.sendDtmfRfc4733('*');
    await desk.sendDtmfRfc4733('1');
    await out.waitForDtmf('*1');
    expect(await desk.sendDtmfInfo('*')).toBe(200);
    expect(await desk.sendDtmfInfo('2')).toBe(200);
    await out.waitForInfoDtmf('*2');
    await desk.sendDtmfRfc4733('#');
    await out.waitForDtmf('*1#');
    await out.hangup();
  });

  it('a lone * is sent on after the inter-digit timeout', async () => {
    const { out, desk } = await bobOnDesk();
    expect(await desk.sendDtmfInfo('*')).toBe(200);
    await out.waitForInfoDtmf('*');
    await out.hangup();
  });
});
