import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMER_BASE, makeTimerConfig } from '../../../../sip-stack/timers/timer-config.js';

describe('makeTimerConfig', () => {
  it('uses the RFC 3261 base values by default', () => {
    const config = makeTimerConfig();
    expect(DEFAULT_TIMER_BASE).toEqual({ t1: 500, t2: 4000, t4: 5000 });
    expect(config).toMatchObject({ t1: 500, t2: 4000, t4: 5000 });
  });

  it('derives the Table 4 timers at the defaults', () => {
    const config = makeTimerConfig();
    expect(config).toMatchObject({
      a: 500, b: 32_000, c: 180_000, d: 32_000, e: 500, f: 32_000,
      g: 500, h: 32_000, i: 5000, j: 32_000, k: 5000, l: 32_000, m: 32_000,
    });
  });

  it('derives every timer from a custom T1/T2/T4', () => {
    const t1 = 100;
    const t4 = 700;
    const config = makeTimerConfig({ t1, t2: 1000, t4 });
    expect(config.t2).toBe(1000);
    for (const name of ['a', 'e', 'g'] as const) expect(config[name]).toBe(t1);
    for (const name of ['b', 'd', 'f', 'h', 'j', 'l', 'm'] as const) expect(config[name]).toBe(64 * t1);
    for (const name of ['i', 'k'] as const) expect(config[name]).toBe(t4);
  });

  it('keeps Timer C above 3 minutes however small T1 is, and tracks 64*T1 beyond that', () => {
    expect(makeTimerConfig({ t1: 10, t2: 4000, t4: 5000 }).c).toBe(180_000);
    expect(makeTimerConfig({ t1: 4000, t2: 4000, t4: 5000 }).c).toBe(256_000);
  });
});
