import type { SipResponse } from '../../sip-stack/message/sip-message.js';
import { Dialog } from '../../sip-stack/dialog/dialog.js';
import { makeTag } from '../../sip-stack/transaction/random-ids.js';
import type { ClientTransactionUser } from '../../sip-stack/transaction/client-transaction.js';
import type { SendTarget } from '../../sip-stack/transport/transport-types.js';
import type { TimerHandle } from '../../sip-stack/timers/clock.js';
import { type Call, IGNORE_RESPONSES } from './call.js';
import { Leg, type PartyIdentity } from './leg.js';
import { COMPLETED_ELSEWHERE, buildBranchInvite, identityAddress, inviteResponse } from './leg-messages.js';
import { bestFailure } from './best-response.js';
import { passThroughHeaders } from './header-policy.js';

/** One device to ring. */
export interface ForkTarget {
  readonly callee: PartyIdentity;
  /** The device's Contact URI: the Request-URI of the branch INVITE. */
  readonly contact: string;
  readonly peer: SendTarget;
}

export interface SetupOptions {
  readonly ringTimeoutMs: number;
  /** All branches failed or timed out; return true if handled (queue, fallback), else the caller gets `status`. */
  readonly onNoAnswer?: (status: number) => boolean;
  /** A branch answered and is now bridged to the caller. */
  readonly onAnswered?: (leg: Leg) => void;
}

/**
 * Setting up a call: ringing every device of the callee in parallel (forking), passing progress
 * to the caller, and bridging the first device that answers; the others are CANCELled with
 * "Call completed elsewhere" (RFC 3326). Whoever claims the call first (a branch's 2xx or a
 * pickup) wins; a 2xx that loses the race is ACKed and BYEd.
 */
export class CallSetup {
  private readonly bCallId = `${makeTag()}${makeTag()}@softswitch`;
  private readonly fromTag = makeTag();
  private ringTimer: TimerHandle | undefined;
  private readonly failures: number[] = [];
  /** Why a branch failed, where the switch itself decided it (media negotiation); rare, so made when needed. */
  private reasons: Map<number, string> | undefined;
  /** Set by the first 2xx or pickup; everything after loses. */
  claimed = false;
  /** When the caller's phone started ringing anybody (for "longest ringing" pickup). */
  ringingSince: number | undefined;

  constructor(readonly call: Call, private readonly options: SetupOptions) {}

  get branches(): Leg[] {
    return [...this.call.legs.values()].filter((l) => l.direction === 'outbound');
  }

  /** Rings `targets` (adds branches to any already ringing, e.g. the next round of a queue). */
  async ring(targets: readonly ForkTarget[]): Promise<void> {
    this.armRingTimer();
    for (const target of targets) await this.startBranch(target);
    this.checkAllFailed();
  }

  private armRingTimer(): void {
    this.stopRingTimer();
    this.ringTimer = this.call.setTimer(this.options.ringTimeoutMs, () => this.noAnswer(480));
  }

  private stopRingTimer(): void {
    this.ringTimer?.cancel();
    this.ringTimer = undefined;
  }

  private async startBranch(target: ForkTarget): Promise<void> {
    const call = this.call;
    const caller = call.caller;
    // Answered or refused meanwhile: nothing left to offer.
    const offer = caller.invite;
    if (!offer) return;
    const invite = buildBranchInvite({
      requestUri: target.contact, caller: caller.identity, callee: target.callee, domain: call.ctx.domain,
      callId: this.bCallId, fromTag: this.fromTag, contact: call.ctx.signalling.contactUri(target.peer.protocol),
      maxForwards: Math.max(1, (offer.check('max-forwards') ? 70 : offer.maxForwards ?? 70) - 1), sdp: undefined,
      extraHeaders: passThroughHeaders(offer),
    });
    const leg = new Leg(call.nextLegId('b'), 'outbound', invite, target.peer, target.callee, target.contact, this.fromTag);
    call.addLeg(leg);
    if (offer.body.length > 0) {
      const sdp = await call.ctx.media.offer(call.id, caller.id, leg.id, offer.body);
      if (!sdp.ok) {
        call.log.warn({ status: sdp.status, reason: sdp.reason }, 'caller SDP refused');
        (this.reasons ??= new Map()).set(sdp.status, sdp.reason);
        return this.failBranch(leg, sdp.status);
      }
      invite.setBody(sdp.sdp, 'application/sdp');
    }
    if (this.claimed || call.state === 'ended') return this.failBranch(leg, 487);
    leg.clientTx = call.ctx.signalling.sendRequest(invite, leg.peer, this.branchUser(leg));
  }

  private branchUser(leg: Leg): ClientTransactionUser {
    return {
      receiveResponse: (response) => void this.onBranchResponse(leg, response),
      onTimeout: () => this.failBranch(leg, 408),
      onTransportError: () => this.failBranch(leg, 503),
    };
  }

  private async onBranchResponse(leg: Leg, response: SipResponse): Promise<void> {
    const status = response.status;
    if (status === 100) return;
    if (status < 200) return this.onProvisional(leg, response);
    if (status < 300) return this.onBranch2xx(leg, response);
    this.failBranch(leg, status);
  }

  private async onProvisional(leg: Leg, response: SipResponse): Promise<void> {
    const call = this.call;
    if (this.claimed || !leg.isLive || call.state !== 'ringing') return;
    leg.state = 'ringing';
    this.ringingSince ??= Date.now();
    let sdp: Buffer | undefined;
    if (response.body.length > 0 && (call.caller.invite?.body.length ?? 0) > 0) {
      const early = await call.ctx.media.answer(call.id, leg.id, call.caller.id, response.body);
      if (early.ok) sdp = early.sdp;
    }
    const tx = call.caller.inviteTx;
    if (!tx || this.claimed) return;
    call.caller.state = 'ringing';
    tx.respond(inviteResponse(call.caller, sdp ? 183 : status180(response.status), {
      sdp, contact: call.ctx.signalling.contactUri(call.caller.peer.protocol),
    }));
  }

  private async onBranch2xx(leg: Leg, response: SipResponse): Promise<void> {
    if (leg.state === 'answered') {
      const fork = leg.dialog && Dialog.forkedUac(leg.dialog, response, leg.inviteSeq);
      // A retransmitted 2xx: our ACK was lost (§13.2.2.4); another fork's 2xx is ended at once.
      if (fork) this.ackAndByeDialog(leg, fork);
      else this.resendAck(leg);
      return;
    }
    if (this.claimed || this.call.state === 'ended' || !leg.isLive) return this.ackAndBye(leg, response);
    this.claimed = true;
    this.stopRingTimer();
    leg.state = 'answered';
    leg.answeredAt = Date.now();
    // Answered: nothing will CANCEL this INVITE any more; its retransmitted 2xx still reach us above.
    leg.clientTx = undefined;
    leg.dialog = Dialog.asUac(leg.pendingInvite(), response);
    leg.invite = undefined;
    if (leg.dialog) this.call.ctx.registry.bindDialog(leg.dialog.id, { call: this.call, leg });
    this.cancelBranches(leg, COMPLETED_ELSEWHERE);
    await this.bridgeAnswered(leg, response);
  }

  private async bridgeAnswered(leg: Leg, response: SipResponse): Promise<void> {
    const call = this.call;
    const caller = call.caller;
    const earlyOffer = (caller.invite?.body.length ?? 0) > 0;
    const media = earlyOffer
      ? await call.ctx.media.answer(call.id, leg.id, caller.id, response.body)
      : await call.ctx.media.offer(call.id, leg.id, caller.id, response.body);
    if (!media.ok) {
      this.sendAck(leg);
      call.rejectInbound(caller, media.status, media.reason);
      return call.end('media negotiation failed');
    }
    if (earlyOffer) this.sendAck(leg);
    else caller.awaitingAckSdp = (sdp) => void this.completeLateOffer(leg, sdp);
    call.connect(caller, leg);
    call.answerInbound(caller, media.sdp, [['P-Asserted-Identity', identityAddress(leg.identity, call.ctx.domain)]]);
    this.options.onAnswered?.(leg);
  }

  /** Late offer: the caller's ACK carries the answer, which the callee's ACK must carry too. */
  private async completeLateOffer(leg: Leg, sdp: Buffer): Promise<void> {
    const call = this.call;
    const answer = await call.ctx.media.answer(call.id, call.caller.id, leg.id, sdp);
    this.sendAck(leg, answer.ok ? answer.sdp : undefined);
    if (!answer.ok) call.end('media negotiation failed');
  }

  private sendAck(leg: Leg, sdp?: Buffer): void {
    const ack = leg.makeAck(leg.inviteSeq, sdp);
    if (ack) this.call.ctx.signalling.sendAck(ack, leg.peer);
  }

  private resendAck(leg: Leg): void {
    const ack = leg.ack;
    if (ack) this.call.ctx.signalling.sendAck(ack, leg.peer);
  }

  /**
   * A 2xx that lost the race (crossed our CANCEL, or another device won): ACK, then BYE. A leg
   * that was answered (its INVITE released) and has ended since gets its ACK again, unless the
   * 2xx is another fork's, which is ended like any loser.
   */
  private ackAndBye(leg: Leg, response: SipResponse): void {
    if (!leg.invite) {
      const fork = leg.dialog && Dialog.forkedUac(leg.dialog, response, leg.inviteSeq);
      return fork ? this.ackAndByeDialog(leg, fork) : this.resendAck(leg);
    }
    const dialog = Dialog.asUac(leg.invite, response);
    if (!dialog) return;
    this.ackAndByeDialog(leg, dialog);
    leg.state = 'ended';
  }

  private ackAndByeDialog(leg: Leg, dialog: Dialog): void {
    const signalling = this.call.ctx.signalling;
    signalling.sendAck(dialog.createRequest('ACK', { cseq: leg.inviteSeq }), leg.peer);
    signalling.sendRequest(dialog.createRequest('BYE', { headers: [['Reason', COMPLETED_ELSEWHERE]] }), leg.peer, IGNORE_RESPONSES);
  }

  /** CANCELs every live unanswered branch except `keep` (§9.1, RFC 3326 Reason). */
  cancelBranches(keep: Leg | undefined, reason?: string): void {
    for (const leg of this.branches) {
      if (leg === keep || !leg.isLive || leg.state === 'answered') continue;
      leg.state = 'cancelled';
      leg.clientTx?.cancel(reason);
      this.call.ctx.media.dropLeg(this.call.id, leg.id);
    }
  }

  private failBranch(leg: Leg, status: number): void {
    if (!leg.isLive || leg.state === 'answered') return;
    leg.state = 'failed';
    this.failures.push(status);
    this.call.ctx.media.dropLeg(this.call.id, leg.id);
    // §16.7 step 5 analogue: a 6xx ends the search at once.
    if (status >= 600 && !this.claimed) {
      this.cancelBranches(undefined);
      return this.finish(status);
    }
    this.checkAllFailed();
  }

  private checkAllFailed(): void {
    if (this.claimed || this.call.state !== 'ringing') return;
    if (this.branches.some((l) => l.isLive)) return;
    this.noAnswer(bestFailure(this.failures));
  }

  private noAnswer(status: number): void {
    if (this.claimed || this.call.state !== 'ringing') return;
    this.stopRingTimer();
    this.cancelBranches(undefined);
    if (this.options.onNoAnswer?.(status)) return;
    this.finish(status);
  }

  private finish(status: number): void {
    this.claimed = true;
    this.call.rejectInbound(this.call.caller, status, this.reasons?.get(status));
    this.call.end(`no answer (${status})`);
  }

  /** Set when the caller's CANCEL arrived, even after a pickup claimed the call. */
  cancelledByCaller = false;

  /** The caller gave up (CANCEL): every branch is cancelled without a Reason, the caller gets 487. */
  callerCancelled(): void {
    this.cancelledByCaller = true;
    if (this.claimed) return;
    this.claimed = true;
    this.stopRingTimer();
    this.cancelBranches(undefined);
    this.call.rejectInbound(this.call.caller, 487);
    this.call.end('caller cancelled');
  }

  /** Stops ringing and gives the caller `status` (a queue's overall timeout). */
  giveUp(status: number): void {
    if (this.claimed || this.call.state !== 'ringing') return;
    this.stopRingTimer();
    this.cancelBranches(undefined);
    this.finish(status);
  }

  /** Stops ringing without ending the call, so that another setup can take over (fallback). */
  handOver(): boolean {
    if (this.claimed || this.call.state !== 'ringing') return false;
    this.claimed = true;
    this.stopRingTimer();
    this.cancelBranches(undefined);
    return true;
  }

  /** Takes the call away from the ringing devices (pickup); false if it was already claimed. */
  claim(): boolean {
    if (this.claimed || this.call.state !== 'ringing') return false;
    this.claimed = true;
    this.stopRingTimer();
    this.cancelBranches(undefined, COMPLETED_ELSEWHERE);
    return true;
  }
}

function status180(status: number): number {
  return status === 183 ? 180 : status;
}

