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

/** Buckets by length and first char code, so that a line is compared against one or two names. */
const MAX_LENGTH = 32;
const BUCKETS: Array<KnownName[] | undefined> = new Array<KnownName[] | undefined>(MAX_LENGTH * 128).fill(undefined);
for (const name of SPELLINGS) {
  (BUCKETS[bucketOf(name.length, name.charCodeAt(0))] ??= []).push({ name, key: headerKey(name) });
}

function bucketOf(length: number, first: number): number {
  return length * 128 + first;
}

/** The known spelling occupying text[start, end), or undefined. */
export function matchKnownName(text: string, start: number, end: number): KnownName | undefined {
  const length = end - start;
  const first = text.charCodeAt(start);
  if (length >= MAX_LENGTH || first >= 128) return undefined;
  const bucket = BUCKETS[bucketOf(length, first)];
  if (bucket === undefined) return undefined;
  for (const known of bucket) if (text.startsWith(known.name, start)) return known;
  return undefined;
}
