import { describe, expect, it } from 'vitest';
import {
  type SipUri, type TelUri, type Uri, addressOfRecord, formatUri, isSipUri, isTelUri, parseHostPort, parsePort, parseUri,
  unescapeUriPart,
} from '../../../../sip-stack/message/sip-uri.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';

function sip(raw: string): SipUri {
  const uri = parseUri(raw);
  if (uri instanceof SipParseError) throw new Error(`${raw}: ${uri.reason}`);
  expect(isSipUri(uri)).toBe(true);
  return uri as SipUri;
}

function bad(raw: string): void {
  expect(parseUri(raw), raw).toBeInstanceOf(SipParseError);
}

describe('parseUri: SIP and SIPS URIs (RFC 3261 §19.1)', () => {
  it('splits user, password, host, port', () => {
    expect(sip('sip:alice:secret@atlanta.example.com:5070')).toMatchObject({
      scheme: 'sip', user: 'alice', password: 'secret', host: 'atlanta.example.com', port: 5070, headers: undefined,
    });
    expect(sip('sips:bob@biloxi.example.com')).toMatchObject({ scheme: 'sips', user: 'bob', password: undefined, port: undefined });
  });

  it('allows a URI without user part', () => {
    expect(sip('sip:192.0.2.4')).toMatchObject({ user: undefined, host: '192.0.2.4', port: undefined });
    expect(sip('sip:registrar.example.com;lr').params.get('lr')).toBeNull();
  });

  it('lower-cases scheme and host but keeps the user case-sensitive (§19.1.4)', () => {
    const uri = sip('SIP:Alice@AtLanta.Example.COM');
    expect(uri).toMatchObject({ scheme: 'sip', user: 'Alice', host: 'atlanta.example.com' });
    expect(sip('SiPs:x@h').scheme).toBe('sips');
  });

  it('parses IPv6 references with and without port', () => {
    expect(sip('sip:alice@[2001:db8::1]:5060')).toMatchObject({ host: '[2001:db8::1]', port: 5060 });
    expect(sip('sip:[2001:DB8::A]')).toMatchObject({ host: '[2001:db8::a]', port: undefined });
    expect(sip('sip:[::ffff:192.0.2.1];transport=tcp').params.get('transport')).toBe('tcp');
    for (const raw of ['sip:[2001:db8::1', 'sip:[]', 'sip:[2001:db8::g]', 'sip:[::1]x', 'sip:[::1]:']) bad(raw);
  });

  it('bounds the port to 0..65535 and 1 to 5 digits', () => {
    expect(sip('sip:h:0').port).toBe(0);
    expect(sip('sip:h:65535').port).toBe(65535);
    expect(sip('sip:h:05060').port).toBe(5060);
    for (const raw of ['sip:h:65536', 'sip:h:', 'sip:h:123456', 'sip:h:50a', 'sip:h:-1']) bad(raw);
    expect(parsePort('65535')).toBe(65535);
    expect(parsePort('65536')).toBeUndefined();
    expect(parsePort('')).toBeUndefined();
    expect(parsePort('1e3')).toBeUndefined();
  });

  it('parses params with and without values, names case-insensitive, values as sent', () => {
    const uri = sip('sip:bob@h;Transport=TCP;lr;maddr=239.255.255.1;ttl=15');
    expect([...uri.params]).toEqual([['transport', 'TCP'], ['lr', null], ['maddr', '239.255.255.1'], ['ttl', '15']]);
  });

  it('decodes a %-escaped param name when plain, never the value (RFC 4475 §3.1.1.3)', () => {
    const uri = sip('sip:h;%6C%72;n%61me=v%61lue%25%34%31');
    expect(uri.params.get('lr')).toBeNull();
    expect(uri.params.get('name')).toBe('v%61lue%25%34%31');
    expect(unescapeUriPart(uri.params.get('name')!)).toBe('value%41');
    // A name that would decode to a separator stays escaped, so that it formats back unchanged.
    expect([...sip('sip:h;a%3Db=1').params.keys()]).toEqual(['a%3db']);
  });

  it('keeps the headers part raw, escapes included', () => {
    const uri = sip('sip:user@example.com?Route=%3Csip:sip.example.com%3E&Subject=hi');
    expect(uri.headers).toBe('Route=%3Csip:sip.example.com%3E&Subject=hi');
    expect(uri.params.size).toBe(0);
    expect(sip('sip:h;lr?x=y').params.get('lr')).toBeNull();
  });

  it('keeps % escapes in the user part and validates them', () => {
    expect(sip('sip:%61lice@h').user).toBe('%61lice');
    expect(sip('sip:user;par=u%40example.net@example.com')).toMatchObject({ user: 'user;par=u%40example.net', host: 'example.com' });
    for (const raw of ['sip:%6@h', 'sip:%zz@h', 'sip:a%@h', 'sip:h;x=%4', 'sip:h?x=%']) bad(raw);
  });

  it('rejects whitespace, controls, <>" and empty parts anywhere', () => {
    for (const raw of [
      'sip:a b@h', 'sip:a@h ', 'sip: a@h', 'sip:a@h; lr', 'sip:a@h;lr ', 'sip:a@h?x= y', 'sip:a\tb@h', 'sip:a\x00@h',
      'sip:a>@h', 'sip:"a"@h', 'sip:@h', 'sip:a@', 'sip:', 'sip:a@h;', 'sip:a@h;=x', 'sip:a@h;x=', 'sip:a@h?', 'sip:a@h/x',
      'sip:a@h_x.com', '<sip:a@h>', 'sip', ':a@h', '1sip:a@h', 's p:x',
    ]) bad(raw);
  });

  it('formats back what it parsed', () => {
    for (const raw of [
      'sip:alice:secret@atlanta.example.com:5070;transport=tcp;lr?subject=x',
      'sips:[2001:db8::1]:5061', 'sip:%00%00@host5.example.com', 'sip:h;maddr=x',
    ]) expect(formatUri(sip(raw))).toBe(raw);
  });

  it('addressOfRecord: user unescaped, host lower-cased, no port or params (§10.3)', () => {
    expect(addressOfRecord(sip('sip:%61lice@Example.COM:5070;transport=tcp'))).toBe('sip:alice@example.com');
    expect(addressOfRecord(sip('sips:example.com'))).toBe('sips:example.com');
  });
});

describe('parseUri: tel and other schemes', () => {
  it('parses tel URIs with params (RFC 3966)', () => {
    const uri = parseUri('tel:+1-201-555-0123;phone-context=example.com;ext=22') as Uri;
    expect(isTelUri(uri)).toBe(true);
    const tel = uri as TelUri;
    expect(tel.number).toBe('+1-201-555-0123');
    expect([...tel.params]).toEqual([['phone-context', 'example.com'], ['ext', '22']]);
    expect(formatUri(tel)).toBe('tel:+1-201-555-0123;phone-context=example.com;ext=22');
    for (const raw of ['tel:', 'tel:;x=1', 'tel:12 34', 'tel:123?x=y']) bad(raw);
  });

  it('keeps other schemes opaque, lower-casing the scheme', () => {
    expect(parseUri('nobodyKnowsThisScheme:totallyopaquecontent')).toEqual({ scheme: 'nobodyknowsthisscheme', opaque: 'totallyopaquecontent' });
    expect(parseUri('soap.beep://192.0.2.103:3002')).toEqual({ scheme: 'soap.beep', opaque: '//192.0.2.103:3002' });
    expect(parseUri('urn:service:sos')).toEqual({ scheme: 'urn', opaque: 'service:sos' });
    expect(formatUri(parseUri('isbn:2983792873') as Uri)).toBe('isbn:2983792873');
    for (const raw of ['http:', 'http://a b', 'x+y-z.w:ok']) {
      if (raw === 'x+y-z.w:ok') expect(parseUri(raw)).toEqual({ scheme: 'x+y-z.w', opaque: 'ok' });
      else bad(raw);
    }
  });
});

describe('parseHostPort', () => {
  it('parses host and optional port, rejecting trailing junk', () => {
    expect(parseHostPort('Example.com:5060')).toEqual({ host: 'example.com', port: 5060 });
    expect(parseHostPort('[::1]')).toEqual({ host: '[::1]', port: undefined });
    for (const s of ['', 'h:', 'h;x', 'h 1', '[::1', 'h:70000']) expect(parseHostPort(s), s).toBeInstanceOf(SipParseError);
  });
});

describe('unescapeUriPart', () => {
  it('decodes each escape once, keeping invalid ones', () => {
    expect(unescapeUriPart('I%20have%20spaces')).toBe('I have spaces');
    expect(unescapeUriPart('%2541')).toBe('%41');
    expect(unescapeUriPart('%00-%00%00')).toBe('\0-\0\0');
    expect(unescapeUriPart('100%')).toBe('100%');
    expect(unescapeUriPart('%zz%4')).toBe('%zz%4');
    expect(unescapeUriPart('%c3%A9')).toBe('\u00c3\u00a9');
  });
});
