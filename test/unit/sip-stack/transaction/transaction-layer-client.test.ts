import { describe, expect, it } from 'vitest';
import { MAGIC_COOKIE } from '../../../../sip-stack/message/via.js';
import { InviteClientTransaction } from '../../../../sip-stack/transaction/invite-client-transaction.js';
import { NonInviteClientTransaction } from '../../../../sip-stack/transaction/non-invite-client-transaction.js';
import { layerHarness, timers } from './layer-harness.js';
import { RecordingClientUser } from './recording-users.js';
import { answer, request, requestOf, source, target } from './sip-fixtures.js';

function outgoing(method = 'INVITE') {
  return request({ method, noVia: true });
}

describe('TransactionLayer: requests from the TU', () => {
  it.each(['udp', 'tcp'] as const)('MUST add a top Via with a magic-cookie branch and rport (%s)', (protocol) => {
    const { layer, sender } = layerHarness();
    const tx = layer.sendRequest(outgoing(), target(protocol), new RecordingClientUser());
    const via = requestOf(tx).topVia;
    expect(via.transport).toBe(protocol.toUpperCase());
    expect(via.host).toBe('192.0.2.1');
    expect(via.port).toBe(5060);
    expect(via.branch?.startsWith(MAGIC_COOKIE)).toBe(true);
    expect(via.rport).toBeNull();
    expect(sender.requests('INVITE')).toEqual([requestOf(tx)]);
  });

  it('gives every request a branch of its own', () => {
    const { layer } = layerHarness();
    const user = new RecordingClientUser();
    const a = layer.sendRequest(outgoing(), target(), user);
    const b = layer.sendRequest(outgoing(), target(), user);
    expect(requestOf(a).topVia.branch).not.toBe(requestOf(b).topVia.branch);
  });

  it('brackets an IPv6 sent-by', () => {
    const { layer, sender } = layerHarness();
    sender.localAddress = '2001:db8::1';
    const tx = layer.sendRequest(outgoing('OPTIONS'), target(), new RecordingClientUser());
    expect(requestOf(tx).get('Via')).toMatch(/^SIP\/2\.0\/UDP \[2001:db8::1\]:5060;branch=z9hG4bK[\w-]+;rport$/);
  });

  it('keeps a magic-cookie top Via when keepVia is set, and adds one when the Via lacks the cookie', () => {
    const { layer } = layerHarness();
    const user = new RecordingClientUser();
    const kept = layer.sendRequest(request({ method: 'OPTIONS', branch: 'z9hG4bKmine' }), target(), user, { keepVia: true });
    expect(requestOf(kept).vias.map((v) => v.branch)).toEqual(['z9hG4bKmine']);
    const legacy = layer.sendRequest(request({ method: 'OPTIONS', branch: 'old' }), target(), user, { keepVia: true });
    expect(requestOf(legacy).vias).toHaveLength(2);
    const added = layer.sendRequest(request({ method: 'OPTIONS', branch: 'z9hG4bKmine2' }), target(), user);
    expect(requestOf(added).vias).toHaveLength(2);
  });

  it('refuses a branch already used by a live transaction, and an ACK (never a transaction)', () => {
    const { layer } = layerHarness();
    const user = new RecordingClientUser();
    layer.sendRequest(request({ method: 'OPTIONS', branch: 'z9hG4bKsame' }), target(), user, { keepVia: true });
    expect(() => layer.sendRequest(request({ method: 'OPTIONS', branch: 'z9hG4bKsame' }), target(), user, { keepVia: true }))
      .toThrow(/already in use/);
    expect(() => layer.sendRequest(outgoing('ACK'), target(), user)).toThrow(/sendAck/);
  });

  it('sends the ACK for a 2xx outside any transaction, with a Via of its own (§13.2.2.4)', () => {
    const { layer, sender } = layerHarness();
    const ack = outgoing('ACK');
    layer.sendAck(ack, target());
    expect(sender.requests('ACK')).toEqual([ack]);
    expect(ack.topVia.branch?.startsWith(MAGIC_COOKIE)).toBe(true);
    expect(layer.size()).toBe(0);
  });

  it('reports a failure to send a 2xx ACK to the onError the TU gave', () => {
    const { layer, sender } = layerHarness();
    sender.failWith = 'connection refused';
    const reasons: string[] = [];
    layer.sendAck(outgoing('ACK'), target('tcp'), { onError: (e) => reasons.push(e.reason) });
    expect(reasons).toEqual(['connection refused']);
  });

  it('creates an INVITE client transaction for INVITE and a non-INVITE one otherwise', () => {
    const { layer } = layerHarness();
    const user = new RecordingClientUser();
    expect(layer.sendRequest(outgoing(), target(), user)).toBeInstanceOf(InviteClientTransaction);
    expect(layer.sendRequest(outgoing('BYE'), target(), user)).toBeInstanceOf(NonInviteClientTransaction);
    expect(layer.counters().clientTransactionsCreated).toBe(2);
  });
});

describe('TransactionLayer: responses from the network (§17.1.3)', () => {
  it('MUST pass a response to the client transaction it matches', () => {
    const { layer } = layerHarness();
    const user = new RecordingClientUser();
    const tx = layer.sendRequest(outgoing(), target(), user);
    layer.receiveResponse(answer(requestOf(tx), 180), source());
    layer.receiveResponse(answer(requestOf(tx), 200), source());
    expect(user.statuses()).toEqual([180, 200]);
    expect(tx.state).toBe('Accepted');
  });

  it('MUST pass a 2xx to INVITE matching no transaction to the TU as a stray (§13.2.2.4)', () => {
    const { layer, user } = layerHarness();
    const stray = answer(request(), 200);
    layer.receiveResponse(stray, source());
    expect(user.stray).toEqual([stray]);
    expect(layer.counters().stray2xx).toBe(1);
  });

  it('MUST drop any other response matching no transaction', () => {
    const { layer, user } = layerHarness();
    layer.receiveResponse(answer(request(), 486), source());
    layer.receiveResponse(answer(request({ method: 'BYE' }), 200), source());
    layer.receiveResponse(answer(request({ branch: null }), 180), source());
    expect(user.stray).toHaveLength(0);
    expect(layer.counters().responsesDropped).toBe(3);
  });

  it('keeps a response to the CANCEL away from the INVITE transaction', () => {
    const { layer, sender } = layerHarness();
    const user = new RecordingClientUser();
    const tx = layer.sendRequest(outgoing(), target(), user);
    layer.receiveResponse(answer(requestOf(tx), 180), source());
    tx.cancel();
    const [cancel] = sender.requests('CANCEL');
    if (cancel === undefined) throw new Error('no CANCEL sent');
    layer.receiveResponse(answer(cancel, 200), source());
    expect(user.statuses()).toEqual([180]);
    expect(tx.state).toBe('Proceeding');
  });
});

describe('TransactionLayer: cancelling an INVITE (§9.1)', () => {
  it('waits for a provisional, then sends the CANCEL with the INVITE\'s branch to the same target', () => {
    const { layer, sender } = layerHarness();
    const tx = layer.sendRequest(outgoing(), target(), new RecordingClientUser());
    tx.cancel('SIP;cause=200;text="Call completed elsewhere"');
    expect(sender.requests('CANCEL')).toHaveLength(0);
    layer.receiveResponse(answer(requestOf(tx), 180), source());
    const [cancel] = sender.requests('CANCEL');
    expect(cancel?.topVia.branch).toBe(requestOf(tx).topVia.branch);
    expect(cancel?.vias).toHaveLength(1);
    expect(cancel?.get('Reason')).toBe('SIP;cause=200;text="Call completed elsewhere"');
    expect(sender.last().target).toEqual(target());
  });

  it('retransmits the CANCEL through its own non-INVITE transaction over UDP', () => {
    const { layer, sender, clock } = layerHarness();
    const tx = layer.sendRequest(outgoing(), target(), new RecordingClientUser());
    layer.receiveResponse(answer(requestOf(tx), 180), source());
    tx.cancel();
    clock.advance(timers.t1);
    expect(sender.requests('CANCEL')).toHaveLength(2);
    expect(layer.counters().liveClient).toBe(2);
  });

  it('passes the 487 to the TU and ACKs it; the CANCEL\'s own 200 stays out of sight', () => {
    const { layer, sender, clock } = layerHarness();
    const user = new RecordingClientUser();
    const tx = layer.sendRequest(outgoing(), target(), user);
    layer.receiveResponse(answer(requestOf(tx), 180), source());
    tx.cancel();
    const [cancel] = sender.requests('CANCEL');
    if (cancel === undefined) throw new Error('no CANCEL sent');
    layer.receiveResponse(answer(cancel, 200), source());
    layer.receiveResponse(answer(requestOf(tx), 487), source());
    expect(user.statuses()).toEqual([180, 487]);
    expect(sender.requests('ACK')).toHaveLength(1);
    clock.runAll();
    expect(layer.size()).toBe(0);
    expect(user.timeouts).toHaveLength(0);
  });

  it('times the INVITE out if no final response comes within 64*T1 of the CANCEL', () => {
    const { layer, clock } = layerHarness();
    const user = new RecordingClientUser();
    const tx = layer.sendRequest(outgoing(), target(), user);
    layer.receiveResponse(answer(requestOf(tx), 180), source());
    tx.cancel();
    clock.advance(timers.b);
    expect(user.timeouts).toEqual([tx]);
    clock.runAll();
    expect(layer.size()).toBe(0);
    expect(clock.pendingCount()).toBe(0);
  });
});

describe('TransactionLayer: bookkeeping', () => {
  it('forgets every transaction when it terminates, leaving no timer behind', () => {
    const { layer, clock, user: tu } = layerHarness();
    const user = new RecordingClientUser();
    const invite = layer.sendRequest(outgoing(), target(), user);
    layer.receiveResponse(answer(requestOf(invite), 486), source());
    layer.sendRequest(outgoing('BYE'), target('tcp'), user);
    layer.receiveRequest(request(), source());
    tu.lastTx().respond(answer(requestOf(tu.lastTx()), 200));
    layer.receiveRequest(request({ method: 'OPTIONS' }), source());
    tu.lastTx().respond(answer(requestOf(tu.lastTx()), 200));
    expect(layer.size()).toBe(4);
    clock.runAll();
    expect(layer.size()).toBe(0);
    expect(clock.pendingCount()).toBe(0);
    expect(layer.counters()).toMatchObject({ liveClient: 0, liveServer: 0, serverTransactionsCreated: 2 });
  });

  it('dispose() stops every live transaction silently; a second dispose() is harmless', () => {
    const { layer, clock } = layerHarness();
    const user = new RecordingClientUser();
    layer.sendRequest(outgoing(), target(), user);
    layer.receiveRequest(request(), source());
    layer.dispose();
    layer.dispose();
    expect(layer.size()).toBe(0);
    expect(clock.pendingCount()).toBe(0);
    expect(user.timeouts).toHaveLength(0);
  });

  it('removes a client transaction whose first send fails at once', () => {
    const { layer, sender, clock } = layerHarness();
    sender.failWith = 'no route to host';
    const user = new RecordingClientUser();
    const tx = layer.sendRequest(outgoing(), target(), user);
    expect(tx.state).toBe('Terminated');
    expect(user.errors.map((e) => e.reason)).toEqual(['no route to host']);
    expect(layer.size()).toBe(0);
    expect(clock.pendingCount()).toBe(0);
  });
});
