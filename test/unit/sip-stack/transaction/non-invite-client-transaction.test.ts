import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../sip-stack/timers/fake-clock.js';
import { makeTimerConfig } from '../../../../sip-stack/timers/timer-config.js';
import { NonInviteClientTransaction } from '../../../../sip-stack/transaction/non-invite-client-transaction.js';
import type { TransportProtocol } from '../../../../sip-stack/transport/transport-types.js';
import { FakeSender } from './fake-sender.js';
import { RecordingClientUser } from './recording-users.js';
import { answer, request, target } from './sip-fixtures.js';

const timers = makeTimerConfig();
const { t1, t2 } = timers;

function setup(protocol: TransportProtocol = 'udp') {
  const clock = new FakeClock();
  const sender = new FakeSender();
  const user = new RecordingClientUser();
  let terminated = 0;
  const bye = request({ method: 'BYE', protocol, branch: 'z9hG4bKnict', toTag: 'bobtag' });
  const tx = new NonInviteClientTransaction({
    context: { sender, clock, timers },
    request: bye,
    target: target(protocol),
    user,
    onTerminated: () => { terminated++; },
  });
  tx.start();
  return { clock, sender, user, bye, tx, terminated: () => terminated };
}

/** Advances to each time in `times` and checks that exactly one more BYE went out there. */
function expectRetransmissionsAt(clock: FakeClock, sender: FakeSender, times: number[]): void {
  for (const at of times) {
    clock.advance(at - 1 - clock.now());
    const before = sender.requests('BYE').length;
    clock.advance(1);
    expect(sender.requests('BYE'), `a retransmission at ${at} ms`).toHaveLength(before + 1);
  }
}

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  describe.each(['udp', 'tcp'] as const)('over %s', (protocol) => {
    const reliable = protocol === 'tcp';

    it('MUST pass the request to the transport and enter Trying', () => {
      const { sender, tx, bye } = setup(protocol);
      expect(tx.state).toBe('Trying');
      expect(sender.requests()).toEqual([bye]);
    });

    it('MUST inform the TU of a timeout and terminate when Timer F fires in Trying', () => {
      const { clock, tx, user, terminated } = setup(protocol);
      clock.advance(timers.f - 1);
      expect(tx.state).toBe('Trying');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(user.timeouts).toEqual([tx]);
      expect(terminated()).toBe(1);
      expect(clock.pendingCount()).toBe(0);
    });

    it('MUST pass a 1xx to the TU and enter Proceeding', () => {
      const { tx, user, bye } = setup(protocol);
      tx.handle({ type: 'response', response: answer(bye, 100, undefined) });
      tx.handle({ type: 'response', response: answer(bye, 180) });
      expect(tx.state).toBe('Proceeding');
      expect(user.statuses()).toEqual([100, 180]);
    });

    it('MUST inform the TU of a timeout when Timer F fires in Proceeding', () => {
      const { clock, tx, user, bye } = setup(protocol);
      clock.advance(t1);
      tx.handle({ type: 'response', response: answer(bye, 100, undefined) });
      clock.advance(timers.f - t1 - 1);
      expect(tx.state).toBe('Proceeding');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(user.timeouts).toEqual([tx]);
      expect(clock.pendingCount()).toBe(0);
    });

    it.each(['Trying', 'Proceeding'])('MUST pass a final response received in %s to the TU and enter Completed', (from) => {
      const { tx, user, bye } = setup(protocol);
      if (from === 'Proceeding') tx.handle({ type: 'response', response: answer(bye, 100, undefined) });
      tx.handle({ type: 'response', response: answer(bye, 200) });
      expect(tx.state).toBe('Completed');
      expect(user.statuses().at(-1)).toBe(200);
    });

    it('MUST absorb retransmitted responses in Completed', () => {
      const { tx, user, bye } = setup(protocol);
      tx.handle({ type: 'response', response: answer(bye, 481) });
      tx.handle({ type: 'response', response: answer(bye, 481) });
      tx.handle({ type: 'response', response: answer(bye, 100, undefined) });
      expect(user.statuses()).toEqual([481]);
    });

    it(`MUST terminate when Timer K fires in Completed (${reliable ? 'zero' : 'T4'} on ${protocol})`, () => {
      const { clock, tx, bye, terminated, user } = setup(protocol);
      tx.handle({ type: 'response', response: answer(bye, 200) });
      const k = reliable ? 0 : timers.k;
      if (k > 0) {
        clock.advance(k - 1);
        expect(tx.state).toBe('Completed');
      }
      clock.advance(k === 0 ? 0 : 1);
      expect(tx.state).toBe('Terminated');
      expect(terminated()).toBe(1);
      expect(user.timeouts).toHaveLength(0);
      expect(clock.pendingCount()).toBe(0);
    });

    it.each(['Trying', 'Proceeding'])('MUST inform the TU of a transport error in %s and terminate', (from) => {
      const { clock, sender, tx, user, bye } = setup(protocol);
      if (from === 'Proceeding') tx.handle({ type: 'response', response: answer(bye, 100, undefined) });
      const error = sender.failLast();
      expect(tx.state).toBe('Terminated');
      expect(user.errors).toEqual([error]);
      expect(clock.pendingCount()).toBe(0);
    });

    it('ignores a late transport error in Completed', () => {
      const { sender, tx, user, bye } = setup(protocol);
      tx.handle({ type: 'response', response: answer(bye, 200) });
      sender.failLast();
      expect(user.errors).toHaveLength(0);
    });
  });

  describe('Timer E (unreliable transports only)', () => {
    it('MUST retransmit at T1, 2*T1, 4*T1... with the interval capped at T2, until Timer F', () => {
      const { clock, sender, tx, user } = setup('udp');
      const times: number[] = [];
      for (let at = 0, interval = t1; at + interval < timers.f; interval = Math.min(2 * interval, t2)) {
        at += interval;
        times.push(at);
      }
      expect(times.slice(0, 5)).toEqual([t1, 3 * t1, 7 * t1, 7 * t1 + t2, 7 * t1 + 2 * t2]);
      expectRetransmissionsAt(clock, sender, times);
      clock.advance(timers.f - clock.now());
      expect(sender.requests('BYE')).toHaveLength(1 + times.length);
      expect(tx.state).toBe('Terminated');
      expect(user.timeouts).toHaveLength(1);
    });

    it('MUST keep running in Proceeding and then retransmit every T2', () => {
      const { clock, sender, tx, bye } = setup('udp');
      clock.advance(t1 + 1);
      tx.handle({ type: 'response', response: answer(bye, 100, undefined) });
      // The E armed in Trying (2*T1 after the first retransmission) still fires, then every T2.
      expectRetransmissionsAt(clock, sender, [3 * t1, 3 * t1 + t2, 3 * t1 + 2 * t2, 3 * t1 + 3 * t2]);
      expect(tx.state).toBe('Proceeding');
    });

    it('SHOULD NOT be started on a reliable transport', () => {
      const { clock, sender } = setup('tcp');
      clock.advance(timers.f - 1);
      expect(sender.requests('BYE')).toHaveLength(1);
    });
  });

  it('SHOULD NOT send a CANCEL for a non-INVITE request (§9.1): cancel() does nothing', () => {
    const { sender, tx } = setup();
    tx.cancel('whatever');
    expect(sender.requests()).toHaveLength(1);
    expect(tx.state).toBe('Trying');
  });

  it('dispose() clears the timers, reports termination once and silences the TU', () => {
    const { clock, tx, user, bye, terminated } = setup();
    tx.dispose();
    tx.dispose();
    tx.start();
    tx.handle({ type: 'response', response: answer(bye, 200) });
    expect(terminated()).toBe(1);
    expect(user.responses).toHaveLength(0);
    expect(clock.pendingCount()).toBe(0);
  });
});
