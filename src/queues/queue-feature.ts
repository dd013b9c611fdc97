import type { SipRequest } from '../../sip-stack/message/sip-message.js';
import { makeResponse } from '../../sip-stack/message/make-response.js';
import { makeTag } from '../../sip-stack/transaction/random-ids.js';
import type { ServerTransaction } from '../../sip-stack/transaction/server-transaction.js';
import type { Call } from '../b2bua/call.js';
import type { CallRegistry } from '../b2bua/call-registry.js';
import { CallSetup } from '../b2bua/call-setup.js';
import type { PartyIdentity } from '../b2bua/leg.js';
import { inviteResponse } from '../b2bua/leg-messages.js';
import type { QueueConfig } from '../config/config-schema.js';
import type { UserDirectory } from '../directory/user-directory.js';
import type { Destination } from '../dialplan/dialplan.js';
import { deviceTargets } from '../dialplan/device-targets.js';
import type { LocationService } from '../registrar/location-service.js';
import { type AgentView, type QueueMemory, agentsForRound } from './agent-selection.js';

export interface QueueParts {
  readonly registry: CallRegistry;
  readonly directory: () => UserDirectory;
  readonly location: LocationService;
  readonly newCall: (request: SipRequest, tx: ServerTransaction, caller: PartyIdentity) => Call;
}

/**
 * Numbered queues ("Dialplan call groups"): the caller hears ringback while the queue rings its
 * agents in rounds by its strategy, pausing between rounds, until an agent answers, someone picks
 * the call up (`88*79*<id>`), or the overall timeout gives 480 or the fallback extension.
 */
export class QueueFeature {
  private readonly memory = new Map<number, QueueMemory>();
  private readonly idleSince = new Map<string, number>();

  constructor(private readonly parts: QueueParts) {}

  handle(request: SipRequest, tx: ServerTransaction, caller: PartyIdentity, destination: Destination): void {
    const queue = destination.kind === 'queue' ? this.parts.directory().queue(destination.queueId) : undefined;
    if (!queue) {
      tx.respond(makeResponse(request, 404, { toTag: makeTag(), reason: 'No such queue' }));
      return;
    }
    const call = this.parts.newCall(request, tx, caller);
    this.enqueue(call, queue);
  }

  /** Records when an agent's call ended, for the longest-idle strategy. */
  callEnded(call: Call): void {
    if (call.state !== 'ended' || call.answeredAt === undefined) return;
    for (const leg of call.legs.values()) this.idleSince.set(leg.identity.extension, Date.now());
  }

  private enqueue(call: Call, queue: QueueConfig): void {
    call.queueId = queue.id;
    call.caller.state = 'ringing';
    const contact = call.ctx.signalling.contactUri(call.caller.peer.protocol);
    call.caller.inviteTx?.respond(inviteResponse(call.caller, 180, { contact }));
    let round = 0;
    const nextRound = (): void => {
      if (call.state !== 'ringing' || call.setup !== setup || setup.claimed) return;
      const targets = this.agentsToRing(queue, round++).flatMap((agent) => deviceTargets(this.parts.location, agent));
      if (targets.length === 0) return pause();
      void setup.ring(targets);
    };
    const pause = (): void => {
      call.setTimer(queue.retryPause * 1000, nextRound);
    };
    const setup = new CallSetup(call, { ringTimeoutMs: queue.ringTimeout * 1000, onNoAnswer: () => (pause(), true) });
    setup.ringingSince = Date.now();
    call.setup = setup;
    call.setTimer(queue.timeout * 1000, () => this.timedOut(call, setup, queue));
    nextRound();
  }

  private agentsToRing(queue: QueueConfig, round: number) {
    const directory = this.parts.directory();
    const views: AgentView[] = queue.agents.map((extension) => ({
      extension,
      available: this.parts.location.lookup(extension).length > 0 && !this.inAnsweredCall(extension),
      idleSince: this.idleSince.get(extension) ?? 0,
    }));
    let memory = this.memory.get(queue.id);
    if (!memory) this.memory.set(queue.id, (memory = { lastIndex: -1 }));
    return agentsForRound(queue.strategy, views, round, memory).flatMap((ext) => directory.user(ext) ?? []);
  }

  private inAnsweredCall(extension: string): boolean {
    return this.parts.registry.all().some((c) => c.state === 'answered' && c.bridge?.some((l) => l.identity.extension === extension));
  }

  /** The overall timeout: the fallback extension rings, or the caller gets 480. */
  private timedOut(call: Call, setup: CallSetup, queue: QueueConfig): void {
    if (call.setup !== setup || setup.claimed) return;
    const fallback = queue.fallback === undefined ? undefined : this.parts.directory().user(queue.fallback);
    if (!fallback) return setup.giveUp(480);
    const targets = deviceTargets(this.parts.location, fallback);
    if (targets.length === 0 || !setup.handOver()) return setup.giveUp(480);
    call.queueId = undefined;
    call.setup = new CallSetup(call, { ringTimeoutMs: fallback.ringTimeout * 1000 });
    void call.setup.ring(targets);
  }
}
