/**
 * A rate ladder: run a step at each rate in turn until one fails; the figure is the highest rate
 * that passed: every call completed, none failed, and completed calls per second at least 90% of
 * the offered rate (sipp completes every call of a saturated target eventually, by retransmitting;
 * that is not keeping up). A failed step is tried once more before the ladder stops (the machine is shared
 * and noisy; one unlucky second must not decide the figure, and both tries are reported).
 * With repeats, the whole ladder runs again and the figure is the median of the repeats.
 */

export interface Step {
  readonly rate: number;
  readonly calls: number;
  readonly ok: number;
  readonly failed: number;
  readonly retrans: number;
  readonly achieved: number;
  readonly elapsedS: number;
  readonly passed: boolean;
  /** Server CPU over the step, percent of one core (all its processes). */
  readonly cpuPct?: number;
  /** CPU pressure over the step (PSI: share of wall time some task waited for a CPU), percent. */
  readonly cpuWaitPct?: number;
  readonly cpuMsPerCall?: number;
  readonly rssKb?: number;
  readonly hwmKb?: number;
  readonly line: string;
  /** Why calls failed (sipp's error log), e.g. "3x 481 (expecting 200)". */
  readonly errors?: string;
  /** Kernel UDP receive-buffer drops during the step, by socket (server, uac, uas). */
  readonly drops?: Record<string, number>;
  /** Calls sipp aborted only for a 180 arriving after the 200 (lenient judging). */
  readonly lateProvisional?: number;
  /** Set on the second try of a rate. */
  readonly retry?: boolean;
}

export interface LadderResult {
  readonly system: string;
  /** Every step run, per repeat. */
  readonly repeats: Step[][];
  /** Highest passing rate of each repeat (0: none passed). */
  readonly bestPerRepeat: number[];
  /** Median of bestPerRepeat. */
  readonly best: number;
  /** The passing step at `best` rate (from the repeat whose figure is the median). */
  readonly bestStep?: Step;
  /** The first failing step after it, if any (same repeat). */
  readonly firstFail?: Step;
}

const tries = new Map<string, number>();

/** `RATE-tN`: a distinct output folder for the Nth try of a rate (repeats and retries keep their logs). */
export function tryTag(system: string, rate: number): string {
  const key = `${system}/${rate}`;
  const n = (tries.get(key) ?? 0) + 1;
  tries.set(key, n);
  return `${rate}-t${n}`;
}

/** A step passes when every call completed, none failed, and the target kept up with the offered rate. */
export const KEEP_UP = 0.9;

export function stepPassed(rate: number, calls: number, ok: number, failed: number, achieved: number): boolean {
  return ok === calls && failed === 0 && achieved >= KEEP_UP * rate;
}

export interface Stage {
  say(message: string): void;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] as number;
}

export async function ladder(
  system: string,
  options: { readonly rates: readonly number[]; readonly repeats: number },
  stage: Stage,
  runStep: (rate: number) => Promise<Step>,
  /** Run before every repeat but the first: lets the target wind down from the overload that ended the last one. */
  settle?: () => Promise<void>,
): Promise<LadderResult> {
  const repeats: Step[][] = [];
  const bestPerRepeat: number[] = [];
  for (let r = 0; r < options.repeats; r++) {
    if (r > 0 && settle) await settle();
    const steps: Step[] = [];
    let best = 0;
    for (const rate of options.rates) {
      let step = await runStep(rate);
      steps.push(step);
      stage.say(`  ${system} r${r + 1} ${describe(step)}`);
      if (!step.passed) {
        step = { ...(await runStep(rate)), retry: true };
        steps.push(step);
        stage.say(`  ${system} r${r + 1} retry ${describe(step)}`);
      }
      if (!step.passed) break;
      best = rate;
    }
    repeats.push(steps);
    bestPerRepeat.push(best);
  }
  const best = median(bestPerRepeat);
  const at = bestPerRepeat.indexOf(best);
  const steps = repeats[at] ?? [];
  const bestStep = [...steps].reverse().find((s) => s.rate === best && s.passed);
  const firstFail = steps.find((s) => !s.passed && s.rate > best && s.retry === true) ?? steps.find((s) => !s.passed && s.rate > best);
  return { system, repeats, bestPerRepeat, best, ...(bestStep ? { bestStep } : {}), ...(firstFail ? { firstFail } : {}) };
}

function describe(s: Step): string {
  const cpu = s.cpuPct === undefined ? '' : ` cpu=${s.cpuPct.toFixed(0)}%`;
  const busy = s.cpuWaitPct === undefined ? '' : ` cpu-wait=${s.cpuWaitPct.toFixed(0)}%`;
  const rss = s.rssKb === undefined ? '' : ` rss=${Math.round(s.rssKb / 1024)}MB`;
  return `rate=${s.rate} calls=${s.calls} ok=${s.ok} failed=${s.failed} retrans=${s.retrans} achieved=${s.achieved}/s` +
    `${cpu}${busy}${rss} ${s.lateProvisional ? ` late-180=${s.lateProvisional}` : ''} ${s.passed ? 'PASS' : s.ok === s.calls && s.failed === 0 ? 'FAIL (fell behind)' : 'FAIL'}${dropText(s.drops)}${s.errors ? ` [${s.errors}]` : ''}`;
}

export function dropText(drops: Record<string, number> | undefined): string {
  if (drops === undefined) return '';
  const nonZero = Object.entries(drops).filter(([, n]) => n > 0);
  return nonZero.length === 0 ? '' : ` udp-drops ${nonZero.map(([k, n]) => `${k}=${n}`).join(' ')}`;
}
