import { describe, expect, it } from 'vitest';
import { judgeRequest, type StackCapabilities } from '../../../../sip-stack/stack/stateless-answer.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { SipRequest } from '../../../../sip-stack/message/sip-message.js';

const caps: StackCapabilities = {
  methods: new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER']),
  optionTags: new Set(['replaces']),
  schemes: new Set(['sip', 'sips']),
};

function request(startLine: string, extra = ''): SipRequest {
  const text = `${startLine}\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: c1\r\nCSeq: 1 ${startLine.split(' ')[0]}\r\n${extra}Content-Length: 0\r\n\r\n`;
  const m = parseMessage(Buffer.from(text));
  if (!(m instanceof SipRequest)) throw new Error('not a request');
  return m;
}

function status(req: SipRequest): number | string {
  const v = judgeRequest(req, caps);
  return v.kind === 'reject' ? v.response.status : v.kind;
}

describe('stateless answers (RFC 3261 §8.2)', () => {
  it('accepts a well-formed request we handle', () => {
    expect(status(request('OPTIONS sip:b@example.com SIP/2.0'))).toBe('accept');
  });
  it('505 for another SIP version (§8.2.2 / RFC 4475 badvers)', () => {
    expect(status(request('OPTIONS sip:b@example.com SIP/7.0'))).toBe(505);
  });
  it('501 with Allow for a method we do not handle (§8.2.1)', () => {
    const v = judgeRequest(request('NEWMETHOD sip:b@example.com SIP/2.0'), caps);
    expect(v.kind === 'reject' && v.response.status).toBe(501);
    expect(v.kind === 'reject' && v.response.get('Allow')).toContain('INVITE');
  });
  it('416 for an unsupported Request-URI scheme (§8.2.2.1)', () => {
    expect(status(request('OPTIONS tel:+1234 SIP/2.0'))).toBe(416);
  });
  it('420 listing only the unknown Require tags (§8.2.2.3)', () => {
    const v = judgeRequest(request('OPTIONS sip:b@example.com SIP/2.0', 'Require: replaces, nothing\r\nProxy-Require: foo\r\n'), caps);
    expect(v.kind === 'reject' && v.response.status).toBe(420);
    expect(v.kind === 'reject' && v.response.get('Unsupported')).toBe('nothing');
  });
  it('400 with the parse reason as phrase, a To tag added', () => {
    const v = judgeRequest(request('OPTIONS sip:b@example.com SIP/2.0', 'CSeq: 2 OPTIONS\r\n'), caps);
    expect(v.kind === 'reject' && v.response.status).toBe(400);
    expect(v.kind === 'reject' && v.response.reason).toMatch(/CSeq/);
    expect(v.kind === 'reject' && v.response.toTag).toBeDefined();
  });
  it('never answers an ACK, even a bad one (§17.1.1.3)', () => {
    expect(status(request('ACK sip:b@example.com SIP/7.0'))).toBe('drop');
  });
});
