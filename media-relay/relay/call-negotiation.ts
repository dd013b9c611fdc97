import type { MediaLineSummary, SdpDescription } from '../sdp/describe-sdp.js';
import { parseSdp } from '../sdp/parse-sdp.js';
import { rewriteSession } from '../sdp/rewrite-sdp.js';
import { SdpError } from '../sdp/sdp-error.js';
import type { SessionDescription } from '../sdp/session-description.js';
import { flattenedText } from './flattened-text.js';
import { failure, type Failure } from './media-relay-error.js';
import { bridgeLegs, type RelayLeg } from './relay-leg.js';
import type { RelayCall, StreamsOutcome } from './relay-call.js';

/** An SDP as received, parsed and summarised. */
export interface ReceivedSdp {
  readonly text: string;
  readonly session: SessionDescription;
  readonly summary: SdpDescription;
}

export type OfferResult =
  | { readonly ok: true; readonly sdp: string; readonly toLegId: string }
  | Failure;

export type AnswerResult =
  | { readonly ok: true; readonly sdp: string; readonly offererLegId: string }
  | Failure;

/** sdp is undefined when the leg has no counterpart description yet. */
export type RepointResult = { readonly ok: true; readonly sdp: string | undefined } | Failure;

/**
 * An offer from leg `fromId`'s phone. Opens ports for both that leg and the leg the offer goes
 * to, takes the offerer's remote addresses, and returns the SDP for the receiving leg: the offer
 * pointing at the receiving leg's own relay ports, under that leg's o= line.
 */
export async function negotiateOffer(call: RelayCall, fromId: string, sdp: ReceivedSdp, toId: string | undefined): Promise<OfferResult> {
  const created: RelayLeg[] = [];
  const from = call.legs.get(fromId) ?? call.addLeg(fromId, created);
  const to = call.targetOf(from, toId, created);
  if (to === from) {
    call.removeLegs(created);
    return failure('invalid-leg', `leg ${fromId} cannot offer to itself`);
  }
  const wanted = sdp.summary.media.map(isRelayed);
  const opened = await call.ensureStreams([from, to], wanted);
  if (opened !== 'ok') {
    call.removeLegs(created);
    return streamsFailure(opened);
  }
  closeUnwanted([from, to], wanted);
  from.takeSdp(sdp.text, sdp.summary, false);
  to.offeredBy = from;
  if (from.peer === to) bridgeLegs(from, to);
  return { ok: true, sdp: flattenedText(rewriteSession(sdp.session, to.endpoints(call.context.advertiseAddress), to.origin)), toLegId: to.id };
}

/**
 * The answer from leg `legId`'s phone to the offer made to it. Bridges it with the offerer
 * (unbridging any branch bridged before), settles rtcp-mux, and returns the SDP for the offerer:
 * the answer pointing at the offerer's own relay ports, under the offerer's o= line.
 */
export async function negotiateAnswer(call: RelayCall, legId: string, sdp: ReceivedSdp): Promise<AnswerResult> {
  const answerer = call.legs.get(legId) ?? call.adoptPlaceholder(legId);
  if (answerer === undefined) return failure('unknown-leg', `no offer went to leg ${legId}`);
  const offerer = answerer.offeredBy ?? answerer.peer;
  const offeredLines = offerer?.rtcpMux;
  if (offerer === undefined || offeredLines === undefined || call.legs.get(offerer.id) !== offerer) {
    return failure('no-pending-offer', `leg ${legId} has no offer to answer`);
  }
  if (sdp.summary.media.length !== offeredLines.length) {
    return failure('malformed-sdp', `answer has ${sdp.summary.media.length} m-lines, the offer had ${offeredLines.length}`);
  }
  const wanted = sdp.summary.media.map((media, index) => isRelayed(media) && offerer.streams[index] !== undefined);
  const opened = await call.ensureStreams([answerer], wanted);
  if (opened !== 'ok') return streamsFailure(opened);
  closeUnwanted([offerer, answerer], wanted);
  answerer.takeSdp(sdp.text, sdp.summary, false);
  answerer.offeredBy = undefined;
  bridgeLegs(offerer, answerer);
  await settleMux(offerer, answerer, sdp.summary);
  if (call.closed) return streamsFailure('closed');
  for (const stream of offerer.streams) stream?.arm();
  call.established = true;
  call.timedOut = false;
  return { ok: true, sdp: flattenedText(rewriteSession(sdp.session, offerer.endpoints(call.context.advertiseAddress), offerer.origin)), offererLegId: offerer.id };
}

/**
 * Another phone takes leg `legId` over (pickup, device switch): the leg's streams keep their
 * ports and their bridge, learn the new phone's addresses and restart their latches, refusing
 * the old phone. The other leg notices nothing. Returns the SDP for the new phone: the other
 * leg's current description pointing at this leg's relay ports.
 */
export async function repointLeg(call: RelayCall, legId: string, sdp: ReceivedSdp): Promise<RepointResult> {
  const leg = call.legs.get(legId);
  if (leg === undefined) return failure('unknown-leg', `call ${call.id} has no leg ${legId}`);
  leg.takeSdp(sdp.text, sdp.summary, true);
  const other = leg.peer ?? leg.offeredBy;
  await Promise.all(leg.streams.map((stream, index) => {
    const muxed = sdp.summary.media[index]?.rtcpMux === true && other?.rtcpMux?.[index] === true;
    return stream?.setMuxed(muxed);
  }));
  if (call.closed) return streamsFailure('closed');
  call.timedOut = false;
  const session = other?.sdp === undefined ? undefined : parseSdp(other.sdp);
  if (session === undefined || session instanceof SdpError) return { ok: true, sdp: undefined };
  return { ok: true, sdp: flattenedText(rewriteSession(session, leg.endpoints(call.context.advertiseAddress), leg.origin)) };
}

/** RFC 5761 §5.1.1: mux is in use only when both offer and answer carry a=rtcp-mux. */
async function settleMux(offerer: RelayLeg, answerer: RelayLeg, answer: SdpDescription): Promise<void> {
  const jobs = answer.media.flatMap((media, index) => {
    const offeredMux = offerer.rtcpMux?.[index] === true;
    return [
      answerer.streams[index]?.setMuxed(media.rtcpMux),
      offerer.streams[index]?.setMuxed(media.rtcpMux && offeredMux),
    ];
  });
  await Promise.all(jobs);
}

function isRelayed(media: MediaLineSummary): boolean {
  return !media.rejected && media.relayable;
}

/** A stream declined (port 0) or not relayable loses its ports on both legs. */
function closeUnwanted(legs: readonly RelayLeg[], wanted: readonly boolean[]): void {
  for (const leg of legs) {
    for (let index = 0; index < leg.streams.length; index++) if (wanted[index] !== true) leg.closeStream(index);
  }
}

function streamsFailure(outcome: Exclude<StreamsOutcome, 'ok'>): Failure {
  return outcome === 'exhausted'
    ? failure('ports-exhausted', 'no free relay port pair')
    : failure('call-deleted', 'the call was deleted meanwhile');
}
