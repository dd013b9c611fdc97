import type { SdpOrigin } from '../sdp/sdp-origin.js';
import { openStream } from './open-stream.js';
import { RelayLeg, unbridgeLeg } from './relay-leg.js';
import type { RelayStream } from './relay-stream.js';
import type { StreamHooks } from './stream-hooks.js';

export interface CallContext {
  readonly hooks: StreamHooks;
  /** The address written into SDP (c=, o=). */
  readonly advertiseAddress: string;
  newOrigin(): SdpOrigin;
}

/** The tail only orders operations; how each ended is its caller's to see. */
function settled(): void {}

export type StreamsOutcome = 'ok' | 'exhausted' | 'closed';

/**
 * A call's legs. One inbound leg can face several outbound legs (forked branches), each with
 * its own relay ports; media flows between the two legs currently bridged. Operations on one
 * call run one at a time, so an answer never overtakes the offer it answers.
 */
export class RelayCall {
  readonly legs = new Map<string, RelayLeg>();
  /** An answer has bridged two legs: from here on silence counts. */
  established = false;
  timedOut = false;
  /** Ended by signalling: no operation runs on it any more, its ports only forward until closed. */
  ended = false;
  closed = false;
  /** Settles when the last queued operation has; undefined while none is queued. */
  private tail: Promise<unknown> | undefined = undefined;

  constructor(readonly id: string, readonly context: CallContext) {}

  serialize<T>(operation: () => Promise<T>): Promise<T> {
    const run = (this.tail ?? Promise.resolve()).then(operation, operation);
    const tail = run.then(settled, settled);
    this.tail = tail;
    // An idle call keeps no promise: a held call may stay idle for hours.
    void tail.then(() => {
      if (this.tail === tail) this.tail = undefined;
    });
    return run;
  }

  addLeg(id: string, created: RelayLeg[], placeholder = false): RelayLeg {
    const leg = new RelayLeg(this.id, id, this.context.newOrigin(), placeholder);
    this.legs.set(id, leg);
    created.push(leg);
    return leg;
  }

  /** Drops legs an operation created before it failed. */
  removeLegs(legs: readonly RelayLeg[]): void {
    for (const leg of legs) this.deleteLeg(leg.id);
  }

  /** The leg an offer from `from` goes to: the one named, else its bridged peer, else a placeholder. */
  targetOf(from: RelayLeg, toId: string | undefined, created: RelayLeg[]): RelayLeg {
    if (toId !== undefined) return this.legs.get(toId) ?? this.addLeg(toId, created);
    if (from.peer !== undefined) return from.peer;
    for (const leg of this.legs.values()) if (leg.placeholder && leg.offeredBy === from) return leg;
    return this.addLeg(`${from.id}~peer`, created, true);
  }

  /** An answer from a leg the relay has not heard of takes over the one placeholder waiting. */
  adoptPlaceholder(id: string): RelayLeg | undefined {
    const waiting = [...this.legs.values()].filter((leg) => leg.placeholder && leg.offeredBy !== undefined);
    const leg = waiting[0];
    if (waiting.length !== 1 || leg === undefined) return undefined;
    this.legs.delete(leg.id);
    leg.id = id;
    leg.placeholder = false;
    this.legs.set(id, leg);
    return leg;
  }

  /** Opens the streams `wanted` that the legs lack, all or none. */
  async ensureStreams(legs: readonly RelayLeg[], wanted: readonly boolean[]): Promise<StreamsOutcome> {
    const opened: { leg: RelayLeg; index: number; stream: RelayStream }[] = [];
    const jobs: Promise<boolean>[] = [];
    for (const leg of legs) {
      wanted.forEach((want, index) => {
        if (!want || leg.streams[index] !== undefined) return;
        jobs.push(openStream(this.context.hooks, leg, index).then((stream) => {
          if (stream !== undefined) opened.push({ leg, index, stream });
          return stream !== undefined;
        }));
      });
    }
    const results = await Promise.all(jobs);
    // deleteLeg does not wait for the operation: a leg dropped meanwhile must not get streams nobody closes.
    const gone = this.closed || this.ended || legs.some((leg) => this.legs.get(leg.id) !== leg);
    if (gone || results.includes(false)) {
      for (const { stream } of opened) stream.close();
      return gone ? 'closed' : 'exhausted';
    }
    for (const { leg, index, stream } of opened) leg.addStream(index, stream);
    return 'ok';
  }

  deleteLeg(id: string): void {
    const leg = this.legs.get(id);
    if (leg === undefined) return;
    unbridgeLeg(leg);
    leg.close();
    this.legs.delete(id);
    for (const other of this.legs.values()) if (other.offeredBy === leg) other.offeredBy = undefined;
  }

  /**
   * Ends the call but keeps its ports forwarding: key presses are passed on as they are, since
   * nobody is left to act on them (and the Call-ID may already name a new call).
   */
  drain(): void {
    this.ended = true;
    for (const leg of this.legs.values()) for (const stream of leg.streams) if (stream !== undefined) stream.draining = true;
  }

  /** Closes every socket and returns every port; idempotent. */
  close(): void {
    this.closed = true;
    for (const leg of this.legs.values()) leg.close();
    this.legs.clear();
  }
}
