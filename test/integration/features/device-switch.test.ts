import { describe, expect, it } from 'vitest';
import type { Phone } from '../../support/phone.js';
import { useSwitch } from '../../support/switch-session.js';
import type { Call } from '../../support/call.js';
import { waitFor } from '../../support/wait-for.js';

const session = useSwitch();
type Codec = 'PCMU' | 'PCMA' | 'G722';
function phone(ext: string, password: string, codecs?: Codec[]): Promise<Phone> {
  return session.phone(ext, password, codecs ? { codecs } : {});
}

/** Alice calls Bob on his desk phone, which answers; Bob also has a softphone. */
async function bobOnDesk(softCodecs?: Codec[], aliceCodecs?: Codec[]): Promise<{ alice: Phone; deskPhone: Phone; soft: Phone; out: Call; desk: Call }> {
  const alice = await phone('100', 'alice-pw', aliceCodecs);
  const deskPhone = await phone('101', 'bob-pw');
  const soft = await phone('101', 'bob-pw', softCodecs);
  const out = await alice.call('101');
  const desk = await deskPhone.nextIncoming();
  const ringingSoft = await soft.nextIncoming();
  await desk.answer();
  await out.waitForState('established');
  await ringingSoft.waitForState('terminated');
  await out.expectAudioFlowing();
  return { alice, deskPhone, soft, out, desk };
}

function requestsReceivedSince(p: Phone, index: number): string[] {
  return p.sipLog.slice(index).filter((e) => e.direction === 'in' && e.method !== undefined).map((e) => e.method as string);
}

describe('device switch (*5), pull', () => {
  it('moves my answered call to the phone I dial *5 from; the far end notices nothing', async () => {
    const { alice, soft, out, desk } = await bobOnDesk();
    const mark = alice.sipLog.length;
    const moved = await soft.call('*5');
    await moved.waitForState('established');
    await desk.waitForState('terminated');
    expect(desk.termination?.method).toBe('BYE');
    await moved.expectAudioFlowing();
    await out.expectAudioFlowing();
    expect(moved.remoteIdentity.user).toBe('100');
    expect(requestsReceivedSince(alice, mark)).toEqual([]);
    await out.hangup();
    await moved.waitForState('terminated');
  });

  it('switches back and forth several times in one call', async () => {
    const { alice, soft, out, deskPhone: deskAgain } = await bobOnDesk();
    const mark = alice.sipLog.length;
    let current: Call | undefined;
    for (const device of [soft, deskAgain, soft, deskAgain]) {
      const next = await device.call('*5');
      await next.waitForState('established');
      if (current) await current.waitForState('terminated');
      await next.expectAudioFlowing();
      await out.expectAudioFlowing();
      current = next;
    }
    expect(requestsReceivedSince(alice, mark)).toEqual([]);
    await out.hangup();
  });

  it('480 "No active call" when I have no answered call on another device', async () => {
    const soft = await phone('101', 'bob-pw');
    const attempt = await soft.call('*5');
    await attempt.waitForState('terminated');
    expect(attempt.finalStatus).toBe(480);
  });

  it('calls of other users are never reachable', async () => {
    await bobOnDesk();
    const carol = await phone('102', 'carol-pw');
    const attempt = await carol.call('*5');
    await attempt.waitForState('terminated');
    expect(attempt.finalStatus).toBe(480);
  });

  it('with two answered calls, the most recently answered one moves', async () => {
    const first = await bobOnDesk();
    const carol = await phone('102', 'carol-pw');
    const bobDesk2 = await phone('101', 'bob-pw');
    const second = await carol.call('101');
    const rings = await Promise.all([bobDesk2.nextIncoming(), first.soft.nextIncoming(), first.deskPhone.nextIncoming()]);
    await rings[0].answer();
    await second.waitForState('established');
    const moved = await first.soft.call('*5');
    await moved.waitForState('established');
    expect(moved.remoteIdentity.user).toBe('102');
    await rings[0].waitForState('terminated');
    expect(first.desk.state).toBe('established');
    await second.hangup();
    await first.out.hangup();
  });

  it('a call that was picked up can be switched again', async () => {
    const carol = await phone('102', 'carol-pw');
    const alice = await phone('100', 'alice-pw');
    const bobDesk = await phone('101', 'bob-pw');
    const bobSoft = await phone('101', 'bob-pw');
    const out = await carol.call('100');
    const rings = await alice.nextIncoming();
    await out.waitForState('ringing');
    const picked = await bobDesk.call('88100');
    await picked.waitForState('established');
    await rings.waitForState('terminated');
    const mark = carol.sipLog.length;
    const moved = await bobSoft.call('*5');
    await moved.waitForState('established');
    await picked.waitForState('terminated');
    await moved.expectAudioFlowing();
    await out.expectAudioFlowing();
    expect(requestsReceivedSince(carol, mark)).toEqual([]);
    await out.hangup();
  });

  it('a call on hold can be switched', async () => {
    const { soft, out } = await bobOnDesk();
    await out.hold();
    const moved = await soft.call('*5');
    await moved.waitForState('established');
    await out.unhold();
    await out.expectAudioFlowing();
    await moved.expectAudioFlowing();
    await out.hangup();
  });

  it('codec mismatch: the far end is re-offered the new phone\'s codec (re-INVITE) and audio flows', async () => {
    const { alice, soft, out } = await bobOnDesk(['PCMA'], ['PCMU', 'PCMA']);
    const mark = alice.sipLog.length;
    const moved = await soft.call('*5');
    await moved.waitForState('established');
    expect(requestsReceivedSince(alice, mark)).toContain('INVITE');
    await moved.expectAudioFlowing();
    await out.expectAudioFlowing();
    await out.hangup();
  });

  it('no common codec: the new phone gets 488 and the call stays on the old one', async () => {
    const { soft, out, desk } = await bobOnDesk(['G722'], ['PCMU']);
    const moved = await soft.call('*5');
    await moved.waitForState('terminated');
    expect(moved.finalStatus).toBe(488);
    expect(desk.state).toBe('established');
    await out.expectAudioFlowing();
    await desk.expectAudioFlowing();
    await out.hangup();
  });

  it('the old phone hangs up while the pull is under way: one clean outcome, nothing left', async () => {
    const { soft, out, desk } = await bobOnDesk();
    const moved = await soft.call('*5');
    await desk.hangup().catch(() => undefined);
    await waitFor(() => moved.state === 'established' || moved.state === 'terminated', { timeoutMs: 5000, what: 'the pull to settle' });
    if (moved.state === 'established') await out.hangup();
    await out.waitForState('terminated');
  });
});
