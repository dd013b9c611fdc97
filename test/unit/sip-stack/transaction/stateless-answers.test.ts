import { describe, expect, it } from 'vitest';
import { layerHarness, timers } from './layer-harness.js';
import { answer, request, source } from './sip-fixtures.js';
import type { SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';

/** A TU that challenges every INVITE without Proxy-Authorization from the request alone. */
function challenging(req: SipRequest): SipResponse | undefined {
  return req.method === 'INVITE' && !req.has('Proxy-Authorization') ? answer(req, 407, 'challenge') : undefined;
}

describe('TransactionLayer: stateless answers (RFC 3261 §8.2.7)', () => {
  it('sends the TU\'s stateless answer and creates no transaction, no 100 and no timer', () => {
    const { layer, sender, user, clock } = layerHarness();
    user.answerStatelessly = challenging;
    layer.receiveRequest(request(), source());
    expect(sender.responses(407)).toHaveLength(1);
    expect(sender.responses(100)).toHaveLength(0);
    expect(sender.last().target).toMatchObject({ address: '198.51.100.20', port: 5060 });
    expect(user.requests).toHaveLength(0);
    expect(layer.size()).toBe(0);
    expect(layer.counters()).toMatchObject({ statelessResponses: 1, serverTransactionsCreated: 0 });
    clock.advance(64 * 500);
    expect(sender.responses(407)).toHaveLength(1);
  });

  it('answers a retransmission again, and passes the ACK of the challenge up as matching nothing', () => {
    const { layer, sender, user } = layerHarness();
    user.answerStatelessly = challenging;
    layer.receiveRequest(request(), source());
    layer.receiveRequest(request(), source());
    expect(sender.responses(407)).toHaveLength(2);
    layer.receiveRequest(request({ method: 'ACK', toTag: 'challenge', cseq: 314159 }), source());
    expect(user.acks).toHaveLength(1);
    expect(layer.size()).toBe(0);
  });

  it('gives every request the TU does not answer statelessly a transaction as before', () => {
    const { layer, sender, user, clock } = layerHarness();
    user.answerStatelessly = challenging;
    layer.receiveRequest(request({ extra: ['Proxy-Authorization: Digest username="alice"'], branch: 'z9hG4bKcreds' }), source());
    expect(user.requests).toHaveLength(1);
    clock.advance(timers.trying);
    expect(sender.responses(100)).toHaveLength(1);
    expect(layer.counters()).toMatchObject({ statelessResponses: 0, serverTransactionsCreated: 1 });
  });

  it('answers 500 statelessly when the TU throws while judging, and lets the error travel on', () => {
    const { layer, sender, user } = layerHarness();
    user.answerStatelessly = () => {
      throw new Error('directory unavailable');
    };
    expect(() => layer.receiveRequest(request(), source())).toThrow('directory unavailable');
    expect(sender.responses(500)).toHaveLength(1);
    expect(user.requests).toHaveLength(0);
    expect(layer.size()).toBe(0);
  });
});
