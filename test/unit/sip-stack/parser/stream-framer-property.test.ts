import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FramerEvent, StreamFramer } from '../../../../sip-stack/parser/stream-framer.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';

const printable = fc.array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: 40 }).map((codes) => String.fromCharCode(...codes).trim() || 'v');

const startLine = fc.oneof(
  fc.constantFrom('INVITE', 'REGISTER', 'BYE', 'OPTIONS', 'X-CUSTOM').map((m) => `${m} sip:bob@example.com SIP/2.0`),
  fc.constantFrom('100 Trying', '200 OK', '486 Busy Here').map((s) => `SIP/2.0 ${s}`),
);

const lengthName = fc.constantFrom('Content-Length', 'content-length', 'CONTENT-LENGTH', 'l', 'L', 'Content-Length ');

interface Generated {
  readonly bytes: Buffer;
  readonly lf: boolean;
}

const sipMessage: fc.Arbitrary<Generated> = fc
  .record({
    start: startLine,
    extras: fc.array(fc.tuple(fc.constantFrom('Subject', 'X-Tag', 'User-Agent', 'Contact', 'Max-Forwards'), printable), { maxLength: 6 }),
    lengthName,
    body: fc.uint8Array({ maxLength: 300 }),
    lf: fc.boolean(),
  })
  .map(({ start, extras, lengthName: name, body, lf }) => {
    const eol = lf ? '\n' : '\r\n';
    const lines = [start, 'Via: SIP/2.0/TCP a.example.com;branch=z9hG4bK1', 'Call-ID: x@y', ...extras.map(([n, v]) => `${n}: ${v}`)];
    const head = `${lines.join(eol)}${eol}${name}: ${body.length}${eol}${eol}`;
    return { bytes: Buffer.concat([Buffer.from(head), Buffer.from(body)]), lf };
  });

/** What may stand between messages: nothing, a pong, pings. */
const gap = fc.constantFrom('', '\r\n', '\r\n\r\n', '\r\n\r\n\r\n', '\r\n\r\n\r\n\r\n');

const stream = fc.array(fc.tuple(gap, sipMessage), { minLength: 1, maxLength: 6 });

function split(buf: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < buf.length; i++) {
    const size = sizes.length === 0 ? buf.length : (sizes[i % sizes.length] as number);
    chunks.push(buf.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

function run(chunks: Buffer[]): FramerEvent[] {
  const framer = new StreamFramer();
  return chunks.flatMap((c) => framer.push(c));
}

/** Pings expected: line ends reset at each message start, two make a ping. */
function expectedEvents(parts: [string, Generated][]): FramerEvent[] {
  const events: FramerEvent[] = [];
  for (const [g, m] of parts) {
    for (let i = 0; i < Math.floor((g.length / 2) / 2); i++) events.push({ type: 'ping' });
    events.push({ type: 'message', bytes: m.bytes });
  }
  return events;
}

describe('StreamFramer properties', () => {
  it('any chunking of a stream yields exactly the messages (and pings) that were sent', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.integer({ min: 1, max: 97 }), { maxLength: 20 }), (parts, sizes) => {
        const whole = Buffer.concat(parts.flatMap(([g, m]) => [Buffer.from(g), m.bytes]));
        expect(run(split(whole, sizes))).toEqual(expectedEvents(parts));
      }),
      { numRuns: 300 },
    );
  });

  it('byte-at-a-time and all-at-once give the same events', () => {
    fc.assert(
      fc.property(stream, (parts) => {
        const whole = Buffer.concat(parts.flatMap(([g, m]) => [Buffer.from(g), m.bytes]));
        expect(run(split(whole, [1]))).toEqual(run([whole]));
      }),
      { numRuns: 100 },
    );
  });

  it('every framed CRLF message parses in stream mode back to the same bytes and body', () => {
    fc.assert(
      fc.property(sipMessage.filter((m) => !m.lf), (m) => {
        const [event] = run([m.bytes]);
        expect(event?.type).toBe('message');
        const parsed = parseMessage(m.bytes, { stream: true });
        expect(parsed).not.toBeInstanceOf(SipParseError);
        if (parsed instanceof SipParseError) return;
        expect(parsed.serialize()).toBe(m.bytes);
      }),
      { numRuns: 200 },
    );
  });
});
