import type { SipRequest } from '../../sip-stack/message/sip-message.js';
import type { Clock, TimerHandle } from '../../sip-stack/timers/clock.js';
import type { EventVerdict } from '../../media-relay/index.js';

/** Where the key presses of one leg's phone are held while they may still spell the code. */
interface KeyState {
  typed: string;
  lastTimestamp: number | undefined;
  lastVerdict: EventVerdict;
  heldInfo: SipRequest[];
  timer: TimerHandle | undefined;
}

export interface InCallCodeHooks {
  readonly clock: Clock;
  /** The code to watch for, e.g. `*5`. */
  readonly code: () => string | undefined;
  /** Whether this leg's phone may use in-call codes (an answered leg of one of our users). */
  readonly watches: (callId: string, legId: string) => boolean;
  /** Sends on (or forgets) RFC 4733 packets held back in the relay. */
  readonly releaseEvents: (callId: string, legId: string, forward: boolean) => void;
  /** Sends a held-back INFO on to the other side. */
  readonly forwardInfo: (callId: string, legId: string, info: SipRequest) => void;
  readonly onCode: (callId: string, legId: string) => void;
}

/** How long a partial code waits for its next key before the keys are sent on. */
export const INTER_DIGIT_MS = 1500;

/**
 * Watches the keys pressed during a call, as RFC 4733 events seen by the relay or as SIP INFO
 * (application/dtmf-relay), for the in-call code (`*5`, device switch push). Keys that may start
 * the code are held back, so the far end never hears the code; if the next key or the
 * inter-digit timeout shows it was not the code, they are sent on.
 */
export class InCallCodes {
  private readonly states = new Map<string, KeyState>();

  constructor(private readonly hooks: InCallCodeHooks) {}

  /** Relay hook: per telephone-event packet; packets of one key press share a timestamp. */
  eventVerdict(callId: string, legId: string, event: number, timestamp: number): EventVerdict {
    const code = this.hooks.code();
    if (code === undefined || !this.hooks.watches(callId, legId)) return true;
    const state = this.state(callId, legId);
    if (state.lastTimestamp === timestamp) return state.lastVerdict;
    state.lastTimestamp = timestamp;
    state.lastVerdict = this.decide(callId, legId, state, keyOfEvent(event), code);
    return state.lastVerdict;
  }

  /** Relay hook: a key press ended. */
  onDigit(callId: string, legId: string, digit: string): void {
    const state = this.states.get(key(callId, legId));
    if (!state || state.lastVerdict !== 'hold') return;
    this.typed(callId, legId, state, digit);
  }

  /** An INFO carrying a key (RFC 6086 with application/dtmf-relay): true if it was held back. */
  interceptInfo(callId: string, legId: string, request: SipRequest): boolean {
    const digit = infoDigit(request);
    const code = this.hooks.code();
    if (digit === undefined || code === undefined || !this.hooks.watches(callId, legId)) return false;
    const state = this.state(callId, legId);
    if (this.decide(callId, legId, state, digit, code) !== 'hold') return false;
    state.heldInfo.push(request);
    this.typed(callId, legId, state, digit);
    return true;
  }

  /** Forgets a leg (call ended). */
  forget(callId: string, legId: string): void {
    const state = this.states.get(key(callId, legId));
    state?.timer?.cancel();
    this.states.delete(key(callId, legId));
  }

  private decide(callId: string, legId: string, state: KeyState, digit: string, code: string): EventVerdict {
    if (code.startsWith(state.typed + digit)) return 'hold';
    if (state.typed !== '') this.release(callId, legId, state, true);
    return true;
  }

  private typed(callId: string, legId: string, state: KeyState, digit: string): void {
    state.typed += digit;
    state.timer?.cancel();
    if (state.typed === this.hooks.code()) {
      this.release(callId, legId, state, false);
      this.hooks.onCode(callId, legId);
      return;
    }
    state.timer = this.hooks.clock.setTimer(INTER_DIGIT_MS, () => this.release(callId, legId, state, true));
  }

  private release(callId: string, legId: string, state: KeyState, forward: boolean): void {
    state.timer?.cancel();
    state.timer = undefined;
    state.typed = '';
    this.hooks.releaseEvents(callId, legId, forward);
    const infos = state.heldInfo;
    state.heldInfo = [];
    if (forward) for (const info of infos) this.hooks.forwardInfo(callId, legId, info);
  }

  private state(callId: string, legId: string): KeyState {
    const k = key(callId, legId);
    let state = this.states.get(k);
    if (!state) this.states.set(k, (state = { typed: '', lastTimestamp: undefined, lastVerdict: true, heldInfo: [], timer: undefined }));
    return state;
  }
}

function key(callId: string, legId: string): string {
  return `${callId}\u0000${legId}`;
}

/** RFC 4733 §3.2: events 0-9 are the digits, 10 is `*`, 11 is `#`. */
function keyOfEvent(event: number): string {
  return event <= 9 ? String(event) : event === 10 ? '*' : event === 11 ? '#' : `e${event}`;
}

/** `Signal=5` of application/dtmf-relay, or the bare key of application/dtmf. */
function infoDigit(request: SipRequest): string | undefined {
  const type = request.contentType?.split(';')[0]?.trim().toLowerCase();
  const body = request.body.toString('utf8');
  if (type === 'application/dtmf') return body.trim().slice(0, 1) || undefined;
  if (type !== 'application/dtmf-relay') return undefined;
  const match = /^\s*signal\s*=\s*(\S)/im.exec(body);
  return match?.[1];
}
