import type { SipRequest, SipResponse } from '../../sip-stack/message/sip-message.js';
import { Dialog } from '../../sip-stack/dialog/dialog.js';
import { TwoXxRetransmitter } from '../../sip-stack/dialog/two-xx-retransmitter.js';
import type { TimerHandle } from '../../sip-stack/timers/clock.js';
import type { Logger } from '../logging/logger.js';
import type { CallMedia } from './call-media.js';
import type { CallRegistry } from './call-registry.js';
import { type Leg } from './leg.js';
import { inviteResponse } from './leg-messages.js';
import type { Signalling } from './signalling.js';
import type { CallSetup } from './call-setup.js';

export type CallState = 'ringing' | 'answered' | 'ended';

/** What every call shares: the stack, the media seam, the registry, settings. */
export interface CallContext {
  readonly signalling: Signalling;
  readonly media: CallMedia;
  readonly registry: CallRegistry;
  readonly domain: string;
  readonly logger: Logger;
  /** Called once when the call has ended and released everything. */
  readonly onEnded?: (call: Call) => void;
  /** An in-dialog INFO from `leg`: true if a feature took it (an in-call code key). */
  readonly interceptInfo?: (call: Call, leg: Leg, request: SipRequest) => boolean;
}

/**
 * A call: the caller's inbound leg, the legs it has been offered to, and once answered the two
 * legs bridged. It owns their timers and media; `end()` releases everything exactly once.
 */
export class Call {
  state: CallState = 'ringing';
  readonly legs = new Map<string, Leg>();
  /** The two legs whose dialogs and media are connected, once answered. */
  bridge: [Leg, Leg] | undefined;
  /** While ringing: the fork that offers the call to devices. */
  setup: CallSetup | undefined;
  /** The queue the call waits in, if it came through one. */
  queueId: number | undefined;
  readonly createdAt = Date.now();
  answeredAt: number | undefined;
  private readonly timers = new Set<TimerHandle>();
  private readonly endHandlers: Array<() => void> = [];
  private legCounter = 0;
  private callLog: Logger | undefined;

  constructor(readonly ctx: CallContext, readonly id: string, public caller: Leg) {
    this.addLeg(caller);
  }

  /** The call's logger, made on first use: most calls log nothing until they end. */
  get log(): Logger {
    return (this.callLog ??= this.ctx.logger.child({ callId: this.caller.callId, call: this.id }));
  }

  nextLegId(prefix: string): string {
    return `${prefix}${++this.legCounter}`;
  }

  addLeg(leg: Leg): void {
    this.legs.set(leg.id, leg);
  }

  /** The leg bridged to `leg`, if any. */
  otherSide(leg: Leg): Leg | undefined {
    if (!this.bridge) return undefined;
    return this.bridge[0] === leg ? this.bridge[1] : this.bridge[1] === leg ? this.bridge[0] : undefined;
  }

  /** Runs `handler` when the call ends (features that own something outside the call's legs). */
  onEnd(handler: () => void): void {
    this.endHandlers.push(handler);
  }

  /** A timer that dies with the call; the call forgets it once it fires or is cancelled. */
  setTimer(ms: number, fire: () => void): TimerHandle {
    const handle = this.ctx.signalling.clock.setTimer(ms, () => {
      this.timers.delete(handle);
      fire();
    });
    this.timers.add(handle);
    return {
      cancel: () => {
        this.timers.delete(handle);
        handle.cancel();
      },
    };
  }

  /**
   * Sends a 2xx on an inbound leg and retransmits it until the ACK (§13.3.1.4); the dialog is
   * formed by the 2xx (§12.1.1). A missing ACK ends the call.
   */
  sendInvite2xx(leg: Leg, request: SipRequest, response: SipResponse, respond: (r: SipResponse) => void): void {
    respond(response);
    leg.twoXx?.dispose();
    const reliable = this.ctx.signalling.isReliable(leg.peer.protocol);
    leg.twoXx = new TwoXxRetransmitter(this.ctx.signalling.clock, this.ctx.signalling.timers,
      () => respond(response), () => this.end('no ACK for 2xx'), reliable);
    if (!leg.dialog) {
      leg.dialog = Dialog.asUas(request, response);
      if (leg.dialog) this.ctx.registry.bindDialog(leg.dialog.id, { call: this, leg });
    }
  }

  /** Answers the INVITE of an inbound leg that is still pending. */
  answerInbound(leg: Leg, sdp: Buffer | undefined, extraHeaders: ReadonlyArray<readonly [string, string]> = []): void {
    const tx = leg.inviteTx;
    if (!tx) return;
    const contact = this.ctx.signalling.contactUri(leg.peer.protocol);
    const response = inviteResponse(leg, 200, { sdp, contact, headers: extraHeaders });
    const invite = leg.pendingInvite();
    leg.state = 'answered';
    leg.answeredAt = Date.now();
    leg.inviteTx = undefined;
    leg.invite = undefined;
    this.sendInvite2xx(leg, invite, response, (r) => tx.respond(r));
  }

  /** Sends a final failure on an inbound leg's pending INVITE. */
  rejectInbound(leg: Leg, status: number, reason?: string): void {
    const tx = leg.inviteTx;
    if (!tx) return;
    const response = inviteResponse(leg, status, reason === undefined ? {} : { reason });
    leg.inviteTx = undefined;
    leg.invite = undefined;
    leg.state = 'failed';
    tx.respond(response);
  }

  /** Connects two answered legs: from now on in-dialog requests on one go to the other. */
  connect(a: Leg, b: Leg): void {
    this.bridge = [a, b];
    this.state = 'answered';
    this.answeredAt ??= Date.now();
  }

  /** Sends BYE on a leg that has a dialog and forgets it. */
  byeLeg(leg: Leg, reasonHeader?: string): void {
    if (!leg.dialog || leg.state === 'ended') {
      leg.state = 'ended';
      return;
    }
    leg.state = 'ended';
    leg.twoXx?.dispose();
    const headers: Array<readonly [string, string]> = reasonHeader ? [['Reason', reasonHeader]] : [];
    const bye = leg.dialog.createRequest('BYE', { headers });
    this.ctx.signalling.sendRequest(bye, leg.peer, IGNORE_RESPONSES);
    this.ctx.registry.unbindDialog(leg.dialog.id);
  }

  /** Drops a leg that is no longer part of the call (a lost branch, a switched-away device). */
  dropLeg(leg: Leg): void {
    leg.twoXx?.dispose();
    if (leg.dialog) this.ctx.registry.unbindDialog(leg.dialog.id);
    this.legs.delete(leg.id);
    this.ctx.media.dropLeg(this.id, leg.id);
  }

  /**
   * Ends the call: pending INVITEs are answered or cancelled, answered legs get BYE, media and
   * timers are released. Idempotent.
   */
  end(why: string): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.log.info({ why }, 'call ended');
    for (const leg of this.legs.values()) this.endLeg(leg);
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    for (const handler of this.endHandlers.splice(0)) handler();
    this.ctx.media.release(this.id);
    this.ctx.registry.remove(this);
    this.ctx.onEnded?.(this);
  }

  private endLeg(leg: Leg): void {
    leg.twoXx?.dispose();
    if (leg.direction === 'inbound' && leg.inviteTx) this.rejectInbound(leg, 480);
    else if (leg.direction === 'outbound' && leg.clientTx && leg.state !== 'answered' && leg.isLive) {
      leg.state = 'cancelled';
      leg.clientTx.cancel();
    }
    if (leg.state === 'answered') this.byeLeg(leg);
    leg.state = leg.state === 'failed' || leg.state === 'cancelled' ? leg.state : 'ended';
  }
}

/** For requests whose answers change nothing (BYE at teardown, CANCEL). */
export const IGNORE_RESPONSES = {
  receiveResponse: (): void => {},
  onTimeout: (): void => {},
  onTransportError: (): void => {},
};
