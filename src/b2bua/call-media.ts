/** The outcome of handing an SDP to the media layer. */
export type SdpResult =
  | { readonly ok: true; readonly sdp: Buffer }
  | { readonly ok: false; readonly status: 488 | 503; readonly reason: string };

/**
 * The seam between calls and media (DESIGN §2): the shape of rtpengine's offer/answer/delete.
 * Each call is identified by its id, each side by its leg id. `offer` takes the SDP offer that
 * leg `from` sent and returns the SDP to send on to leg `to`; `answer` likewise for the answer.
 */
export interface CallMedia {
  offer(callId: string, from: string, to: string, sdp: Buffer): Promise<SdpResult>;
  answer(callId: string, from: string, to: string, sdp: Buffer): Promise<SdpResult>;
  /**
   * Leg `leg` is now another device, whose offer is `sdp`: answers it with what the call already
   * uses. If the new device cannot take the codec in use, nothing changes and the result is 488.
   */
  repoint(callId: string, leg: string, sdp: Buffer): Promise<SdpResult>;
  /**
   * Leg `leg` is now another device whose offer does not fit the call: points the leg at it and
   * returns the offer to send to leg `to` (a re-INVITE of the far end).
   */
  reoffer(callId: string, leg: string, to: string, sdp: Buffer): Promise<SdpResult>;
  /** The last SDP sent to the phone on `leg`: what another device of its user is offered. */
  sdpSentTo(callId: string, leg: string): Buffer | undefined;
  /** The last SDP the phone on `leg` sent, to put a leg back after a failed re-offer. */
  phoneSdp(callId: string, leg: string): Buffer | undefined;
  /**
   * Two offers meet (a pickup): an answer to `offer` built from `capabilities`, the SDP the media
   * layer gave for that side, holding only codecs the offer has (RFC 3264 §6).
   */
  answerFrom(offer: Buffer, capabilities: Buffer): SdpResult;
  /** Drops one leg (a branch that lost) without touching the others. */
  dropLeg(callId: string, leg: string): void;
  release(callId: string): void;
}

/** Passes SDP through unchanged: media flows phone to phone (used when no relay is configured). */
export class PassThroughMedia implements CallMedia {
  async offer(_c: string, _f: string, _t: string, sdp: Buffer): Promise<SdpResult> {
    return { ok: true, sdp };
  }
  async answer(_c: string, _f: string, _t: string, sdp: Buffer): Promise<SdpResult> {
    return { ok: true, sdp };
  }
  async repoint(_c: string, _l: string, sdp: Buffer): Promise<SdpResult> {
    return { ok: true, sdp };
  }
  async reoffer(_c: string, _l: string, _t: string, sdp: Buffer): Promise<SdpResult> {
    return { ok: true, sdp };
  }
  phoneSdp(): Buffer | undefined {
    return undefined;
  }
  sdpSentTo(): Buffer | undefined {
    return undefined;
  }
  answerFrom(_offer: Buffer, capabilities: Buffer): SdpResult {
    return { ok: true, sdp: capabilities };
  }
  dropLeg(): void {}
  release(): void {}
}
