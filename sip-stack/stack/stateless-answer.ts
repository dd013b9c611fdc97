import { type SipRequest, type SipResponse } from '../message/sip-message.js';
import { makeResponse } from '../message/make-response.js';
import { type SipParseError } from '../parser/sip-parse-error.js';
import { checkMessage, isSupportedVersion } from '../parser/message-parser.js';
import { splitHeaderList } from '../message/header-list.js';
import { makeTag } from '../transaction/random-ids.js';

/** What the application supports, for the answers the stack gives on its behalf. */
export interface StackCapabilities {
  /** Methods the application handles; others get 501 with Allow (§8.2.1). */
  readonly methods: ReadonlySet<string>;
  /** Option tags we support; an unknown one in Require gets 420 (§8.2.2.3). */
  readonly optionTags: ReadonlySet<string>;
  /** Request-URI schemes we accept; others get 416 (§8.2.2.1). */
  readonly schemes: ReadonlySet<string>;
}

/** The outcome of the stateless checks on a received request. */
export type RequestVerdict =
  | { readonly kind: 'accept' }
  /** `toSource`: the Via is unreadable, so the answer goes to where the request came from. */
  | { readonly kind: 'reject'; readonly response: SipResponse; readonly toSource?: boolean }
  | { readonly kind: 'drop'; readonly reason: string };

/**
 * Checks a received request can judge alone, in the order of RFC 3261 §8.2: version (505),
 * syntax (400), method (501), URI scheme (416), Require (420). ACK is never answered (§17.1.1.3).
 */
export function judgeRequest(request: SipRequest, caps: StackCapabilities): RequestVerdict {
  const syntax = checkMessage(request);
  if (syntax) return rejectMalformed(request, syntax);
  if (!isSupportedVersion(request)) return reject(request, 505);
  if (!caps.methods.has(request.method)) {
    return reject(request, 501, [['Allow', [...caps.methods].join(', ')]]);
  }
  const uri = request.requestUri;
  if (!('scheme' in uri) || !caps.schemes.has(uri.scheme)) return reject(request, 416);
  const unsupported = unsupportedRequire(request, caps.optionTags);
  if (unsupported.length > 0) return reject(request, 420, [['Unsupported', unsupported.join(', ')]]);
  return { kind: 'accept' };
}

/** §8.2.2.3: ACK and CANCEL are exempt; Proxy-Require is a proxy's concern, not a UAS's. */
function unsupportedRequire(request: SipRequest, supported: ReadonlySet<string>): string[] {
  if (request.method === 'ACK' || request.method === 'CANCEL') return [];
  const out: string[] = [];
  for (const line of request.getAll('Require')) {
    const tags = splitHeaderList(line);
    if (!Array.isArray(tags)) continue;
    for (const tag of tags) if (!supported.has(tag.toLowerCase())) out.push(tag);
  }
  return out;
}

/**
 * A malformed request gets 400 with the defect as reason phrase (RFC 4475 §3.1.2.1). If its Via
 * is what is malformed, §18.2.2 has nothing to route on, so the answer goes back to the source.
 * An ACK is never answered.
 */
export function rejectMalformed(request: SipRequest, error: SipParseError): RequestVerdict {
  if (request.method === 'ACK') return { kind: 'drop', reason: error.reason };
  const verdict = reject(request, error.status, [], sanitizeReason(error.reason));
  const viaUnreadable = request.check('via') !== undefined || request.vias.length === 0;
  return viaUnreadable && verdict.kind === 'reject' ? { ...verdict, toSource: true } : verdict;
}

function reject(
  request: SipRequest, status: number, headers: Array<readonly [string, string]> = [], reason?: string,
): RequestVerdict {
  if (request.method === 'ACK') return { kind: 'drop', reason: `would answer ${status} to an ACK` };
  const options = reason === undefined ? { headers } : { headers, reason };
  const toTag = request.check('to') ? undefined : makeTag();
  const response = makeResponse(request, status, toTag === undefined ? options : { ...options, toTag });
  return { kind: 'reject', response };
}

/** A reason phrase must be printable text without line ends (§25.1 Reason-Phrase). */
function sanitizeReason(reason: string): string {
  let out = '';
  for (let i = 0; i < reason.length && out.length < 100; i++) {
    const c = reason.charCodeAt(i);
    out += c < 32 || c === 127 ? ' ' : reason[i];
  }
  return out;
}
