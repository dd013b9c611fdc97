/**
 * CPU profile of the switch under the calls-per-second load (node --cpu-prof): the switch runs
 * the same scenario as cps-bench (authenticated INVITE .. BYE through the B2BUA, relay ports,
 * SDP rewrite) at one fixed rate; on SIGTERM it exits and V8 writes the profile, which is
 * summarised by self time (file:line in the TypeScript sources).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BenchSwitch, CALLEE, callerIds, injectionFile } from './harness/softswitch.js';
import { cpsRun, regRun, type SippRun, startUas, stopUas } from './harness/sipp.js';
import { CpuWindow } from './harness/proc.js';
import { type ProfileSummary, summariseProfile } from './harness/cpu-profile.js';
import type { Stage } from './ladder.js';

const UAS_PORT = 5090;

export interface ProfileOptions {
  readonly rate: number;
  readonly seconds: number;
  readonly dir: string;
  readonly mediaPorts: readonly [number, number];
}

export interface GcSummary {
  /** Pauses by kind (Scavenge, Mark-Compact...): count, total and longest, in ms. */
  readonly kinds: Record<string, { count: number; totalMs: number; maxMs: number }>;
  /** Heap size after the last GC of each minute-ish; the largest heap seen (MB). */
  readonly maxHeapMb: number;
}

export interface ProfileResult {
  readonly kind: 'cps' | 'register';
  readonly file: string;
  readonly run: SippRun;
  readonly cpuPct: number;
  readonly summary: ProfileSummary;
  readonly gc: GcSummary;
}

/** GC pauses from node --trace-gc lines, e.g. "Mark-Compact 310.2 (330.1) -> 250.3 (320.0) MB, 95.12 / 0.00 ms". */
export function summariseGc(log: string): GcSummary {
  const kinds: Record<string, { count: number; totalMs: number; maxMs: number }> = {};
  let maxHeapMb = 0;
  const re = /ms: ([A-Za-z -]+?) ([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB, ([\d.]+) \/ ([\d.]+) ms/g;
  for (let m = re.exec(log); m !== null; m = re.exec(log)) {
    const kind = (m[1] ?? '?').trim();
    const pause = Number(m[6]);
    const k = (kinds[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
    k.count++;
    k.totalMs += pause;
    k.maxMs = Math.max(k.maxMs, pause);
    maxHeapMb = Math.max(maxHeapMb, Number(m[2]));
  }
  return { kinds, maxHeapMb };
}

export type ProfileKind = 'cps' | 'register';

/** Profiles the switch under one load: `cps` (the calls-per-second scenario) or `register`. */
export async function runProfile(options: ProfileOptions & { kind: ProfileKind }, stage: Stage): Promise<ProfileResult> {
  mkdirSync(options.dir, { recursive: true });
  const profDir = join(options.dir, `cpu-profile-${options.kind}`);
  const swDir = join(options.dir, `softswitch-profile-${options.kind}`);
  const unit = options.kind === 'cps' ? 'calls/s' : 'REGISTER/s';
  stage.say(`profile: softswitch under ${options.rate} ${unit} for ${options.seconds} s with --cpu-prof --trace-gc`);
  const sw = await BenchSwitch.start({
    dir: swDir, callers: 1000, mediaPorts: options.mediaPorts, mediaTimeout: 60,
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=500', '--trace-gc'],
  });
  const log = join(options.dir, 'profile.log');
  let run: SippRun;
  let cpuPct = NaN;
  try {
    const users = injectionFile(join(swDir, 'callers.csv'), callerIds(1000));
    const count = Math.round(options.rate * options.seconds);
    if (options.kind === 'cps') {
      await sw.registerDevice(CALLEE, UAS_PORT, log);
      const uas = await startUas(UAS_PORT, options.dir);
      try {
        const cpu = new CpuWindow(() => [sw.pid]);
        run = await cpsRun(sw.target, options.rate, count, {
          scenario: 'uac_auth.xml', extraArgs: ['-s', CALLEE, '-inf', users], outDir: join(options.dir, 'profile-cps-sipp'), log,
        });
        cpuPct = cpu.read().cpuPct;
      } finally {
        await stopUas(uas);
      }
    } else {
      const cpu = new CpuWindow(() => [sw.pid]);
      run = await regRun(sw.target, options.rate, count, { users, outDir: join(options.dir, 'profile-register-sipp'), log });
      cpuPct = cpu.read().cpuPct;
    }
    stage.say(`  ${run.line} cpu=${cpuPct.toFixed(0)}%`);
  } finally {
    await sw.stop();
  }
  const file = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(profDir, f)).pop();
  if (file === undefined) throw new Error(`no .cpuprofile in ${profDir}`);
  const gc = summariseGc(readFileSync(join(swDir, 'softswitch.log'), 'utf8'));
  return { kind: options.kind, file, run, cpuPct, summary: summariseProfile(file), gc };
}
