import { describe, expect, it } from 'vitest';
import { addPortToTopVia, stripPortFromTopVia } from '../../support/udp-sip-transport.js';
import { SipText } from '../../support/sip-text.js';

const local = { host: '127.0.0.1', port: 40123 };

describe('Via port shim between sip.js and the wire', () => {
  it('adds our port to the top Via of an outgoing request only', () => {
    const request = 'BYE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1;rport\r\nCSeq: 2 BYE\r\n\r\nVia: body';
    expect(addPortToTopVia(request, local)).toBe(
      'BYE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:40123;branch=z9hG4bK1;rport\r\nCSeq: 2 BYE\r\n\r\nVia: body',
    );
  });

  it('strips our port from the top Via of a response (also compact form), leaving other hosts alone', () => {
    const response = 'SIP/2.0 200 OK\r\nv: SIP/2.0/UDP 127.0.0.1:40123;branch=z9hG4bK1;rport=40123;received=127.0.0.1\r\n\r\n';
    expect(stripPortFromTopVia(response, local)).toContain('v: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1;rport=40123');
    const foreign = 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\n\r\n';
    expect(stripPortFromTopVia(foreign, local)).toBe(foreign);
  });
});

describe('SipText', () => {
  it('reads headers by long or compact name, and the CSeq', () => {
    const text = new SipText('CANCEL sip:b@x SIP/2.0\r\ni: abc\r\nCSeq: 1 CANCEL\r\nReason: SIP;cause=200;\r\n text="Call completed elsewhere"\r\n\r\n');
    expect(text.method).toBe('CANCEL');
    expect(text.callId).toBe('abc');
    expect(text.cseq).toEqual({ seq: 1, method: 'CANCEL' });
    expect(text.header('REASON')).toBe('SIP;cause=200; text="Call completed elsewhere"');
  });
});
