import { describe, expect, it } from 'vitest';
import { SipRequest } from '../../../../sip-stack/message/sip-message.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { stampReceived } from '../../../../sip-stack/transport/via-received.js';
import { request } from './transport-test-helpers.js';

function parsed(bytes: Buffer): SipRequest {
  const m = parseMessage(bytes);
  if (!(m instanceof SipRequest)) throw new Error('fixture did not parse as a request');
  return m;
}

describe('stampReceived (RFC 3261 §18.2.1, RFC 3581 §4)', () => {
  it('MUST add received when the sent-by host differs from the source address', () => {
    const m = parsed(request('SIP/2.0/UDP phone.example.com:5062;branch=z9hG4bK1'));
    stampReceived(m, '192.0.2.7', 40000);
    expect(m.topVia.received).toBe('192.0.2.7');
    expect(m.topVia.rport).toBeUndefined();
    expect(m.topVia.port).toBe(5062);
  });

  it('leaves the message untouched (byte for byte) when sent-by matches and there is no rport', () => {
    const bytes = request('SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1');
    const m = parsed(bytes);
    stampReceived(m, '192.0.2.7', 40000);
    expect(m.serialize()).toBe(bytes);
  });

  it('MUST fill a valueless rport with the source port, and add received even when sent-by matches', () => {
    const m = parsed(request('SIP/2.0/UDP 192.0.2.7:5060;rport;branch=z9hG4bK1'));
    stampReceived(m, '192.0.2.7', 40000);
    expect(m.topVia).toMatchObject({ rport: 40000, received: '192.0.2.7', branch: 'z9hG4bK1' });
    expect(m.get('Via')).toBe('SIP/2.0/UDP 192.0.2.7:5060;rport=40000;branch=z9hG4bK1;received=192.0.2.7');
  });

  it('rewrites only the top value of a multi-value Via line and keeps header order', () => {
    const bytes = request('SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bKa ,SIP/2.0/UDP proxy.example.com;branch=z9hG4bKb');
    const m = parsed(bytes);
    const order = m.headers.map((h) => h.key);
    stampReceived(m, '203.0.113.9', 1234);
    expect(m.headers.map((h) => h.key)).toEqual(order);
    expect(m.get('Via')).toBe('SIP/2.0/UDP 10.0.0.1;rport=1234;branch=z9hG4bKa;received=203.0.113.9 ,SIP/2.0/UDP proxy.example.com;branch=z9hG4bKb');
    expect(m.vias.map((v) => v.branch)).toEqual(['z9hG4bKa', 'z9hG4bKb']);
  });

  it('replaces a received parameter forged by the peer, even when sent-by matches the source', () => {
    for (const host of ['host.invalid', '192.0.2.7']) {
      const m = parsed(request(`SIP/2.0/UDP ${host};received=255.255.255.255;branch=z9hG4bK1`));
      stampReceived(m, '192.0.2.7', 5060);
      expect(m.topVia.received).toBe('192.0.2.7');
    }
  });

  it('keeps a received parameter that already names the source', () => {
    const bytes = request('SIP/2.0/UDP 192.0.2.7;received=192.0.2.7;branch=z9hG4bK1');
    const m = parsed(bytes);
    stampReceived(m, '192.0.2.7', 5060);
    expect(m.serialize()).toBe(bytes);
  });

  it('compares an IPv6 reference without its brackets, and writes received unbracketed', () => {
    const same = parsed(request('SIP/2.0/UDP [::1]:5060;branch=z9hG4bK1'));
    stampReceived(same, '::1', 5060);
    expect(same.topVia.received).toBeUndefined();
    const other = parsed(request('SIP/2.0/UDP [2001:db8::1]:5060;rport;branch=z9hG4bK1'));
    stampReceived(other, '::1', 5070);
    expect(other.topVia).toMatchObject({ received: '::1', rport: 5070, host: '[2001:db8::1]' });
  });

  it('leaves a request with a malformed Via for the layer above to reject', () => {
    const bytes = request('garbage');
    const m = parsed(bytes);
    stampReceived(m, '192.0.2.7', 5060);
    expect(m.serialize()).toBe(bytes);
  });
});
