import type { SipRequest } from '../../sip-stack/message/sip-message.js';
import { makeResponse } from '../../sip-stack/message/make-response.js';
import { makeTag } from '../../sip-stack/transaction/random-ids.js';
import type { ServerTransaction } from '../../sip-stack/transaction/server-transaction.js';
import type { Call } from '../b2bua/call.js';
import type { CallRegistry } from '../b2bua/call-registry.js';
import { Leg, type PartyIdentity } from '../b2bua/leg.js';
import { identityAddress } from '../b2bua/leg-messages.js';
import { firstContactUri, sourceTarget } from '../b2bua/inbound-invite.js';
import type { Config } from '../config/config-schema.js';
import type { UserDirectory } from '../directory/user-directory.js';
import type { Destination } from '../dialplan/dialplan.js';
import { type PickableCall, type PickupPolicy, type PickupRequest, choosePickup, eligibleCalls } from './pickup-eligibility.js';

export interface PickupParts {
  readonly registry: CallRegistry;
  readonly directory: () => UserDirectory;
  readonly config: () => Config;
}

/**
 * Call pickup, code 88 (DESIGN §4): answers a call ringing elsewhere on the picker's phone.
 * Every other branch is CANCELled with "Call completed elsewhere"; the claim on the call is
 * taken synchronously, so of two pickers (or a picker and the callee) exactly one wins.
 */
export class PickupFeature {
  constructor(private readonly parts: PickupParts) {}

  handle(request: SipRequest, tx: ServerTransaction, picker: PartyIdentity, destination: Destination): void {
    const pickerUser = this.parts.directory().user(picker.extension);
    const wanted = toPickupRequest(destination);
    if (!pickerUser || !wanted) return reject(request, tx, 404);
    const decision = eligibleCalls(pickerUser, wanted, this.pickableCalls(), this.policy());
    if (!decision.ok) return reject(request, tx, decision.status, decision.reason);
    const chosen = choosePickup(decision.candidates, this.parts.config().pickup.selection);
    const call = chosen && this.parts.registry.get(chosen.id);
    if (!call?.setup?.claim()) return reject(request, tx, 480, 'No call to pick up');
    call.log.info({ picker: picker.extension }, 'call picked up');
    void this.bridgePicker(call, request, tx, picker);
  }

  /** Ringing calls: offered to devices that ring (180/183) or waiting in a queue. */
  pickableCalls(): PickableCall[] {
    const out: PickableCall[] = [];
    for (const call of this.parts.registry.all()) {
      const setup = call.setup;
      if (call.state !== 'ringing' || !setup || setup.claimed) continue;
      const since = setup.ringingSince ?? (call.queueId !== undefined ? call.createdAt : undefined);
      if (since === undefined) continue;
      const offeredTo = setup.branches.filter((l) => l.isLive).map((l) => l.identity.extension);
      out.push({ id: call.id, offeredTo, queueId: call.queueId, callerExtension: call.caller.identity.extension, ringingSince: since });
    }
    return out;
  }

  /**
   * Both phones offered SDP: the picker's offer answers the caller's, and the caller's offer
   * (through the media layer) answers the picker's. A caller without an offer (late offer) gets
   * the picker's offer and its ACK completes the picker's answer.
   */
  private async bridgePicker(call: Call, request: SipRequest, tx: ServerTransaction, picker: PartyIdentity): Promise<void> {
    const caller = call.caller;
    const leg = new Leg(call.nextLegId('p'), 'inbound', request, sourceTarget(tx.source), picker, firstContactUri(request), makeTag());
    leg.inviteTx = tx;
    call.addLeg(leg);
    const media = call.ctx.media;
    const callerOffer = caller.invite?.body;
    if (callerOffer === undefined || callerOffer.length === 0 || request.body.length === 0) {
      return this.bridgeLateOffer(call, leg, request);
    }
    const offered = await media.offer(call.id, caller.id, leg.id, callerOffer);
    const toPicker = offered.ok ? media.answerFrom(request.body, offered.sdp) : offered;
    const toCaller = toPicker.ok ? await media.answer(call.id, leg.id, caller.id, request.body) : toPicker;
    if (call.setup?.cancelledByCaller || call.state === 'ended') return this.abandon(call, leg, 480, 'No call to pick up');
    if (!toPicker.ok || !toCaller.ok) return this.abandon(call, leg, 488, 'No common codec');
    this.connect(call, leg, toCaller.sdp, toPicker.sdp);
  }

  private async bridgeLateOffer(call: Call, leg: Leg, request: SipRequest): Promise<void> {
    const caller = call.caller;
    if (request.body.length === 0) return this.abandon(call, leg, 488, 'Pickup needs an SDP offer');
    const toCaller = await call.ctx.media.offer(call.id, leg.id, caller.id, request.body);
    if (call.setup?.cancelledByCaller || call.state === 'ended') return this.abandon(call, leg, 480, 'No call to pick up');
    if (!toCaller.ok) return this.abandon(call, leg, toCaller.status, toCaller.reason);
    caller.awaitingAckSdp = (sdp) => void call.ctx.media.answer(call.id, caller.id, leg.id, sdp).then((answer) => {
      if (answer.ok) call.answerInbound(leg, answer.sdp, [['P-Asserted-Identity', identityAddress(caller.identity, call.ctx.domain)]]);
      else call.end('media negotiation failed');
    });
    call.connect(caller, leg);
    call.answerInbound(caller, toCaller.sdp, [['P-Asserted-Identity', identityAddress(leg.identity, call.ctx.domain)]]);
  }

  private connect(call: Call, leg: Leg, forCaller: Buffer, forPicker: Buffer): void {
    const domain = call.ctx.domain;
    call.connect(call.caller, leg);
    call.answerInbound(call.caller, forCaller, [['P-Asserted-Identity', identityAddress(leg.identity, domain)]]);
    call.answerInbound(leg, forPicker, [['P-Asserted-Identity', identityAddress(call.caller.identity, domain)]]);
  }

  private abandon(call: Call, leg: Leg, status: number, reason: string): void {
    call.rejectInbound(leg, status, reason);
    call.dropLeg(leg);
    call.end('pickup failed');
  }

  private policy(): PickupPolicy {
    const config = this.parts.config();
    const directory = this.parts.directory();
    return {
      user: (ext) => directory.user(ext),
      aclGroup: (name) => config.aclGroups.find((g) => g.name === name),
      hasQueue: (id) => directory.queue(id) !== undefined,
      groupExists: (group) => config.users.some((u) => u.callGroups.includes(group)),
    };
  }
}

function toPickupRequest(d: Destination): PickupRequest | undefined {
  switch (d.kind) {
    case 'pickup-any': return { kind: 'any' };
    case 'pickup-extension': return { kind: 'extension', extension: d.extension };
    case 'pickup-group': return { kind: 'group', group: d.group };
    case 'pickup-queue': return { kind: 'queue', queueId: d.queueId };
    default: return undefined;
  }
}

function reject(request: SipRequest, tx: ServerTransaction, status: number, reason?: string): void {
  tx.respond(makeResponse(request, status, { toTag: makeTag(), ...(reason ? { reason } : {}) }));
}
