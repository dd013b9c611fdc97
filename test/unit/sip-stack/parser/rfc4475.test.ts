import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KNOWN_METHODS, checkMessage, isSupportedVersion, parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';
import { type SipMessage, SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { RFC4475_CASES, type TortureCase } from '../../../fixtures/rfc4475/manifest.js';
import { DETAILS } from './rfc4475-details.js';

const DIR = fileURLToPath(new URL('../../../fixtures/rfc4475/', import.meta.url));

function load(file: string): Buffer {
  return readFileSync(DIR + file);
}

/** The bytes of the framed message: up to the end of the body that Content-Length delimits. */
function framed(buf: Buffer, m: SipMessage): Buffer {
  const headEnd = buf.indexOf('\r\n\r\n');
  return buf.subarray(0, headEnd + 4 + m.body.length);
}

function isRejection(c: TortureCase): boolean {
  return c.expect === 'parse-error' || c.expect === 'drop';
}

/** Asserts what parseMessage and checkMessage make of the bytes, per the manifest row. */
function assertOutcome(c: TortureCase, buf: Buffer): SipMessage | undefined {
  const parsed = parseMessage(buf);
  if (c.layer === 'parser' && isRejection(c)) {
    expect(parsed).toBeInstanceOf(SipParseError);
    expect((parsed as SipParseError).status).toBe(400);
    // Only a response is dropped rather than answered.
    expect(buf.subarray(0, 4).toString() === 'SIP/').toBe(c.expect === 'drop');
    return undefined;
  }
  expect(parsed).not.toBeInstanceOf(SipParseError);
  const m = parsed as SipMessage;
  const error = checkMessage(m);
  if (c.layer === 'check' && isRejection(c)) {
    expect(error).toBeInstanceOf(SipParseError);
    expect(error?.status).toBe(400);
    expect(m.isRequest).toBe(c.expect === 'parse-error');
    return m;
  }
  expect(error).toBeUndefined();
  return m;
}

describe('RFC 4475 torture messages', () => {
  it('the manifest classifies every .dat file exactly once', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.dat')).sort();
    expect(files).toHaveLength(49);
    expect(RFC4475_CASES.map((c) => c.file).sort()).toEqual(files);
  });

  it('every row has field-by-field assertions', () => {
    const missing = RFC4475_CASES.filter((c) => DETAILS[c.file] === undefined && !isRejection(c));
    expect(missing.map((c) => c.file)).toEqual([]);
  });

  for (const c of RFC4475_CASES) {
    const outcome = typeof c.expect === 'string' ? c.expect : `answered ${c.expect.status}`;
    it(`§${c.section} ${c.file}: ${outcome} at the ${c.layer} layer (${c.note})`, () => {
      const buf = load(c.file);
      const m = assertOutcome(c, buf);
      if (m === undefined) return;
      if (c.expect === 'valid') {
        // An unmodified message serialises to the bytes it was framed from (trailing octets excluded).
        const bytes = framed(buf, m);
        expect(m.serialize().equals(bytes)).toBe(true);
        expect(bytes.length === buf.length).toBe(c.file !== 'dblreq.dat');
      }
      DETAILS[c.file]?.(m, buf);
    });
  }

  it('a request with an unsupported version is flagged for 505 (badvers)', () => {
    const m = parseMessage(load('badvers.dat')) as SipRequest;
    expect(isSupportedVersion(m)).toBe(false);
    expect(isSupportedVersion(parseMessage(load('zeromf.dat')) as SipRequest)).toBe(true);
  });

  it('unknown methods are not in KNOWN_METHODS, known ones are (501 versus processing)', () => {
    for (const file of ['intmeth.dat', 'esc02.dat', 'mismatch02.dat']) {
      expect(KNOWN_METHODS.has((parseMessage(load(file)) as SipRequest).method)).toBe(false);
    }
    expect(KNOWN_METHODS.has((parseMessage(load('wsinv.dat')) as SipRequest).method)).toBe(true);
  });

  it('the Content-Length defects are parse errors over a stream too (the framer decides waiting)', () => {
    for (const file of ['clerr.dat', 'ncl.dat', 'mcl01.dat']) {
      expect(parseMessage(load(file), { stream: true })).toBeInstanceOf(SipParseError);
    }
    // inv2543 has no Content-Length: acceptable in a datagram only (§18.3).
    expect(parseMessage(load('inv2543.dat'), { stream: true })).toBeInstanceOf(SipParseError);
  });

  it('responses and requests come out as the right classes', () => {
    expect(parseMessage(load('noreason.dat'))).toBeInstanceOf(SipResponse);
    expect(parseMessage(load('wsinv.dat'))).toBeInstanceOf(SipRequest);
  });
});
