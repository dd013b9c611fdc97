import type { SipRequest, SipResponse } from '../message/sip-message.js';
import { type Via, hasMagicCookie } from '../message/via.js';

/**
 * Transaction matching. Keys are strings so that a lookup is one Map access. None of the parts
 * (branch, host, method, Call-ID, tag, Request-URI) can contain a space, so a space separates
 * them without ambiguity. Keys are joined rather than concatenated: a join is one flat string
 * of its own, while a concatenation is a rope over slices of the message's text, which a map
 * key would keep alive for as long as the transaction lasts (up to 64*T1).
 */

/** The ACK for a non-2xx belongs to the INVITE transaction (§17.1.1.3, §17.2.3). */
function transactionMethod(method: string): string {
  return method === 'ACK' ? 'INVITE' : method;
}

/** §17.1.3: a client transaction is named by its top Via branch and its method; CANCEL is its own. */
export function clientTransactionKey(branch: string, method: string): string {
  return [branch, transactionMethod(method)].join(' ');
}

/** The key of the client transaction a request (with its top Via in place) creates. */
export function clientKeyOfRequest(request: SipRequest): string | undefined {
  const branch = request.vias[0]?.branch;
  return branch === undefined ? undefined : clientTransactionKey(branch, request.method);
}

/** §17.1.3: a response matches by the branch of its top Via and the method of its CSeq. */
export function clientKeyOfResponse(response: SipResponse): string | undefined {
  const branch = response.vias[0]?.branch;
  return branch === undefined ? undefined : clientTransactionKey(branch, response.cseq.method);
}

/**
 * §17.2.3: the key of the server transaction a request belongs to. With a magic-cookie branch:
 * branch, sent-by and method (ACK counting as INVITE). Without one (RFC 2543 peers): Request-URI,
 * From tag, Call-ID, CSeq number, method and top Via; the To tag is then checked separately by
 * legacyToTagMatches, because an ACK carries the tag of our response rather than the INVITE's.
 * `method` overrides the request's own, for a CANCEL looking for its INVITE (§9.2).
 */
export function serverTransactionKey(request: SipRequest, method = request.method): string | undefined {
  const via = request.vias[0];
  if (via === undefined) return undefined;
  const m = transactionMethod(method);
  if (hasMagicCookie(via.branch)) return [via.branch, sentBy(via), m].join(' ');
  // Request-URIs are compared as text: retransmissions, ACKs and CANCELs copy it (§17.1.1.3, §9.1).
  return ['2543', request.uri, request.fromTag ?? '', request.callId, request.cseq.seq, m, legacyVia(via)].join(' ');
}

/** §9.2: the INVITE server transaction a CANCEL refers to has the CANCEL's key with method INVITE. */
export function cancelledInviteKey(cancel: SipRequest): string | undefined {
  return serverTransactionKey(cancel, 'INVITE');
}

/** True when the request's top Via branch lacks the magic cookie: RFC 2543 matching applies. */
export function usesLegacyMatching(request: SipRequest): boolean {
  return !hasMagicCookie(request.vias[0]?.branch);
}

/** What legacyToTagMatches needs of a server transaction, which no longer holds its messages. */
export interface LegacyMatchable {
  /** The To tag of the request that created the transaction. */
  readonly legacyToTag: string | undefined;
  /** The To tag of the last response sent; absent on non-INVITE transactions, which no ACK matches. */
  readonly lastToTag?: string | undefined;
}

/**
 * §17.2.3 for RFC 2543 peers: an ACK matches when its To tag is the one of the response the
 * transaction sent; any other request (retransmission, CANCEL) when it has the original's To tag.
 */
export function legacyToTagMatches(request: SipRequest, tx: LegacyMatchable): boolean {
  const expected = request.method === 'ACK' ? tx.lastToTag : tx.legacyToTag;
  return request.toTag === expected;
}

function sentBy(via: Via): string {
  return `${via.host.toLowerCase()}:${via.port ?? defaultPort(via.transport)}`;
}

/** §19.1.2: the port a sent-by without one means: 5060, or 5061 over TLS. */
const DEFAULT_PORT = 5060;
const DEFAULT_TLS_PORT = 5061;

function defaultPort(transport: string): number {
  return transport === 'TLS' || transport === 'WSS' ? DEFAULT_TLS_PORT : DEFAULT_PORT;
}

function legacyVia(via: Via): string {
  return `${via.transport}/${sentBy(via)}/${via.branch ?? ''}`;
}
