import type { SipRequest } from '../../sip-stack/message/sip-message.js';
import { makeResponse } from '../../sip-stack/message/make-response.js';
import { makeTag } from '../../sip-stack/transaction/random-ids.js';
import type { ServerTransaction } from '../../sip-stack/transaction/server-transaction.js';
import type { MessageSource } from '../../sip-stack/transport/transport-types.js';
import type { Call } from '../b2bua/call.js';
import type { CallRegistry } from '../b2bua/call-registry.js';
import { Leg, type PartyIdentity } from '../b2bua/leg.js';
import { identityAddress } from '../b2bua/leg-messages.js';
import { firstContactUri, sourceTarget } from '../b2bua/inbound-invite.js';
import { sendReInvite } from '../b2bua/reinvite.js';
import type { SdpResult } from '../b2bua/call-media.js';

export interface DeviceSwitchParts {
  readonly registry: CallRegistry;
}

interface ActiveLeg {
  readonly call: Call;
  readonly leg: Leg;
}

/**
 * Device switch, `*5` dialled from another of my phones (DESIGN §4): my most recently answered
 * call moves to this phone. The media relay re-points my side of the call, so the far end gets
 * no signalling at all; the phone I leave gets a BYE.
 */
export class DeviceSwitchFeature {
  constructor(private readonly parts: DeviceSwitchParts) {}

  handle(request: SipRequest, tx: ServerTransaction, user: PartyIdentity): void {
    const active = this.activeLegOf(user.extension, tx.source);
    if (!active) {
      tx.respond(makeResponse(request, 480, { toTag: makeTag(), reason: 'No active call' }));
      return;
    }
    void this.moveTo(active, request, tx, user);
  }

  /** The user's answered leg on another device, most recently answered first. */
  private activeLegOf(extension: string, device: MessageSource): ActiveLeg | undefined {
    let best: ActiveLeg | undefined;
    for (const call of this.parts.registry.all()) {
      if (call.state !== 'answered' || !call.bridge) continue;
      for (const leg of call.bridge) {
        if (leg.identity.extension !== extension || leg.state !== 'answered' || sameDevice(leg, device)) continue;
        if (!best || (leg.answeredAt ?? 0) > (best.leg.answeredAt ?? 0)) best = { call, leg };
      }
    }
    return best;
  }

  private async moveTo({ call, leg: old }: ActiveLeg, request: SipRequest, tx: ServerTransaction, user: PartyIdentity): Promise<void> {
    const far = call.otherSide(old);
    if (!far || request.body.length === 0) {
      return refuse(request, tx, far ? 488 : 480, far ? 'Device switch needs an SDP offer' : 'No active call');
    }
    // The new device takes over the old leg's id, and with it the old leg's media.
    const fresh = new Leg(old.id, 'inbound', request, sourceTarget(tx.source), user, firstContactUri(request), makeTag());
    fresh.inviteTx = tx;
    let media = await call.ctx.media.repoint(call.id, old.id, request.body);
    if (!media.ok && media.status === 488) media = await this.reofferFarEnd(call, old, far, request.body);
    if (!media.ok || call.state !== 'answered' || old.state !== 'answered') {
      return refuse(request, tx, media.ok ? 480 : media.status, media.ok ? 'No active call' : media.reason);
    }
    call.byeLeg(old);
    call.legs.set(fresh.id, fresh);
    call.connect(far, fresh);
    call.answerInbound(fresh, media.sdp, [['P-Asserted-Identity', identityAddress(far.identity, call.ctx.domain)]]);
    call.log.info({ user: user.extension, from: `${old.peer.address}:${old.peer.port}`, to: `${tx.source.address}:${tx.source.port}` }, 'call switched to another device');
  }

  /**
   * The new device cannot take the codec in use: the far end is re-offered the new device's
   * codecs (re-INVITE). If it refuses, the relay goes back to the old device and nothing changed.
   */
  private async reofferFarEnd(call: Call, old: Leg, far: Leg, offer: Buffer): Promise<SdpResult> {
    const toFar = await call.ctx.media.reoffer(call.id, old.id, far.id, offer);
    if (!toFar.ok) return toFar;
    const response = await sendReInvite(call, far, toFar.sdp);
    if (response && response.status < 300 && response.body.length > 0) {
      return call.ctx.media.answer(call.id, far.id, old.id, response.body);
    }
    // §14.1: a refused re-INVITE leaves the far end's session as it was; only the relay moves back.
    const previous = call.ctx.media.phoneSdp(call.id, old.id);
    if (previous) await call.ctx.media.repoint(call.id, old.id, previous);
    return { ok: false, status: 488, reason: 'No codec in common with the call' };
  }
}

function refuse(request: SipRequest, tx: ServerTransaction, status: number, reason: string): void {
  tx.respond(makeResponse(request, status, { toTag: makeTag(), reason }));
}

function sameDevice(leg: Leg, device: MessageSource): boolean {
  return leg.peer.address === device.address && leg.peer.port === device.port && leg.peer.protocol === device.protocol;
}
