import type { SipRequest, SipResponse } from '../../sip-stack/message/sip-message.js';
import { makeResponse } from '../../sip-stack/message/make-response.js';
import type { ServerTransaction } from '../../sip-stack/transaction/server-transaction.js';
import { type Call, IGNORE_RESPONSES } from './call.js';
import type { Leg } from './leg.js';
import { passThroughHeaders } from './header-policy.js';
import type { SdpResult } from './call-media.js';

/**
 * In-dialog requests of an answered call, mapped from one leg to the other: each leg keeps its
 * own tags, CSeq and Contact, and the SDP goes through the media layer on the way (RFC 3261
 * §12.2, §14 re-INVITE, RFC 3311 UPDATE, RFC 6086 INFO).
 */
export function relayInDialog(call: Call, leg: Leg, request: SipRequest, tx: ServerTransaction): void {
  if (leg.dialog?.receiveRequest(request) === 'out-of-order') {
    tx.respond(makeResponse(request, 500, { reason: 'CSeq out of order' }));
    return;
  }
  if (request.method === 'BYE') return hangUp(call, leg, request, tx);
  const other = call.otherSide(leg);
  if (!other?.dialog || call.state !== 'answered') {
    tx.respond(makeResponse(request, 481));
    return;
  }
  if (request.method === 'INVITE') return void reInvite(call, leg, other, request, tx);
  if (request.method === 'INFO' && call.ctx.interceptInfo?.(call, leg, request)) {
    tx.respond(makeResponse(request, 200));
    return;
  }
  void forward(call, leg, other, request, tx);
}

/** BYE from one side: answered at once, passed on as a BYE to the other side (§15.1.2). */
function hangUp(call: Call, leg: Leg, request: SipRequest, tx: ServerTransaction): void {
  tx.respond(makeResponse(request, 200));
  leg.state = 'ended';
  leg.twoXx?.dispose();
  call.end(`BYE from leg ${leg.id}`);
}

/** §14.1: a re-INVITE while another is pending on the leg gets 491 Request Pending. */
async function reInvite(call: Call, leg: Leg, other: Leg, request: SipRequest, tx: ServerTransaction): Promise<void> {
  if (leg.reinviteInProgress || other.reinviteInProgress) {
    tx.respond(makeResponse(request, 491));
    return;
  }
  leg.reinviteInProgress = other.reinviteInProgress = true;
  const done = (): void => {
    leg.reinviteInProgress = other.reinviteInProgress = false;
  };
  const offer = request.body.length > 0 ? await call.ctx.media.offer(call.id, leg.id, other.id, request.body) : undefined;
  if (offer && !offer.ok) {
    done();
    tx.respond(makeResponse(request, offer.status, { reason: offer.reason }));
    return;
  }
  const outbound = buildForwarded(call, other, request, offer);
  call.ctx.signalling.sendRequest(outbound, other.peer, {
    receiveResponse: (response) => {
      if (response.status < 200) return;
      done();
      void onReInviteFinal(call, leg, other, request, tx, outbound, response);
    },
    onTimeout: () => { done(); tx.respond(makeResponse(request, 408)); call.end('re-INVITE timed out'); },
    onTransportError: () => { done(); tx.respond(makeResponse(request, 503)); call.end('peer unreachable'); },
  });
}

async function onReInviteFinal(
  call: Call, leg: Leg, other: Leg, request: SipRequest, tx: ServerTransaction, outbound: SipRequest, response: SipResponse,
): Promise<void> {
  if (response.status >= 300) {
    tx.respond(mapResponse(request, response, undefined));
    return;
  }
  other.dialog?.receiveRefreshResponse(response);
  const hadOffer = outbound.body.length > 0;
  const media = response.body.length === 0 ? undefined : hadOffer
    ? await call.ctx.media.answer(call.id, other.id, leg.id, response.body)
    : await call.ctx.media.offer(call.id, other.id, leg.id, response.body);
  const ack = (sdp?: Buffer): void => {
    const sent = other.makeAck(outbound.cseq.seq, sdp);
    if (sent) call.ctx.signalling.sendAck(sent, other.peer);
  };
  if (hadOffer || !media) ack();
  else leg.awaitingAckSdp = (sdp) => void call.ctx.media.answer(call.id, leg.id, other.id, sdp).then((r) => ack(r.ok ? r.sdp : undefined));
  const reply = mapResponse(request, response, media);
  reply.set('Contact', `<${call.ctx.signalling.contactUri(leg.peer.protocol)}>`);
  call.sendInvite2xx(leg, request, reply, (r) => tx.respond(r));
}

/** UPDATE, INFO, OPTIONS, MESSAGE...: passed to the other side, the answer mapped back. */
async function forward(call: Call, leg: Leg, other: Leg, request: SipRequest, tx: ServerTransaction): Promise<void> {
  const isOffer = request.method === 'UPDATE' && request.body.length > 0;
  const offer = isOffer ? await call.ctx.media.offer(call.id, leg.id, other.id, request.body) : undefined;
  if (offer && !offer.ok) {
    tx.respond(makeResponse(request, offer.status, { reason: offer.reason }));
    return;
  }
  const outbound = buildForwarded(call, other, request, offer);
  call.ctx.signalling.sendRequest(outbound, other.peer, {
    receiveResponse: (response) => {
      if (response.status < 200) return;
      void mapFinal(call, leg, other, request, tx, isOffer, response);
    },
    onTimeout: () => tx.respond(makeResponse(request, 408)),
    onTransportError: () => tx.respond(makeResponse(request, 503)),
  });
}

async function mapFinal(
  call: Call, leg: Leg, other: Leg, request: SipRequest, tx: ServerTransaction, isOffer: boolean, response: SipResponse,
): Promise<void> {
  const media = isOffer && response.status < 300 && response.body.length > 0
    ? await call.ctx.media.answer(call.id, other.id, leg.id, response.body)
    : undefined;
  const reply = mapResponse(request, response, media);
  if (request.method === 'UPDATE' && response.status < 300) {
    reply.set('Contact', `<${call.ctx.signalling.contactUri(leg.peer.protocol)}>`);
  }
  tx.respond(reply);
}

/** Sends a request that was already answered (a held-back INFO) on to the other side. */
export function forwardAnswered(call: Call, leg: Leg, request: SipRequest): void {
  const other = call.otherSide(leg);
  if (!other?.dialog || call.state !== 'answered') return;
  call.ctx.signalling.sendRequest(buildForwarded(call, other, request, undefined), other.peer, IGNORE_RESPONSES);
}

function buildForwarded(call: Call, other: Leg, request: SipRequest, sdp: SdpResult | undefined): SipRequest {
  const headers = passThroughHeaders(request);
  if (request.method === 'INVITE' || request.method === 'UPDATE') {
    headers.push(['Contact', `<${call.ctx.signalling.contactUri(other.peer.protocol)}>`]);
  }
  const body = sdp?.ok ? sdp.sdp : request.body;
  const contentType = request.contentType;
  return (other.dialog as NonNullable<Leg['dialog']>).createRequest(request.method, {
    headers,
    body,
    ...(contentType !== undefined && body.length > 0 ? { contentType } : {}),
  });
}

function mapResponse(request: SipRequest, response: SipResponse, sdp: SdpResult | undefined): SipResponse {
  const body = sdp?.ok ? sdp.sdp : response.body;
  const contentType = response.contentType;
  return makeResponse(request, response.status, {
    reason: response.reason,
    headers: passThroughHeaders(response),
    body,
    ...(contentType !== undefined && body.length > 0 ? { contentType } : {}),
  });
}

/** The ACK for a 2xx we sent on `leg`: stops retransmission; a late-offer answer goes on. */
export function receiveAck(leg: Leg, ack: SipRequest): void {
  leg.twoXx?.acknowledged();
  leg.twoXx = undefined;
  const pending = leg.awaitingAckSdp;
  if (pending && ack.body.length > 0) {
    leg.awaitingAckSdp = undefined;
    pending(ack.body);
  }
}
