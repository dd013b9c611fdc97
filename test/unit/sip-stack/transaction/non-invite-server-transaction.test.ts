import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../sip-stack/timers/fake-clock.js';
import { makeTimerConfig } from '../../../../sip-stack/timers/timer-config.js';
import { NonInviteServerTransaction } from '../../../../sip-stack/transaction/non-invite-server-transaction.js';
import { TransportError, type TransportProtocol } from '../../../../sip-stack/transport/transport-types.js';
import { FakeSender } from './fake-sender.js';
import { answer, request, source } from './sip-fixtures.js';

const timers = makeTimerConfig();

function setup(protocol: TransportProtocol = 'udp') {
  const clock = new FakeClock();
  const sender = new FakeSender();
  const errors: TransportError[] = [];
  let terminated = 0;
  const options = request({ method: 'OPTIONS', protocol });
  const from = source(protocol);
  const tx = new NonInviteServerTransaction({
    key: 'z9hG4bK-test',
    context: { sender, clock, timers },
    request: options,
    source: from,
    target: from,
    onTerminated: () => { terminated++; },
  });
  tx.onTransportError = (e) => { errors.push(e); };
  return { clock, sender, errors, options, tx, terminated: () => terminated };
}

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  describe.each(['udp', 'tcp'] as const)('over %s', (protocol) => {
    const reliable = protocol === 'tcp';

    it('starts in Trying, sends nothing and absorbs retransmissions there', () => {
      const { clock, sender, tx, options } = setup(protocol);
      expect(tx.state).toBe('Trying');
      tx.handle({ type: 'request', request: options });
      expect(sender.sent).toHaveLength(0);
      expect(clock.pendingCount()).toBe(0);
    });

    it('MUST send a provisional from the TU and enter Proceeding', () => {
      const { sender, tx, options } = setup(protocol);
      tx.respond(answer(options, 100, undefined));
      expect(tx.state).toBe('Proceeding');
      tx.respond(answer(options, 183));
      expect(tx.state).toBe('Proceeding');
      expect(sender.responses().map((r) => r.status)).toEqual([100, 183]);
    });

    it('MUST answer a retransmission in Proceeding with the most recent provisional', () => {
      const { sender, tx, options } = setup(protocol);
      tx.respond(answer(options, 100, undefined));
      tx.handle({ type: 'request', request: options });
      expect(sender.responses(100)).toHaveLength(2);
    });

    it.each(['Trying', 'Proceeding'])('MUST send a final response from the TU in %s and enter Completed', (from) => {
      const { sender, tx, options } = setup(protocol);
      if (from === 'Proceeding') tx.respond(answer(options, 100, undefined));
      tx.respond(answer(options, 200));
      expect(tx.state).toBe('Completed');
      expect(sender.responses(200)).toHaveLength(1);
    });

    it('MUST answer a retransmission in Completed with the final response again', () => {
      const { sender, tx, options } = setup(protocol);
      tx.respond(answer(options, 200));
      tx.handle({ type: 'request', request: options });
      tx.handle({ type: 'request', request: options });
      expect(sender.responses(200)).toHaveLength(3);
    });

    it('MUST discard further responses from the TU in Completed', () => {
      const { sender, tx, options } = setup(protocol);
      tx.respond(answer(options, 200));
      tx.respond(answer(options, 500));
      tx.respond(answer(options, 180));
      expect(sender.responses().map((r) => r.status)).toEqual([200]);
    });

    it(`MUST terminate when Timer J fires in Completed (${reliable ? 'zero' : '64*T1'} on ${protocol})`, () => {
      const { clock, tx, options, terminated } = setup(protocol);
      tx.respond(answer(options, 200));
      const j = reliable ? 0 : timers.j;
      if (j > 0) {
        clock.advance(j - 1);
        expect(tx.state).toBe('Completed');
      }
      clock.advance(j === 0 ? 0 : 1);
      expect(tx.state).toBe('Terminated');
      expect(terminated()).toBe(1);
      expect(clock.pendingCount()).toBe(0);
    });

    it.each(['Proceeding', 'Completed'])('MUST inform the TU of a transport error in %s and terminate', (state) => {
      const { clock, sender, tx, options, errors, terminated } = setup(protocol);
      tx.respond(answer(options, state === 'Proceeding' ? 100 : 200, undefined));
      const error = sender.failLast();
      expect(tx.state).toBe('Terminated');
      expect(errors).toEqual([error]);
      expect(terminated()).toBe(1);
      expect(clock.pendingCount()).toBe(0);
    });

    it('ignores a transport error in Trying, where it has sent nothing', () => {
      const { tx, errors, options } = setup(protocol);
      tx.handle({ type: 'transport-error', error: new TransportError('refused', source(protocol)) });
      expect(tx.state).toBe('Trying');
      expect(errors).toHaveLength(0);
      expect(tx.request).toBe(options);
    });
  });

  it('dispose() clears Timer J, reports termination once and sends nothing more', () => {
    const { clock, sender, tx, options, terminated } = setup();
    tx.respond(answer(options, 200));
    tx.dispose();
    tx.dispose();
    tx.handle({ type: 'request', request: options });
    expect(terminated()).toBe(1);
    expect(sender.responses()).toHaveLength(1);
    expect(clock.pendingCount()).toBe(0);
  });
});
