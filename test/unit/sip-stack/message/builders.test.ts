import { describe, expect, it } from 'vitest';
import { makeNon2xxAck } from '../../../../sip-stack/message/make-ack.js';
import { makeCancel } from '../../../../sip-stack/message/make-cancel.js';
import { makeResponse } from '../../../../sip-stack/message/make-response.js';
import { reasonPhrase } from '../../../../sip-stack/message/reason-phrases.js';
import type { SipMessage } from '../../../../sip-stack/message/sip-message.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';
import { INVITE_TEXT, parseRequest, parseValid, shape } from './sample-messages.js';

/** A built message must serialise to bytes that parse, check, and give the same message back. */
function roundTrips(m: SipMessage): void {
  expect(shape(parseValid(m.serialize()))).toEqual(shape(m));
}

describe('makeResponse (RFC 3261 §8.2.6)', () => {
  it('leaves a received request untouched: it still serialises to its own bytes, unmaterialised', () => {
    const invite = parseRequest(INVITE_TEXT);
    const wire = invite.serialize();
    makeResponse(invite, 180, { toTag: 'bobtag' });
    makeResponse(invite, 100);
    expect(invite.parsedHead()).toBeDefined();
    expect(invite.serialize()).toBe(wire);
  });

  it('reads lines in order by index, for built and received messages alike', () => {
    const invite = parseRequest(INVITE_TEXT);
    const keys = Array.from({ length: invite.lineCount() }, (_, i) => invite.lineKey(i));
    expect(keys).toEqual(invite.headers.map((h) => h.key));
    const built = makeResponse(invite, 200, { toTag: 't', headers: [['X-Extra', 'a']] });
    const last = built.lineCount() - 2;
    expect([built.lineName(last), built.lineHeader(last).value]).toEqual(['X-Extra', 'a']);
  });

  it('copies every Via in order, From, Call-ID and CSeq', () => {
    const invite = parseRequest(INVITE_TEXT);
    const r = makeResponse(invite, 486, { toTag: 'bobtag' });
    expect(r.status).toBe(486);
    expect(r.reason).toBe('Busy Here');
    expect(r.getAll('Via')).toEqual(invite.getAll('Via'));
    expect(r.get('From')).toBe(invite.get('From'));
    expect(r.get('Call-ID')).toBe(invite.get('Call-ID'));
    expect(r.get('CSeq')).toBe('1 INVITE');
    for (const key of ['route', 'contact', 'max-forwards', 'user-agent', 'allow', 'timestamp']) {
      expect(r.firstValue(key), key).toBeUndefined();
    }
    roundTrips(r);
  });

  it('adds the To tag when the request has none (§8.2.6.2)', () => {
    const invite = parseRequest(INVITE_TEXT);
    const r = makeResponse(invite, 180, { toTag: 'a6c85cf' });
    expect(r.get('To')).toBe('Bob <sip:bob@biloxi.example.com>;tag=a6c85cf');
    expect(r.toTag).toBe('a6c85cf');
  });

  it('keeps the To of a request that has a tag', () => {
    const bye = parseRequest(INVITE_TEXT.replace('To: Bob <sip:bob@biloxi.example.com>', 'To: <sip:bob@b>;tag=old'));
    expect(makeResponse(bye, 200, { toTag: 'new' }).toTag).toBe('old');
  });

  it('adds no tag to a 100 and copies Timestamp into it (§8.2.6.1)', () => {
    const invite = parseRequest(INVITE_TEXT);
    const trying = makeResponse(invite, 100, { toTag: 'x' });
    expect(trying.toTag).toBeUndefined();
    expect(trying.get('Timestamp')).toBe('54');
    expect(trying.reason).toBe('Trying');
    expect(makeResponse(invite, 180, { toTag: 'x' }).has('Timestamp')).toBe(false);
  });

  it('sets reason, extra headers and a body with its Content-Length', () => {
    const invite = parseRequest(INVITE_TEXT);
    const sdp = Buffer.from('v=0\r\n');
    const r = makeResponse(invite, 200, {
      reason: 'Fine', toTag: 't', headers: [['Contact', '<sip:b2bua@192.0.2.1>'], ['Allow', 'INVITE, BYE']], body: sdp,
      contentType: 'application/sdp',
    });
    expect(r.reason).toBe('Fine');
    expect(r.get('Contact')).toBe('<sip:b2bua@192.0.2.1>');
    expect(r.get('Content-Length')).toBe('5');
    expect(r.contentType).toBe('application/sdp');
    expect(r.body.equals(sdp)).toBe(true);
    expect(makeResponse(invite, 404).get('Content-Length')).toBe('0');
    roundTrips(r);
  });

  it('answers a request whose To is malformed without throwing (the 400 for it)', () => {
    const bytes = Buffer.from(INVITE_TEXT.replace('To: Bob <sip:bob@biloxi.example.com>', 'To: "unterminated <sip:b@c>'));
    const bad = parseMessage(bytes);
    expect(bad).not.toBeInstanceOf(SipParseError);
    const r = makeResponse(bad as ReturnType<typeof parseRequest>, 400, { toTag: 'x', reason: 'Malformed To' });
    expect(r.get('To')).toBe('"unterminated <sip:b@c>');
  });

  it('uses the RFC reason phrases, with a class default', () => {
    expect(reasonPhrase(487)).toBe('Request Terminated');
    expect(reasonPhrase(199)).toBe('Progress');
    expect(reasonPhrase(299)).toBe('OK');
    expect(reasonPhrase(499)).toBe('Error');
  });
});

describe('makeNon2xxAck (RFC 3261 §17.1.1.3)', () => {
  const invite = parseRequest(INVITE_TEXT);
  const response = makeResponse(invite, 486, { toTag: 'busytag' });
  const ack = makeNon2xxAck(invite, response);

  it('has the INVITE Request-URI, Call-ID, From and the CSeq number with method ACK', () => {
    expect(ack.method).toBe('ACK');
    expect(ack.uri).toBe(invite.uri);
    expect(ack.get('Call-ID')).toBe(invite.get('Call-ID'));
    expect(ack.get('From')).toBe(invite.get('From'));
    expect(ack.cseq).toEqual({ seq: 1, method: 'ACK' });
  });

  it('has a single Via equal to the top Via of the INVITE', () => {
    expect(ack.values('Via')).toEqual(['SIP/2.0/UDP proxy.atlanta.example.com:5060;branch=z9hG4bK2d4790.1']);
  });

  it('has the To of the response, tag included, and the Route headers of the INVITE', () => {
    expect(ack.get('To')).toBe(response.get('To'));
    expect(ack.toTag).toBe('busytag');
    expect(ack.getAll('Route')).toEqual(invite.getAll('Route'));
  });

  it('carries no body, Contact or Content-Type', () => {
    expect(ack.body.length).toBe(0);
    expect(ack.get('Content-Length')).toBe('0');
    expect(ack.has('Contact')).toBe(false);
    expect(ack.has('Content-Type')).toBe(false);
    roundTrips(ack);
  });
});

describe('makeCancel (RFC 3261 §9.1)', () => {
  const invite = parseRequest(INVITE_TEXT);

  it('matches the INVITE: Request-URI, Call-ID, To, From, CSeq number, top Via, Routes', () => {
    const cancel = makeCancel(invite);
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.uri).toBe(invite.uri);
    for (const name of ['Call-ID', 'To', 'From']) expect(cancel.get(name), name).toBe(invite.get(name));
    expect(cancel.cseq).toEqual({ seq: 1, method: 'CANCEL' });
    expect(cancel.values('Via')).toEqual([invite.topViaValue()]);
    expect(cancel.topVia.branch).toBe(invite.topVia.branch);
    expect(cancel.getAll('Route')).toEqual(invite.getAll('Route'));
    expect(cancel.has('Reason')).toBe(false);
    expect(cancel.body.length).toBe(0);
    roundTrips(cancel);
  });

  it('adds a Reason header when given (RFC 3326)', () => {
    const reason = 'SIP;cause=200;text="Call completed elsewhere"';
    const cancel = makeCancel(invite, reason);
    expect(cancel.get('Reason')).toBe(reason);
    roundTrips(cancel);
  });
});
