import { describe, expect, it } from 'vitest';
import { makeCancel } from '../../../../sip-stack/message/make-cancel.js';
import { SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import type { SendTarget } from '../../../../sip-stack/transport/transport-types.js';
import type { FakeSender } from './fake-sender.js';
import { layerHarness, timers } from './layer-harness.js';
import { RecordingClientUser } from './recording-users.js';
import { answer, request, requestOf, source, target } from './sip-fixtures.js';

/**
 * Past its final response a transaction keeps no message, only the bytes it may have to send
 * again. These tests hold it to the retransmission rules of §17 all the same, feeding each
 * retransmission in as a freshly parsed message, as the transport would.
 */

/** A response as a retransmission of it arrives: a message parsed afresh from the same bytes. */
function again(response: SipResponse): SipResponse {
  const parsed = parseMessage(response.serialize());
  if (!(parsed instanceof SipResponse)) throw new Error('response did not parse');
  return parsed;
}

/** The bytes and target of every send whose first line starts with `startLine`. */
function sends(sender: FakeSender, startLine: string): { text: string; target: SendTarget }[] {
  return sender.sent
    .map((s) => ({ text: (s.bytes ?? s.message.serialize()).toString('latin1'), target: s.target }))
    .filter((s) => s.text.startsWith(startLine));
}

describe('a non-INVITE server transaction past its final response (§17.2.2)', () => {
  function completed() {
    const harness = layerHarness();
    harness.layer.receiveRequest(request({ method: 'REGISTER' }), source());
    const tx = harness.user.lastTx();
    const ok = answer(requestOf(tx), 200, 'regtag');
    tx.respond(ok);
    return { ...harness, tx, ok };
  }

  it('lets the request go and offers no message of its own', () => {
    const { tx } = completed();
    expect(tx.state).toBe('Completed');
    expect(tx.request).toBeUndefined();
    expect(tx.lastStatus).toBe(200);
    expect('lastResponse' in tx).toBe(false);
  });

  it('MUST answer each retransmission with the same bytes, to the same place, without the TU', () => {
    const { layer, sender, user, ok } = completed();
    layer.receiveRequest(request({ method: 'REGISTER' }), source());
    layer.receiveRequest(request({ method: 'REGISTER' }), source());
    const sent = sends(sender, 'SIP/2.0 200');
    expect(sent).toHaveLength(3);
    for (const s of sent) expect(s).toEqual({ text: ok.toString(), target: sent[0]?.target });
    expect(user.requests).toHaveLength(1);
  });

  it('sends what went out first, whatever the TU does to its response object afterwards', () => {
    const { layer, sender, ok } = completed();
    const first = ok.toString();
    ok.set('Expires', '0');
    layer.receiveRequest(request({ method: 'REGISTER' }), source());
    expect(sends(sender, 'SIP/2.0 200').map((s) => s.text)).toEqual([first, first]);
  });

  it('still answers retransmissions until Timer J, and is gone after it', () => {
    const { layer, sender, user, clock } = completed();
    clock.advance(timers.j - 1);
    layer.receiveRequest(request({ method: 'REGISTER' }), source());
    expect(sends(sender, 'SIP/2.0 200')).toHaveLength(2);
    clock.advance(1);
    expect(layer.size()).toBe(0);
    layer.receiveRequest(request({ method: 'REGISTER' }), source());
    expect(user.requests).toHaveLength(2);
  });

  it('matches an RFC 2543 retransmission by the To tag the request had', () => {
    const { layer, sender, user } = layerHarness();
    const legacy = (toTag?: string) => request({ method: 'BYE', branch: null, toTag: toTag ?? 'peertag' });
    layer.receiveRequest(legacy(), source());
    user.lastTx().respond(answer(requestOf(user.lastTx()), 200));
    layer.receiveRequest(legacy(), source());
    expect(user.requests).toHaveLength(1);
    expect(sends(sender, 'SIP/2.0 200')).toHaveLength(2);
    layer.receiveRequest(legacy('othertag'), source());
    expect(user.requests).toHaveLength(2);
  });
});

describe('an INVITE server transaction past its final response (§17.2.1, RFC 6026 §7.1)', () => {
  function invited() {
    const harness = layerHarness();
    harness.layer.receiveRequest(request(), source());
    return { ...harness, tx: harness.user.lastTx() };
  }

  it('lets the INVITE go in Completed and answers a retransmission with the same final bytes', () => {
    const { layer, sender, user, tx } = invited();
    const busy = answer(requestOf(tx), 486, 'ourtag');
    tx.respond(busy);
    expect(tx.request).toBeUndefined();
    layer.receiveRequest(request(), source());
    const sent = sends(sender, 'SIP/2.0 486');
    expect(sent.map((s) => s.text)).toEqual([busy.toString(), busy.toString()]);
    expect(sent[1]?.target).toEqual(sent[0]?.target);
    expect(user.requests).toHaveLength(1);
  });

  it('MUST retransmit the same final bytes on Timer G', () => {
    const { clock, sender, tx } = invited();
    const busy = answer(requestOf(tx), 486, 'ourtag');
    tx.respond(busy);
    clock.advance(timers.t1);
    clock.advance(2 * timers.t1);
    expect(sends(sender, 'SIP/2.0 486').map((s) => s.text)).toEqual(Array(3).fill(busy.toString()));
  });

  it('sends the final no more once the ACK has come (Confirmed absorbs everything)', () => {
    const { layer, clock, sender, tx } = invited();
    tx.respond(answer(requestOf(tx), 486, 'ourtag'));
    layer.receiveRequest(request({ method: 'ACK', toTag: 'ourtag' }), source());
    expect(tx.state).toBe('Confirmed');
    layer.receiveRequest(request(), source());
    clock.advance(timers.t2);
    expect(sends(sender, 'SIP/2.0 486')).toHaveLength(1);
  });

  it('lets the INVITE go in Accepted, absorbs retransmissions and still passes the TU\'s 2xx', () => {
    const { layer, sender, user, tx } = invited();
    const ok = answer(requestOf(tx), 200, 'ourtag');
    tx.respond(ok);
    expect(tx.state).toBe('Accepted');
    expect(tx.request).toBeUndefined();
    layer.receiveRequest(request(), source());
    expect(sends(sender, 'SIP/2.0 200')).toHaveLength(1);
    tx.respond(ok);
    expect(sends(sender, 'SIP/2.0 200').map((s) => s.text)).toEqual([ok.toString(), ok.toString()]);
    expect(user.requests).toHaveLength(1);
  });

  it('answers a late CANCEL with the To tag of the final response (§9.2)', () => {
    const { layer, sender, tx } = invited();
    tx.respond(answer(requestOf(tx), 200, 'ourtag'));
    layer.receiveRequest(makeCancel(request()), source());
    const [ok] = sender.responses(200).filter((r) => r.cseq.method === 'CANCEL');
    expect(ok?.toTag).toBe('ourtag');
  });
});

describe('client transactions past their final response (§17.1)', () => {
  it('INVITE: lets the INVITE go and answers a retransmitted non-2xx final with the same ACK bytes', () => {
    const { layer, sender } = layerHarness();
    const user = new RecordingClientUser();
    const tx = layer.sendRequest(request({ noVia: true }), target(), user);
    const busy = answer(requestOf(tx), 486);
    layer.receiveResponse(busy, source());
    expect(tx.state).toBe('Completed');
    expect(tx.request).toBeUndefined();
    layer.receiveResponse(again(busy), source());
    layer.receiveResponse(again(busy), source());
    const acks = sends(sender, 'ACK ');
    expect(acks).toHaveLength(3);
    for (const ack of acks) expect(ack).toEqual({ text: acks[0]?.text, target: target() });
    expect(user.statuses()).toEqual([486]);
  });

  it('INVITE: lets the INVITE go in Accepted and still passes every 2xx up', () => {
    const { layer } = layerHarness();
    const user = new RecordingClientUser();
    const tx = layer.sendRequest(request({ noVia: true }), target(), user);
    const ok = answer(requestOf(tx), 200);
    layer.receiveResponse(ok, source());
    layer.receiveResponse(again(ok), source());
    expect(tx.state).toBe('Accepted');
    expect(tx.request).toBeUndefined();
    expect(user.statuses()).toEqual([200, 200]);
  });

  it('non-INVITE: lets the request go and absorbs retransmitted responses, sending nothing', () => {
    const { layer, sender } = layerHarness();
    const user = new RecordingClientUser();
    const tx = layer.sendRequest(request({ method: 'OPTIONS', noVia: true }), target(), user);
    const ok = answer(requestOf(tx), 200);
    layer.receiveResponse(ok, source());
    const sentBefore = sender.sent.length;
    layer.receiveResponse(again(ok), source());
    layer.receiveResponse(again(ok), source());
    expect(tx.state).toBe('Completed');
    expect(tx.request).toBeUndefined();
    expect(user.statuses()).toEqual([200]);
    expect(sender.sent).toHaveLength(sentBefore);
  });
});
