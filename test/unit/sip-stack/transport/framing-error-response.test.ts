import { describe, expect, it } from 'vitest';
import { SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import type { FramingError } from '../../../../sip-stack/parser/stream-framer.js';
import { framingErrorResponse } from '../../../../sip-stack/transport/framing-error-response.js';

const HEAD = [
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/TCP client.example.com;branch=z9hG4bK1',
  'v: SIP/2.0/TCP proxy.example.com;branch=z9hG4bK0',
  'From: <sip:alice@example.com>;tag=a',
  'To: <sip:bob@example.com>',
  'Call-ID: c@d',
  'CSeq: 1 INVITE',
  'Content-Length: 999999',
  '', '',
].join('\r\n');

function error(head: string | undefined, status = 513, reason = 'Message body too large'): FramingError {
  return { type: 'error', status, reason, head: head === undefined ? undefined : Buffer.from(head) };
}

describe('framingErrorResponse', () => {
  it('answers a request whose head was read with the status and reason, copying Vias, and a To tag', () => {
    const bytes = framingErrorResponse(error(HEAD));
    const response = parseMessage(bytes ?? Buffer.alloc(0), { stream: true });
    expect(response).toBeInstanceOf(SipResponse);
    const r = response as SipResponse;
    expect([r.status, r.reason]).toEqual([513, 'Message body too large']);
    expect(r.vias.map((v) => v.branch)).toEqual(['z9hG4bK1', 'z9hG4bK0']);
    expect(r.callId).toBe('c@d');
    expect(r.toTag).toMatch(/^[0-9a-f]+$/);
    expect(r.get('Content-Length')).toBe('0');
  });

  it('gives nothing without a head, for a response, for ACK, or without a Via', () => {
    expect(framingErrorResponse(error(undefined))).toBeUndefined();
    expect(framingErrorResponse(error('SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP a;branch=z9hG4bK1\r\n\r\n'))).toBeUndefined();
    expect(framingErrorResponse(error(HEAD.replace('INVITE sip', 'ACK sip')))).toBeUndefined();
    expect(framingErrorResponse(error(HEAD.replace(/^(Via|v):.*\r\n/gm, '')))).toBeUndefined();
    expect(framingErrorResponse(error('\x00\x01garbage\r\n\r\n'))).toBeUndefined();
  });
});
