/**
 * A small, forgiving reader of raw SIP text, for tests that inspect what a phone sent or
 * received. Deliberately independent of both sip.js and our own sip-stack parser: the test
 * phone must not share code (or bugs) with the switch it tests.
 */

/** RFC 3261 §7.3.3 compact forms, plus the RFC 3515/4028/3841/3892 ones in common use. */
const COMPACT_FORMS: Readonly<Record<string, string>> = {
  i: 'call-id', m: 'contact', f: 'from', t: 'to', v: 'via', l: 'content-length',
  c: 'content-type', k: 'supported', s: 'subject', e: 'content-encoding', o: 'event',
  r: 'refer-to', u: 'allow-events', x: 'session-expires', y: 'identity', b: 'referred-by',
  a: 'accept-contact', d: 'request-disposition', j: 'reject-contact',
};

export interface SipHeaderLine {
  readonly name: string;
  readonly value: string;
}

export class SipText {
  readonly startLine: string;
  /** Request method, or undefined for a response. */
  readonly method: string | undefined;
  /** Response status code, or undefined for a request. */
  readonly status: number | undefined;
  readonly reasonPhrase: string | undefined;
  readonly requestUri: string | undefined;
  readonly headers: readonly SipHeaderLine[];
  readonly body: string;

  constructor(readonly raw: string) {
    const split = raw.indexOf('\r\n\r\n');
    const head = split < 0 ? raw : raw.slice(0, split);
    this.body = split < 0 ? '' : raw.slice(split + 4);
    const lines = unfold(head.split(/\r?\n/));
    this.startLine = lines[0] ?? '';
    this.headers = lines.slice(1).map(parseHeaderLine).filter((h): h is SipHeaderLine => h !== undefined);
    const response = /^SIP\/2\.0\s+(\d{3})\s*(.*)$/.exec(this.startLine);
    const request = /^([A-Za-z]+)\s+(\S+)\s+SIP\/2\.0$/.exec(this.startLine);
    this.status = response?.[1] === undefined ? undefined : Number(response[1]);
    this.reasonPhrase = response?.[2];
    this.method = request?.[1]?.toUpperCase();
    this.requestUri = request?.[2];
  }

  get isRequest(): boolean {
    return this.method !== undefined;
  }

  /** First value of a header (long or compact name, any case), or undefined. */
  header(name: string): string | undefined {
    return this.headerAll(name)[0];
  }

  /**
   * All values of a header in order; comma-separated values on one line stay one entry
   * (splitting is header specific, and tests rarely need it).
   */
  headerAll(name: string): string[] {
    const wanted = canonicalName(name);
    return this.headers.filter((h) => canonicalName(h.name) === wanted).map((h) => h.value);
  }

  get callId(): string | undefined {
    return this.header('call-id');
  }

  /** CSeq number and method, e.g. { seq: 2, method: 'INVITE' }. */
  get cseq(): { seq: number; method: string } | undefined {
    const match = /^\s*(\d+)\s+(\S+)/.exec(this.header('cseq') ?? '');
    if (match?.[1] === undefined || match[2] === undefined) return undefined;
    return { seq: Number(match[1]), method: match[2].toUpperCase() };
  }
}

function canonicalName(name: string): string {
  const lower = name.trim().toLowerCase();
  return COMPACT_FORMS[lower] ?? lower;
}

/** Join continuation lines (leading whitespace) onto the header they continue. */
function unfold(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const last = out.length - 1;
    if (/^[ \t]/.test(line) && last > 0) out[last] = `${out[last] ?? ''} ${line.trim()}`;
    else out.push(line);
  }
  return out;
}

function parseHeaderLine(line: string): SipHeaderLine | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0) return undefined;
  return { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
}
