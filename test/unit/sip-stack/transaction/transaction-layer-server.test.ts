import { describe, expect, it } from 'vitest';
import { makeCancel } from '../../../../sip-stack/message/make-cancel.js';
import { InviteServerTransaction } from '../../../../sip-stack/transaction/invite-server-transaction.js';
import { NonInviteServerTransaction } from '../../../../sip-stack/transaction/non-invite-server-transaction.js';
import { layerHarness, timers } from './layer-harness.js';
import { answer, request, requestOf, source } from './sip-fixtures.js';

describe('TransactionLayer: requests from the network', () => {
  it('MUST create an INVITE server transaction for a new INVITE, pass it to the TU and send 100 unless the TU answers first', () => {
    const { layer, sender, user, clock } = layerHarness();
    const invite = request();
    layer.receiveRequest(invite, source());
    expect(sender.responses(100)).toHaveLength(0);
    clock.advance(timers.trying);
    expect(user.requests).toHaveLength(1);
    expect(user.requests[0]?.request).toBe(invite);
    expect(user.lastTx()).toBeInstanceOf(InviteServerTransaction);
    expect(sender.responses(100)).toHaveLength(1);
    expect(sender.last().target).toMatchObject({ protocol: 'udp', address: '198.51.100.20', port: 5060, flowId: undefined });
    expect(layer.size()).toBe(1);
  });

  it('does not send 100 (Trying) when the TU answers the INVITE at once (§17.2.1: within 200 ms)', () => {
    const { layer, sender, user } = layerHarness();
    user.onRequest = (req, tx) => tx.respond(answer(req, 407));
    layer.receiveRequest(request(), source());
    expect(sender.responses(100)).toHaveLength(0);
    expect(sender.responses(407)).toHaveLength(1);
  });

  it('MUST absorb a retransmitted INVITE into its transaction, not pass it to the TU again', () => {
    const { layer, sender, user, clock } = layerHarness();
    layer.receiveRequest(request(), source());
    clock.advance(timers.trying);
    layer.receiveRequest(request(), source());
    expect(user.requests).toHaveLength(1);
    expect(sender.responses(100)).toHaveLength(2);
    expect(layer.counters().requestRetransmissions).toBe(1);
  });

  it('MUST create a non-INVITE server transaction for other requests and absorb their retransmissions', () => {
    const { layer, sender, user } = layerHarness();
    layer.receiveRequest(request({ method: 'OPTIONS' }), source());
    expect(user.lastTx()).toBeInstanceOf(NonInviteServerTransaction);
    user.lastTx().respond(answer(requestOf(user.lastTx()), 200));
    layer.receiveRequest(request({ method: 'OPTIONS' }), source());
    expect(user.requests).toHaveLength(1);
    expect(sender.responses(200)).toHaveLength(2);
  });

  it('sends responses over the flow the request came in on', () => {
    const { layer, sender, user } = layerHarness();
    layer.receiveRequest(request({ protocol: 'tcp' }), source('tcp'));
    user.lastTx().respond(answer(requestOf(user.lastTx()), 180));
    expect(sender.last().target.flowId).toBe('flow-198.51.100.20-5060');
  });

  it('sends responses where the responseTarget option says', () => {
    const elsewhere = { protocol: 'udp' as const, address: '203.0.113.9', port: 5999 };
    const { layer, sender, clock } = layerHarness({ responseTarget: () => elsewhere });
    layer.receiveRequest(request(), source());
    clock.advance(timers.trying);
    expect(sender.last().target).toEqual(elsewhere);
  });

  it('MUST absorb the ACK for a non-2xx final into the INVITE transaction', () => {
    const { layer, user } = layerHarness();
    layer.receiveRequest(request(), source());
    const tx = user.lastTx();
    tx.respond(answer(requestOf(tx), 486, 'ourtag'));
    layer.receiveRequest(request({ method: 'ACK', toTag: 'ourtag' }), source());
    expect(tx.state).toBe('Confirmed');
    expect(user.acks).toHaveLength(0);
  });

  it('MUST pass an ACK that matches no transaction (the ACK for a 2xx) to the TU', () => {
    const { layer, user } = layerHarness();
    layer.receiveRequest(request(), source());
    const tx = user.lastTx();
    tx.respond(answer(requestOf(tx), 200, 'ourtag'));
    const ack = request({ method: 'ACK', branch: 'z9hG4bKnewbranch', toTag: 'ourtag' });
    layer.receiveRequest(ack, source());
    expect(user.acks).toEqual([{ ack, source: source() }]);
    expect(layer.counters().acksToUser).toBe(1);
  });

  it('passes an ACK matching an INVITE transaction in Accepted to the TU (RFC 6026 §7.1)', () => {
    const { layer, user } = layerHarness();
    layer.receiveRequest(request(), source());
    const tx = user.lastTx();
    tx.respond(answer(requestOf(tx), 200, 'ourtag'));
    layer.receiveRequest(request({ method: 'ACK', toTag: 'ourtag' }), source());
    expect(user.acks).toHaveLength(1);
    expect(tx.state).toBe('Accepted');
  });

  it('answers 500 for the TU when onRequest throws before answering, and lets the error through', () => {
    const { layer, sender, user } = layerHarness();
    user.onNewRequest = () => { throw new Error('bug in the TU'); };
    expect(() => layer.receiveRequest(request({ method: 'OPTIONS' }), source())).toThrow('bug in the TU');
    expect(sender.responses(500)).toHaveLength(1);
    expect(user.lastTx().state).toBe('Completed');
  });

  it('drops a request without a Via: there is nowhere to answer it', () => {
    const { layer, user, sender } = layerHarness();
    layer.receiveRequest(request({ noVia: true }), source());
    expect(user.requests).toHaveLength(0);
    expect(sender.sent).toHaveLength(0);
  });
});

describe('TransactionLayer: CANCEL (§9.2)', () => {
  function ringing() {
    const harness = layerHarness();
    const invite = request();
    harness.layer.receiveRequest(invite, source());
    const inviteTx = harness.user.lastTx();
    inviteTx.respond(answer(invite, 180, 'ourtag'));
    return { ...harness, invite, inviteTx };
  }

  it('MUST answer a CANCEL matching a pending INVITE with 200 and pass it to the TU', () => {
    const { layer, sender, user, invite, inviteTx } = ringing();
    const cancel = makeCancel(invite);
    layer.receiveRequest(cancel, source());
    const [ok] = sender.responses(200);
    expect(ok?.cseq.method).toBe('CANCEL');
    expect(ok?.toTag).toBe('ourtag');
    expect(user.cancels).toEqual([{ cancel, inviteTx }]);
    expect(user.requests).toHaveLength(1);
    expect(layer.counters().cancelsDelivered).toBe(1);
  });

  it('lets the TU answer the INVITE with 487, which the INVITE transaction then handles', () => {
    const { layer, sender, user, invite, inviteTx } = ringing();
    layer.receiveRequest(makeCancel(invite), source());
    user.cancels[0]?.inviteTx.respond(answer(invite, 487, 'ourtag'));
    expect(sender.responses(487)).toHaveLength(1);
    expect(inviteTx.state).toBe('Completed');
  });

  it('MUST absorb a retransmitted CANCEL, answering 200 again without telling the TU twice', () => {
    const { layer, sender, user, invite } = ringing();
    layer.receiveRequest(makeCancel(invite), source());
    layer.receiveRequest(makeCancel(invite), source());
    expect(sender.responses(200).filter((r) => r.cseq.method === 'CANCEL')).toHaveLength(2);
    expect(user.cancels).toHaveLength(1);
  });

  it('still answers 200 to a CANCEL after the final response, but does not pass it to the TU', () => {
    const { layer, sender, user, invite, inviteTx } = ringing();
    inviteTx.respond(answer(invite, 200, 'ourtag'));
    layer.receiveRequest(makeCancel(invite), source());
    expect(sender.responses(200).filter((r) => r.cseq.method === 'CANCEL')).toHaveLength(1);
    expect(user.cancels).toHaveLength(0);
  });

  it('MUST answer a CANCEL matching no transaction with 481', () => {
    const { layer, sender, user } = layerHarness();
    layer.receiveRequest(makeCancel(request()), source());
    const [notFound] = sender.responses(481);
    expect(notFound?.cseq.method).toBe('CANCEL');
    expect(notFound?.toTag).toBeDefined();
    expect(user.cancels).toHaveLength(0);
    expect(user.requests).toHaveLength(0);
    expect(layer.counters().cancelsUnmatched).toBe(1);
  });

  it('does not match a CANCEL to an INVITE sent by another host with the same branch', () => {
    const { layer, sender, user } = ringing();
    layer.receiveRequest(makeCancel(request({ viaHost: 'mallory.example' })), source());
    expect(sender.responses(481)).toHaveLength(1);
    expect(user.cancels).toHaveLength(0);
  });
});

describe('TransactionLayer: RFC 2543 peers (no magic cookie)', () => {
  const legacy = (spec: Parameters<typeof request>[0] = {}) => request({ branch: null, ...spec });

  it('MUST absorb a retransmitted INVITE matched by Request-URI, tags, Call-ID, CSeq and top Via', () => {
    const { layer, user, sender, clock } = layerHarness();
    layer.receiveRequest(legacy(), source());
    clock.advance(timers.trying);
    layer.receiveRequest(legacy(), source());
    expect(user.requests).toHaveLength(1);
    expect(sender.responses(100)).toHaveLength(2);
    layer.receiveRequest(legacy({ cseq: 2 }), source());
    expect(user.requests).toHaveLength(2);
  });

  it('MUST match the ACK by the To tag of the response sent', () => {
    const { layer, user } = layerHarness();
    layer.receiveRequest(legacy(), source());
    const tx = user.lastTx();
    tx.respond(answer(requestOf(tx), 486, 'ourtag'));
    layer.receiveRequest(legacy({ method: 'ACK', toTag: 'wrongtag' }), source());
    expect(tx.state).toBe('Completed');
    expect(user.acks).toHaveLength(1);
    layer.receiveRequest(legacy({ method: 'ACK', toTag: 'ourtag' }), source());
    expect(tx.state).toBe('Confirmed');
    expect(user.acks).toHaveLength(1);
  });

  it('matches a CANCEL to its INVITE without a branch', () => {
    const { layer, user, sender } = layerHarness();
    const invite = legacy();
    layer.receiveRequest(invite, source());
    layer.receiveRequest(makeCancel(invite), source());
    expect(user.cancels).toHaveLength(1);
    expect(sender.responses(481)).toHaveLength(0);
  });
});
