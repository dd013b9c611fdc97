import { describe, expect, it } from 'vitest';
import { INTER_DIGIT_MS, InCallCodes } from '../../../../src/features/in-call-codes.js';
import { FakeClock } from '../../../../sip-stack/timers/fake-clock.js';

function setup(code = '*5') {
  const clock = new FakeClock();
  const log: string[] = [];
  const codes = new InCallCodes({
    clock,
    code: () => code,
    watches: () => true,
    releaseEvents: (_c, _l, forward) => log.push(forward ? 'send-held' : 'drop-held'),
    forwardInfo: () => log.push('info'),
    onCode: () => log.push('CODE'),
  });
  /** One key press: three packets with one timestamp, then the end of the event. */
  const press = (event: number, ts: number, digit: string): unknown[] => {
    const verdicts = [0, 1, 2].map(() => codes.eventVerdict('c', 'a', event, ts));
    codes.onDigit('c', 'a', digit);
    return verdicts;
  };
  return { clock, log, codes, press };
}

describe('in-call codes (RFC 4733 keys)', () => {
  it('holds * back and, on 5, drops the held keys and fires the code', () => {
    const { log, press } = setup();
    expect(press(10, 100, '*')).toEqual(['hold', 'hold', 'hold']);
    expect(press(5, 200, '5')).toEqual(['hold', 'hold', 'hold']);
    expect(log).toEqual(['drop-held', 'CODE']);
  });

  it('* followed by another key sends the held * on before the new key', () => {
    const { log, press } = setup();
    press(10, 100, '*');
    expect(press(1, 200, '1')).toEqual([true, true, true]);
    expect(log).toEqual(['send-held']);
  });

  it('a lone * is sent on after the inter-digit timeout', () => {
    const { clock, log, press } = setup();
    press(10, 100, '*');
    clock.advance(INTER_DIGIT_MS - 1);
    expect(log).toEqual([]);
    clock.advance(1);
    expect(log).toEqual(['send-held']);
  });

  it('keys that cannot start the code pass straight through', () => {
    const { log, press } = setup();
    expect(press(7, 100, '7')).toEqual([true, true, true]);
    expect(log).toEqual([]);
  });
});
