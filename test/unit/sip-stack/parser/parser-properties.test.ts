import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeResponse } from '../../../../sip-stack/message/make-response.js';
import { type SipMessage, SipRequest, SipResponse, type ViewKey } from '../../../../sip-stack/message/sip-message.js';
import { checkMessage, parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';
import { INVITE_BYTES, shape } from '../message/sample-messages.js';
import { edit, message } from './sip-arbitraries.js';

const DIR = fileURLToPath(new URL('../../../fixtures/rfc4475/', import.meta.url));
const CORPUS: Buffer[] = [INVITE_BYTES, ...readdirSync(DIR).filter((f) => f.endsWith('.dat')).map((f) => readFileSync(DIR + f))];

/** The optional views: read only after check(key) passed, as the layers above do. */
const OPTIONAL_VIEWS: ReadonlyArray<[ViewKey, (m: SipMessage) => unknown]> = [
  ['contact', (m) => m.contacts], ['route', (m) => m.routes], ['record-route', (m) => m.recordRoutes],
  ['max-forwards', (m) => m.maxForwards],
];

/** Reads everything a layer above may read; none of it may throw once the checks passed. */
function readViews(m: SipMessage): void {
  void [m.vias, m.topVia, m.topViaValue(), m.from, m.to, m.fromTag, m.toTag, m.callId, m.cseq, m.contentType];
  for (const [key, read] of OPTIONAL_VIEWS) if (m.check(key) === undefined) read(m);
}

/** Parses and checks, asserting the contract: a message or a SipParseError, never a throw. */
function exercise(bytes: Buffer, stream: boolean): void {
  const m = parseMessage(bytes, { stream });
  if (m instanceof SipParseError) {
    // The parser's last-resort catch must never be what produced the error.
    expect(m.reason).not.toBe('Unparseable message');
    return;
  }
  expect(m instanceof SipRequest || m instanceof SipResponse).toBe(true);
  void [m.headers, m.headerError, m.startLine(), m.serialize(), m.values('Via'), m.get('Contact')];
  if (m instanceof SipRequest) {
    void m.requestUri;
    // The 400 for a malformed request is built from it, so that must not throw either.
    makeResponse(m, 400, { toTag: 'x' });
  }
  const error = checkMessage(m);
  if (error !== undefined) {
    expect(error).toBeInstanceOf(SipParseError);
    return;
  }
  readViews(m);
  // What was accepted re-parses, from its serialised form, to the same accepted message.
  const again = parseMessage(m.serialize(), { stream });
  expect(again).not.toBeInstanceOf(SipParseError);
  expect(checkMessage(again as SipMessage)).toBeUndefined();
  expect(shape(again as SipMessage)).toEqual(shape(m));
}

const INSERTS = ['\r', '\n', ' ', ';', ',', '"', '<', '>', '%', ':', '\\', '\r\n', '\r\n ', '\0', '=', '@', '?'];

type Mutation = (b: Buffer) => Buffer;

const at = (b: Buffer, n: number): number => (b.length === 0 ? 0 : n % (b.length + 1));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([p, v]): Mutation => (b) => {
    const out = Buffer.from(b);
    if (out.length > 0) out[p % out.length] = v;
    return out;
  }),
  fc.nat().map((p): Mutation => (b) => b.subarray(0, at(b, p))),
  fc.tuple(fc.nat(), fc.constantFrom(...INSERTS)).map(([p, s]): Mutation => (b) => {
    const i = at(b, p);
    return Buffer.concat([b.subarray(0, i), Buffer.from(s, 'latin1'), b.subarray(i)]);
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 80 }), fc.nat()).map(([p, len, q]): Mutation => (b) => {
    const i = at(b, p);
    const j = at(b, q);
    return Buffer.concat([b.subarray(0, j), b.subarray(i, i + len), b.subarray(j)]);
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 40 })).map(([p, len]): Mutation => (b) => {
    const i = at(b, p);
    return Buffer.concat([b.subarray(0, i), b.subarray(i + len)]);
  }),
);

/** Mutates the whole message, or only its head so that the body framing mostly survives. */
const mutated = fc.tuple(fc.constantFrom(...CORPUS), fc.array(mutation, { minLength: 1, maxLength: 5 }), fc.boolean())
  .map(([base, ops, headOnly]) => {
    const end = base.indexOf('\r\n\r\n');
    if (!headOnly || end < 0) return ops.reduce((b, op) => op(b), base);
    const head = ops.reduce((b, op) => op(b), base.subarray(0, end));
    return Buffer.concat([head, base.subarray(end)]);
  });

/** Bytes that look like SIP often enough to get past the start line. */
const sipSoup = fc.array(fc.constantFrom(
  'INVITE ', 'SIP/2.0', 'SIP/2.0 200 OK', ' ', '\r\n', '\n', ':', ';', ',', '"', '<', '>', '%', '%4', '%41', 'sip:', 'a@b',
  'Via: SIP/2.0/UDP h', ';branch=z9hG4bK', 'From: ', 'To: ', 'Call-ID: x', 'CSeq: 1 INVITE', 'Content-Length: ', 'l: ',
  '0', '5', '\t', '[::1]', '\\', 'tag=', '*', 'Contact: ', 'Route: ', 'Max-Forwards: ', '\r\n\r\n', 'é', '\0',
), { maxLength: 40 }).map((parts) => Buffer.from(parts.join(''), 'utf8'));

describe('parseMessage and checkMessage never throw (DESIGN §2, §5)', () => {
  it('on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (bytes, stream) => {
      exercise(Buffer.from(bytes), stream);
    }), { numRuns: 500 });
  });

  it('on SIP-like token soup', () => {
    fc.assert(fc.property(sipSoup, fc.boolean(), (bytes, stream) => exercise(bytes, stream)), { numRuns: 2000 });
  });

  it('on mutations of the RFC 4475 messages and a typical INVITE', () => {
    fc.assert(fc.property(mutated, fc.boolean(), (bytes, stream) => exercise(bytes, stream)), { numRuns: 3000 });
  });

  it('on every unmutated corpus message, over datagram and stream', () => {
    for (const bytes of CORPUS) for (const stream of [false, true]) exercise(bytes, stream);
  });
});

describe('serialize/parse round trip (DESIGN §5)', () => {
  function reparse(m: SipMessage): SipMessage {
    const again = parseMessage(m.serialize(), { stream: true });
    if (again instanceof SipParseError) throw new Error(`${again.reason}\n${m.serialize().toString('latin1')}`);
    const error = checkMessage(again);
    if (error) throw new Error(`${error.reason}\n${m.serialize().toString('latin1')}`);
    return again;
  }

  it('gives back start line, headers in order and body of a generated message', () => {
    fc.assert(fc.property(message, (m) => {
      const again = reparse(m);
      expect(shape(again)).toEqual(shape(m));
      // Serialising the parsed copy gives the very same bytes.
      expect(again.serialize().equals(m.serialize())).toBe(true);
    }), { numRuns: 500 });
  });

  it('still does after a change through set()', () => {
    fc.assert(fc.property(message, edit, (m, [name, value]) => {
      const parsed = reparse(m);
      parsed.set(name, value);
      const again = reparse(parsed);
      expect(shape(again)).toEqual(shape(parsed));
      expect(again.get(name)).toBe(value);
    }), { numRuns: 500 });
  });

  it('parses the generated typed views to what the raw values say', () => {
    fc.assert(fc.property(message, (m) => {
      const again = reparse(m);
      expect(again.callId).toBe(m.get('Call-ID'));
      expect(`${again.cseq.seq} ${again.cseq.method}`).toBe(m.get('CSeq'));
      expect(again.vias).toHaveLength((m.values('Via') as string[]).length);
      expect(again.check('contact')).toBeUndefined();
      expect(again.contacts).toHaveLength(m.getAll('Contact').length);
    }), { numRuns: 300 });
  });
});
