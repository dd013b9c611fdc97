import type { SipRequest } from '../../sip-stack/message/sip-message.js';
import { makeResponse } from '../../sip-stack/message/make-response.js';
import { makeTag } from '../../sip-stack/transaction/random-ids.js';
import { formatUri } from '../../sip-stack/message/sip-uri.js';
import type { ServerTransaction } from '../../sip-stack/transaction/server-transaction.js';
import type { MessageSource, SendTarget } from '../../sip-stack/transport/transport-types.js';
import { Leg, type PartyIdentity } from './leg.js';

/** Where requests to a phone go: back where its messages come from (its flow over TCP). */
export function sourceTarget(source: MessageSource): SendTarget {
  return { protocol: source.protocol, address: source.address, port: source.port, flowId: source.flowId };
}

/** The caller's side of a new call: the INVITE we received, with our tag for its dialog. */
export function inboundLeg(request: SipRequest, tx: ServerTransaction, identity: PartyIdentity): Leg {
  const contact = firstContactUri(request);
  const leg = new Leg('a', 'inbound', request, sourceTarget(tx.source), identity, contact, makeTag());
  leg.inviteTx = tx;
  return leg;
}

/** The phone's Contact URI, for the admin API ('' when it sent none or a malformed one). */
export function firstContactUri(request: SipRequest): string {
  if (request.check('contact')) return '';
  const contacts = request.contacts;
  const first = contacts === '*' ? undefined : contacts[0];
  return first ? formatUri(first.uri) : '';
}

const ACCEPTED_BODY_TYPES = new Set(['application/sdp']);

/**
 * Checks of a new INVITE before it is routed: §8.2.3 body type (415 with Accept), RFC 4475
 * §3.3.15 an Accept that excludes SDP (406), §16.3 Max-Forwards exhausted (483).
 */
export function checkInvite(request: SipRequest, tx: ServerTransaction): boolean {
  const type = request.contentType?.split(';')[0]?.trim().toLowerCase();
  if (request.body.length > 0 && (type === undefined || !ACCEPTED_BODY_TYPES.has(type))) {
    tx.respond(makeResponse(request, 415, { toTag: makeTag(), headers: [['Accept', 'application/sdp']] }));
    return false;
  }
  const accept = request.get('Accept');
  if (accept !== undefined && !/application\/sdp|application\/\*|\*\/\*/i.test(accept)) {
    tx.respond(makeResponse(request, 406, { toTag: makeTag(), headers: [['Warning', '399 softswitch "SDP is required"']] }));
    return false;
  }
  if (!request.check('max-forwards') && request.maxForwards === 0) {
    tx.respond(makeResponse(request, 483, { toTag: makeTag() }));
    return false;
  }
  return true;
}
