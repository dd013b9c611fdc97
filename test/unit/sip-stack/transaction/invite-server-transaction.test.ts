import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../sip-stack/message/sip-message.js';
import { FakeClock } from '../../../../sip-stack/timers/fake-clock.js';
import { makeTimerConfig } from '../../../../sip-stack/timers/timer-config.js';
import { InviteServerTransaction } from '../../../../sip-stack/transaction/invite-server-transaction.js';
import type { ServerTransaction } from '../../../../sip-stack/transaction/server-transaction.js';
import type { TransportError, TransportProtocol } from '../../../../sip-stack/transport/transport-types.js';
import { FakeSender } from './fake-sender.js';
import { answer, request, source } from './sip-fixtures.js';

const timers = makeTimerConfig();
const { t1, t2 } = timers;

/** A transaction the TU has seen; unless `owedTrying` is false, past the delay its 100 waits for. */
function setup(protocol: TransportProtocol = 'udp', owedTrying = true) {
  const clock = new FakeClock();
  const sender = new FakeSender();
  const acks: SipRequest[] = [];
  const timeouts: ServerTransaction[] = [];
  const errors: TransportError[] = [];
  let terminated = 0;
  const invite = request({ method: 'INVITE', protocol });
  const from = source(protocol);
  const tx = new InviteServerTransaction({
    key: 'z9hG4bK-test',
    context: { sender, clock, timers },
    request: invite,
    source: from,
    target: from,
    onTerminated: () => { terminated++; },
    onAck: (ack) => { acks.push(ack); },
  });
  tx.onTimeout = (t) => { timeouts.push(t); };
  tx.onTransportError = (e) => { errors.push(e); };
  tx.start();
  if (owedTrying) clock.advance(timers.trying);
  const ack = (toTag = 'bobtag'): SipRequest => request({ method: 'ACK', protocol, toTag });
  return { clock, sender, acks, timeouts, errors, invite, tx, ack, terminated: () => terminated };
}

describe('INVITE server transaction (RFC 3261 §17.2.1, RFC 6026 §7.1)', () => {
  describe.each(['udp', 'tcp'] as const)('over %s', (protocol) => {
    const reliable = protocol === 'tcp';

    it('MUST send 100 (Trying) once the TU has not answered within the Trying delay (< 200 ms), and enter Proceeding', () => {
      const { sender, tx } = setup(protocol);
      expect(tx.state).toBe('Proceeding');
      const [trying] = sender.responses(100);
      expect(trying?.toTag).toBeUndefined();
      expect(trying?.topVia.branch).toBe('z9hG4bK776asdhds');
      expect(sender.last().target).toEqual(source(protocol));
      expect(tx.lastStatus).toBe(100);
    });

    it('sends no 100 when the TU answers within the Trying delay (§17.2.1: 200 ms)', () => {
      const { clock, sender, tx, invite } = setup(protocol, false);
      expect(timers.trying).toBeLessThan(200);
      clock.advance(timers.trying - 1);
      tx.respond(answer(invite, 180));
      clock.runAll();
      expect(sender.responses().map((r) => r.status)).toEqual([180]);
    });

    it('sends the owed 100 at once to a retransmitted INVITE, and only once', () => {
      const { clock, sender, tx, invite } = setup(protocol, false);
      expect(sender.responses(100)).toHaveLength(0);
      tx.handle({ type: 'request', request: invite });
      expect(sender.responses(100)).toHaveLength(1);
      clock.advance(timers.trying);
      expect(sender.responses(100)).toHaveLength(1);
    });

    it('MUST send provisional responses from the TU and stay in Proceeding', () => {
      const { sender, tx, invite } = setup(protocol);
      tx.respond(answer(invite, 180));
      tx.respond(answer(invite, 183));
      expect(sender.responses().map((r) => r.status)).toEqual([100, 180, 183]);
      expect(tx.state).toBe('Proceeding');
    });

    it('MUST answer a retransmitted INVITE in Proceeding with the most recent provisional', () => {
      const { sender, tx, invite } = setup(protocol);
      tx.handle({ type: 'request', request: invite });
      expect(sender.responses(100)).toHaveLength(2);
      const ringing = answer(invite, 180);
      tx.respond(ringing);
      tx.handle({ type: 'request', request: invite });
      expect(sender.responseTexts(180)).toEqual([ringing.toString(), ringing.toString()]);
    });

    it('MUST send a 300-699 from the TU and enter Completed', () => {
      const { sender, tx, invite } = setup(protocol);
      tx.respond(answer(invite, 486));
      expect(tx.state).toBe('Completed');
      expect(sender.responses(486)).toHaveLength(1);
    });

    it('MUST answer a retransmitted INVITE in Completed with the final response again', () => {
      const { sender, tx, invite } = setup(protocol);
      tx.respond(answer(invite, 486));
      tx.handle({ type: 'request', request: invite });
      expect(sender.responses(486)).toHaveLength(2);
    });

    it('MUST inform the TU and terminate when Timer H fires in Completed (no ACK came)', () => {
      const { clock, tx, invite, timeouts, terminated } = setup(protocol);
      tx.respond(answer(invite, 486));
      clock.advance(timers.h - 1);
      expect(tx.state).toBe('Completed');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(timeouts).toEqual([tx]);
      expect(terminated()).toBe(1);
      expect(clock.pendingCount()).toBe(0);
    });

    it('MUST enter Confirmed on the ACK, stopping Timers G and H', () => {
      const { clock, sender, tx, invite, ack, acks, timeouts } = setup(protocol);
      tx.respond(answer(invite, 486));
      tx.handle({ type: 'ack', ack: ack(), source: source(protocol) });
      expect(tx.state).toBe('Confirmed');
      expect(acks).toHaveLength(0);
      clock.runAll();
      expect(sender.responses(486)).toHaveLength(1);
      expect(timeouts).toHaveLength(0);
    });

    it(`MUST terminate when Timer I fires in Confirmed (${reliable ? 'zero' : 'T4'} on ${protocol})`, () => {
      const { clock, tx, invite, ack, terminated } = setup(protocol);
      tx.respond(answer(invite, 486));
      tx.handle({ type: 'ack', ack: ack(), source: source(protocol) });
      const i = reliable ? 0 : timers.i;
      if (i > 0) {
        clock.advance(i - 1);
        expect(tx.state).toBe('Confirmed');
      }
      clock.advance(i === 0 ? 0 : 1);
      expect(tx.state).toBe('Terminated');
      expect(terminated()).toBe(1);
      expect(clock.pendingCount()).toBe(0);
    });

    it('MUST absorb ACK and INVITE retransmissions in Confirmed', () => {
      const { sender, tx, invite, ack, acks } = setup(protocol);
      tx.respond(answer(invite, 486));
      tx.handle({ type: 'ack', ack: ack(), source: source(protocol) });
      const sentBefore = sender.sent.length;
      tx.handle({ type: 'ack', ack: ack(), source: source(protocol) });
      tx.handle({ type: 'request', request: invite });
      expect(sender.sent).toHaveLength(sentBefore);
      expect(acks).toHaveLength(0);
      expect(tx.state).toBe('Confirmed');
    });

    it('MUST send a 2xx from the TU and enter Accepted (RFC 6026 §7.1)', () => {
      const { sender, tx, invite } = setup(protocol);
      tx.respond(answer(invite, 200));
      expect(tx.state).toBe('Accepted');
      expect(sender.responses(200)).toHaveLength(1);
    });

    it('MUST NOT retransmit the 2xx itself: that is the TU\'s job (§13.3.1.4)', () => {
      const { clock, sender, tx, invite } = setup(protocol);
      tx.respond(answer(invite, 200));
      clock.advance(timers.l - 1);
      expect(sender.responses(200)).toHaveLength(1);
    });

    it('MUST pass the TU\'s 2xx retransmissions in Accepted to the transport', () => {
      const { sender, tx, invite } = setup(protocol);
      tx.respond(answer(invite, 200));
      tx.respond(answer(invite, 200));
      tx.respond(answer(invite, 486));
      expect(sender.responses(200)).toHaveLength(2);
      expect(sender.responses(486)).toHaveLength(0);
    });

    it('MUST absorb INVITE retransmissions in Accepted, passing nothing to the TU', () => {
      const { sender, tx, invite, acks } = setup(protocol);
      tx.respond(answer(invite, 200));
      const sentBefore = sender.sent.length;
      tx.handle({ type: 'request', request: invite });
      expect(sender.sent).toHaveLength(sentBefore);
      expect(acks).toHaveLength(0);
    });

    it('MUST pass an ACK received in Accepted to the TU (RFC 6026 §7.1)', () => {
      const { tx, invite, ack, acks } = setup(protocol);
      tx.respond(answer(invite, 200));
      const theAck = ack();
      tx.handle({ type: 'ack', ack: theAck, source: source(protocol) });
      tx.handle({ type: 'ack', ack: theAck, source: source(protocol) });
      expect(acks).toEqual([theAck, theAck]);
      expect(tx.state).toBe('Accepted');
    });

    it('MUST terminate when Timer L fires in Accepted', () => {
      const { clock, tx, invite, terminated, timeouts } = setup(protocol);
      tx.respond(answer(invite, 200));
      clock.advance(timers.l - 1);
      expect(tx.state).toBe('Accepted');
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(terminated()).toBe(1);
      expect(timeouts).toHaveLength(0);
      expect(clock.pendingCount()).toBe(0);
    });

    it('ignores an ACK in Proceeding, which acknowledges nothing yet', () => {
      const { tx, ack, acks } = setup(protocol);
      tx.handle({ type: 'ack', ack: ack(), source: source(protocol) });
      expect(tx.state).toBe('Proceeding');
      expect(acks).toHaveLength(0);
    });

    it('drops responses from the TU once a non-2xx final has been sent', () => {
      const { sender, tx, invite } = setup(protocol);
      tx.respond(answer(invite, 486));
      tx.respond(answer(invite, 200));
      tx.respond(answer(invite, 180));
      expect(sender.responses().map((r) => r.status)).toEqual([100, 486]);
    });

    it.each(['Proceeding', 'Completed', 'Accepted'])(
      'MUST inform the TU of a transport error in %s and remain in that state (RFC 6026 §8.8)',
      (state) => {
        const { sender, tx, invite, errors } = setup(protocol);
        if (state === 'Completed') tx.respond(answer(invite, 486));
        if (state === 'Accepted') tx.respond(answer(invite, 200));
        const error = sender.failLast();
        expect(errors).toEqual([error]);
        expect(tx.state).toBe(state);
      },
    );
  });

  describe('Timer G (unreliable transports only)', () => {
    it('MUST retransmit the final at T1, 2*T1, 4*T1... capped at T2, until Timer H', () => {
      const { clock, sender, tx, invite, timeouts } = setup('udp', false);
      tx.respond(answer(invite, 486));
      const times: number[] = [];
      for (let at = 0, interval = t1; at + interval < timers.h; interval = Math.min(2 * interval, t2)) {
        at += interval;
        times.push(at);
      }
      expect(times.slice(0, 5)).toEqual([t1, 3 * t1, 7 * t1, 7 * t1 + t2, 7 * t1 + 2 * t2]);
      for (const at of times) {
        clock.advance(at - 1 - clock.now());
        const before = sender.responses(486).length;
        clock.advance(1);
        expect(sender.responses(486), `a retransmission at ${at} ms`).toHaveLength(before + 1);
      }
      clock.advance(timers.h - clock.now());
      expect(sender.responses(486)).toHaveLength(1 + times.length);
      expect(tx.state).toBe('Terminated');
      expect(timeouts).toHaveLength(1);
    });

    it('MUST NOT be started on a reliable transport (Timer H still is)', () => {
      const { clock, sender, tx, invite, timeouts } = setup('tcp');
      tx.respond(answer(invite, 486));
      clock.advance(timers.h - 1);
      expect(sender.responses(486)).toHaveLength(1);
      clock.advance(1);
      expect(tx.state).toBe('Terminated');
      expect(timeouts).toHaveLength(1);
    });
  });

  describe('dispose()', () => {
    it('clears every timer, reports termination once and sends nothing more', () => {
      const { clock, sender, tx, invite, terminated } = setup();
      tx.respond(answer(invite, 486));
      tx.dispose();
      tx.dispose();
      tx.respond(answer(invite, 200));
      tx.handle({ type: 'request', request: invite });
      clock.runAll();
      expect(terminated()).toBe(1);
      expect(sender.responses().map((r) => r.status)).toEqual([100, 486]);
      expect(clock.pendingCount()).toBe(0);
    });

    it('makes start() a no-op, as is a second start()', () => {
      const { sender, tx } = setup();
      tx.start();
      tx.dispose();
      tx.start();
      expect(sender.responses(100)).toHaveLength(1);
    });
  });
});
