import { expect } from 'vitest';
import { type SipMessage, SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';
import { type SipUri, type Uri, addressOfRecord, formatUri, isSipUri, unescapeUriPart } from '../../../../sip-stack/message/sip-uri.js';
import { hasMagicCookie } from '../../../../sip-stack/message/via.js';
import type { NameAddr } from '../../../../sip-stack/message/name-addr.js';

/** Field-by-field assertions for the RFC 4475 messages, keyed by file (what the RFC calls out). */
type Detail = (m: SipMessage, buf: Buffer) => void;

function sip(uri: Uri): SipUri {
  expect(isSipUri(uri)).toBe(true);
  return uri as SipUri;
}

function req(m: SipMessage): SipRequest {
  expect(m).toBeInstanceOf(SipRequest);
  return m as SipRequest;
}

function res(m: SipMessage): SipResponse {
  expect(m).toBeInstanceOf(SipResponse);
  return m as SipResponse;
}

function requestUri(m: SipMessage): Uri {
  const uri = req(m).requestUri;
  expect(uri).not.toBeInstanceOf(SipParseError);
  return uri as Uri;
}

function contacts(m: SipMessage): NameAddr[] {
  expect(m.check('contact')).toBeUndefined();
  const list = m.contacts;
  expect(list).not.toBe('*');
  return list as NameAddr[];
}

function bodyAfterHead(buf: Buffer): Buffer {
  return buf.subarray(buf.indexOf('\r\n\r\n') + 4);
}

const SDP_150 = (m: SipMessage): void => {
  expect(m.body.length).toBe(150);
  expect(m.body.toString('latin1').startsWith('v=0\r\n')).toBe(true);
};

export const DETAILS: Record<string, Detail> = {
  'wsinv.dat': (m) => {
    const r = req(m);
    expect(r.method).toBe('INVITE');
    expect(sip(requestUri(m)).params.get('unknownparam')).toBeNull();
    expect(m.cseq).toEqual({ seq: 9, method: 'INVITE' });
    expect(m.maxForwards).toBe(68);
    expect(m.callId).toBe('wsinv.ndaksdj@192.0.2.1');
    expect(m.toTag).toBe('1918181833n');
    expect(sip(m.to.uri).user).toBe('vivekg');
    expect(m.from.displayName).toBe('J Rosenberg \\"');
    expect(m.fromTag).toBe('98asjd8');
    expect(m.vias.map((v) => [v.transport, v.host, v.branch])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    const [contact] = contacts(m);
    expect(contact?.displayName).toBe('Quoted string ""');
    expect(contact?.params.get('q')).toBe('0.33');
    expect(contact?.params.get('newparam')).toBe('newvalue');
    expect(contact?.params.get('secondparam')).toBeNull();
    expect(sip(contact!.uri).params.size).toBe(0);
    const route = m.routes[0]!;
    expect([...sip(route.uri).params]).toEqual([['lr', null], ['unknownwith', 'value'], ['unknown-no-value', null]]);
    expect(m.get('Subject')).toBe('');
    expect(m.get('NewFangledHeader')).toBe('newfangled value continued newfangled value');
    expect(m.get('UnknownHeaderWithUnusualValue')).toBe(';;,,;;,;');
    expect(m.get('Content-Length')).toBe('150');
    SDP_150(m);
  },
  'intmeth.dat': (m) => {
    const r = req(m);
    expect(r.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    expect(m.cseq).toEqual({ seq: 139122385, method: r.method });
    const uri = sip(requestUri(m));
    expect(uri.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(uri.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(uri.host).toBe('example.com');
    expect(m.topVia.branch).toBe("z9hG4bK-.!%66*_+`'~");
    expect(m.to.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    expect(sip(m.to.uri).user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(m.from.displayName).toBe("token1~` token2'+_ token3*%!.-");
    expect(m.fromTag).toBe("_token~1'+`*%!-.");
    expect(m.from.params.get("fromparam''~+*_!.-%")).toBe('"работающий"');
    expect(m.callId).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(m.maxForwards).toBe(255);
    expect(m.get("extensionHeader-!.%*+_`'~")).toBe('\uFEFF\u5927\u505C\u96FB');
  },
  'esc01.dat': (m) => {
    const ruri = sip(requestUri(m));
    expect(ruri.user).toBe('sips%3Auser%40example.com');
    expect(unescapeUriPart(ruri.user!)).toBe('sips:user@example.com');
    expect(ruri.host).toBe('example.net');
    expect(unescapeUriPart(sip(m.to.uri).user!)).toBe('user');
    expect(unescapeUriPart(sip(m.from.uri).user!)).toBe('I have spaces');
    const uri = sip(contacts(m)[0]!.uri);
    expect(unescapeUriPart(uri.user!)).toBe('caller');
    // Parameter names compare unescaped; values are decoded once only: value%41, not valueA.
    expect(uri.params.get('lr')).toBeNull();
    expect(unescapeUriPart(uri.params.get('name')!)).toBe('value%41');
    expect(m.contentType).toBe('application/sdp');
    SDP_150(m);
  },
  'escnull.dat': (m) => {
    const list = contacts(m);
    expect(list.map((c) => sip(c.uri).user)).toEqual(['%00', '%00%00']);
    expect(list.map((c) => unescapeUriPart(sip(c.uri).user!))).toEqual(['\0', '\0\0']);
    expect(addressOfRecord(sip(m.to.uri))).toBe('sip:null-\0-null@example.com');
    expect(m.body.length).toBe(0);
  },
  'esc02.dat': (m) => {
    const r = req(m);
    expect(r.method).toBe('RE%47IST%45R');
    expect(r.method).not.toBe('REGISTER');
    expect(m.cseq.method).toBe('RE%47IST%45R');
    expect(m.to.displayName).toBe('%Z%45');
    expect(contacts(m).map((c) => sip(c.uri).host)).toEqual(['host1.example.com', 'host3.example.com']);
    expect(m.get('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
    expect(m.topVia.branch).toBe('z9hG4bK209%fzsnel234');
  },
  'lwsdisp.dat': (m) => {
    expect(m.from.displayName).toBe('caller');
    expect(sip(m.from.uri).user).toBe('caller');
    expect(m.fromTag).toBe('323');
  },
  'longreq.dat': (m) => {
    expect(m.vias).toHaveLength(34);
    expect(m.vias[0]!.host).toBe('sip33.example.com');
    const last = m.vias[33]!;
    expect(last.received).toBe('192.0.2.5');
    expect(last.branch?.startsWith('verylonglong')).toBe(true);
    expect(m.to.displayName?.startsWith('I have a user name of extremeextreme')).toBe(true);
    expect(sip(m.to.uri).port).toBe(6000);
    expect(sip(m.to.uri).params.get('unknownparam1')?.startsWith('verylonglong')).toBe(true);
    expect(m.fromTag?.startsWith('12982982982')).toBe(true);
    expect(m.callId.length).toBeGreaterThan(100);
    SDP_150(m);
  },
  'dblreq.dat': (m) => {
    expect(req(m).method).toBe('REGISTER');
    expect(m.body.length).toBe(0);
    expect(m.serialize().toString('latin1')).not.toContain('INVITE');
  },
  'semiuri.dat': (m) => {
    const uri = sip(requestUri(m));
    expect(uri.user).toBe('user;par=u%40example.net');
    expect(unescapeUriPart(uri.user!)).toBe('user;par=u@example.net');
    expect(uri.host).toBe('example.com');
    expect(uri.params.size).toBe(0);
    expect(m.values('Accept')).toHaveLength(6);
  },
  'transports.dat': (m) => {
    expect(m.vias.map((v) => v.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  },
  'mpart01.dat': (m, buf) => {
    expect(m.body.length).toBe(553);
    expect(m.body.length).toBe(Number(m.get('Content-Length')));
    expect(m.body.includes(0)).toBe(true);
    expect(m.body.equals(bodyAfterHead(buf))).toBe(true);
    expect(m.topVia.rport).toBeNull();
  },
  'unreason.dat': (m) => {
    const r = res(m);
    expect(r.status).toBe(200);
    expect(r.reason).toBe('= 2**3 * 5**2 но сто девяносто девять - простое');
  },
  'noreason.dat': (m) => {
    const r = res(m);
    expect(r.status).toBe(100);
    expect(r.reason).toBe('');
  },
  'escruri.dat': (m) => {
    const uri = sip(requestUri(m));
    expect(uri.headers).toBe('Route=%3Csip:example.com%3E');
    expect(uri.host).toBe('example.com');
    expect(m.routes).toEqual([]);
  },
  'baddate.dat': (m) => {
    expect(m.get('Date')).toBe('Fri, 01 Jan 2010 16:00:00 EST');
  },
  'regbadct.dat': (m) => {
    expect(m.check('contact')).toBeInstanceOf(SipParseError);
  },
  'badvers.dat': (m) => {
    expect(req(m).version).toBe('SIP/7.0');
    expect(m.topVia.protocolVersion).toBe('7.0');
  },
  'mismatch02.dat': (m) => {
    expect(req(m).method).toBe('NEWMETHOD');
    expect(m.cseq.method).toBe('INVITE');
    expect(m.body.length).toBe(138);
  },
  'badbranch.dat': (m) => {
    expect(m.topVia.branch).toBe('z9hG4bK');
    expect(hasMagicCookie(m.topVia.branch)).toBe(false);
  },
  'unkscm.dat': (m) => {
    expect(requestUri(m)).toEqual({ scheme: 'nobodyknowsthisscheme', opaque: 'totallyopaquecontent' });
  },
  'novelsc.dat': (m) => {
    expect(requestUri(m)).toEqual({ scheme: 'soap.beep', opaque: '//192.0.2.103:3002' });
  },
  'unksm2.dat': (m) => {
    expect(m.to.uri.scheme).toBe('isbn');
    expect(m.from.uri.scheme).toBe('http');
    expect(contacts(m)[0]!.uri).toEqual({ scheme: 'name', opaque: 'John_Smith' });
  },
  'bext01.dat': (m) => {
    expect(m.values('Require')).toEqual(['nothingSupportsThis', 'nothingSupportsThisEither']);
    expect(m.values('Proxy-Require')).toEqual(['noProxiesSupportThis', 'norDoAnyProxiesSupportThis']);
  },
  'invut.dat': (m) => {
    expect(m.contentType).toBe('application/unknownformat');
    expect(m.body.length).toBe(40);
  },
  'regaut01.dat': (m) => {
    expect(m.get('Authorization')).toBe('NoOneKnowsThisScheme opaque-data=here');
  },
  'bcast.dat': (m) => {
    expect(res(m).status).toBe(200);
    expect(m.vias.map((v) => v.host)).toEqual(['192.0.2.198', '255.255.255.255']);
  },
  'zeromf.dat': (m) => {
    expect(m.maxForwards).toBe(0);
  },
  'cparam01.dat': (m) => {
    const [c] = contacts(m);
    expect(sip(c!.uri).params.size).toBe(0);
    expect(c!.params.get('unknownparam')).toBeNull();
    expect(formatUri(c!.uri)).toBe('sip:+19725552222@gw1.example.net');
  },
  'cparam02.dat': (m) => {
    const [c] = contacts(m);
    expect(sip(c!.uri).params.get('unknownparam')).toBeNull();
    expect(c!.params.size).toBe(0);
    expect(formatUri(c!.uri)).toBe('sip:+19725552222@gw1.example.net;unknownparam');
  },
  'regescrt.dat': (m) => {
    const uri = sip(contacts(m)[0]!.uri);
    expect(uri.headers).toBe('Route=%3Csip:sip.example.com%3E');
    expect(formatUri(uri)).toBe('sip:user@example.com?Route=%3Csip:sip.example.com%3E');
  },
  'sdp01.dat': (m) => {
    expect(m.contentType).toBe('application/sdp');
    expect(m.get('Accept')).toBe('text/nobodyKnowsThis');
  },
  'inv2543.dat': (m, buf) => {
    expect(m.topVia.branch).toBeUndefined();
    expect(hasMagicCookie(m.topVia.branch)).toBe(false);
    expect(m.fromTag).toBeUndefined();
    expect(m.maxForwards).toBeUndefined();
    expect(m.has('Content-Length')).toBe(false);
    expect(m.body.equals(bodyAfterHead(buf))).toBe(true);
    expect(m.recordRoutes).toHaveLength(1);
    // Without <>, ;user=phone belongs to the To header; inside <> (From) it is a URI param.
    expect(m.to.params.get('user')).toBe('phone');
    expect(sip(m.to.uri).params.size).toBe(0);
    expect(sip(m.from.uri).params.get('user')).toBe('phone');
  },
  'quotbal.dat': (m) => {
    expect(m.check('to')).toBeInstanceOf(SipParseError);
  },
};
