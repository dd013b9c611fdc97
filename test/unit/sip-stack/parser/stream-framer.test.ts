import { describe, expect, it } from 'vitest';
import { type FramerEvent, type FramingError, StreamFramer, readContentLength } from '../../../../sip-stack/parser/stream-framer.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';

const MESSAGE = [
  'OPTIONS sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/TCP client.example.com:5060;branch=z9hG4bK776asdhds',
  'From: <sip:alice@example.com>;tag=1928301774',
  'To: <sip:bob@example.com>',
  'Call-ID: a84b4c76e66710',
  'CSeq: 63104 OPTIONS',
].join('\r\n');

function message(body = '', extra = ''): Buffer {
  return Buffer.from(`${MESSAGE}\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

function feedAll(framer: StreamFramer, chunks: Buffer[]): FramerEvent[] {
  return chunks.flatMap((c) => framer.push(c));
}

function bytewise(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i++) out.push(buf.subarray(i, i + 1));
  return out;
}

function messages(events: FramerEvent[]): Buffer[] {
  return events.flatMap((e) => (e.type === 'message' ? [e.bytes] : []));
}

function onlyError(events: FramerEvent[]): FramingError {
  const errors = events.filter((e): e is FramingError => e.type === 'error');
  expect(errors).toHaveLength(1);
  return errors[0] as FramingError;
}

describe('StreamFramer: framing by Content-Length (RFC 3261 §18.3)', () => {
  it('emits one message with its body and nothing before or after it', () => {
    const m = message('v=0\r\n');
    const events = new StreamFramer().push(m);
    expect(messages(events)).toEqual([m]);
  });

  it('emits several coalesced messages in order', () => {
    const a = message('a');
    const b = message('', 'X-Second: yes\r\n');
    const events = new StreamFramer().push(Buffer.concat([a, b, a]));
    expect(messages(events)).toEqual([a, b, a]);
  });

  it('copies a message out of a larger chunk so that keeping it does not pin the chunk', () => {
    const m = message('a');
    const chunk = Buffer.alloc(m.length * 2);
    m.copy(chunk);
    m.copy(chunk, m.length);
    const emitted = messages(new StreamFramer().push(chunk));
    expect(emitted).toEqual([m, m]);
    for (const bytes of emitted) expect(bytes.buffer).not.toBe(chunk.buffer);
  });

  it('waits for the whole body before emitting', () => {
    const m = message('0123456789');
    const framer = new StreamFramer();
    expect(framer.push(m.subarray(0, m.length - 1))).toEqual([]);
    expect(messages(framer.push(m.subarray(m.length - 1)))).toEqual([m]);
  });

  it('finds the end of headers when CRLFCRLF is split across chunks at every position', () => {
    const m = message('body');
    const headEnd = m.indexOf('\r\n\r\n');
    for (let cut = headEnd - 1; cut <= headEnd + 4; cut++) {
      const framer = new StreamFramer();
      expect(messages(feedAll(framer, [m.subarray(0, cut), m.subarray(cut)]))).toEqual([m]);
    }
  });

  it('does not take a CRLFCRLF inside the body for the end of a later message', () => {
    const first = message('\r\n\r\n\r\n');
    const second = message('x');
    const events = feedAll(new StreamFramer(), bytewise(Buffer.concat([first, second])));
    expect(messages(events)).toEqual([first, second]);
    expect(events.filter((e) => e.type === 'ping')).toEqual([]);
  });

  it('accepts bare LF line ends from lax peers', () => {
    const m = Buffer.from(`${MESSAGE.replaceAll('\r\n', '\n')}\nl: 3\n\nabc`);
    expect(messages(feedAll(new StreamFramer(), bytewise(m)))).toEqual([m]);
  });

  it('reads the compact form and a folded Content-Length value', () => {
    expect(readContentLength(Buffer.from('INVITE sip:a@b SIP/2.0\r\nl: 12\r\n\r\n'))).toBe(12);
    expect(readContentLength(Buffer.from('INVITE sip:a@b SIP/2.0\r\nContent-Length :\r\n 7\r\n\r\n'))).toBe(7);
    expect(readContentLength(Buffer.from('INVITE sip:a@b SIP/2.0\r\nContent-Length: 4\r\nl: 4\r\n\r\n'))).toBe(4);
  });

  it('does not read Content-Length from the start line or other headers', () => {
    const head = Buffer.from('content-length: 5 sip:a SIP/2.0\r\nContent-Type: x\r\nLength: 9\r\nl: 2\r\n\r\n');
    expect(readContentLength(head)).toBe(2);
  });

  it('emits a message larger than the defaults when the limits are raised', () => {
    const m = message('x'.repeat(100_000));
    expect(messages(new StreamFramer({ maxBodyBytes: 200_000 }).push(m))).toEqual([m]);
  });

  it('frames a large message fed one byte at a time (linear, no rescanning)', () => {
    const extra = Array.from({ length: 200 }, (_, i) => `X-Filler-${i}: ${'y'.repeat(60)}\r\n`).join('');
    const m = message('z'.repeat(60_000), extra);
    const framer = new StreamFramer();
    const events = feedAll(framer, bytewise(Buffer.concat([m, m])));
    expect(messages(events)).toEqual([m, m]);
    expect(framer.bufferedBytes).toBe(0);
  });
});

describe('StreamFramer: keep-alives', () => {
  it('RFC 5626 §3.5.1: a CRLFCRLF ping between messages yields a ping event', () => {
    const m = message();
    const events = new StreamFramer().push(Buffer.concat([m, Buffer.from('\r\n\r\n'), m]));
    expect(events.map((e) => e.type)).toEqual(['message', 'ping', 'message']);
  });

  it('RFC 5626 §3.5.1: a single CRLF pong is ignored', () => {
    const framer = new StreamFramer();
    expect(framer.push(Buffer.from('\r\n'))).toEqual([]);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('a ping split over two chunks is still a ping; two pings give two events', () => {
    const framer = new StreamFramer();
    expect(framer.push(Buffer.from('\r\n'))).toEqual([]);
    expect(framer.push(Buffer.from('\r\n'))).toEqual([{ type: 'ping' }]);
    expect(framer.push(Buffer.from('\r\n\r\n\r\n\r\n'))).toEqual([{ type: 'ping' }, { type: 'ping' }]);
  });

  it('RFC 3261 §7.5: CRLFs before a start line are skipped and not part of the message', () => {
    const m = message('a');
    const events = new StreamFramer().push(Buffer.concat([Buffer.from('\r\n'), m]));
    expect(events).toEqual([{ type: 'message', bytes: m }]);
  });

  it('holds bytes from the first byte of a message to its last, and never for keep-alive CRLFs', () => {
    // The TCP transport reads "a message has begun" from bufferedBytes to start its read deadline.
    const m = message('body');
    const framer = new StreamFramer();
    framer.push(Buffer.from('\r\n\r\n\r'));
    expect(framer.bufferedBytes).toBe(0);
    framer.push(Buffer.from('\n'));
    expect(framer.bufferedBytes).toBe(0);
    for (let i = 0; i < m.length - 1; i++) {
      framer.push(m.subarray(i, i + 1));
      expect(framer.bufferedBytes).toBeGreaterThan(0);
    }
    expect(messages(framer.push(m.subarray(m.length - 1)))).toEqual([m]);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('a CRLF inside a header section is not a ping', () => {
    const m = message('');
    const events = feedAll(new StreamFramer(), bytewise(m));
    expect(events.map((e) => e.type)).toEqual(['message']);
  });
});

describe('StreamFramer: fatal errors', () => {
  it('a missing Content-Length is fatal 400 and carries the head so the request can be answered', () => {
    const head = Buffer.from(`${MESSAGE}\r\n\r\n`);
    const error = onlyError(new StreamFramer().push(head));
    expect(error).toMatchObject({ status: 400, reason: 'Missing Content-Length' });
    expect(error.head).toEqual(head);
  });

  it.each(['-5', 'abc', '5 5', '1e3', '0x10', '', '1234567890'])('Content-Length %j is fatal 400', (value) => {
    const m = Buffer.from(`${MESSAGE}\r\nContent-Length: ${value}\r\n\r\n`);
    expect(onlyError(new StreamFramer().push(m))).toMatchObject({ status: 400, reason: 'Malformed Content-Length' });
  });

  it('conflicting Content-Length values are fatal 400', () => {
    const m = Buffer.from(`${MESSAGE}\r\nContent-Length: 3\r\nl: 4\r\n\r\nabcd`);
    expect(onlyError(new StreamFramer().push(m))).toMatchObject({ status: 400, reason: 'Conflicting Content-Length values' });
  });

  it('a body above the limit is fatal 513 before the body is buffered', () => {
    const framer = new StreamFramer({ maxBodyBytes: 100 });
    const m = message('x'.repeat(101));
    const events = framer.push(m.subarray(0, m.indexOf('\r\n\r\n') + 4));
    expect(onlyError(events)).toMatchObject({ status: 513, reason: 'Message body too large' });
    expect(framer.bufferedBytes).toBe(0);
  });

  it('a body at the limit is accepted', () => {
    const m = message('x'.repeat(100));
    expect(messages(new StreamFramer({ maxBodyBytes: 100 }).push(m))).toEqual([m]);
  });

  it('a header section above the default 16 KiB is fatal 400 whether or not its end has arrived', () => {
    const big = `${MESSAGE}\r\nX-Big: ${'a'.repeat(16 * 1024)}\r\nContent-Length: 0\r\n\r\n`;
    const whole = onlyError(new StreamFramer().push(Buffer.from(big)));
    const partial = onlyError(feedAll(new StreamFramer(), bytewise(Buffer.from(big.slice(0, 17_000)))));
    for (const error of [whole, partial]) expect(error).toMatchObject({ status: 400, reason: 'Header section too large', head: undefined });
  });

  it('a header section exactly at the limit is accepted', () => {
    const m = message('');
    expect(messages(new StreamFramer({ maxHeaderBytes: m.length }).push(m))).toEqual([m]);
    expect(onlyError(new StreamFramer({ maxHeaderBytes: m.length - 1 }).push(m)).status).toBe(400);
  });

  it('binary garbage without line ends fails once the header limit is passed, and nothing follows', () => {
    const framer = new StreamFramer({ maxHeaderBytes: 1024 });
    const garbage = Buffer.alloc(4096, 0xa5);
    const error = onlyError(framer.push(garbage));
    expect(error.reason).toBe('Header section too large');
    expect(framer.failed).toBe(true);
    expect(framer.push(message())).toEqual([]);
  });

  it('readContentLength reports a missing header as a SipParseError', () => {
    expect(readContentLength(Buffer.from('BYE sip:a SIP/2.0\r\n\r\n'))).toBeInstanceOf(SipParseError);
  });
});
