import { describe, expect, it } from 'vitest';
import { MAX_CSEQ, parseCSeq } from '../../../../sip-stack/message/cseq.js';
import { splitHeaderList } from '../../../../sip-stack/message/header-list.js';
import { canonicalHeaderName, headerKey, isListHeader, isSingleHeader } from '../../../../sip-stack/message/header-name.js';
import { formatParams, parseParams, quote, unquote } from '../../../../sip-stack/message/params.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';

describe('parseCSeq (§20.16)', () => {
  it('parses number and method, leading zeros and LWS allowed', () => {
    expect(parseCSeq('4711 INVITE')).toEqual({ seq: 4711, method: 'INVITE' });
    expect(parseCSeq('0009 INVITE')).toEqual({ seq: 9, method: 'INVITE' });
    expect(parseCSeq('  1   BYE  ')).toEqual({ seq: 1, method: 'BYE' });
    expect(parseCSeq('0 OPTIONS')).toEqual({ seq: 0, method: 'OPTIONS' });
  });

  it('bounds the number below 2**31 (§8.1.1.5)', () => {
    expect(MAX_CSEQ).toBe(2 ** 31 - 1);
    expect(parseCSeq('2147483647 INVITE')).toEqual({ seq: 2147483647, method: 'INVITE' });
    expect(parseCSeq('2147483648 INVITE')).toBeInstanceOf(SipParseError);
    expect(parseCSeq('36893488147419103232 REGISTER')).toBeInstanceOf(SipParseError);
    expect(parseCSeq('00000000002147483647 INVITE')).toBeInstanceOf(SipParseError);
  });

  it('rejects a missing or malformed part', () => {
    for (const v of ['', 'INVITE', '1', '1INVITE', '-1 INVITE', '1 INV ITE', '1 INVITE;x', 'one INVITE', '1 "INVITE"']) {
      expect(parseCSeq(v), v).toBeInstanceOf(SipParseError);
    }
  });
});

describe('parseParams (§25.1 generic-param)', () => {
  it('parses names with and without values, lower-casing names', () => {
    expect([...(parseParams(';Tag=AbC;lr;q=0.7', 0) as Map<string, string | null>)]).toEqual([['tag', 'AbC'], ['lr', null], ['q', '0.7']]);
  });

  it('allows LWS around ; and =, and keeps quoted values with their quotes', () => {
    const p = parseParams(' ;  newparam =\r\n      newvalue ;  secondparam ; text="Call completed; elsewhere"', 0);
    expect([...(p as Map<string, string | null>)]).toEqual([
      ['newparam', 'newvalue'], ['secondparam', null], ['text', '"Call completed; elsewhere"'],
    ]);
  });

  it('parses from an offset to an end', () => {
    expect([...(parseParams('xx;a=1;b=2yy', 2, 10) as Map<string, string | null>)]).toEqual([['a', '1'], ['b', '2']]);
    expect((parseParams('', 0) as Map<string, string | null>).size).toBe(0);
  });

  it('rejects empty names and values, junk and unterminated quotes', () => {
    for (const s of [';', ';;', ';=x', ';a=', ';a b', 'a', ';a=1,b=2', ';a="x', ';a"b"']) {
      expect(parseParams(s, 0), s).toBeInstanceOf(SipParseError);
    }
  });

  it('formats back', () => {
    expect(formatParams(new Map([['tag', 'x'], ['lr', null]]))).toBe(';tag=x;lr');
  });
});

describe('quote / unquote (§25.1 quoted-string)', () => {
  it('round-trips quotes and backslashes', () => {
    for (const s of ['plain', 'a "b" c', 'back\\slash', '', 'Zoë']) expect(unquote(quote(s))).toBe(s);
    expect(quote('a"b')).toBe('"a\\"b"');
    expect(unquote('"a\\bc"')).toBe('abc');
    expect(unquote('unquoted')).toBe('unquoted');
  });
});

describe('splitHeaderList (§7.3.1)', () => {
  it('splits at commas outside quotes and <>', () => {
    expect(splitHeaderList('a, b,c')).toEqual(['a', 'b', 'c']);
    expect(splitHeaderList('"Bell, Alexander" <sip:a@b>;tag=1, <sip:c@d>')).toEqual(['"Bell, Alexander" <sip:a@b>;tag=1', '<sip:c@d>']);
    expect(splitHeaderList('<sip:a@b;x=1,2>, <sip:c>')).toEqual(['<sip:a@b;x=1,2>', '<sip:c>']);
    expect(splitHeaderList('"a \\" , b" <sip:x>')).toEqual(['"a \\" , b" <sip:x>']);
    expect(splitHeaderList('  one  ')).toEqual(['one']);
  });

  it('rejects empty elements and unterminated quotes', () => {
    for (const s of ['', ' ', 'a,,b', 'a,', ',a', 'SIP/2.0/UDP 192.0.2.15;;,;,,', '"a, b']) {
      expect(splitHeaderList(s), s).toBeInstanceOf(SipParseError);
    }
  });
});

describe('header names', () => {
  it('resolves every compact form (§7.3.3 and later RFCs)', () => {
    const compact: Record<string, string> = {
      i: 'call-id', m: 'contact', f: 'from', t: 'to', v: 'via', l: 'content-length', c: 'content-type', k: 'supported',
      s: 'subject', e: 'content-encoding', o: 'event', r: 'refer-to', u: 'allow-events', x: 'session-expires',
      y: 'identity', b: 'referred-by', a: 'accept-contact', d: 'request-disposition', j: 'reject-contact',
    };
    for (const [short, key] of Object.entries(compact)) {
      expect(headerKey(short)).toBe(key);
      expect(headerKey(short.toUpperCase())).toBe(key);
    }
  });

  it('is case-insensitive', () => {
    expect(headerKey('MaX-fOrWaRdS')).toBe('max-forwards');
    expect(headerKey('VIA')).toBe('via');
    expect(headerKey('X-Custom')).toBe('x-custom');
  });

  it('does not resolve names through Object.prototype', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(headerKey(name)).toBe(name.toLowerCase());
      expect(typeof canonicalHeaderName(name.toLowerCase())).toBe('string');
    }
  });

  it('spells generated names conventionally', () => {
    expect(canonicalHeaderName('call-id')).toBe('Call-ID');
    expect(canonicalHeaderName('cseq')).toBe('CSeq');
    expect(canonicalHeaderName('www-authenticate')).toBe('WWW-Authenticate');
    expect(canonicalHeaderName('max-forwards')).toBe('Max-Forwards');
    expect(canonicalHeaderName('x-my-header')).toBe('X-My-Header');
  });

  it('classifies list and single-value headers', () => {
    expect(isListHeader('via')).toBe(true);
    expect(isListHeader('call-id')).toBe(false);
    expect(isSingleHeader('cseq')).toBe(true);
    expect(isSingleHeader('contact')).toBe(false);
  });
});
