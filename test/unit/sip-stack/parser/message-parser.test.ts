import { describe, expect, it } from 'vitest';
import { type SipMessage, SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { checkMessage, isSupportedVersion, parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';

const HEADERS = [
  'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds',
  'To: Bob <sip:bob@biloxi.example.com>',
  'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
  'CSeq: 314159 OPTIONS',
];

function text(startLine: string, headers: string[] = HEADERS, tail = 'Content-Length: 0\r\n\r\n'): string {
  return `${startLine}\r\n${headers.join('\r\n')}\r\n${tail}`;
}

function parse(input: string | Buffer, stream = false): SipMessage | SipParseError {
  return parseMessage(typeof input === 'string' ? Buffer.from(input, 'latin1') : input, { stream });
}

function ok(input: string | Buffer, stream = false): SipMessage {
  const m = parse(input, stream);
  if (m instanceof SipParseError) throw new Error(m.reason);
  expect(checkMessage(m)).toBeUndefined();
  return m;
}

function reason(input: string | Buffer, stream = false): string {
  const m = parse(input, stream);
  if (m instanceof SipParseError) return m.reason;
  return checkMessage(m)?.reason ?? 'ok';
}

const OPTIONS = text('OPTIONS sip:bob@biloxi.example.com SIP/2.0');

describe('parseMessage framing (RFC 3261 §7, §18.3)', () => {
  it('ignores CRLFs before the start line (§7.5); the source is the framed message', () => {
    const m = ok(`\r\n\r\n${OPTIONS}`);
    expect(m.serialize().toString('latin1')).toBe(OPTIONS);
  });

  it('accepts bare LF line ends from lax peers', () => {
    const m = ok(OPTIONS.replace(/\r\n/g, '\n'));
    expect(m.get('Call-ID')).toBe('a84b4c76e66710');
  });

  it('takes a datagram whose headers end the packet without the empty line as bodiless', () => {
    const m = ok(OPTIONS.slice(0, -2));
    expect(m.body.length).toBe(0);
    expect(parse(OPTIONS.slice(0, -2), true)).toBeInstanceOf(SipParseError);
    expect(reason(OPTIONS.slice(0, -4))).toBe('Missing end of headers');
  });

  it('frames the body by Content-Length, discarding extra octets of a datagram', () => {
    const m = ok(text('MESSAGE sip:bob@b SIP/2.0', HEADERS.map((h) => h.replace('OPTIONS', 'MESSAGE')), 'l: 5\r\n\r\nhello, extra'));
    expect(m.body.toString()).toBe('hello');
    expect(m.serialize().toString()).toMatch(/\r\n\r\nhello$/);
  });

  it('runs a datagram body without Content-Length to the end; a stream needs it', () => {
    const raw = `OPTIONS sip:b SIP/2.0\r\n${HEADERS.join('\r\n')}\r\n\r\nbody to the end`;
    expect(ok(raw).body.toString()).toBe('body to the end');
    expect(reason(raw, true)).toBe('Missing Content-Length');
  });

  it('rejects malformed, negative, overlong and conflicting Content-Length values', () => {
    const withLength = (...values: string[]): string => text('OPTIONS sip:b SIP/2.0', HEADERS, `${values.map((v) => `Content-Length: ${v}`).join('\r\n')}\r\n\r\n`);
    expect(reason(withLength('-1'))).toBe('Malformed Content-Length');
    expect(reason(withLength('x'))).toBe('Malformed Content-Length');
    expect(reason(withLength(''))).toBe('Malformed Content-Length');
    expect(reason(withLength('1234567890'))).toBe('Malformed Content-Length');
    expect(reason(withLength('3'))).toBe('Content-Length exceeds message');
    expect(reason(withLength('0', '5'))).toBe('Conflicting Content-Length values');
    // Equal duplicates frame fine but are still two single-value headers.
    expect(reason(withLength('0', '0'))).toBe('Duplicate Content-Length header');
    expect(ok(withLength('00')).body.length).toBe(0);
  });

  it('reads a folded Content-Length', () => {
    const m = ok(text('MESSAGE sip:b SIP/2.0', HEADERS.map((h) => h.replace('OPTIONS', 'MESSAGE')), 'Content-Length:\r\n 2\r\n\r\nhi'));
    expect(m.body.toString()).toBe('hi');
  });

  it('unfolds continuation lines into one SP (§7.3.1)', () => {
    const m = ok(text('OPTIONS sip:b SIP/2.0', [...HEADERS, 'Subject: first\r\n  second\r\n\tthird', 'X-Empty:', 'X-Fold:\r\n value']));
    expect(m.get('Subject')).toBe('first second third');
    expect(m.get('X-Empty')).toBe('');
    expect(m.get('X-Fold')).toBe('value');
  });

  it('rejects a folded start line and malformed header lines', () => {
    expect(reason(`OPTIONS sip:b SIP/2.0\r\n continued\r\n${HEADERS.join('\r\n')}\r\n\r\n`)).toBe('Continuation of the start line');
    expect(reason(text('OPTIONS sip:b SIP/2.0', [...HEADERS, 'NoColonHere']))).toBe('Malformed header line');
    expect(reason(text('OPTIONS sip:b SIP/2.0', [...HEADERS, ': no name']))).toBe('Malformed header line');
    expect(reason(text('OPTIONS sip:b SIP/2.0', [...HEADERS, 'Bad Name: x']))).toBe('Malformed header name');
    expect(ok(text('OPTIONS sip:b SIP/2.0', [...HEADERS, 'Spaced   : x'])).get('Spaced')).toBe('x');
  });
});

describe('parseMessage start lines (§7.1, §7.2, §25.1)', () => {
  it('parses a Request-Line', () => {
    const m = ok(OPTIONS) as SipRequest;
    expect([m.method, m.uri, m.version]).toEqual(['OPTIONS', 'sip:bob@biloxi.example.com', 'SIP/2.0']);
  });

  it('accepts the version in any case, normalised; other versions parse for a 505', () => {
    expect((ok(text('OPTIONS sip:b sip/2.0')) as SipRequest).version).toBe('SIP/2.0');
    const v7 = ok(text('OPTIONS sip:b SIP/7.0'));
    expect(isSupportedVersion(v7)).toBe(false);
    expect(isSupportedVersion(ok(OPTIONS))).toBe(true);
  });

  it('rejects malformed Request-Lines', () => {
    for (const line of [
      'OPTIONS sip:b', 'OPTIONS  sip:b SIP/2.0', 'OPTIONS sip:b SIP/2.0 ', ' OPTIONS sip:b SIP/2.0', 'OPTIONS sip:b HTTP/1.1',
      'OPT(IONS sip:b SIP/2.0', 'OPTIONS sip:b SIP/2', 'OPTIONS sip:b SIP/2.', 'OPTIONS sip:b SIP/.0', 'OPTIONS sip:b SIP/2.0x',
      '', 'OPTIONS\tsip:b\tSIP/2.0',
    ]) expect(parse(text(line)), JSON.stringify(line)).toBeInstanceOf(SipParseError);
  });

  it('parses Status-Lines, including an empty reason phrase', () => {
    const r = ok(text('SIP/2.0 180 Ringing', HEADERS.map((h) => h.replace('OPTIONS', 'INVITE')))) as SipResponse;
    expect([r.status, r.reason]).toEqual([180, 'Ringing']);
    expect((ok(text('SIP/2.0 100 ')) as SipResponse).reason).toBe('');
    expect((ok(text('SIP/2.0 100')) as SipResponse).reason).toBe('');
    expect((ok(text('sip/2.0 200 OK')) as SipResponse).version).toBe('SIP/2.0');
    expect((ok(text('SIP/2.0 699 Whatever  it   says')) as SipResponse).reason).toBe('Whatever  it   says');
  });

  it('rejects malformed Status-Lines', () => {
    for (const line of ['SIP/2.0 099 Low', 'SIP/2.0 700 High', 'SIP/2.0 4294967301 Big', 'SIP/2.0 20 OK', 'SIP/2.0 2x0 OK',
      'SIP/2.0', 'SIP/2.0  200 OK', 'SIP/x 200 OK']) {
      expect(parse(text(line)), line).toBeInstanceOf(SipParseError);
    }
  });
});

describe('checkMessage (§8.1.1, §8.2)', () => {
  it('requires Via, From, To, Call-ID and CSeq', () => {
    HEADERS.forEach((_, i) => {
      const without = HEADERS.filter((__, j) => j !== i);
      expect(reason(text('OPTIONS sip:b SIP/2.0', without))).toMatch(/^Missing/);
    });
  });

  it('refuses a second single-value header (RFC 4475 §3.3.8)', () => {
    for (const extra of ['To: <sip:x@y>', 'f: <sip:x@y>;tag=2', 'i: other', 'CSeq: 1 OPTIONS', 'Max-Forwards: 1\r\nMax-Forwards: 2',
      'Content-Type: a/b\r\nc: a/b', 'Expires: 1\r\nExpires: 1']) {
      expect(reason(text('OPTIONS sip:b SIP/2.0', [...HEADERS, extra])), extra).toMatch(/^Duplicate/);
    }
  });

  it('refuses a malformed Request-URI', () => {
    expect(reason(text('OPTIONS <sip:b> SIP/2.0'))).toMatch(/^Malformed Request-URI/);
    expect(reason(text('OPTIONS sip:b@ SIP/2.0'))).toMatch(/^Malformed Request-URI/);
  });

  it('refuses a CSeq method that differs from a known request method; leaves unknown ones to a 501', () => {
    expect(reason(text('INVITE sip:b SIP/2.0'))).toBe('CSeq method does not match request method');
    expect(reason(text('FOO sip:b SIP/2.0'))).toBe('ok');
    expect(reason(text('OPTIONS sip:b SIP/2.0', HEADERS.map((h) => h.replace('OPTIONS', 'options'))))).toBe('CSeq method does not match request method');
  });

  it('refuses malformed essential headers with a reason naming them', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['Via', 'Via: SIP/2.0/UDP', /Via/], ['To', 'To: <sip:b', /^Malformed To/], ['From', 'From: "x <sip:a@b>', /^Malformed From/],
      ['Call-ID', 'Call-ID: a b', /^Malformed Call-ID/], ['CSeq', 'CSeq: x OPTIONS', /^Malformed CSeq/],
    ];
    for (const [name, line, expected] of cases) {
      const headers = HEADERS.map((h) => (h.startsWith(`${name}:`) ? line : h));
      expect(reason(text('OPTIONS sip:b SIP/2.0', headers)), line).toMatch(expected);
    }
  });

  it('checks responses too', () => {
    expect(reason(text('SIP/2.0 200 OK', HEADERS.slice(1)))).toBe('Missing Via header');
  });
});

describe('parseMessage never throws', () => {
  it('returns a SipParseError for garbage', () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from('\r\n\r\n'), Buffer.from([0, 255, 13, 10, 13, 10]), Buffer.from('SIP/'),
      Buffer.from(':\r\n\r\n'), Buffer.from('A b c\r\n\r\n')]) {
      const m = parseMessage(bytes);
      if (!(m instanceof SipParseError)) expect(checkMessage(m)).toBeInstanceOf(SipParseError);
    }
  });
});
