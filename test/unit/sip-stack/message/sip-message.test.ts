import { describe, expect, it } from 'vitest';
import { SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';
import type { SipUri } from '../../../../sip-stack/message/sip-uri.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';
import { INVITE_BYTES, INVITE_TEXT, parseRequest, parseValid, shape } from './sample-messages.js';

/** Parses without checkMessage: some changes (method, version) make a message the checks refuse. */
function reparse(bytes: Buffer): SipRequest | SipResponse {
  const parsed = parseMessage(bytes);
  if (parsed instanceof SipParseError) throw new Error(parsed.reason);
  return parsed as SipRequest | SipResponse;
}

const REGISTER = (contact: string, extra = ''): string => [
  'REGISTER sip:example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKreg1',
  'To: <sip:100@example.com>',
  'From: <sip:100@example.com>;tag=r1',
  'Call-ID: reg1',
  'CSeq: 2 REGISTER',
  contact,
  extra,
  'Content-Length: 0',
  '',
  '',
].filter((line, i, all) => line !== '' || i >= all.length - 2).join('\r\n');

describe('SipMessage headers', () => {
  it('looks names up case-insensitively and through compact forms', () => {
    const m = parseValid('OPTIONS sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:c@d>;tag=1\r\nT: <sip:a@b>\r\n'
      + 'i: opt1\r\nCSEQ: 1 OPTIONS\r\nmAx-FoRwArDs: 5\r\nl: 0\r\n\r\n');
    expect(m.get('Via')).toBe('SIP/2.0/UDP h;branch=z9hG4bK1');
    expect(m.get('VIA')).toBe(m.get('v'));
    expect(m.get('call-id')).toBe('opt1');
    expect(m.has('From')).toBe(true);
    expect(m.has('Contact')).toBe(false);
    expect(m.maxForwards).toBe(5);
    expect(m.firstValue('content-length')).toBe('0');
    // Names stay as spelt on the wire.
    expect(m.headers.map((h) => h.name)).toEqual(['v', 'f', 'T', 'i', 'CSEQ', 'mAx-FoRwArDs', 'l']);
  });

  it('getAll and values see every line and every list element in order', () => {
    const m = parseRequest(INVITE_TEXT);
    expect(m.getAll('Via')).toHaveLength(2);
    expect(m.values('Via')).toHaveLength(3);
    expect(m.listValues('route')).toEqual(['<sip:ss1.example.com;lr>', '<sip:ss2.example.com;lr>']);
    expect(m.values('X-None')).toEqual([]);
  });

  it('parses the typed views', () => {
    const m = parseRequest(INVITE_TEXT);
    expect(m.vias.map((v) => v.branch)).toEqual(['z9hG4bK2d4790.1', 'z9hG4bKnashds7', 'z9hG4bK74bf9']);
    expect(m.topVia.host).toBe('proxy.atlanta.example.com');
    expect(m.topViaValue()).toBe('SIP/2.0/UDP proxy.atlanta.example.com:5060;branch=z9hG4bK2d4790.1');
    expect(m.from.displayName).toBe('Alice');
    expect(m.fromTag).toBe('9fxced76sl');
    expect(m.toTag).toBeUndefined();
    expect(m.callId).toBe('3848276298220188511@atlanta.example.com');
    expect(m.cseq).toEqual({ seq: 1, method: 'INVITE' });
    expect(m.routes.map((r) => (r.uri as SipUri).host)).toEqual(['ss1.example.com', 'ss2.example.com']);
    expect(m.recordRoutes).toEqual([]);
    expect(m.maxForwards).toBe(69);
    expect(m.contentType).toBe('application/sdp');
  });

  it('reads Contact * as the wildcard (§10.2.2), and * among others as malformed', () => {
    expect(parseValid(REGISTER('Contact: *', 'Expires: 0')).contacts).toBe('*');
    expect(parseValid(REGISTER('Contact:   *  ')).contacts).toBe('*');
    expect(parseValid(REGISTER('Contact: *, <sip:a@b>')).check('contact')).toBeInstanceOf(SipParseError);
    expect(parseValid(REGISTER('Contact: <sip:a@b>', 'Contact: <sip:c@d>;expires=0')).contacts).toHaveLength(2);
    expect(parseValid(REGISTER('X-No-Contact: 1')).contacts).toEqual([]);
  });

  it('Max-Forwards is 0..255; absent is undefined, not an error (§20.22)', () => {
    expect(parseValid(REGISTER('Max-Forwards: 0')).maxForwards).toBe(0);
    expect(parseValid(REGISTER('Max-Forwards: 255')).maxForwards).toBe(255);
    expect(parseValid(REGISTER('Max-Forwards: 300')).check('max-forwards')).toBeInstanceOf(SipParseError);
    expect(parseValid(REGISTER('Max-Forwards: x')).check('max-forwards')).toBeInstanceOf(SipParseError);
    expect(parseValid(REGISTER('X: 1')).maxForwards).toBeUndefined();
  });

  it('a view of a malformed header throws (programmer error) while check() reports it', () => {
    const m = parseValid(REGISTER('Contact: <sip:a@b'));
    expect(m.check('contact')).toBeInstanceOf(SipParseError);
    expect(() => m.contacts).toThrow();
  });
});

describe('SipMessage mutation', () => {
  it('set replaces every line where the first stood; append, prepend and remove', () => {
    const m = parseRequest(INVITE_TEXT);
    m.set('v', 'SIP/2.0/TCP new.example.com;branch=z9hG4bKnew');
    expect(m.getAll('Via')).toEqual(['SIP/2.0/TCP new.example.com;branch=z9hG4bKnew']);
    expect(m.headers[0]?.name).toBe('v');
    m.prepend('Via', 'SIP/2.0/UDP top.example.com;branch=z9hG4bKtop');
    m.append('X-Trace', 'a');
    expect(m.headers[0]?.value).toContain('top.example.com');
    expect(m.headers.at(-1)).toEqual({ name: 'X-Trace', key: 'x-trace', value: 'a' });
    m.remove('x-trace').remove('Route');
    expect(m.has('X-Trace')).toBe(false);
    expect(m.routes).toEqual([]);
    m.set('Subject', 'new at the end');
    expect(m.headers.at(-1)?.key).toBe('subject');
  });

  it('invalidates memoised views of the changed header', () => {
    const m = parseRequest(INVITE_TEXT);
    expect(m.fromTag).toBe('9fxced76sl');
    expect(m.vias).toHaveLength(3);
    expect(m.maxForwards).toBe(69);
    m.set('From', '<sip:carol@chicago.example.com>;tag=new');
    m.prepend('Via', 'SIP/2.0/UDP b2bua.example.com;branch=z9hG4bKb2b');
    m.set('Max-Forwards', '68');
    expect(m.fromTag).toBe('new');
    expect(m.vias).toHaveLength(4);
    expect(m.maxForwards).toBe(68);
    m.remove('Max-Forwards');
    expect(m.maxForwards).toBeUndefined();
    m.headers = m.headers.filter((h) => h.key !== 'via');
    expect(m.check('via')).toBeUndefined();
    expect(m.vias).toEqual([]);
  });

  it('drops the source bytes on any change, so that serialize() writes the change', () => {
    const changes: Array<(m: SipRequest) => void> = [
      (m) => m.set('Subject', 'x'), (m) => m.append('X', 'y'), (m) => m.prepend('X', 'y'), (m) => m.remove('User-Agent'),
      (m) => { m.method = 'OPTIONS'; }, (m) => { m.uri = 'sip:carol@example.com'; }, (m) => m.setUri('sip:carol@example.com'),
      (m) => { m.version = 'SIP/3.0'; }, (m) => { m.body = Buffer.from('x'); }, (m) => m.setBody(Buffer.alloc(0)),
      (m) => { m.headers = m.headers.slice(1); },
    ];
    for (const change of changes) {
      const m = parseRequest(INVITE_BYTES);
      expect(m.serialize()).toBe(INVITE_BYTES);
      change(m);
      expect(shape(reparse(m.serialize()))).toEqual(shape(m));
      expect(m.serialize().equals(INVITE_BYTES)).toBe(false);
    }
  });

  it('a response drops its source bytes when status, reason or version change', () => {
    const bytes = Buffer.from('SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n'
      + 'To: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n');
    for (const change of [
      (r: SipResponse) => { r.status = 183; }, (r: SipResponse) => { r.reason = 'Session Progress'; },
      (r: SipResponse) => { r.version = 'SIP/3.0'; },
    ]) {
      const r = parseValid(bytes) as SipResponse;
      change(r);
      expect(r.serialize().equals(bytes)).toBe(false);
      expect(shape(reparse(r.serialize()))).toEqual(shape(r));
    }
  });

  it('setUri resets the parsed Request-URI', () => {
    const m = parseRequest(INVITE_TEXT);
    expect((m.requestUri as SipUri).user).toBe('bob');
    m.uri = 'sip:carol@chicago.example.com';
    expect((m.requestUri as SipUri).user).toBe('carol');
    m.setUri('not a uri');
    expect(m.requestUri).toBeInstanceOf(SipParseError);
  });
});

describe('SipMessage body and Content-Length', () => {
  it('counts Content-Length in bytes for a UTF-8 body', () => {
    const m = new SipRequest('MESSAGE', 'sip:bob@example.com');
    m.setBody(Buffer.from('Grüße, 世界', 'utf8'), 'text/plain;charset=UTF-8');
    expect(m.get('Content-Length')).toBe('15');
    expect(m.body.length).toBe(15);
    const text = 'MESSAGE sip:bob@example.com SIP/2.0\r\nContent-Length: 15\r\n\r\nGrüße, 世界';
    expect((parseMessage(Buffer.from(text)) as SipRequest).body.toString('utf8')).toBe('Grüße, 世界');
    // Counted in characters (9), the length would frame a body cut short.
    expect((parseMessage(Buffer.from(text.replace('15', '9'))) as SipRequest).body.length).toBe(9);
    expect(parseMessage(Buffer.from(text.replace('15', '16')))).toBeInstanceOf(SipParseError);
  });

  it('assigning a body updates Content-Length; an empty body drops Content-Type', () => {
    const m = parseRequest(INVITE_TEXT);
    m.body = Buffer.from('abc');
    expect(m.get('Content-Length')).toBe('3');
    m.setBody(Buffer.alloc(0));
    expect(m.get('Content-Length')).toBe('0');
    expect(m.has('Content-Type')).toBe(false);
  });

  it('serialises a built message as start line, headers, empty line, body', () => {
    const m = new SipResponse(200, 'OK', [{ name: 'Call-ID', key: 'call-id', value: 'x' }]);
    m.setBody(Buffer.from([0, 1, 2]), 'application/octet-stream');
    const bytes = m.serialize();
    expect(bytes.subarray(0, bytes.length - 3).toString()).toBe(
      'SIP/2.0 200 OK\r\nCall-ID: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 3\r\n\r\n',
    );
    expect([...bytes.subarray(bytes.length - 3)]).toEqual([0, 1, 2]);
  });
});
