import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../../bench/parser-bench.js';
import { SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { checkMessage } from '../../../../sip-stack/parser/message-parser.js';
import { parseScanned, scannerTables } from '../../../../sip-stack/parser/native-head.js';
import { type ScannerAddon, nativeScanner, nativeScannerLoaded } from '../../../../sip-stack/parser/native-scanner.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';
import { INVITE_BYTES } from '../message/sample-messages.js';

/**
 * Which messages the native head scanner takes. The parity suite proves that what it takes reads
 * the same as the TypeScript path; this one proves that it does take the common message, so
 * that a scanner that declined everything could not pass for a working one.
 */

const PLAIN_HEAD = [
  'OPTIONS sip:100@pbx.local SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1;rport',
  'From: <sip:100@pbx.local>;tag=1',
  'To: <sip:100@pbx.local>',
  'Call-ID: c1@192.0.2.10',
  'CSeq: 1 OPTIONS',
  'Max-Forwards: 70',
  'Content-Length: 0',
];

function message(lines: string[], body = ''): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
}

function withLine(index: number, line: string): string[] {
  return PLAIN_HEAD.map((l, i) => (i === index ? line : l));
}

describe('native head scanner: what it takes', () => {
  it('is built and loads', () => {
    expect(nativeScannerLoaded(), 'run npm run build:native (build/sip-scanner.node)').toBe(true);
  });

  it.each(Object.entries(MESSAGES))('takes the benchmark %s, with every check scan done', (_name, bytes) => {
    const m = parseScanned(bytes, false);
    expect(m).toBeInstanceOf(m instanceof SipResponse ? SipResponse : SipRequest);
    const head = (m as SipRequest | SipResponse).parsedHead();
    expect(head?.scans).toBeDefined();
    expect(checkMessage(m as SipRequest | SipResponse)).toBeUndefined();
  });

  it('takes a plain request and reads its Request-URI as scanned', () => {
    const m = parseScanned(message(PLAIN_HEAD), true) as SipRequest;
    expect(m).toBeInstanceOf(SipRequest);
    expect(m.parsedHead()?.uriScanned).toBe(true);
    expect([m.method, m.uri, m.cseq.seq, m.callId, m.topVia.rport]).toEqual(['OPTIONS', 'sip:100@pbx.local', 1, 'c1@192.0.2.10', null]);
  });

  it('takes a head whose Via holds two values, leaving the check scans to TypeScript', () => {
    const m = parseScanned(INVITE_BYTES, false) as SipRequest;
    expect(m).toBeInstanceOf(SipRequest);
    expect(m.parsedHead()?.scans).toBeUndefined();
    expect(checkMessage(m)).toBeUndefined();
    expect(m.vias.map((v) => v.transport)).toEqual(['UDP', 'TCP', 'UDP']);
  });

  it('notes the first repeat of a single-value header, and the first and last of the views', () => {
    const m = parseScanned(message([...PLAIN_HEAD, 't: <sip:101@pbx.local>', 'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK2', 'TO: <sip:102@pbx.local>']), false) as SipRequest;
    const head = m.parsedHead();
    expect([m.duplicateHeader(), head?.lastVia, head?.first.slice(1)]).toEqual(['t', 8, [0, 1, 2, 3, 4]]);
    expect(checkMessage(m)?.reason).toBe('Duplicate t header');
  });

  it('frames by Content-Length and answers a short body as the TypeScript parser does', () => {
    const short = parseScanned(message(withLine(7, 'Content-Length: 10'), 'abc'), false);
    expect(short).toBeInstanceOf(SipParseError);
    expect((short as SipParseError).reason).toBe('Content-Length exceeds message');
    const missing = parseScanned(message(PLAIN_HEAD.slice(0, 7)), true);
    expect((missing as SipParseError).reason).toBe('Missing Content-Length');
  });

  it.each([
    ['a folded line', message([...PLAIN_HEAD.slice(0, 7), 'Subject: a', ' b', PLAIN_HEAD[7] as string])],
    ['bare LF line ends', Buffer.from(`${PLAIN_HEAD.join('\n')}\n\n`)],
    ['a non-ASCII byte in the head', message(withLine(3, 'To: "Zoë" <sip:100@pbx.local>'))],
    ['a line without a colon', message(withLine(6, 'Max-Forwards 70'))],
    ['a name with a space inside', message(withLine(6, 'Max Forwards: 70'))],
    ['a malformed Content-Length', message(withLine(7, 'Content-Length: 1x'))],
    ['conflicting Content-Lengths', message([...PLAIN_HEAD, 'l: 5'], 'hello')],
    ['another SIP version', message(withLine(0, 'OPTIONS sip:100@pbx.local SIP/3.0'))],
    ['two spaces in the request line', message(withLine(0, 'OPTIONS  sip:100@pbx.local SIP/2.0'))],
    ['a status out of range', message(['SIP/2.0 700 Odd', ...PLAIN_HEAD.slice(1)])],
    ['no empty line', Buffer.from(`${PLAIN_HEAD.join('\r\n')}\r\n`)],
    ['more lines than its table holds', message([...PLAIN_HEAD.slice(0, 7), ...Array.from({ length: 300 }, (_, i) => `X-H${i}: ${i}`), PLAIN_HEAD[7] as string])],
  ])('leaves %s to the TypeScript parser', (_what, bytes) => {
    expect(parseScanned(bytes, false)).toBeUndefined();
  });
});

describe('native head scanner: the tables it is given', () => {
  const addon = (): ScannerAddon => {
    const loaded = nativeScanner();
    if (loaded === undefined) throw new Error('run npm run build:native (build/sip-scanner.node)');
    return loaded;
  };
  const plain = message(PLAIN_HEAD);

  it.each([
    ['another layout', { layout: Int32Array.of(8, 36) }],
    ['transports in another order', { transports: ['TCP', 'UDP', 'TLS', 'WS', 'WSS', 'SCTP'] }],
    ['a role per spelling missing', { roles: Int32Array.of(1) }],
    ['a single-value bit per spelling missing', { singles: Int32Array.of(1) }],
    ['a long spelling with a role the scan needs', { spellings: ['X'.repeat(40)], roles: Int32Array.of(1) }],
    ['an output array too small', { out: new Int32Array(16) }],
  ])('refuses %s and keeps scanning with the tables it had', (_what, change) => {
    parseScanned(plain, false);
    expect(() => addon().init({ ...scannerTables(), ...change })).toThrow(/tables do not fit/);
    const m = parseScanned(plain, false) as SipRequest;
    expect([m.method, m.callId, m.parsedHead()?.scans?.length]).toEqual(['OPTIONS', 'c1@192.0.2.10', 37]);
  });

  it('keeps the id of a spelling too long for its table, which the TypeScript side then names', () => {
    const tables = scannerTables();
    const long = 'X-A-Header-Name-Longer-Than-Thirty-Two';
    try {
      addon().init({
        ...tables, spellings: [long, ...tables.spellings], roles: Int32Array.of(0, ...tables.roles), singles: Int32Array.of(0, ...tables.singles),
      });
      // Ids are one off now, so a listed name reads as its neighbour: the lookup is the scanner's.
      const m = parseScanned(message([...PLAIN_HEAD, `${long}: v`]), false) as SipRequest;
      expect(m.lineName(m.lineCount() - 1)).toBe(long);
    } finally {
      addon().init(tables);
    }
    const again = parseScanned(message(PLAIN_HEAD), false) as SipRequest;
    expect(again.lineName(0)).toBe('Via');
  });
});
