import fc from 'fast-check';
import { type Header, type SipMessage, SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { headerKey } from '../../../../sip-stack/message/header-name.js';
import { quote } from '../../../../sip-stack/message/params.js';

/** fast-check generators of well-formed SIP messages with random tokens, URIs, names, params, bodies. */

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const TOKEN_MARKS = "-.!%*_+`'~";

function charsFrom(alphabet: string, min: number, max: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
}

export const token = charsFrom(ALNUM + TOKEN_MARKS, 1, 12);
const lowerWord = charsFrom('abcdefghijklmnopqrstuvwxyz', 1, 8);
const label = charsFrom('abcdefghijklmnopqrstuvwxyz0123456789', 1, 10);
const hex = fc.constantFrom(...'0123456789ABCDEFabcdef');
const escape = fc.tuple(hex, hex).map(([a, b]) => `%${a}${b}`);

/** user = 1*( unreserved / escaped / user-unreserved ) (§25.1) */
const user = fc.array(fc.oneof(charsFrom(`${ALNUM}-_.!~*'()&=+$,;?/`, 1, 4), escape), { minLength: 1, maxLength: 5 }).map((p) => p.join(''));

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
const hostname = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
const ipv6 = fc.array(fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)), { minLength: 2, maxLength: 8 })
  .map((g) => `[${g.length < 8 ? `${g[0]}::${g.slice(1).join(':')}` : g.join(':')}]`);
export const host = fc.oneof(hostname, ipv4, ipv6);
const port = fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined });

const uriParam = fc.tuple(lowerWord, fc.option(charsFrom(`${ALNUM}-_.!~*'()[]/:&+$`, 1, 8), { nil: undefined }))
  .map(([n, v]) => (v === undefined ? `;${n}` : `;${n}=${v}`));

/** A SIP URI; `headers` adds a `?a=b` part (only valid inside `<>`). */
export function sipUri(withHeaders: boolean): fc.Arbitrary<string> {
  return fc.record({
    scheme: fc.constantFrom('sip', 'sips'),
    user: fc.option(user, { nil: undefined }),
    host, port,
    params: fc.array(uriParam, { maxLength: 3 }),
    headers: withHeaders ? fc.option(fc.tuple(charsFrom(ALNUM, 1, 6), charsFrom(ALNUM, 1, 6)), { nil: undefined }) : fc.constant(undefined),
  }).map((u) => {
    const userinfo = u.user === undefined ? '' : `${u.user}@`;
    const portPart = u.port === undefined ? '' : `:${u.port}`;
    const headers = u.headers === undefined ? '' : `?${u.headers[0]}=${u.headers[1]}`;
    return `${u.scheme}:${userinfo}${u.host}${portPart}${u.params.join('')}${headers}`;
  });
}

/** Display names: any text but line ends (quoted and escaped), or tokens separated by SP. */
const displayName = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !/[\r\n]/.test(s)).map((s) => quote(s)),
  fc.array(token, { minLength: 1, maxLength: 3 }).map((t) => t.join(' ')),
);

const headerParam = fc.tuple(lowerWord, fc.option(fc.oneof(token, displayName.filter((d) => d.startsWith('"'))), { nil: undefined }))
  .filter(([n]) => n !== 'tag')
  .map(([n, v]) => (v === undefined ? `;${n}` : `;${n}=${v}`));

export const nameAddr = fc.record({
  name: fc.option(displayName, { nil: undefined }),
  uri: sipUri(true),
  params: fc.array(headerParam, { maxLength: 2 }),
  tag: fc.option(token, { nil: undefined }),
}).map((a) => `${a.name === undefined ? '' : `${a.name} `}<${a.uri}>${a.tag === undefined ? '' : `;tag=${a.tag}`}${a.params.join('')}`);

export const via = fc.record({
  transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'SCTP', 'WS'), host, port,
  branch: token, rport: fc.boolean(),
}).map((v) => `SIP/2.0/${v.transport} ${v.host}${v.port === undefined ? '' : `:${v.port}`};branch=z9hG4bK${v.branch}${v.rport ? ';rport' : ''}`);

/** Extension header values: printable text and UTF-8, no line ends, no LWS at either end. */
const headerValue = fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/[\r\n\t ]+/g, ' ').trim());
const extension = fc.tuple(token.map((t) => `X-${t}`), headerValue);

const callId = fc.tuple(charsFrom(`${ALNUM}-.!%*_+\`'~()<>:\\"/[]?{}`, 1, 20), fc.option(hostname, { nil: undefined }))
  .map(([w, h]) => (h === undefined ? w : `${w}@${h}`));

const METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'MESSAGE', 'INFO', 'UPDATE'];
const method = fc.oneof(fc.constantFrom(...METHODS), token.map((t) => t.toUpperCase()));

function header(name: string, value: string): Header {
  return { name, key: headerKey(name), value };
}

const commonHeaders = fc.record({
  vias: fc.array(via, { minLength: 1, maxLength: 3 }),
  viaName: fc.constantFrom('Via', 'v', 'VIA'),
  from: nameAddr, to: nameAddr, callId,
  seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  maxForwards: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
  contacts: fc.array(nameAddr, { maxLength: 2 }),
  extensions: fc.array(extension, { maxLength: 4 }),
  body: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
});

type Common = typeof commonHeaders extends fc.Arbitrary<infer T> ? T : never;

function headersOf(c: Common, cseqMethod: string): Header[] {
  const list: Header[] = [header(c.viaName, c.vias.join(', '))];
  list.push(header('From', c.from), header('To', c.to), header('Call-ID', c.callId), header('CSeq', `${c.seq} ${cseqMethod}`));
  if (c.maxForwards !== undefined) list.push(header('Max-Forwards', String(c.maxForwards)));
  for (const contact of c.contacts) list.push(header('Contact', contact));
  for (const [name, value] of c.extensions) list.push(header(name, value));
  if (c.body.length > 0) list.push(header('Content-Type', 'application/octet-stream'));
  list.push(header('Content-Length', String(c.body.length)));
  return list;
}

export const request: fc.Arbitrary<SipMessage> = fc.tuple(method, sipUri(false), commonHeaders)
  .map(([m, uri, c]) => new SipRequest(m, uri, headersOf(c, m), c.body));

const reasonText = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ' '));

export const response: fc.Arbitrary<SipMessage> = fc.tuple(fc.integer({ min: 100, max: 699 }), reasonText, fc.constantFrom(...METHODS), commonHeaders)
  .map(([status, reason, m, c]) => new SipResponse(status, reason, headersOf(c, m), c.body));

export const message = fc.oneof(request, response);

/** A header change through set(): a new value for an essential, list or extension header. */
export const edit: fc.Arbitrary<readonly [string, string]> = fc.oneof(
  nameAddr.map((v) => ['From', v] as const),
  nameAddr.map((v) => ['t', v] as const),
  via.map((v) => ['Via', v] as const),
  fc.array(nameAddr, { minLength: 1, maxLength: 3 }).map((v) => ['Contact', v.join(', ')] as const),
  callId.map((v) => ['i', v] as const),
  extension,
);
