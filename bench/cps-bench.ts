/**
 * Calls per second (DESIGN §6 signalling): sipp UAC -> target -> sipp UAS, INVITE..BYE without
 * hold time, at increasing rates; the highest rate with every call completed and none failed.
 * Targets, one after the other in the same run and through the same driver (bench/sipp/cps.sh):
 *   - sipp -> sipp directly (the generator's own limit),
 *   - sipp -> Kamailio stateful record-routing proxy (anchors' kamailio.cfg) -> sipp,
 *   - sipp -> softswitch -> sipp: digest auth on every INVITE (INVITE, 407, ACK, INVITE with
 *     credentials), media ports allocated and SDP rewritten, the UAS a registered user.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type AnchorServer, startKamailio } from './harness/anchors.js';
import { BenchSwitch, CALLEE, callerIds, injectionFile } from './harness/softswitch.js';
import { cpsRun, type SippRun, startUas, stopUas } from './harness/sipp.js';
import { CpuWindow, hwmKb, rssKb, sleep, udpDrops, waitUntil } from './harness/proc.js';
import { errorSummary, lateProvisionalAborts } from './harness/stat.js';
import { type Stage, ladder, tryTag, type LadderResult, type Step, stepPassed } from './ladder.js';

/** The anchors' fixed ports: the UAS all targets deliver to, and Kamailio's proxy. */
const UAS_PORT = 5090;
const KAMAILIO_PORT = 5070;
/** cps.sh's UAC port. */
const UAC_PORT = 5061;

/** Counts receive-buffer drops of the sockets on `ports` from now until read(). */
export function dropWindow(ports: Record<string, number>): () => Record<string, number> {
  const before = Object.fromEntries(Object.entries(ports).map(([k, p]) => [k, udpDrops(p)]));
  return () => Object.fromEntries(Object.entries(ports).map(([k, p]) => [k, udpDrops(p) - (before[k] ?? 0)]));
}

export interface CpsOptions {
  readonly rates: readonly number[];
  /** Seconds of traffic per step: calls = rate * seconds. */
  readonly seconds: number;
  readonly repeats: number;
  readonly anchors: boolean;
  /** Also measure sipp -> sipp directly (default true). */
  readonly direct?: boolean;
  readonly dir: string;
  readonly mediaPorts: readonly [number, number];
  /** Another build's dist/src/cli.js to measure with the same ladder (before/after figures). */
  readonly baselineCli?: string;
  /** Extra node flags for the switch (profiling). */
  readonly nodeArgs?: readonly string[];
}

export interface CpsResults {
  readonly direct?: LadderResult;
  readonly kamailio?: LadderResult;
  /**
   * Kamailio again, same anchors' scenario, judged leniently: a call aborted only because a 180
   * arrived after the 200 (out-of-order forwarding by Kamailio's workers) is not a failure.
   */
  readonly kamailioLenient?: LadderResult;
  readonly softswitch: LadderResult;
  /** The same ladder through the build of BENCH_BASELINE. */
  readonly baseline?: LadderResult;
}

export async function runCps(options: CpsOptions, stage: Stage): Promise<CpsResults> {
  mkdirSync(options.dir, { recursive: true });
  const log = join(options.dir, 'cps.log');
  const calls = (rate: number): number => Math.max(10, Math.round(rate * options.seconds));

  let direct: LadderResult | undefined;
  if (options.direct !== false) {
    stage.say('cps: sipp -> sipp direct');
    const uas = await startUas(UAS_PORT, options.dir);
    try {
      direct = await ladder('sipp direct', options, stage, async (rate) => {
        const machine = new CpuWindow(() => []);
        const drops = dropWindow({ uac: UAC_PORT, uas: UAS_PORT });
        const outDir = join(options.dir, `direct-${tryTag('direct', rate)}`);
        const run = await cpsRun(`127.0.0.1:${UAS_PORT}`, rate, calls(rate), { outDir, log });
        return fromRun(rate, calls(rate), run, { cpuWaitPct: machine.read().cpuWaitPct, drops: drops(), outDir });
      });
    } finally {
      await stopUas(uas);
    }
  }

  let kamailio: LadderResult | undefined;
  let kamailioLenient: LadderResult | undefined;
  if (options.anchors) {
    stage.say('cps: sipp -> Kamailio stateful proxy (anchors/kamailio.cfg) -> sipp');
    let server: AnchorServer | undefined;
    const kuas = await startUas(UAS_PORT, options.dir);
    try {
      server = await startKamailio('kamailio.cfg', KAMAILIO_PORT, options.dir);
      const srv = server;
      const kamailioStep = (name: string, lenient: boolean) => async (rate: number): Promise<Step> => {
        const cpu = new CpuWindow(() => srv.pids());
        const drops = dropWindow({ server: KAMAILIO_PORT, uac: UAC_PORT, uas: UAS_PORT });
        const outDir = join(options.dir, `${name}-${tryTag(name, rate)}`);
        const run = await cpsRun(`127.0.0.1:${KAMAILIO_PORT}`, rate, calls(rate), { outDir, log });
        const rssSum = srv.pids().reduce((s, pid) => s + (rssKb(pid) || 0), 0);
        let step = fromRun(rate, calls(rate), run, { cpu: cpu.read(), rssKb: rssSum, drops: drops(), outDir });
        if (lenient) {
          const late = lateProvisionalAborts(join(outDir, 'errors.log'));
          const achieved = run.ok > 0 ? (run.achieved * (run.ok + late)) / run.ok : run.achieved;
          step = {
            ...step, lateProvisional: late,
            passed: stepPassed(rate, calls(rate), run.ok + late, run.failed - late, achieved),
          };
        }
        await sleep(1000);
        return step;
      };
      kamailio = await ladder('Kamailio proxy', options, stage, kamailioStep('kamailio', false));
      stage.say('cps: the same Kamailio, calls failed only by a 180 arriving after the 200 not counted');
      kamailioLenient = await ladder('Kamailio proxy (late 180 not counted)', options, stage, kamailioStep('kamailio-lenient', true));
    } finally {
      await server?.stop();
      await stopUas(kuas);
    }
  }

  stage.say('cps: sipp -> softswitch (digest auth on every INVITE, relay ports, SDP rewrite) -> sipp');
  const softswitch = await switchLadder('softswitch', undefined, options, stage);
  let baseline: LadderResult | undefined;
  if (options.baselineCli !== undefined) {
    stage.say(`cps: the same through the baseline build ${options.baselineCli}`);
    baseline = await switchLadder('baseline', options.baselineCli, options, stage);
  }
  return {
    ...(direct ? { direct } : {}), ...(kamailio ? { kamailio } : {}), ...(kamailioLenient ? { kamailioLenient } : {}), softswitch,
    ...(baseline ? { baseline } : {}),
  };
}

/** The switch ladder: this build, or another build's CLI (`cli`) under the same load. */
async function switchLadder(name: string, cli: string | undefined, options: CpsOptions, stage: Stage): Promise<LadderResult> {
  const log = join(options.dir, 'cps.log');
  const calls = (rate: number): number => Math.max(10, Math.round(rate * options.seconds));
  const swDir = join(options.dir, name);
  const sw = await BenchSwitch.start({
    dir: swDir, callers: 1000, mediaPorts: options.mediaPorts, mediaTimeout: 60, nodeArgs: options.nodeArgs ?? [],
    ...(cli !== undefined ? { cli } : {}),
  });
  try {
    const users = injectionFile(join(swDir, 'callers.csv'), callerIds(1000));
    await sw.registerDevice(CALLEE, UAS_PORT, log);
    const suas = await startUas(UAS_PORT, options.dir);
    try {
      return await ladder(name, options, stage, async (rate) => {
        const cpu = new CpuWindow(() => [sw.pid]);
        const drops = dropWindow({ server: sw.sipPort, uac: UAC_PORT, uas: UAS_PORT });
        const outDir = join(options.dir, `${name}-${tryTag(name, rate)}`);
        const run = await cpsRun(sw.target, rate, calls(rate), {
          scenario: 'uac_auth.xml', extraArgs: ['-s', CALLEE, '-inf', users], outDir, log,
        });
        const window = cpu.read();
        const step = fromRun(rate, calls(rate), run, { cpu: window, rssKb: rssKb(sw.pid), hwmKb: hwmKb(sw.pid), drops: drops(), outDir });
        // Let the calls of this step end before the next one (transactions linger 32 s; that is fine).
        await waitUntil(async () => (await sw.resources()).calls === 0, 30_000, 250);
        await sleep(1000);
        return step;
      });
    } finally {
      await stopUas(suas);
    }
  } finally {
    await sw.stop();
  }
}

function fromRun(
  rate: number, calls: number, run: SippRun,
  extra: {
    cpu?: { cpuPct: number; cpuWaitPct: number; seconds: number }; cpuWaitPct?: number; rssKb?: number; hwmKb?: number;
    drops: Record<string, number>; outDir: string;
  },
): Step {
  const errors = run.failed > 0 || run.ok !== calls ? errorSummary(join(extra.outDir, 'errors.log')) : '';
  return {
    rate, calls, ok: run.ok, failed: run.failed, retrans: run.retrans, achieved: run.achieved, elapsedS: run.elapsedS,
    passed: stepPassed(rate, calls, run.ok, run.failed, run.achieved),
    ...(extra.cpu ? {
      cpuPct: extra.cpu.cpuPct, cpuWaitPct: extra.cpu.cpuWaitPct,
      cpuMsPerCall: (extra.cpu.cpuPct / 100) * extra.cpu.seconds * 1000 / Math.max(1, run.ok),
    } : {}),
    ...(extra.cpuWaitPct !== undefined ? { cpuWaitPct: extra.cpuWaitPct } : {}),
    ...(extra.rssKb !== undefined ? { rssKb: extra.rssKb } : {}),
    ...(extra.hwmKb !== undefined ? { hwmKb: extra.hwmKb } : {}),
    drops: extra.drops,
    ...(errors ? { errors } : {}),
    line: run.line,
  };
}
