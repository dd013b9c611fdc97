/**
 * Concurrency (DESIGN §6: 10,000 established calls in <= 400 MB resident): authenticated calls
 * through the switch held open (sipp -d) in steps, resident memory per call at each plateau, and
 * after teardown: no call left (/api/calls empty, softswitch_calls 0), transactions drained, the
 * relay's sockets closed (file descriptors and UDP sockets in the relay range back to the
 * baseline), and the live JS heap (heap snapshot, full GC) back where it started.
 *
 * Each call holds 4 UDP sockets in the relay (RTP+RTCP per leg), so the process needs
 * 4 x calls file descriptors: a step larger than RLIMIT_NOFILE allows is capped, with a note.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { heapGrowth, heapSnapshot, type HeapSummary } from './harness/heap.js';
import { BenchSwitch, CALLEE, callerIds, injectionFile, type SwitchResources } from './harness/softswitch.js';
import { sippFile } from './harness/paths.js';
import { parseStat } from './harness/stat.js';
import { startUas, stopUas } from './harness/sipp.js';
import { nofileLimit, sleep, start, stop, udpSocketsInRange, waitUntil } from './harness/proc.js';
import type { Stage } from './ladder.js';

const UAS_PORT = 5090;
const UAC_PORT = 5063;
const SOCKETS_PER_CALL = 4;

export interface ConcurrencyOptions {
  readonly steps: readonly number[];
  /** Call setup rate while ramping up. */
  readonly rate: number;
  /** Seconds every call stays up after the last one is set up (> 32 s lets the setup transactions drain before the plateau sample). */
  readonly holdS: number;
  readonly dir: string;
  readonly mediaPorts: readonly [number, number];
  /** Heap snapshots at baseline and after each teardown. */
  readonly heap: boolean;
  /** Seconds to wait for transactions to drain after teardown (their timers run 32 s); 0: do not wait. */
  readonly drainS: number;
}

export interface Snapshot extends SwitchResources {
  readonly relaySockets: number;
}

export interface ConcurrencyStep {
  readonly requested: number;
  /** The step's switch, idle, before any call and before its first heap snapshot. */
  readonly baseline: Snapshot;
  readonly heapBaseline?: HeapSummary | { error: string };
  readonly calls: number;
  readonly capNote?: string;
  readonly ok: number;
  readonly failed: number;
  /** Most calls the switch held at once. */
  readonly peakCalls: number;
  readonly plateau: Snapshot;
  readonly after: Snapshot;
  readonly perCallKb: number;
  /** Live JS heap at the plateau (snapshot, after a full GC) and per call over the idle heap. */
  readonly heapPlateau?: HeapSummary | { error: string };
  readonly heapPerCallKb?: number;
  readonly heapAfter?: HeapSummary | { error: string };
  readonly heapGrowth?: Array<{ name: string; count: number; bytes: number }>;
}

export interface ConcurrencyResults {
  readonly nofile: number;
  readonly steps: ConcurrencyStep[];
}

/**
 * Each step runs in a switch process of its own, and no heap snapshot is taken in it before its
 * plateau RSS is read: a snapshot leaves 60-150 MB in the process's allocator (gone from the heap,
 * not from RSS), which a plateau read after it would count as calls. The idle live heap comes
 * from a twin switch, started the same way and stopped after its snapshot.
 */
export async function runConcurrency(options: ConcurrencyOptions, stage: Stage): Promise<ConcurrencyResults> {
  mkdirSync(options.dir, { recursive: true });
  const heapBaseline = options.heap ? await idleHeap(options, stage) : undefined;
  const steps: ConcurrencyStep[] = [];
  let nofile = NaN;
  let previous = 0;
  for (const requested of options.steps) {
    const dir = join(options.dir, `softswitch-conc-${requested}`);
    const step = await withIdleSwitch(options, dir, stage, async (idle) => {
      nofile = idle.nofile;
      const calls = Math.min(requested, idle.maxCalls, idle.relayCapacity);
      const capNote = calls < requested
        ? `capped from ${requested}: ${SOCKETS_PER_CALL} relay sockets per call and RLIMIT_NOFILE ${nofile} (hard limit; not raisable here) allow ${idle.maxCalls}`
        : undefined;
      if (capNote) stage.say(`  ${capNote}`);
      if (calls <= previous) {
        stage.say(`  step ${requested} skipped (same as the previous step after the cap)`);
        return undefined;
      }
      previous = calls;
      return measureStep({ ...idle, heapBaseline }, requested, calls, capNote, options, dir, stage);
    });
    if (step) steps.push(step);
  }
  return { nofile, steps };
}

interface IdleSwitch {
  readonly sw: BenchSwitch;
  readonly baseline: Snapshot;
  readonly users: string;
  readonly nofile: number;
  readonly maxCalls: number;
  readonly relayCapacity: number;
  readonly snap: () => Promise<Snapshot>;
}

/** A fresh switch with the callee registered and its UAS up, measured idle, for the time of `body`. */
async function withIdleSwitch<T>(
  options: ConcurrencyOptions, dir: string, stage: Stage, body: (idle: IdleSwitch) => Promise<T>,
): Promise<T> {
  const [lo, hi] = options.mediaPorts;
  const sw = await BenchSwitch.start({
    dir, callers: 1000, mediaPorts: options.mediaPorts, mediaTimeout: 3600, nodeArgs: ['--heapsnapshot-signal=SIGUSR2'],
  });
  const snap = async (): Promise<Snapshot> => ({ ...(await sw.resources()), relaySockets: udpSocketsInRange(sw.pid, lo, hi) });
  try {
    const users = injectionFile(join(dir, 'callers.csv'), callerIds(1000));
    await sw.registerDevice(CALLEE, UAS_PORT, join(options.dir, 'concurrency.log'));
    const uas = await startUas(UAS_PORT, options.dir, 'uas.xml', ['-l', '30000']);
    try {
      await sleep(1000);
      const baseline = await snap();
      const nofile = nofileLimit(sw.pid);
      stage.say(`concurrency: idle switch rss=${mb(baseline.rssKb)} V8 heap committed ${mb(baseline.heapTotalKb)} used ${mb(baseline.heapUsedKb)} ` +
        `fds=${baseline.fds} relay sockets=${baseline.relaySockets} RLIMIT_NOFILE=${nofile}`);
      return await body({
        sw, baseline, users, nofile, snap,
        maxCalls: Math.floor((nofile - baseline.fds - 64) / SOCKETS_PER_CALL),
        relayCapacity: Math.floor((hi - lo + 1) / 2 / 2),
      });
    } finally {
      await stopUas(uas);
    }
  } finally {
    await sw.stop();
  }
}

/** The live heap of an idle switch (registered callee, as in every step), from a twin process. */
async function idleHeap(options: ConcurrencyOptions, stage: Stage): Promise<HeapSummary | { error: string }> {
  const dir = join(options.dir, 'softswitch-conc-idle');
  const sw = await BenchSwitch.start({
    dir, callers: 1000, mediaPorts: options.mediaPorts, mediaTimeout: 3600, nodeArgs: ['--heapsnapshot-signal=SIGUSR2'],
  });
  try {
    await sw.registerDevice(CALLEE, UAS_PORT, join(options.dir, 'concurrency.log'));
    await sleep(1000);
    const heap = await heapSnapshot(sw.pid, dir);
    stage.say(`concurrency: idle live heap ${'totalBytes' in heap ? mb(heap.totalBytes / 1024) : heap.error} (a twin switch, snapshot taken and stopped)`);
    return heap;
  } finally {
    await sw.stop();
  }
}

async function measureStep(
  idle: IdleSwitch & { readonly heapBaseline: HeapSummary | { error: string } | undefined }, requested: number, calls: number, capNote: string | undefined,
  options: ConcurrencyOptions, dir: string, stage: Stage,
): Promise<ConcurrencyStep> {
  const { sw, baseline, heapBaseline } = idle;
  const step = await holdCalls(sw, calls, options, idle.users, dir, stage, idle.snap);
  const heapAfter = options.heap ? await heapSnapshot(sw.pid, dir) : undefined;
  const growth = heapBaseline && heapAfter && 'totalBytes' in heapBaseline && 'totalBytes' in heapAfter
    ? heapGrowth(heapBaseline, heapAfter) : undefined;
  const perCallKb = (step.plateau.rssKb - baseline.rssKb) / Math.max(1, step.peakCalls);
  const heapPerCallKb = step.heapPlateau && 'totalBytes' in step.heapPlateau && heapBaseline && 'totalBytes' in heapBaseline
    ? (step.heapPlateau.totalBytes - heapBaseline.totalBytes) / 1024 / Math.max(1, step.peakCalls) : undefined;
  stage.say(`  ${calls} calls: ok=${step.ok} failed=${step.failed} peak=${step.peakCalls} plateau rss=${mb(step.plateau.rssKb)} ` +
    `(${perCallKb.toFixed(1)} kB/call)${heapPerCallKb === undefined ? '' : ` live heap ${heapPerCallKb.toFixed(1)} kB/call`} ` +
    `V8 heap committed ${mb(step.plateau.heapTotalKb)} used ${mb(step.plateau.heapUsedKb)} external ${mb(step.plateau.externalKb)} fds=${step.plateau.fds}; ` +
    `after teardown: calls=${step.after.calls} listed=${step.after.listedCalls} transactions=${step.after.transactions} ` +
    `fds=${step.after.fds} relay sockets=${step.after.relaySockets} rss=${mb(step.after.rssKb)}` +
    (heapAfter && 'totalBytes' in heapAfter ? ` live heap=${mb(heapAfter.totalBytes / 1024)}` : ''));
  return {
    requested, calls, ...(capNote ? { capNote } : {}), baseline, ...(heapBaseline ? { heapBaseline } : {}), ...step, perCallKb,
    ...(heapPerCallKb !== undefined ? { heapPerCallKb } : {}), ...(heapAfter ? { heapAfter } : {}), ...(growth ? { heapGrowth: growth } : {}),
  };
}

async function holdCalls(
  sw: BenchSwitch, calls: number, options: ConcurrencyOptions, users: string, dir: string, stage: Stage,
  snap: () => Promise<Snapshot>,
): Promise<Omit<ConcurrencyStep, 'requested' | 'calls' | 'capNote' | 'perCallKb' | 'heapAfter' | 'heapGrowth' | 'heapPerCallKb' | 'baseline' | 'heapBaseline'>> {
  const rampS = calls / options.rate;
  const holdMs = Math.round((rampS + options.holdS) * 1000);
  const stat = join(dir, `conc-${calls}.csv`);
  const limitS = Math.ceil(rampS + options.holdS + 60);
  const uac = start('sipp uac (held calls)', 'timeout', [String(limitS), 'sipp',
    '-sf', sippFile('uac_auth.xml'), sw.target, '-s', CALLEE, '-inf', users, '-i', '127.0.0.1', '-p', String(UAC_PORT),
    '-r', String(options.rate), '-rp', '1000', '-m', String(calls), '-l', String(calls), '-d', String(holdMs), '-nostdin',
    '-trace_stat', '-stf', stat, '-fd', '1', '-trace_err', '-error_file', join(dir, `conc-${calls}-errors.log`),
  ], { cwd: dir, log: join(dir, `conc-${calls}.log`) });
  let peakCalls = 0;
  let plateau: Snapshot | undefined;
  let heapPlateau: HeapSummary | { error: string } | undefined;
  try {
    stage.say(`  holding ${calls} calls: ramp ${rampS.toFixed(0)} s at ${options.rate}/s, then ${options.holdS} s up`);
    // Plateau: every call up (or the ramp over), then the setup transactions drained (their
    // timers run 32 s after the last setup) so that what is measured is established calls only,
    // or the hold nearly over.
    const started = Date.now();
    const upBy = started + (rampS + options.holdS * 0.5) * 1000;
    await waitUntil(async () => {
      const r = await sw.resources();
      peakCalls = Math.max(peakCalls, r.calls);
      return r.calls >= calls || Date.now() > upBy || uac.hasExited;
    }, (rampS + options.holdS) * 1000, 500);
    const settledBy = started + (rampS + options.holdS - 4) * 1000;
    await waitUntil(async () => {
      const r = await sw.resources();
      peakCalls = Math.max(peakCalls, r.calls);
      return r.transactions <= Math.max(10, calls * 0.02) || Date.now() > settledBy || uac.hasExited;
    }, (rampS + options.holdS) * 1000, 1000);
    await sleep(1000);
    plateau = await snap();
    peakCalls = Math.max(peakCalls, plateau.calls);
    // The calls are idle while held: a snapshot's pause (seconds at this size) disturbs nothing.
    if (options.heap) heapPlateau = await heapSnapshot(sw.pid, dir, Math.max(30_000, options.holdS * 500));
    await uac.exited;
  } finally {
    await stop(uac, 'SIGTERM', 5000);
  }
  const counts = parseStat(stat);
  // Teardown: calls gone at once; transactions after their timers (Timer K/J/D: up to 32 s).
  await waitUntil(async () => {
    const r = await sw.resources();
    return r.calls === 0 && r.listedCalls === 0;
  }, 60_000, 500);
  if (options.drainS > 0) await waitUntil(async () => (await sw.resources()).transactions === 0, options.drainS * 1000, 1000);
  // An ended call's relay ports keep forwarding for media.linger (1 s by default) before they close.
  await sleep(2500);
  const after = await snap();
  return { ok: counts.ok, failed: counts.failed, peakCalls, plateau: plateau ?? after, after, ...(heapPlateau ? { heapPlateau } : {}) };
}

function mb(kb: number): string {
  return `${(kb / 1024).toFixed(1)}MB`;
}

