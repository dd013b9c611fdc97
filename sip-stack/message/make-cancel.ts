import { type Header, SipRequest } from './sip-message.js';
import { headerKey } from './header-name.js';

/**
 * RFC 3261 §9.1: CANCEL has the Request-URI, Call-ID, To, From, the CSeq number and the single
 * top Via (same branch) of the request it cancels, and its Route headers.
 */
export function makeCancel(invite: SipRequest, reason?: string): SipRequest {
  const headers: Header[] = [];
  let viaCopied = false;
  for (const h of invite.headers) {
    if (h.key === 'via' && !viaCopied) {
      headers.push({ name: h.name, key: h.key, value: invite.topViaValue() ?? h.value });
      viaCopied = true;
    } else if (h.key === 'route' || h.key === 'from' || h.key === 'to' || h.key === 'call-id' || h.key === 'max-forwards') {
      headers.push(h);
    }
  }
  headers.push({ name: 'CSeq', key: 'cseq', value: `${invite.cseq.seq} CANCEL` });
  // RFC 3326: the Reason header tells the callee why (e.g. "Call completed elsewhere").
  if (reason !== undefined) headers.push({ name: 'Reason', key: headerKey('Reason'), value: reason });
  headers.push({ name: 'Content-Length', key: 'content-length', value: '0' });
  return new SipRequest('CANCEL', invite.uri, headers);
}

