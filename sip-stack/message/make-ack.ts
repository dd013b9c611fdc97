import { type Header, SipRequest, type SipResponse } from './sip-message.js';

/**
 * RFC 3261 §17.1.1.3: the ACK for a non-2xx final response belongs to the INVITE transaction:
 * same Request-URI, Call-ID, From, CSeq number and top Via as the INVITE, Route headers of the
 * INVITE, and the To of the response (with its tag).
 */
export function makeNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers: Header[] = [];
  let viaCopied = false;
  for (const h of invite.headers) {
    if (h.key === 'via' && !viaCopied) {
      headers.push({ name: h.name, key: h.key, value: invite.topViaValue() ?? h.value });
      viaCopied = true;
    } else if (h.key === 'route' || h.key === 'from' || h.key === 'call-id' || h.key === 'max-forwards') {
      headers.push(h);
    }
  }
  const to = response.get('To') ?? invite.get('To') ?? '';
  headers.push({ name: 'To', key: 'to', value: to });
  headers.push({ name: 'CSeq', key: 'cseq', value: `${invite.cseq.seq} ACK` });
  headers.push({ name: 'Content-Length', key: 'content-length', value: '0' });
  return new SipRequest('ACK', invite.uri, headers);
}
