/**
 * CPU profile of the switch under the calls-per-second load (node --cpu-prof): the switch runs
 * the same scenario as cps-bench (authenticated INVITE .. BYE through the B2BUA, relay ports,
 * SDP rewrite) at one fixed rate; on SIGTERM it exits and V8 writes the profile, which is
 * summarised by self time (file:line in the TypeScript sources).
 */
import { readdirSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BenchSwitch, CALLEE, callerIds, injectionFile } from './harness/softswitch.js';
import { cpsRun, type SippRun, startUas, stopUas } from './harness/sipp.js';
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

export interface ProfileResult {
  readonly file: string;
  readonly run: SippRun;
  readonly cpuPct: number;
  readonly summary: ProfileSummary;
}

export async function runProfile(options: ProfileOptions, stage: Stage): Promise<ProfileResult> {
  mkdirSync(options.dir, { recursive: true });
  const profDir = join(options.dir, 'cpu-profile');
  const swDir = join(options.dir, 'softswitch-profile');
  stage.say(`profile: softswitch under ${options.rate} calls/s for ${options.seconds} s with --cpu-prof`);
  const sw = await BenchSwitch.start({
    dir: swDir, callers: 1000, mediaPorts: options.mediaPorts, mediaTimeout: 60,
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=500'],
  });
  let run: SippRun;
  let cpuPct = NaN;
  try {
    const users = injectionFile(join(swDir, 'callers.csv'), callerIds(1000));
    await sw.registerDevice(CALLEE, UAS_PORT, join(options.dir, 'profile.log'));
    const uas = await startUas(UAS_PORT, options.dir);
    try {
      const cpu = new CpuWindow(() => [sw.pid]);
      const calls = Math.round(options.rate * options.seconds);
      run = await cpsRun(sw.target, options.rate, calls, {
        scenario: 'uac_auth.xml', extraArgs: ['-s', CALLEE, '-inf', users], outDir: join(options.dir, 'profile-sipp'),
        log: join(options.dir, 'profile.log'),
      });
      cpuPct = cpu.read().cpuPct;
      stage.say(`  ${run.line} cpu=${cpuPct.toFixed(0)}%`);
    } finally {
      await stopUas(uas);
    }
  } finally {
    await sw.stop();
  }
  const file = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(profDir, f)).pop();
  if (file === undefined) throw new Error(`no .cpuprofile in ${profDir}`);
  return { file, run, cpuPct, summary: summariseProfile(file) };
}
