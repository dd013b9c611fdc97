import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastCSeq, fastCallId, fastNameAddr, fastVia, tagOf } from '../../../../sip-stack/message/fast-views.js';
import { fastEnd, fastSipUri } from '../../../../sip-stack/message/fast-uri.js';
import { parseCSeqAt } from '../../../../sip-stack/message/cseq.js';
import { type NameAddr, parseNameAddrAt } from '../../../../sip-stack/message/name-addr.js';
import { type Uri, parseUriAt } from '../../../../sip-stack/message/sip-uri.js';
import { type Via, parseViaAt } from '../../../../sip-stack/message/via.js';
import { type SipMessage, SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { checkMessage, parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';
import { message, nameAddr, sipUri, via } from '../parser/sip-arbitraries.js';
import { INVITE_TEXT } from './sample-messages.js';

/**
 * The fast paths (fast-params.ts) promise to accept only what the general parsers accept, with
 * the same value. These tests hold them to it: on generated values, on values mangled into
 * every shape the fast paths must leave alone, and on whole messages.
 */

function uriShape(uri: Uri): unknown {
  return 'params' in uri ? { ...uri, params: [...uri.params] } : uri;
}

function viaShape(v: Via): unknown {
  return {
    protocol: [v.protocolName, v.protocolVersion, v.transport], host: v.host, port: v.port, branch: v.branch,
    received: v.received, rport: v.rport, params: [...v.params],
  };
}

function addrShape(a: NameAddr): unknown {
  return { displayName: a.displayName, uri: uriShape(a.uri), params: [...a.params], tag: tagOf(a) };
}

/** `value` placed inside a longer text, as in a message: the fast path must keep to its range. */
function inText(value: string): { b: Buffer; t: string; start: number; end: number } {
  const t = `X: ${value}\r\nY: ;,"<>@:%\r\n`;
  return { b: Buffer.from(t, 'latin1'), t, start: 3, end: 3 + value.length };
}

function agreesVia(value: string): void {
  const { b, t, start, end } = inText(value);
  const fast = fastVia(b, t, start, end);
  if (fast === undefined) return;
  const general = parseViaAt(t, start, end);
  expect(general, value).not.toBeInstanceOf(SipParseError);
  expect(viaShape(fast), value).toEqual(viaShape(general as Via));
}

function agreesNameAddr(value: string): void {
  const { b, t, start, end } = inText(value);
  const fast = fastNameAddr(b, t, start, end);
  if (fast === undefined) return;
  const general = parseNameAddrAt(t, start, end);
  expect(general, value).not.toBeInstanceOf(SipParseError);
  expect(addrShape(fast), value).toEqual(addrShape(general as NameAddr));
}

function agreesUri(value: string): void {
  const { b, t, start, end } = inText(value);
  const fast = fastSipUri(b, t, start, end);
  if (fast === undefined || fastEnd !== end) return;
  const general = parseUriAt(t, start, end);
  expect(general, value).not.toBeInstanceOf(SipParseError);
  expect(uriShape(fast), value).toEqual(uriShape(general as Uri));
}

/** Fragments that push values off the common shape: case, LWS, quotes, escapes, separators. */
const noise = fc.constantFrom(' ', '\t', ';', ',', '"', '\\', '<', '>', '@', ':', '%', '%41', '?', '=', '[', ']', 'A', 'Z', ';rport=', ';rport=99999',
  ';tag', ';TAG=x', ';branch=', ';received=1.2.3.4', 'sips:', 'tel:', '*', '/', '\u00e9');

/** A value with noise inserted at random places. */
function mangled(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(base, fc.array(fc.tuple(fc.nat(), noise), { maxLength: 3 })).map(([value, inserts]) => {
    let out = value;
    for (const [at, piece] of inserts) {
      const i = at % (out.length + 1);
      out = out.slice(0, i) + piece + out.slice(i);
    }
    return out.replace(/\u00e9/g, 'e');
  });
}

describe('fast paths agree with the general parsers', () => {
  it('on Via values', () => {
    fc.assert(fc.property(fc.oneof(via, mangled(via)), agreesVia), { numRuns: 3000 });
  });

  it('on name-addr values', () => {
    fc.assert(fc.property(fc.oneof(nameAddr, mangled(nameAddr)), (v) => {
      if (/^[\x20-\x7e]*$/.test(v)) agreesNameAddr(v);
    }), { numRuns: 3000 });
  });

  it('on SIP URIs', () => {
    fc.assert(fc.property(fc.oneof(sipUri(true), mangled(sipUri(true))), agreesUri), { numRuns: 3000 });
  });

  it('on the usual shapes, which they do take', () => {
    for (const v of ['SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport', 'SIP/2.0/TCP h.example.com;branch=z9hG4bKx;received=192.0.2.1;rport=5070',
      'SIP/2.0/UDP h;rport;branch=a;rport=7']) {
      expect(fastVia(...Object.values(inText(v)) as [Buffer, string, number, number]), v).toBeDefined();
      agreesVia(v);
    }
    for (const v of ['"Alice" <sip:100@pbx.local>;tag=1928301774', 'Bob <sips:bob@b.example.com:5061;transport=tcp>', '<sip:h>;tag=a;tag=b']) {
      expect(fastNameAddr(...Object.values(inText(v)) as [Buffer, string, number, number]), v).toBeDefined();
      agreesNameAddr(v);
    }
  });

  it('leave the unusual shapes to the general parsers', () => {
    for (const v of ['SIP/2.0/udp h', 'SIP / 2.0/UDP h', 'SIP/2.0/UDP H', 'SIP/2.0/UDP [::1]', 'SIP/2.0/UDP h ;branch=x', 'SIP/2.0/UDP h;branch="x"',
      'SIP/2.0/UDP h;rport=x', 'SIP/2.0/UDP h, SIP/2.0/UDP k']) {
      expect(fastVia(...Object.values(inText(v)) as [Buffer, string, number, number]), v).toBeUndefined();
    }
    for (const v of ['"a\\"b" <sip:h>', 'sip:a@h;tag=1', '<sip:a%41@h>', '<sip:a:pw@h>', '<sip:H>', '<tel:+1>', '<sip:h;Lr>', '<sip:h?x=y>',
      '<sip:h>;tag', '<sip:h> ;tag=1', '<sip:a@h;x=@>', ' a <sip:a@h>;tag=a']) {
      expect(fastNameAddr(...Object.values(inText(v)) as [Buffer, string, number, number]), v).toBeUndefined();
      agreesNameAddr(v);
    }
  });

  it('on CSeq and Call-ID values', () => {
    const cseq = (v: string): unknown => fastCSeq(...Object.values(inText(v)) as [Buffer, string, number, number]);
    expect(cseq('314159 INVITE')).toEqual(parseCSeqAt('314159 INVITE', 0, 13));
    expect(cseq('1 FOO')).toEqual({ seq: 1, method: 'FOO' });
    for (const v of ['1  INVITE', '2147483648 INVITE', '1 INVITE x', 'x INVITE', '1']) expect(cseq(v), v).toBeUndefined();
    const callId = (v: string): unknown => fastCallId(...Object.values(inText(v)) as [Buffer, string, number, number]);
    expect(callId('a84b4c76e66710@192.0.2.10')).toBe('a84b4c76e66710@192.0.2.10');
    expect(callId('a b')).toBeUndefined();
  });
});

/** Every view of a message, as plain data. */
function views(m: SipMessage): unknown {
  expect(checkMessage(m)).toBeUndefined();
  const contacts = m.check('contact') === undefined ? m.contacts : 'malformed';
  return {
    vias: m.vias.map(viaShape), from: addrShape(m.from), to: addrShape(m.to), callId: m.callId, cseq: m.cseq,
    fromTag: m.fromTag, toTag: m.toTag, contacts: contacts === '*' || contacts === 'malformed' ? contacts : contacts.map(addrShape),
    requestUri: m instanceof SipRequest ? uriShape(m.requestUri as Uri) : undefined,
  };
}

/** The same message with its headers as a plain list: every view then takes the general parsers. */
function generalCopy(m: SipMessage): SipMessage {
  const headers = m.headers.map((h) => ({ ...h }));
  if (m instanceof SipRequest) return new SipRequest(m.method, m.uri, headers, m.body, m.version);
  const r = m as SipResponse;
  return new SipResponse(r.status, r.reason, headers, r.body, r.version);
}

describe('a parsed message reads the same views as its plain copy', () => {
  it('on generated messages', () => {
    fc.assert(fc.property(message, (built) => {
      const m = parseMessage(built.serialize(), { stream: true });
      expect(m).not.toBeInstanceOf(SipParseError);
      const parsed = m as SipMessage;
      const fast = views(parsed);
      expect(views(generalCopy(parsed))).toEqual(fast);
    }), { numRuns: 500 });
  });

  it('after its header list is assigned anew, as the transport does to stamp a Via', () => {
    fc.assert(fc.property(message, (built) => {
      const parsed = parseMessage(built.serialize(), { stream: true }) as SipMessage;
      const fast = views(parsed);
      const again = parseMessage(built.serialize(), { stream: true }) as SipMessage;
      again.headers = again.headers.slice();
      expect(views(again)).toEqual(fast);
    }), { numRuns: 300 });
  });

  it('with a head that is not ASCII (values decoded one by one)', () => {
    const text = INVITE_TEXT.replace('"Alice"', '"Zoë Ålice"');
    const m = parseMessage(Buffer.from(text)) as SipMessage;
    expect(m.from.displayName).toBe('Zoë Ålice');
    expect(views(generalCopy(m))).toEqual(views(m));
  });

  it('on a typical INVITE', () => {
    const m = parseMessage(Buffer.from(INVITE_TEXT)) as SipMessage;
    expect(views(generalCopy(m))).toEqual(views(m));
    expect(m.topVia.params.get('branch')).toBe('z9hG4bK2d4790.1');
    expect(m.from.params.get('tag')).toBe('9fxced76sl');
  });
});

/** `text` with each piece inserted at a place in its head (after the start line): values, mostly. */
function mangledHead(text: string, inserts: Array<[number, string]>): string {
  const headStart = text.indexOf('\r\n') + 2;
  let headEnd = text.indexOf('\r\n\r\n');
  for (const [at, piece] of inserts) {
    const i = headStart + (at % (headEnd - headStart));
    if (text[i - 1] === '\n') continue;
    text = text.slice(0, i) + piece + text.slice(i);
    headEnd += piece.length;
  }
  return text;
}

describe('checkMessage decides the same on a parsed message as on its plain copy', () => {
  it('on generated messages with noise in their header values and Request-URI', () => {
    fc.assert(fc.property(message, fc.array(fc.tuple(fc.nat(), noise), { maxLength: 3 }), (built, inserts) => {
      const bytes = Buffer.from(mangledHead(built.serialize().toString('latin1'), inserts), 'latin1');
      const parsed = parseMessage(bytes, { stream: true });
      if (parsed instanceof SipParseError || parsed.headerError !== undefined) return;
      const copy = generalCopy(parseMessage(bytes, { stream: true }) as SipMessage);
      expect(checkMessage(parsed)?.reason, bytes.toString('latin1')).toBe(checkMessage(copy)?.reason);
    }), { numRuns: 2000 });
  });
});
