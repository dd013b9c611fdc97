import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../sip-stack/message/sip-message.js';
import { FakeClock } from '../../../../sip-stack/timers/fake-clock.js';
import { makeTimerConfig } from '../../../../sip-stack/timers/timer-config.js';
import { InviteClientTransaction } from '../../../../sip-stack/transaction/invite-client-transaction.js';
import type { TransportProtocol } from '../../../../sip-stack/transport/transport-types.js';
import { FakeSender } from './fake-sender.js';
import { RecordingClientUser } from './recording-users.js';
import { answer, request, target } from './sip-fixtures.js';

const timers = makeTimerConfig();
const { t1 } = timers;

function setup(protocol: TransportProtocol = 'udp') {
  const clock = new FakeClock();
  const sender = new FakeSender();
  const user = new RecordingClientUser();
  const cancels: SipRequest[] = [];
  let terminated = 0;
  const invite = request({ method: 'INVITE', protocol, branch: 'z9hG4bKict' });
  const tx = new InviteClientTransaction({
    context: { sender, clock, timers },
    request: invite,
    target: target(protocol),
    user,
    onTerminated: () => { terminated++; },
    sendCancel: (cancel) => { cancels.push(cancel); },
  });
  tx.start();
  return { clock, sender, user, cancels, invite, tx, terminated: () => terminated };
}

describe('INVITE client transaction (RFC 3261 §17.1.1, RFC 6026 §7.2)', () => {
  describe.each(['udp', 'tcp'] as const)('over %s', (protocol) => {
    const reliable = protocol === 'tcp';

    it('MUST pass the INVITE to the transport and enter Calling', () => {
      const { sender, tx, invite } = setup(protocol);
      expect(tx.state).toBe('Calling');
      expect(sender.requests('INVITE')).toEqual([invite]);
      expect(sender.last().target).toEqual(target(protocol));
    });

    it('MUST inform the TU of a timeout and terminate when Timer B fires in Calling', () => {
      const { clock, tx, user, terminated } = setup(protocol);
      clock.advance(timers.b - 1);
      expect(tx.state).toBe('Calling');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(user.timeouts).toEqual([tx]);
      expect(terminated()).toBe(1);
      expect(clock.pendingCount()).toBe(0);
    });

    it('MUST pass a 1xx to the TU, enter Proceeding and stop retransmitting', () => {
      const { clock, sender, tx, user, invite } = setup(protocol);
      tx.handle({ type: 'response', response: answer(invite, 180) });
      expect(tx.state).toBe('Proceeding');
      expect(user.statuses()).toEqual([180]);
      expect(clock.pendingCount()).toBe(0);
      clock.advance(timers.b * 2);
      expect(sender.requests('INVITE')).toHaveLength(1);
      expect(user.timeouts).toHaveLength(0);
    });

    it('MUST pass further provisional responses to the TU in Proceeding', () => {
      const { tx, user, invite } = setup(protocol);
      tx.handle({ type: 'response', response: answer(invite, 100, undefined) });
      tx.handle({ type: 'response', response: answer(invite, 180) });
      tx.handle({ type: 'response', response: answer(invite, 183) });
      expect(user.statuses()).toEqual([100, 180, 183]);
      expect(tx.state).toBe('Proceeding');
    });

    it.each(['Calling', 'Proceeding'])('MUST ACK a 300-699 received in %s, pass it to the TU and enter Completed', (from) => {
      const { sender, tx, user, invite } = setup(protocol);
      if (from === 'Proceeding') tx.handle({ type: 'response', response: answer(invite, 180) });
      const busy = answer(invite, 486);
      tx.handle({ type: 'response', response: busy });
      expect(tx.state).toBe('Completed');
      expect(user.responses.at(-1)).toBe(busy);
      const [ack] = sender.requests('ACK');
      expect(ack?.uri).toBe(invite.uri);
      expect(ack?.topVia.branch).toBe('z9hG4bKict');
      expect(ack?.cseq).toEqual({ seq: invite.cseq.seq, method: 'ACK' });
      expect(ack?.toTag).toBe('bobtag');
      expect(sender.last().target).toEqual(target(protocol));
    });

    it('MUST pass a 2xx to the TU and enter Accepted, leaving the ACK to the TU', () => {
      const { sender, tx, user, invite } = setup(protocol);
      tx.handle({ type: 'response', response: answer(invite, 200) });
      expect(tx.state).toBe('Accepted');
      expect(user.statuses()).toEqual([200]);
      expect(sender.requests('ACK')).toHaveLength(0);
    });

    it('MUST pass a 2xx received in Proceeding to the TU and enter Accepted', () => {
      const { tx, user, invite } = setup(protocol);
      tx.handle({ type: 'response', response: answer(invite, 183) });
      tx.handle({ type: 'response', response: answer(invite, 200) });
      expect(tx.state).toBe('Accepted');
      expect(user.statuses()).toEqual([183, 200]);
    });

    it('MUST pass every further 2xx to the TU in Accepted (retransmissions and forks)', () => {
      const { tx, user, invite } = setup(protocol);
      tx.handle({ type: 'response', response: answer(invite, 200) });
      tx.handle({ type: 'response', response: answer(invite, 200) });
      tx.handle({ type: 'response', response: answer(invite, 200, 'othertag') });
      expect(user.statuses()).toEqual([200, 200, 200]);
    });

    it('drops provisional and non-2xx final responses in Accepted', () => {
      const { tx, user, sender, invite } = setup(protocol);
      tx.handle({ type: 'response', response: answer(invite, 200) });
      tx.handle({ type: 'response', response: answer(invite, 180) });
      tx.handle({ type: 'response', response: answer(invite, 486) });
      expect(user.statuses()).toEqual([200]);
      expect(sender.requests('ACK')).toHaveLength(0);
    });

    it('MUST terminate when Timer M fires in Accepted', () => {
      const { clock, tx, user, terminated, invite } = setup(protocol);
      tx.handle({ type: 'response', response: answer(invite, 200) });
      clock.advance(timers.m - 1);
      expect(tx.state).toBe('Accepted');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(terminated()).toBe(1);
      expect(user.timeouts).toHaveLength(0);
      expect(clock.pendingCount()).toBe(0);
    });

    it(`MUST terminate when Timer D fires in Completed (${reliable ? 'zero' : 'at least 32 s'} on ${protocol})`, () => {
      const { clock, tx, invite, terminated } = setup(protocol);
      tx.handle({ type: 'response', response: answer(invite, 503) });
      const d = reliable ? 0 : timers.d;
      if (d > 0) {
        clock.advance(d - 1);
        expect(tx.state).toBe('Completed');
      }
      clock.advance(d === 0 ? 0 : 1);
      expect(tx.state).toBe('Terminated');
      expect(terminated()).toBe(1);
      expect(clock.pendingCount()).toBe(0);
    });

    it('MUST ACK a retransmitted final again in Completed and not pass it to the TU', () => {
      const { sender, tx, user, invite } = setup(protocol);
      tx.handle({ type: 'response', response: answer(invite, 486) });
      tx.handle({ type: 'response', response: answer(invite, 486) });
      expect(sender.requests('ACK')).toHaveLength(2);
      expect(user.statuses()).toEqual([486]);
    });

    it('ignores provisional and 2xx responses in Completed', () => {
      const { sender, tx, user, invite } = setup(protocol);
      tx.handle({ type: 'response', response: answer(invite, 486) });
      tx.handle({ type: 'response', response: answer(invite, 180) });
      tx.handle({ type: 'response', response: answer(invite, 200) });
      expect(user.statuses()).toEqual([486]);
      expect(sender.requests('ACK')).toHaveLength(1);
    });

    it('MUST inform the TU of a transport error in Calling and terminate', () => {
      const { clock, sender, tx, user, terminated } = setup(protocol);
      const error = sender.failLast();
      expect(tx.state).toBe('Terminated');
      expect(user.errors).toEqual([error]);
      expect(terminated()).toBe(1);
      expect(clock.pendingCount()).toBe(0);
    });

    it('MUST inform the TU of a transport error reported while sending the INVITE', () => {
      const clock = new FakeClock();
      const sender = new FakeSender();
      sender.failWith = 'no route';
      const user = new RecordingClientUser();
      const tx = new InviteClientTransaction({
        context: { sender, clock, timers }, request: request(), target: target(protocol), user,
        onTerminated: () => undefined, sendCancel: () => undefined,
      });
      tx.start();
      expect(tx.state).toBe('Terminated');
      expect(user.errors.map((e) => e.reason)).toEqual(['no route']);
      expect(clock.pendingCount()).toBe(0);
    });

    it('MUST inform the TU of a transport error sending the ACK in Completed and terminate', () => {
      const { sender, tx, user, invite } = setup(protocol);
      tx.handle({ type: 'response', response: answer(invite, 404) });
      const error = sender.failLast();
      expect(tx.state).toBe('Terminated');
      expect(user.statuses()).toEqual([404]);
      expect(user.errors).toEqual([error]);
    });

    it('ignores a late transport error in Proceeding and Accepted, where it sends nothing', () => {
      const { sender, tx, user, invite } = setup(protocol);
      tx.handle({ type: 'response', response: answer(invite, 180) });
      sender.failLast();
      expect(tx.state).toBe('Proceeding');
      tx.handle({ type: 'response', response: answer(invite, 200) });
      sender.failLast();
      expect(tx.state).toBe('Accepted');
      expect(user.errors).toHaveLength(0);
    });
  });

  describe('Timer A (unreliable transports only)', () => {
    it('MUST retransmit the INVITE at T1, then 2*T1, 4*T1... until Timer B fires', () => {
      const { clock, sender, tx, user } = setup('udp');
      // Intervals T1, 2*T1, 4*T1...: the retransmissions go out at (2^n - 1)*T1, all before 64*T1.
      const sendTimes = [1, 3, 7, 15, 31, 63].map((n) => n * t1);
      for (const at of sendTimes) {
        clock.advance(at - 1 - clock.now());
        const before = sender.requests('INVITE').length;
        clock.advance(1);
        expect(sender.requests('INVITE')).toHaveLength(before + 1);
      }
      clock.advance(timers.b - clock.now());
      expect(sender.requests('INVITE')).toHaveLength(1 + sendTimes.length);
      expect(tx.state).toBe('Terminated');
      expect(user.timeouts).toHaveLength(1);
    });

    it('SHOULD NOT be started on a reliable transport', () => {
      const { clock, sender } = setup('tcp');
      clock.advance(timers.b - 1);
      expect(sender.requests('INVITE')).toHaveLength(1);
    });
  });

  describe('CANCEL (§9.1)', () => {
    it('MUST NOT send a CANCEL before a provisional response, and sends it on the first one', () => {
      const { tx, cancels, invite } = setup();
      tx.cancel('SIP;cause=200;text="Call completed elsewhere"');
      expect(cancels).toHaveLength(0);
      tx.handle({ type: 'response', response: answer(invite, 180) });
      expect(cancels).toHaveLength(1);
      const [cancel] = cancels;
      expect(cancel?.method).toBe('CANCEL');
      expect(cancel?.topVia.branch).toBe('z9hG4bKict');
      expect(cancel?.cseq).toEqual({ seq: invite.cseq.seq, method: 'CANCEL' });
      expect(cancel?.get('Reason')).toBe('SIP;cause=200;text="Call completed elsewhere"');
    });

    it('sends the CANCEL at once in Proceeding, and only once', () => {
      const { tx, cancels, invite } = setup();
      tx.handle({ type: 'response', response: answer(invite, 180) });
      tx.cancel();
      tx.cancel();
      tx.handle({ type: 'response', response: answer(invite, 183) });
      expect(cancels).toHaveLength(1);
      expect(cancels[0]?.has('Reason')).toBe(false);
    });

    it('MUST NOT send a CANCEL once a final response has arrived', () => {
      for (const status of [200, 486]) {
        const { tx, cancels, invite } = setup();
        tx.handle({ type: 'response', response: answer(invite, status) });
        tx.cancel();
        expect(cancels).toHaveLength(0);
      }
    });

    it('drops a waiting CANCEL when a final response arrives before any provisional', () => {
      const { tx, cancels, invite } = setup();
      tx.cancel();
      tx.handle({ type: 'response', response: answer(invite, 486) });
      tx.handle({ type: 'response', response: answer(invite, 180) });
      expect(cancels).toHaveLength(0);
    });

    it('times out normally (Timer B) if no provisional ever comes for a waiting CANCEL', () => {
      const { clock, tx, user, cancels } = setup();
      tx.cancel();
      clock.advance(timers.b);
      expect(tx.state).toBe('Terminated');
      expect(user.timeouts).toHaveLength(1);
      expect(cancels).toHaveLength(0);
    });

    it('SHOULD time the INVITE out if no final response comes within 64*T1 of the CANCEL', () => {
      const { clock, tx, user, invite } = setup();
      tx.handle({ type: 'response', response: answer(invite, 180) });
      clock.advance(10 * t1);
      tx.cancel();
      clock.advance(timers.b - 1);
      expect(tx.state).toBe('Proceeding');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(user.timeouts).toEqual([tx]);
    });

    it('completes normally when the 487 arrives after the CANCEL', () => {
      const { clock, sender, tx, user, invite } = setup();
      tx.handle({ type: 'response', response: answer(invite, 180) });
      tx.cancel();
      tx.handle({ type: 'response', response: answer(invite, 487) });
      expect(tx.state).toBe('Completed');
      expect(sender.requests('ACK')).toHaveLength(1);
      clock.runAll();
      expect(user.timeouts).toHaveLength(0);
      expect(user.statuses()).toEqual([180, 487]);
    });
  });

  describe('dispose()', () => {
    it('clears every timer, reports termination once and calls the TU no more', () => {
      const { clock, tx, user, terminated, invite } = setup();
      tx.dispose();
      tx.dispose();
      expect(tx.state).toBe('Terminated');
      expect(terminated()).toBe(1);
      expect(clock.pendingCount()).toBe(0);
      tx.handle({ type: 'response', response: answer(invite, 200) });
      expect(user.responses).toHaveLength(0);
    });

    it('makes start() a no-op, as is a second start()', () => {
      const { sender, tx } = setup();
      tx.start();
      tx.dispose();
      tx.start();
      expect(sender.requests('INVITE')).toHaveLength(1);
    });
  });
});
