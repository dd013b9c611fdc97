import { type MediaRelay, type MediaRelayError, intersectCodecs } from '../../media-relay/index.js';
import type { CallMedia, SdpResult } from './call-media.js';

/**
 * The B2BUA's media seam over our own RTP relay: every SDP a phone sees points at the relay,
 * so pickup and device switch can move a side of a call without the other side noticing.
 */
export class RelayMedia implements CallMedia {
  constructor(readonly relay: MediaRelay) {}

  async offer(callId: string, from: string, to: string, sdp: Buffer): Promise<SdpResult> {
    const result = await this.relay.offer(callId, from, sdp.toString('utf8'), { toLegId: to });
    return result.ok ? done(result.sdp) : failure(result.error);
  }

  async answer(callId: string, from: string, _to: string, sdp: Buffer): Promise<SdpResult> {
    const result = await this.relay.answer(callId, from, sdp.toString('utf8'));
    return result.ok ? done(result.sdp) : failure(result.error);
  }

  /**
   * The new phone's offer is answered with what the call already uses (the far side's SDP on
   * this leg's ports), cut down to codecs the new phone offered; none in common gives 488.
   */
  async repoint(callId: string, leg: string, sdp: Buffer): Promise<SdpResult> {
    const offer = sdp.toString('utf8');
    const result = await this.relay.repoint(callId, leg, offer);
    if (!result.ok) return failure(result.error);
    if (result.sdp === undefined) return { ok: false, status: 488, reason: 'No media on the call yet' };
    return answerWithin(offer, result.sdp);
  }

  answerFrom(offer: Buffer, capabilities: Buffer): SdpResult {
    return answerWithin(offer.toString('utf8'), capabilities.toString('utf8'));
  }

  dropLeg(callId: string, leg: string): void {
    this.relay.deleteLeg(callId, leg);
  }

  release(callId: string): void {
    this.relay.delete(callId);
  }
}

/** An SDP answer to `offer` drawn from `capabilities` (RFC 3264 §6: only offered codecs). */
export function answerWithin(offer: string, capabilities: string): SdpResult {
  const answer = intersectCodecs(offer, capabilities);
  if (!answer.ok) return { ok: false, status: 488, reason: 'No common codec' };
  return done(answer.sdp);
}

function done(sdp: string): SdpResult {
  return { ok: true, sdp: Buffer.from(sdp, 'utf8') };
}

function failure(error: MediaRelayError): SdpResult {
  if (error.kind === 'ports-exhausted') return { ok: false, status: 503, reason: 'Media ports exhausted' };
  return { ok: false, status: 488, reason: error.message };
}
