import type { SipResponse } from '../../sip-stack/message/sip-message.js';
import { Dialog } from '../../sip-stack/dialog/dialog.js';
import { makeTag } from '../../sip-stack/transaction/random-ids.js';
import type { TimerHandle } from '../../sip-stack/timers/clock.js';
import { type Call, IGNORE_RESPONSES } from '../b2bua/call.js';
import type { ForkTarget } from '../b2bua/call-setup.js';
import { Leg } from '../b2bua/leg.js';
import { COMPLETED_ELSEWHERE, buildBranchInvite } from '../b2bua/leg-messages.js';
import type { UserDirectory } from '../directory/user-directory.js';
import { deviceTargets } from '../dialplan/device-targets.js';
import type { LocationService } from '../registrar/location-service.js';

export interface DevicePushParts {
  readonly directory: () => UserDirectory;
  readonly location: LocationService;
  /** featureCodes.switchTimeout, in ms. */
  readonly timeoutMs: () => number;
}

interface Attempt {
  readonly leg: Leg;
  readonly branches: Leg[];
  won: boolean;
  timer: TimerHandle | undefined;
}

/**
 * Device switch, push (`*5` pressed during the call, beyond the guide): the user's other
 * devices ring with the far end's identity; the first to answer takes the call as in a pull;
 * the others are CANCELled with "Call completed elsewhere"; if none answers within the switch
 * timeout the call stays where it is, untouched.
 */
export class DevicePush {
  private readonly attempts = new Map<Leg, Attempt>();

  constructor(private readonly parts: DevicePushParts) {}

  start(call: Call, leg: Leg): void {
    const far = call.otherSide(leg);
    const user = this.parts.directory().user(leg.identity.extension);
    const offer = call.ctx.media.sdpSentTo(call.id, leg.id);
    if (!far || !user || !offer || this.attempts.has(leg) || call.state !== 'answered') return;
    const targets = deviceTargets(this.parts.location, user, leg.peer);
    if (targets.length === 0) return;
    const attempt: Attempt = { leg, branches: [], won: false, timer: undefined };
    this.attempts.set(leg, attempt);
    attempt.timer = call.setTimer(this.parts.timeoutMs(), () => this.giveUp(call, attempt));
    call.onEnd(() => this.giveUp(call, attempt));
    for (const target of targets) this.ring(call, attempt, far, target, offer);
    call.log.info({ user: user.extension, devices: targets.length }, 'device switch: ringing the other devices');
  }

  private ring(call: Call, attempt: Attempt, far: Leg, target: ForkTarget, offer: Buffer): void {
    const fromTag = makeTag();
    const invite = buildBranchInvite({
      requestUri: target.contact, caller: far.identity, callee: target.callee, domain: call.ctx.domain,
      callId: `${makeTag()}@softswitch`, fromTag, contact: call.ctx.signalling.contactUri(target.peer.protocol),
      maxForwards: 70, sdp: offer, extraHeaders: [],
    });
    const branch = new Leg(attempt.leg.id, 'outbound', invite, target.peer, target.callee, target.contact, fromTag);
    attempt.branches.push(branch);
    branch.clientTx = call.ctx.signalling.sendRequest(invite, target.peer, {
      receiveResponse: (response) => void this.onResponse(call, attempt, branch, response),
      onTimeout: () => { branch.state = 'failed'; },
      onTransportError: () => { branch.state = 'failed'; },
    });
  }

  private async onResponse(call: Call, attempt: Attempt, branch: Leg, response: SipResponse): Promise<void> {
    if (response.status < 200) return;
    if (response.status >= 300) {
      branch.state = 'failed';
      return;
    }
    const signalling = call.ctx.signalling;
    if (branch.dialog) {
      // A retransmitted 2xx of the winning device: our ACK was lost (§13.2.2.4).
      const again = branch.ack;
      if (again) signalling.sendAck(again, branch.peer);
      return;
    }
    const dialog = branch.invite && Dialog.asUac(branch.invite, response);
    if (!dialog) return;
    const old = attempt.leg;
    const far = call.otherSide(old);
    if (attempt.won || call.state !== 'answered' || !far || old.state !== 'answered') {
      signalling.sendAck(dialog.createRequest('ACK', { cseq: branch.inviteSeq }), branch.peer);
      signalling.sendRequest(dialog.createRequest('BYE', { headers: [['Reason', COMPLETED_ELSEWHERE]] }), branch.peer, IGNORE_RESPONSES);
      return;
    }
    attempt.won = true;
    // The dialog and its ACK first: a 2xx retransmitted while the media is repointed gets this ACK again.
    branch.dialog = dialog;
    const ack = branch.makeAck(branch.inviteSeq);
    if (ack) signalling.sendAck(ack, branch.peer);
    branch.invite = undefined;
    this.finish(attempt);
    for (const other of attempt.branches) if (other !== branch && other.isLive) { other.state = 'cancelled'; other.clientTx?.cancel(COMPLETED_ELSEWHERE); }
    await call.ctx.media.repoint(call.id, old.id, response.body);
    branch.state = 'answered';
    branch.answeredAt = Date.now();
    call.ctx.registry.bindDialog(dialog.id, { call, leg: branch });
    call.byeLeg(old);
    call.legs.set(branch.id, branch);
    call.connect(far, branch);
    call.log.info({ user: old.identity.extension }, 'device switch: call pushed to another device');
  }

  private giveUp(call: Call, attempt: Attempt): void {
    if (attempt.won) return;
    this.finish(attempt);
    for (const branch of attempt.branches) if (branch.isLive) { branch.state = 'cancelled'; branch.clientTx?.cancel(); }
    call.log.info('device switch: no other device answered; the call stays');
  }

  private finish(attempt: Attempt): void {
    attempt.timer?.cancel();
    this.attempts.delete(attempt.leg);
  }
}
