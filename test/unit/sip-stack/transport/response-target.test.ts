import { describe, expect, it } from 'vitest';
import { SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { responseTarget } from '../../../../sip-stack/transport/response-target.js';
import { TransportError, type MessageSource } from '../../../../sip-stack/transport/transport-types.js';

function response(via: string): SipResponse {
  const m = parseMessage(Buffer.from(`SIP/2.0 200 OK\r\nVia: ${via}\r\nContent-Length: 0\r\n\r\n`));
  if (!(m instanceof SipResponse)) throw new Error('fixture did not parse');
  return m;
}

const udpSource: MessageSource = { protocol: 'udp', address: '203.0.113.5', port: 41000, localAddress: '0.0.0.0', localPort: 5060, flowId: undefined };
const tcpSource: MessageSource = { ...udpSource, protocol: 'tcp', flowId: 'tcp-7' };

describe('responseTarget (RFC 3261 §18.2.2, RFC 3581 §4)', () => {
  it('UDP: sends to received and the rport value', () => {
    const target = responseTarget(response('SIP/2.0/UDP 10.0.0.2:5062;rport=41000;received=203.0.113.5;branch=z9hG4bK1'), udpSource);
    expect(target).toEqual({ protocol: 'udp', address: '203.0.113.5', port: 41000 });
  });

  it('UDP: without rport, sends to received at the sent-by port', () => {
    const target = responseTarget(response('SIP/2.0/UDP 10.0.0.2:5062;received=203.0.113.5;branch=z9hG4bK1'), udpSource);
    expect(target).toEqual({ protocol: 'udp', address: '203.0.113.5', port: 5062 });
  });

  it('UDP: without received, sends to the sent-by host at port 5060 when none is given', () => {
    const target = responseTarget(response('SIP/2.0/UDP [2001:db8::9];branch=z9hG4bK1'), udpSource);
    expect(target).toEqual({ protocol: 'udp', address: '2001:db8::9', port: 5060 });
  });

  it('TCP: names the flow the request came on, with received/sent-by port as the fallback', () => {
    const target = responseTarget(response('SIP/2.0/TCP 10.0.0.2:5062;rport=41000;received=203.0.113.5;branch=z9hG4bK1'), tcpSource);
    expect(target).toEqual({ protocol: 'tcp', address: '203.0.113.5', port: 5062, flowId: 'tcp-7' });
  });

  it('a response without a usable Via is a TransportError', () => {
    const noVia = parseMessage(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n')) as SipResponse;
    expect(responseTarget(noVia, udpSource)).toBeInstanceOf(TransportError);
    expect(responseTarget(response('nonsense'), udpSource)).toBeInstanceOf(TransportError);
  });
});
