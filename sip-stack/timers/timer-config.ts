/** RFC 3261 §17.1.1.1 / Table 4: the base timer values, in milliseconds. */
export interface TimerBase {
  t1: number;
  t2: number;
  t4: number;
}

/** Every transaction timer of RFC 3261 Table 4, derived once from T1, T2 and T4. */
export interface TimerConfig extends TimerBase {
  /** INVITE request retransmit start (UDP); doubles each time. */
  a: number;
  /** INVITE transaction timeout: 64*T1. */
  b: number;
  /** Proxy INVITE transaction timeout (> 3 min). */
  c: number;
  /** Wait for response retransmits in Completed (UDP): >= 32 s. */
  d: number;
  /** Non-INVITE request retransmit start (UDP). */
  e: number;
  /** Non-INVITE transaction timeout: 64*T1. */
  f: number;
  /** INVITE response retransmit start (UDP). */
  g: number;
  /** Wait for ACK receipt: 64*T1. */
  h: number;
  /** Wait for ACK retransmits (UDP): T4. */
  i: number;
  /** Wait for non-INVITE request retransmits (UDP): 64*T1. */
  j: number;
  /** Wait for response retransmits (UDP): T4. */
  k: number;
  /** RFC 6026 §8.4/8.7 Timer L and M: linger in Accepted: 64*T1. */
  l: number;
  m: number;
  /**
   * §17.2.1: an INVITE server transaction owes 100 (Trying) if the TU has not answered within
   * 200 ms; it sends one after this delay (under 200 ms) unless the TU answered first.
   */
  trying: number;
}

/** Below §17.2.1's 200 ms, with room for a timer wheel tick and a busy event loop. */
const TRYING_DELAY_MS = 100;

export const DEFAULT_TIMER_BASE: TimerBase = { t1: 500, t2: 4000, t4: 5000 };

export function makeTimerConfig(base: TimerBase = DEFAULT_TIMER_BASE): TimerConfig {
  const { t1, t2, t4 } = base;
  const sixtyFourT1 = 64 * t1;
  return {
    t1, t2, t4,
    a: t1,
    b: sixtyFourT1,
    c: Math.max(180_000, sixtyFourT1),
    // §17.1.1.2: "at least 32 seconds", which is 64*T1 at the default T1.
    d: sixtyFourT1,
    e: t1,
    f: sixtyFourT1,
    g: t1,
    h: sixtyFourT1,
    i: t4,
    j: sixtyFourT1,
    k: t4,
    l: sixtyFourT1,
    m: sixtyFourT1,
    trying: Math.min(TRYING_DELAY_MS, t1),
  };
}
