import { describe, expect, it } from 'vitest';
import { type NameAddr, formatNameAddr, parseNameAddr } from '../../../../sip-stack/message/name-addr.js';
import type { SipUri } from '../../../../sip-stack/message/sip-uri.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';

function addr(value: string): NameAddr {
  const parsed = parseNameAddr(value);
  if (parsed instanceof SipParseError) throw new Error(`${value}: ${parsed.reason}`);
  return parsed;
}

function uriOf(value: string): SipUri {
  return addr(value).uri as SipUri;
}

describe('parseNameAddr (RFC 3261 §20.10, §25.1)', () => {
  it('parses a quoted display name, unescaping quoted-pairs', () => {
    expect(addr('"Alice" <sip:alice@atlanta.example.com>;tag=1928301774')).toMatchObject({
      displayName: 'Alice', params: new Map([['tag', '1928301774']]),
    });
    expect(addr('"J Rosenberg \\\\\\"" <sip:jdrosen@example.com>').displayName).toBe('J Rosenberg \\"');
    expect(addr('"Quoted string \\"\\"" <sip:a@b>').displayName).toBe('Quoted string ""');
    expect(addr('"" <sip:a@b>').displayName).toBe('');
    expect(addr('"a, b; <c>" <sip:a@b>').displayName).toBe('a, b; <c>');
    expect(addr('"Zoë" <sip:a@b>').displayName).toBe('Zoë');
  });

  it('parses an unquoted display name of tokens and LWS', () => {
    expect(addr('Bob <sip:bob@biloxi.example.com>').displayName).toBe('Bob');
    expect(addr("token1~` token2'+_   token3*%!.- <sip:a@b>").displayName).toBe("token1~` token2'+_   token3*%!.-");
  });

  it('accepts no LWS before < (RFC 4475 §3.1.1.6)', () => {
    expect(addr('caller<sip:caller@example.com>;tag=323')).toMatchObject({ displayName: 'caller', params: new Map([['tag', '323']]) });
    expect(addr('"caller"<sip:caller@example.com>').displayName).toBe('caller');
  });

  it('has no display name for a bare <uri>', () => {
    expect(addr('<sip:a@b>').displayName).toBeUndefined();
    expect(addr('  <sip:a@b>  ').displayName).toBeUndefined();
  });

  it('in <> keeps ;params in the URI; after > they are header params', () => {
    const a = addr('<sip:+19725552222@gw1.example.net;unknownparam>;expires=60;q=0.5');
    expect((a.uri as SipUri).params.get('unknownparam')).toBeNull();
    expect([...a.params]).toEqual([['expires', '60'], ['q', '0.5']]);
  });

  it('without <> gives every ;param to the header, never the URI (§20.10)', () => {
    const a = addr('sip:+19725552222@gw1.example.net;unknownparam;tag=x');
    expect((a.uri as SipUri).params.size).toBe(0);
    expect([...a.params]).toEqual([['unknownparam', null], ['tag', 'x']]);
    expect(addr('sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n').params.get('tag')).toBe('1918181833n');
  });

  it('accepts non-SIP URIs', () => {
    expect(addr('isbn:2983792873').uri).toEqual({ scheme: 'isbn', opaque: '2983792873' });
    expect(addr('<http://www.example.com>;tag=3').uri).toEqual({ scheme: 'http', opaque: '//www.example.com' });
    expect(addr('<tel:+1555>').uri.scheme).toBe('tel');
  });

  it('parses a quoted header param that holds < and >', () => {
    expect(addr('sip:a@b;x="<y>"').params.get('x')).toBe('"<y>"');
  });

  it('rejects what RFC 3261 forbids', () => {
    for (const value of [
      '', '   ', '"unterminated <sip:a@b>', '"Mr. J. User <sip:j.user@example.com>', '"name" sip:a@b', '"a" x <sip:a@b>',
      'Bell, Alexander <sip:a.g.bell@example.com>', '< sip:t.watson@example.org >', '<sip:a@b', '<sip:a@b>x', '<sip:a@b>;',
      'sip:user@example.com?Route=%3Csip:sip.example.com%3E', 'sip:a,b@c', '*', 'a <b> <sip:x@y>', '<sip:a@b>;tag="x',
    ]) expect(parseNameAddr(value), value).toBeInstanceOf(SipParseError);
  });

  it('formats with the display name quoted and the URI in <>', () => {
    const a = addr('Bob <sip:bob@biloxi.example.com;transport=tcp>;tag=a6c85cf');
    expect(formatNameAddr(a)).toBe('"Bob" <sip:bob@biloxi.example.com;transport=tcp>;tag=a6c85cf');
    const tricky = addr('"a \\"b\\" \\\\ c" <sip:x@y>');
    expect(parseNameAddr(formatNameAddr(tricky))).toEqual(tricky);
    expect(formatNameAddr(addr('sip:a@b;tag=1'))).toBe('<sip:a@b>;tag=1');
  });

  it('never writes a line break into a display name', () => {
    const a: NameAddr = { displayName: 'evil\r\nVia: x', uri: uriOf('<sip:a@b>'), params: new Map() };
    expect(formatNameAddr(a)).toBe('"evil  Via: x" <sip:a@b>');
  });
});
