/**
 * sipp through the driver scripts in bench/sipp (cps.sh, reg.sh, media.sh: the anchors' scripts,
 * parameterised so that every target runs through the same ones), and sipp UASs.
 */
import { join } from 'node:path';
import { sippFile } from './paths.js';
import { udpPortFree } from './ports.js';
import { run, type Started, start, stop } from './proc.js';

/** `key=value` tokens of a driver's result line; values may be quoted with '...'. */
export function parseKv(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z_][\w]*)=('([^']*)'|\S*)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    const key = m[1] as string;
    out[key] = m[3] ?? m[2] ?? '';
  }
  return out;
}

/** A number from a token like `12.5s`, `33%` or `1200cps`; NaN if absent. */
export function num(value: string | undefined): number {
  if (value === undefined) return NaN;
  const m = /^-?\d+(\.\d+)?/.exec(value);
  return m ? Number(m[0]) : NaN;
}

export interface SippRun {
  readonly ok: number;
  readonly failed: number;
  readonly retrans: number;
  readonly elapsedS: number;
  readonly achieved: number;
  readonly rc: number;
  readonly line: string;
}

function sippRun(stdout: string): SippRun {
  const line = stdout.trim().split('\n').filter((l) => l.includes('ok=')).pop() ?? stdout.trim();
  const kv = parseKv(line);
  return {
    ok: num(kv.ok), failed: num(kv.failed), retrans: num(kv.retrans), elapsedS: num(kv.elapsed),
    achieved: num(kv.achieved), rc: num(kv.rc), line,
  };
}

/** cps.sh TARGET RATE CALLS: INVITE..BYE calls without hold time. */
export async function cpsRun(
  target: string, rate: number, calls: number,
  options: { scenario?: string; extraArgs?: readonly string[]; outDir: string; log: string },
): Promise<SippRun> {
  const env = { ...process.env, OUT_DIR: options.outDir, ...(options.scenario ? { SCENARIO: sippFile(options.scenario) } : {}) };
  const result = await run('cps.sh', sippFile('cps.sh'), [target, String(rate), String(calls), ...(options.extraArgs ?? [])], {
    env, timeoutMs: (calls / rate + 90) * 1000, log: options.log,
  });
  return sippRun(result.stdout);
}

/** reg.sh TARGET RATE COUNT with an injection file of users. */
export async function regRun(
  target: string, rate: number, count: number, options: { users: string; outDir: string; log: string },
): Promise<SippRun> {
  const env = { ...process.env, OUT_DIR: options.outDir, USERS: options.users };
  const result = await run('reg.sh', sippFile('reg.sh'), [target, String(rate), String(count)], {
    env, timeoutMs: (count / rate + 70) * 1000, log: options.log,
  });
  return sippRun(result.stdout);
}

/** media.sh TARGET CONC CALL_MS; returns the RESULT line's fields. */
export async function mediaRun(
  target: string, conc: number, callMs: number, env: Record<string, string>, log: string,
): Promise<Record<string, string>> {
  const ramp = Number(env.RAMP_S ?? 10);
  const result = await run('media.sh', sippFile('media.sh'), [target, String(conc), String(callMs)], {
    env: { ...process.env, ...env }, timeoutMs: (ramp + (2 * callMs) / 1000 + 90) * 1000, log,
  });
  const line = result.stdout.split('\n').filter((l) => l.startsWith('RESULT')).pop() ?? 'RESULT error: no result line';
  return { ...parseKv(line), line };
}

/** A sipp UAS (anchors' uas.xml by default) on 127.0.0.1:`port`, until stopped. */
export async function startUas(port: number, dir: string, scenario = 'uas.xml', extra: readonly string[] = []): Promise<Started> {
  if (!(await udpPortFree(port))) throw new Error(`UDP port ${port} is in use: the bench's sipp UAS needs it`);
  const uas = start('sipp uas', 'sipp', [
    '-sf', sippFile(scenario), '-i', '127.0.0.1', '-p', String(port), '-nostdin', '-trace_err', '-error_file', join(dir, `uas-${port}-errors.log`),
    ...extra,
  ], { cwd: dir, log: join(dir, `uas-${port}.log`) });
  // sipp binds at once; give it a moment before traffic arrives.
  await new Promise((resolve) => setTimeout(resolve, 500));
  if (uas.hasExited) throw new Error(`sipp UAS on ${port} exited at once (see ${dir})`);
  return uas;
}

export async function stopUas(uas: Started): Promise<void> {
  await stop(uas, 'SIGTERM', 3000);
}
