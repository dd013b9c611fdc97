import { type MediaRelay, type MediaRelayError, intersectCodecs } from '../../media-relay/index.js';
import type { CallMedia, SdpResult } from './call-media.js';

/** What the adapter remembers of a call's SDP, for moving a side to another phone. */
interface CallSdp {
  /** The last SDP each phone sent, by leg. */
  readonly fromPhone: Map<string, string>;
  /** The last answer a phone gave: its codecs are the ones the call uses. */
  lastAnswer: string | undefined;
  /** The last SDP sent to each leg's phone (pointing at that leg's relay ports). */
  readonly toPhone: Map<string, string>;
}

/**
 * The B2BUA's media seam over our own RTP relay: every SDP a phone sees points at the relay,
 * so pickup and device switch can move a side of a call without the other side noticing.
 */
export class RelayMedia implements CallMedia {
  private readonly calls = new Map<string, CallSdp>();

  constructor(readonly relay: MediaRelay) {}

  async offer(callId: string, from: string, to: string, sdp: Buffer): Promise<SdpResult> {
    const text = this.remember(callId, from, sdp);
    const result = await this.relay.offer(callId, from, text, { toLegId: to });
    return result.ok ? this.sent(callId, to, result.sdp) : failure(result.error);
  }

  async answer(callId: string, from: string, to: string, sdp: Buffer): Promise<SdpResult> {
    const text = this.remember(callId, from, sdp);
    this.sdpOf(callId).lastAnswer = text;
    const result = await this.relay.answer(callId, from, text);
    return result.ok ? this.sent(callId, to, result.sdp) : failure(result.error);
  }

  /**
   * The new phone's offer is answered with what the call already uses (the far side's SDP on
   * this leg's ports); if the offer lacks the codec in use, nothing is touched (488).
   */
  async repoint(callId: string, leg: string, sdp: Buffer): Promise<SdpResult> {
    const offer = sdp.toString('utf8');
    const inUse = this.calls.get(callId)?.lastAnswer;
    if (inUse !== undefined && !intersectCodecs(offer, inUse).ok) {
      return { ok: false, status: 488, reason: 'Codec in use not offered' };
    }
    const result = await this.relay.repoint(callId, leg, offer);
    if (!result.ok) return failure(result.error);
    if (result.sdp === undefined) return { ok: false, status: 488, reason: 'No media on the call yet' };
    this.remember(callId, leg, sdp);
    return answerWithin(offer, result.sdp);
  }

  async reoffer(callId: string, leg: string, to: string, sdp: Buffer): Promise<SdpResult> {
    const text = sdp.toString('utf8');
    const moved = await this.relay.repoint(callId, leg, text);
    if (!moved.ok) return failure(moved.error);
    return this.offer(callId, leg, to, sdp);
  }

  sdpSentTo(callId: string, leg: string): Buffer | undefined {
    const sdp = this.calls.get(callId)?.toPhone.get(leg);
    return sdp === undefined ? undefined : Buffer.from(sdp, 'utf8');
  }

  phoneSdp(callId: string, leg: string): Buffer | undefined {
    const sdp = this.calls.get(callId)?.fromPhone.get(leg);
    return sdp === undefined ? undefined : Buffer.from(sdp, 'utf8');
  }

  answerFrom(offer: Buffer, capabilities: Buffer): SdpResult {
    return answerWithin(offer.toString('utf8'), capabilities.toString('utf8'));
  }

  dropLeg(callId: string, leg: string): void {
    this.calls.get(callId)?.fromPhone.delete(leg);
    this.relay.deleteLeg(callId, leg);
  }

  release(callId: string): void {
    this.calls.delete(callId);
    this.relay.delete(callId);
  }

  private sdpOf(callId: string): CallSdp {
    let sdp = this.calls.get(callId);
    if (!sdp) this.calls.set(callId, (sdp = { fromPhone: new Map(), lastAnswer: undefined, toPhone: new Map() }));
    return sdp;
  }

  private sent(callId: string, leg: string, sdp: string): SdpResult {
    this.sdpOf(callId).toPhone.set(leg, sdp);
    return done(sdp);
  }

  private remember(callId: string, leg: string, sdp: Buffer): string {
    const text = sdp.toString('utf8');
    this.sdpOf(callId).fromPhone.set(leg, text);
    return text;
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
