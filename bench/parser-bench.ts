import { createRequire } from 'node:module';
import { checkMessage, parseMessage } from '../sip-stack/parser/message-parser.js';
import { setNativeScanner } from '../sip-stack/parser/native-scanner.js';

const require = createRequire(import.meta.url);

/** The npm `sip` package's parser, the comparison (it parses a message given as a string). */
interface SipPackage {
  parse(text: string): unknown;
}

const SDP = [
  'v=0', 'o=alice 2890844526 2890844526 IN IP4 192.0.2.10', 's=-', 'c=IN IP4 192.0.2.10', 't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=ptime:20', 'a=sendrecv', '',
].join('\r\n');

function message(lines: string[], body = ''): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** Typical messages of an office call: an INVITE with SDP, its 200 OK, a REGISTER. */
export const MESSAGES: Record<string, Buffer> = {
  'INVITE with SDP': message([
    'INVITE sip:101@pbx.local SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport',
    'Max-Forwards: 70',
    'To: "Bob" <sip:101@pbx.local>',
    'From: "Alice" <sip:100@pbx.local>;tag=1928301774',
    'Call-ID: a84b4c76e66710@192.0.2.10',
    'CSeq: 314159 INVITE',
    'Contact: <sip:100@192.0.2.10:5060;transport=udp>',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE',
    'Supported: replaces, timer',
    'User-Agent: DeskPhone/4.2',
    'Content-Type: application/sdp',
  ], SDP),
  '200 OK with SDP': message([
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnashds8;received=192.0.2.1;rport=5060',
    'To: "Bob" <sip:101@pbx.local>;tag=a6c85cf',
    'From: "Alice" <sip:100@pbx.local>;tag=1928301774',
    'Call-ID: a84b4c76e66710@192.0.2.10',
    'CSeq: 314159 INVITE',
    'Contact: <sip:101@192.0.2.4:5060>',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE',
    'Content-Type: application/sdp',
  ], SDP),
  REGISTER: message([
    'REGISTER sip:pbx.local SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnashds7;rport',
    'Max-Forwards: 70',
    'To: <sip:100@pbx.local>',
    'From: <sip:100@pbx.local>;tag=456248',
    'Call-ID: 843817637684230@998sdasdh09',
    'CSeq: 1826 REGISTER',
    'Contact: <sip:100@192.0.2.10:5060>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";reg-id=1',
    'Expires: 600',
    'Authorization: Digest username="100", realm="pbx.local", nonce="AaIhLUdPDkj58H", uri="sip:pbx.local", response="6629fae49393a05397450978507c4ef1", algorithm=MD5, qop=auth, nc=00000001, cnonce="0a4f113b"',
    'User-Agent: DeskPhone/4.2',
  ]),
};

export interface ParserFigure {
  readonly message: string;
  readonly parser: string;
  readonly perSecond: number;
}

/** Runs `fn` for `ms` milliseconds after a warm-up and returns calls per second. */
function rate(fn: () => unknown, ms: number): number {
  for (let i = 0; i < 20_000; i++) fn();
  let n = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < until) {
    for (let i = 0; i < 1000; i++) fn();
    n += 1000;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/**
 * Parses each message with our parser (framing only, and framing plus the checks every received
 * message passes: Via, From, To, Call-ID, CSeq parsed; the latter also with the head scanned in
 * TypeScript, the native head scanner switched off) and with the npm `sip` package, in
 * alternating rounds so that machine noise hits all; reports the median of the rounds.
 */
export function runParserBench(options: { rounds: number; ms: number }): ParserFigure[] {
  const sip = require('sip') as SipPackage;
  const figures: ParserFigure[] = [];
  for (const [name, bytes] of Object.entries(MESSAGES)) {
    const text = bytes.toString('binary');
    const parseAndCheck = (): unknown => {
      const m = parseMessage(bytes);
      return 'isRequest' in m ? checkMessage(m) : m;
    };
    // [run, whether our parser may use the native head scanner]
    const contenders: Record<string, [() => unknown, boolean]> = {
      'softswitch parse': [() => parseMessage(bytes), true],
      'softswitch parse+check': [parseAndCheck, true],
      'softswitch parse+check, TypeScript scan': [parseAndCheck, false],
      'npm sip': [() => sip.parse(text), true],
    };
    const samples: Record<string, number[]> = {};
    for (let r = 0; r < options.rounds; r++) {
      for (const [parser, [fn, native]] of Object.entries(contenders)) {
        if (setNativeScanner(native) !== native) throw new Error(`parser bench: the native head scanner is not built (npm run build:native)`);
        (samples[parser] ??= []).push(rate(fn, options.ms));
      }
      setNativeScanner(true);
    }
    for (const [parser, xs] of Object.entries(samples)) figures.push({ message: name, parser, perSecond: median(xs) });
  }
  return figures;
}
