import { describe, expect, it } from 'vitest';
import { type Via, formatVia, hasMagicCookie, parseVia } from '../../../../sip-stack/message/via.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';

function via(value: string): Via {
  const parsed = parseVia(value);
  if (parsed instanceof SipParseError) throw new Error(`${value}: ${parsed.reason}`);
  return parsed;
}

describe('parseVia (RFC 3261 §20.42)', () => {
  it('parses protocol, transport, sent-by and branch', () => {
    expect(via('SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds')).toMatchObject({
      protocolName: 'SIP', protocolVersion: '2.0', transport: 'UDP', host: 'pc33.atlanta.example.com', port: undefined,
      branch: 'z9hG4bK776asdhds', received: undefined, rport: undefined,
    });
  });

  it('upper-cases the transport, keeping unknown ones', () => {
    expect(via('SIP/2.0/tcp h').transport).toBe('TCP');
    expect(via('SIP/2.0/UNKNOWN h').transport).toBe('UNKNOWN');
    expect(via('SIP/2.0/ws h').transport).toBe('WS');
  });

  it('parses port, received, valueless rport and rport with a value (RFC 3581)', () => {
    expect(via('SIP/2.0/UDP 192.0.2.1:5070;rport;branch=z9hG4bKx')).toMatchObject({ port: 5070, rport: null });
    expect(via('SIP/2.0/UDP h;received=192.0.2.9;rport=61000;branch=z9hG4bKx')).toMatchObject({ received: '192.0.2.9', rport: 61000 });
    expect(parseVia('SIP/2.0/UDP h;rport=70000')).toBeInstanceOf(SipParseError);
    expect(parseVia('SIP/2.0/UDP h;rport=x')).toBeInstanceOf(SipParseError);
  });

  it('parses an IPv6 sent-by', () => {
    expect(via('SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bKas')).toMatchObject({ host: '[2001:db8::9:1]', port: 5060 });
    expect(via('SIP/2.0/TCP [2001:DB8::1]').host).toBe('[2001:db8::1]');
  });

  it('allows LWS around "/", around the port colon and before ";" (§25.1 SLASH, COLON)', () => {
    expect(via('SIP  /   2.0 /UDP    192.0.2.2;branch=390skdjuw')).toMatchObject({ transport: 'UDP', host: '192.0.2.2' });
    expect(via('SIP / 2.0 / TCP spindle.example.com ;  branch  =   z9hG4bK9ikj8')).toMatchObject({
      transport: 'TCP', host: 'spindle.example.com', branch: 'z9hG4bK9ikj8',
    });
    expect(via('SIP/2.0/UDP host : 5060 ;branch=z9hG4bKa')).toMatchObject({ host: 'host', port: 5060 });
  });

  it('keeps unknown params and param names case-insensitive', () => {
    const v = via('SIP/2.0/UDP h;Branch=z9hG4bKA;maddr=224.2.0.1;ttl=16;hidden');
    expect(v.branch).toBe('z9hG4bKA');
    expect([...v.params.keys()]).toEqual(['branch', 'maddr', 'ttl', 'hidden']);
  });

  it('rejects malformed values', () => {
    for (const value of [
      '', 'SIP/2.0/UDP', 'SIP/2.0/UDP ', 'SIP/2.0 h', 'SIP/2.0/UDP;branch=x', 'SIP//UDP h', '/2.0/UDP h',
      'SIP/2.0/UDP h h2', 'SIP/2.0/UDP h;;', 'SIP/2.0/UDP h;branch=', 'SIP/2.0/UDP h:99999', 'SIP/2.0/UDP [::1',
      'SIP/2.0/UDPh', 'SIP/2.0/UDP h;branch="x',
    ]) expect(parseVia(value), value).toBeInstanceOf(SipParseError);
  });

  it('formats back to an equal Via', () => {
    const v = via('SIP / 2.0 / udp host.example.com : 5060 ; branch=z9hG4bK1 ; rport');
    expect(formatVia(v)).toBe('SIP/2.0/UDP host.example.com:5060;branch=z9hG4bK1;rport');
    expect(parseVia(formatVia(v))).toEqual(v);
  });
});

describe('hasMagicCookie (§8.1.1.7)', () => {
  it('is true only for the cookie followed by an identifier', () => {
    expect(hasMagicCookie('z9hG4bK776asdhds')).toBe(true);
    // RFC 4475 §3.2.1: a bare cookie identifies nothing; fall back to RFC 2543 matching.
    expect(hasMagicCookie('z9hG4bK')).toBe(false);
    expect(hasMagicCookie('Z9HG4BK776')).toBe(false);
    expect(hasMagicCookie('390skdjuw')).toBe(false);
    expect(hasMagicCookie(undefined)).toBe(false);
  });
});
