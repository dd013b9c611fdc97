import type { Clock, TimerHandle } from './clock.js';
import type { RelayCall } from './relay-call.js';

/**
 * Whether a bridged leg of the call has sent no RTP for `timeoutMs`. Only streams that are
 * sendrecv on both legs count: a stream on hold (sendonly, recvonly, inactive, c=0.0.0.0 on
 * either side, RFC 3264 §8.4) may be silent in either direction, so it never times out. Silence
 * is measured from the last packet, or from the last signalling if that came later.
 */
export function isCallSilent(call: RelayCall, now: number, timeoutMs: number): boolean {
  if (!call.established || call.timedOut) return false;
  for (const leg of call.legs.values()) {
    if (leg.peer === undefined || leg.peer.peer !== leg) continue;
    let counted = false;
    let lastActivity = -Infinity;
    for (const stream of leg.streams) {
      const peer = stream?.peer;
      if (stream === undefined || peer === undefined || !stream.isBidirectional() || !peer.isBidirectional()) continue;
      counted = true;
      lastActivity = Math.max(lastActivity, stream.lastSeen, stream.armedAt);
    }
    if (counted && now - lastActivity >= timeoutMs) return true;
  }
  return false;
}

/**
 * One periodic sweep over every call instead of a timer per stream or per packet. It runs only
 * while `hasWork()` says there are calls, so an idle relay holds no timer.
 */
export class MediaTimeoutSweeper {
  private timer: TimerHandle | undefined = undefined;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly sweep: (now: number) => void,
    private readonly hasWork: () => boolean,
  ) {}

  get active(): boolean {
    return this.timer !== undefined;
  }

  ensureRunning(): void {
    if (this.timer === undefined && this.hasWork()) this.timer = this.clock.setTimer(this.intervalMs, this.tick);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    this.sweep(this.clock.now());
    this.ensureRunning();
  };
}
