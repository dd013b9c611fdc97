/**
 * REGISTER with digest auth (DESIGN §6 registration): REGISTER, 401, REGISTER with credentials,
 * 200, for 1,000 users from an injection file, at increasing rates; the highest rate with every
 * registration completed and none failed. Softswitch (SQLite persistence on) and Kamailio's
 * registrar (anchors' kamailio-registrar.cfg, usrloc in memory) in the same run, through the
 * same driver (bench/sipp/reg.sh) with the same users file.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type AnchorServer, startKamailio } from './harness/anchors.js';
import { BenchSwitch, callerIds, injectionFile } from './harness/softswitch.js';
import { regRun, type SippRun } from './harness/sipp.js';
import { CpuWindow, hwmKb, rssKb, sleep, waitUntil } from './harness/proc.js';
import { errorSummary } from './harness/stat.js';
import { dropWindow } from './cps-bench.js';
import { type Stage, ladder, tryTag, type LadderResult, type Step, stepPassed } from './ladder.js';

const REGISTRAR_PORT = 5074;
/** reg.sh's UAC port. */
const UAC_PORT = 5064;
const USERS = 1000;

export interface RegisterOptions {
  readonly rates: readonly number[];
  readonly seconds: number;
  readonly repeats: number;
  readonly anchors: boolean;
  readonly dir: string;
  readonly mediaPorts: readonly [number, number];
  /** Another build's dist/src/cli.js, run through the same ladder after this one (BENCH_BASELINE). */
  readonly baselineCli?: string;
}

export interface RegisterResults {
  readonly kamailio?: LadderResult;
  readonly softswitch: LadderResult;
  readonly baseline?: LadderResult;
}

export async function runRegister(options: RegisterOptions, stage: Stage): Promise<RegisterResults> {
  mkdirSync(options.dir, { recursive: true });
  const log = join(options.dir, 'register.log');
  const users = injectionFile(join(options.dir, 'reg-users.csv'), callerIds(USERS));
  const count = (rate: number): number => Math.max(10, Math.round(rate * options.seconds));

  let kamailio: LadderResult | undefined;
  if (options.anchors) {
    stage.say('register: Kamailio registrar (anchors/kamailio-registrar.cfg, usrloc in memory)');
    let server: AnchorServer | undefined;
    try {
      server = await startKamailio('kamailio-registrar.cfg', REGISTRAR_PORT, options.dir);
      const srv = server;
      kamailio = await ladder('Kamailio registrar', options, stage, async (rate) => {
        const cpu = new CpuWindow(() => srv.pids());
        const drops = dropWindow({ server: REGISTRAR_PORT, uac: UAC_PORT });
        const outDir = join(options.dir, `kreg-${tryTag('kreg', rate)}`);
        const run = await regRun(`127.0.0.1:${REGISTRAR_PORT}`, rate, count(rate), { users, outDir, log });
        const rss = srv.pids().reduce((s, pid) => s + (rssKb(pid) || 0), 0);
        const step = fromRun(rate, count(rate), run, cpu.read(), drops(), outDir, rss);
        await sleep(500);
        return step;
      });
    } finally {
      await server?.stop();
    }
  }

  stage.say('register: softswitch registrar (digest auth, SQLite persistence)');
  const softswitch = await switchLadder('softswitch registrar', undefined, options, stage, users);
  let baseline: LadderResult | undefined;
  if (options.baselineCli !== undefined) {
    stage.say(`register: the same through the baseline build ${options.baselineCli}`);
    baseline = await switchLadder('baseline registrar', options.baselineCli, options, stage, users);
  }
  return { ...(kamailio ? { kamailio } : {}), softswitch, ...(baseline ? { baseline } : {}) };
}

async function switchLadder(
  name: string, cli: string | undefined, options: RegisterOptions, stage: Stage, users: string,
): Promise<LadderResult> {
  const log = join(options.dir, 'register.log');
  const count = (rate: number): number => Math.max(10, Math.round(rate * options.seconds));
  const tag = cli === undefined ? 'sreg' : 'breg';
  const sw = await BenchSwitch.start({
    dir: join(options.dir, `softswitch-${tag}`), callers: USERS, mediaPorts: options.mediaPorts, mediaTimeout: 60, ...(cli ? { cli } : {}),
  });
  try {
    return await ladder(name, options, stage, async (rate) => {
      const cpu = new CpuWindow(() => [sw.pid]);
      const drops = dropWindow({ server: sw.sipPort, uac: UAC_PORT });
      const outDir = join(options.dir, `${tag}-${tryTag(tag, rate)}`);
      const run = await regRun(sw.target, rate, count(rate), { users, outDir, log });
      const step = fromRun(rate, count(rate), run, cpu.read(), drops(), outDir, rssKb(sw.pid), hwmKb(sw.pid));
      await sleep(500);
      return step;
    }, () => drained(sw, stage));
  } finally {
    await sw.stop();
  }
}

/**
 * A repeat starts once the switch holds no transaction: the overload that ended the previous
 * repeat leaves up to 64*T1 (32 s) of completed transactions and retransmissions behind, and a
 * ladder started on top of them measures that backlog, not the rate. Kamailio's registrar
 * answers statelessly and keeps nothing to drain.
 */
async function drained(sw: BenchSwitch, stage: Stage): Promise<void> {
  const started = Date.now();
  const quiet = await waitUntil(async () => (await sw.resources()).transactions === 0, 45_000, 1000);
  stage.say(`  (switch ${quiet ? 'drained' : 'NOT drained'} after ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

function fromRun(
  rate: number, count: number, run: SippRun, cpu: { cpuPct: number; cpuWaitPct: number; seconds: number },
  drops: Record<string, number>, outDir: string, rss: number, hwm?: number,
): Step {
  const errors = run.failed > 0 || run.ok !== count ? errorSummary(join(outDir, 'err.log')) : '';
  return {
    rate, calls: count, ok: run.ok, failed: run.failed, retrans: run.retrans, achieved: run.achieved, elapsedS: run.elapsedS,
    passed: stepPassed(rate, count, run.ok, run.failed, run.achieved),
    cpuPct: cpu.cpuPct, cpuWaitPct: cpu.cpuWaitPct,
    cpuMsPerCall: (cpu.cpuPct / 100) * cpu.seconds * 1000 / Math.max(1, run.ok),
    rssKb: rss, ...(hwm !== undefined ? { hwmKb: hwm } : {}),
    drops, ...(errors ? { errors } : {}),
    line: run.line,
  };
}
