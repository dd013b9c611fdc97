import { type SipMessage, SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { checkMessage, parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { SipParseError } from '../../../../sip-stack/parser/sip-parse-error.js';

/** A typical INVITE from a phone (RFC 3665 §3.1 style), with two Via lines and a Route. */
export const INVITE_TEXT = [
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP proxy.atlanta.example.com:5060;branch=z9hG4bK2d4790.1, SIP/2.0/TCP 192.0.2.7;branch=z9hG4bKnashds7',
  'Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101;rport=5060',
  'Max-Forwards: 69',
  'Route: <sip:ss1.example.com;lr>, <sip:ss2.example.com;lr>',
  'From: "Alice" <sip:alice@atlanta.example.com>;tag=9fxced76sl',
  'To: Bob <sip:bob@biloxi.example.com>',
  'Call-ID: 3848276298220188511@atlanta.example.com',
  'CSeq: 1 INVITE',
  'Contact: <sip:alice@client.atlanta.example.com;transport=udp>',
  'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS',
  'Supported: replaces, timer',
  'Timestamp: 54',
  'User-Agent: TestPhone/1.0',
  'Content-Type: application/sdp',
  'Content-Length: 151',
  '',
  'v=0\r\no=alice 2890844526 2890844526 IN IP4 client.atlanta.example.com\r\ns=-\r\nc=IN IP4 192.0.2.101\r\nt=0 0\r\nm=audio 49172 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n',
].join('\r\n');

export const INVITE_BYTES = Buffer.from(INVITE_TEXT);

/** Parses and checks text or bytes; a failure throws, as fixtures must be valid. */
export function parseValid(input: string | Buffer): SipMessage {
  const parsed = parseMessage(typeof input === 'string' ? Buffer.from(input) : input);
  if (parsed instanceof SipParseError) throw new Error(`fixture did not parse: ${parsed.reason}`);
  const error = checkMessage(parsed);
  if (error) throw new Error(`fixture did not check: ${error.reason}`);
  return parsed;
}

export function parseRequest(input: string | Buffer): SipRequest {
  const m = parseValid(input);
  if (!(m instanceof SipRequest)) throw new Error('fixture is not a request');
  return m;
}

export function parseResponse(input: string | Buffer): SipResponse {
  const m = parseValid(input);
  if (!(m instanceof SipResponse)) throw new Error('fixture is not a response');
  return m;
}

/** The parts of a message that must survive serialize/parse: start line, headers in order, body. */
export function shape(m: SipMessage): { startLine: string; headers: Array<[string, string]>; body: string } {
  return {
    startLine: m.startLine(),
    headers: m.headers.map((h) => [h.name, h.value]),
    body: m.body.toString('hex'),
  };
}
