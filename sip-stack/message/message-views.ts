import { SipParseError } from '../parser/sip-parse-error.js';
import { isDigit } from '../parser/char-codes.js';
import { type CSeq, parseCSeq } from './cseq.js';
import { type NameAddr, parseNameAddr } from './name-addr.js';
import { type Via, parseVia } from './via.js';

/** Contact values, or '*' for the wildcard of §10.2.2. */
export type ContactList = NameAddr[] | '*';

/** What a view parser reads from a message, by header key. */
export interface HeaderSource {
  firstValue(key: string): string | undefined;
  listValues(key: string): string[] | SipParseError;
}

/** The typed views of a message (SipMessage.check), by key, and their parsers. */
export interface ViewTypes {
  via: Via[];
  from: NameAddr;
  to: NameAddr;
  'call-id': string;
  cseq: CSeq;
  contact: ContactList;
  route: NameAddr[];
  'record-route': NameAddr[];
  'max-forwards': number | undefined;
}

export type ViewKey = keyof ViewTypes;

export const VIEW_PARSERS: { [K in ViewKey]: (m: HeaderSource) => ViewTypes[K] | SipParseError } = {
  via: (m) => parseAll(m.listValues('via'), parseVia),
  from: (m) => requireHeader(m.firstValue('from'), 'From', parseNameAddr),
  to: (m) => requireHeader(m.firstValue('to'), 'To', parseNameAddr),
  'call-id': (m) => requireHeader(m.firstValue('call-id'), 'Call-ID', parseCallId),
  cseq: (m) => requireHeader(m.firstValue('cseq'), 'CSeq', parseCSeq),
  contact: (m) => parseContacts(m.listValues('contact')),
  route: (m) => parseAll(m.listValues('route'), parseNameAddr),
  'record-route': (m) => parseAll(m.listValues('record-route'), parseNameAddr),
  'max-forwards': (m) => {
    const v = m.firstValue('max-forwards');
    return v === undefined ? undefined : parseMaxForwards(v);
  },
};

function parseContacts(values: string[] | SipParseError): ContactList | SipParseError {
  if (values instanceof SipParseError) return values;
  if (values.length === 1 && values[0] === '*') return '*';
  return parseAll(values, parseNameAddr);
}

/** Call-ID = word [ "@" word ] (§25.1): no whitespace inside. */
function parseCallId(v: string): string | SipParseError {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c <= 32 || c === 127) return new SipParseError('Malformed Call-ID');
  }
  return v;
}

function parseAll<T>(values: string[] | SipParseError, parse: (v: string) => T | SipParseError): T[] | SipParseError {
  if (values instanceof SipParseError) return values;
  const out: T[] = [];
  for (const v of values) {
    const parsed = parse(v);
    if (parsed instanceof SipParseError) return parsed;
    out.push(parsed);
  }
  return out;
}

function requireHeader<T>(value: string | undefined, name: string, parse: (v: string) => T | SipParseError): T | SipParseError {
  if (value === undefined || value.length === 0) return new SipParseError(`Missing ${name} header`);
  const parsed = parse(value);
  return parsed instanceof SipParseError ? new SipParseError(`Malformed ${name}: ${parsed.reason}`) : parsed;
}

/** §20.22: an integer in the range 0-255 (leading zeros allowed: "0068" is 68). */
function parseMaxForwards(v: string): number | SipParseError {
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!isDigit(c)) return new SipParseError('Malformed Max-Forwards');
    n = n * 10 + c - 48;
    if (n > 255) return new SipParseError('Max-Forwards out of range');
  }
  return v.length === 0 ? new SipParseError('Malformed Max-Forwards') : n;
}
