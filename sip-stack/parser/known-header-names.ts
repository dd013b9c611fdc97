import { headerKey } from '../message/header-name.js';

/**
 * The header names phones and proxies send, in their usual spelling, bucketed by length. The
 * parser compares the wire bytes against these in place, so the common headers cost neither a
 * substring nor a hash lookup; anything else falls back to headerKey().
 */
const SPELLINGS = [
  'Via', 'From', 'To', 'Call-ID', 'Call-Id', 'CSeq', 'Contact', 'Max-Forwards', 'Content-Length',
  'Content-Type', 'Route', 'Record-Route', 'Allow', 'Supported', 'User-Agent', 'Expires', 'Authorization',
  'Proxy-Authorization', 'WWW-Authenticate', 'Proxy-Authenticate', 'Require', 'Proxy-Require', 'Server',
  'Accept', 'Date', 'Subject', 'Event', 'Min-Expires', 'Session-Expires', 'Min-SE', 'P-Asserted-Identity',
  'Reason', 'Unsupported', 'Allow-Events', 'Organization', 'Warning', 'Retry-After', 'Privacy',
  'Remote-Party-ID', 'RSeq', 'RAck', 'Path', 'Refer-To', 'Referred-By', 'Replaces', 'Subscription-State',
  'v', 'f', 't', 'i', 'm', 'l', 'c', 'k', 's', 'e', 'o', 'r', 'u', 'x', 'y', 'b', 'a', 'd', 'j',
];

export interface KnownName {
  readonly name: string;
  readonly key: string;
}

const BY_LENGTH: KnownName[][] = [];
for (const name of SPELLINGS) {
  (BY_LENGTH[name.length] ??= []).push({ name, key: headerKey(name) });
}

/** The known spelling occupying text[start, end), or undefined. */
export function matchKnownName(text: string, start: number, end: number): KnownName | undefined {
  const bucket = BY_LENGTH[end - start];
  if (bucket === undefined) return undefined;
  for (const known of bucket) if (text.startsWith(known.name, start)) return known;
  return undefined;
}
