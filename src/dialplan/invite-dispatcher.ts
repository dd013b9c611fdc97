import type { SipRequest } from '../../sip-stack/message/sip-message.js';
import { makeResponse } from '../../sip-stack/message/make-response.js';
import { makeTag } from '../../sip-stack/transaction/random-ids.js';
import type { InviteServerTransaction } from '../../sip-stack/transaction/invite-server-transaction.js';
import type { ServerTransaction } from '../../sip-stack/transaction/server-transaction.js';
import { Call, type CallContext } from '../b2bua/call.js';
import { CallSetup, type ForkTarget } from '../b2bua/call-setup.js';
import { checkInvite, inboundLeg } from '../b2bua/inbound-invite.js';
import type { PartyIdentity } from '../b2bua/leg.js';
import type { UserDirectory } from '../directory/user-directory.js';
import type { LocationService } from '../registrar/location-service.js';
import { type InviteHandler, dialledString } from '../request-router.js';
import type { Dialplan, Destination } from './dialplan.js';
import { deviceTargets } from './device-targets.js';

export interface DispatcherParts {
  readonly ctx: CallContext;
  readonly directory: () => UserDirectory;
  readonly dialplan: () => Dialplan;
  readonly location: LocationService;
  /** Handlers of feature destinations (pickup, device switch, queues), by kind. */
  readonly features?: Partial<Record<Destination['kind'], FeatureHandler>>;
}

/** A feature reached by dialling: takes the caller's INVITE, answers or refuses it. */
export type FeatureHandler = (request: SipRequest, tx: ServerTransaction, caller: PartyIdentity, destination: Destination) => void;

let callCounter = 0;

/** Turns an authenticated INVITE into a call, a queue entry or a feature, by the dial plan. */
export class InviteDispatcher implements InviteHandler {
  /**
   * Calls by their caller's INVITE transaction, for CANCEL. Weak: once that transaction is over
   * nothing else holds it, and the entry goes without keeping the transaction for the call's life.
   */
  private readonly pending = new WeakMap<ServerTransaction, Call>();

  constructor(private readonly parts: DispatcherParts) {}

  handleInvite(request: SipRequest, tx: ServerTransaction, user: string): void {
    if (!checkInvite(request, tx)) return;
    const caller = this.identity(user);
    const dialled = dialledString(request);
    if (dialled === undefined) return reject(request, tx, 404);
    const destination = this.parts.dialplan().resolve(dialled);
    if (destination.kind === 'user') return void this.callUser(request, tx, caller, destination.extension);
    if (destination.kind === 'unknown') return reject(request, tx, 404);
    const feature = this.parts.features?.[destination.kind];
    if (!feature) return reject(request, tx, 501, 'Feature not available');
    feature(request, tx, caller, destination);
  }

  handleCancel(inviteTx: InviteServerTransaction): void {
    const call = this.pending.get(inviteTx);
    if (call?.caller.inviteTx === inviteTx) call.setup?.callerCancelled();
  }

  /** A call to an extension rings all of its devices but the one calling (DESIGN §3). */
  private async callUser(request: SipRequest, tx: ServerTransaction, caller: PartyIdentity, extension: string): Promise<void> {
    const callee = this.parts.directory().user(extension);
    if (!callee) return reject(request, tx, 404);
    const targets: ForkTarget[] = deviceTargets(this.parts.location, callee, tx.source);
    if (targets.length === 0) return reject(request, tx, 480, 'No registered device');
    const call = this.newCall(request, tx, caller);
    call.setup = new CallSetup(call, { ringTimeoutMs: callee.ringTimeout * 1000 });
    await call.setup.ring(targets);
  }

  /** Creates a call for an inbound INVITE and tracks its pending transaction for CANCEL. */
  newCall(request: SipRequest, tx: ServerTransaction, caller: PartyIdentity): Call {
    const call = new Call(this.parts.ctx, `c${++callCounter}`, inboundLeg(request, tx, caller));
    this.parts.ctx.registry.add(call);
    this.pending.set(tx, call);
    return call;
  }

  private identity(extension: string): PartyIdentity {
    const user = this.parts.directory().user(extension);
    return { extension, displayName: user?.name ?? extension };
  }
}

function reject(request: SipRequest, tx: ServerTransaction, status: number, reason?: string): void {
  tx.respond(makeResponse(request, status, { toTag: makeTag(), ...(reason ? { reason } : {}) }));
}
