/**
 * Child processes of the bench and what /proc says about them. Every process the bench starts
 * gets its own process group and is tracked, so that the whole group (a script and the sipp it
 * started, kamailio and its children) is stopped at the end of a stage, and on SIGINT/SIGTERM
 * or an error: the bench never leaves load running behind it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, closeSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface Started {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  hasExited: boolean;
}

const live = new Set<Started>();

export interface StartOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** File receiving stdout and stderr; default: discarded. */
  readonly log?: string;
}

/** Starts a long-running process in its own process group, output to `log`. */
export function start(name: string, command: string, args: readonly string[], options: StartOptions = {}): Started {
  const fd = options.log === undefined ? 'ignore' : openSync(options.log, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', fd, fd],
  });
  if (typeof fd === 'number') closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  let resolveExit: (code: number | null) => void = () => undefined;
  const exited = new Promise<number | null>((resolve) => { resolveExit = resolve; });
  const started: Started = { name, pid: child.pid, child, exited, hasExited: false };
  child.on('exit', (code) => {
    started.hasExited = true;
    live.delete(started);
    resolveExit(code);
  });
  child.on('error', () => {
    started.hasExited = true;
    live.delete(started);
    resolveExit(-1);
  });
  live.add(started);
  return started;
}

/** Stops a process group: `signal`, then SIGKILL after `graceMs`. Idempotent. */
export async function stop(p: Started, signal: NodeJS.Signals = 'SIGTERM', graceMs = 8000): Promise<void> {
  if (p.hasExited) {
    killGroup(p.pid, 'SIGKILL');
    return;
  }
  killGroup(p.pid, signal);
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
  if (await Promise.race([p.exited.then(() => 'exited' as const), timer]) === 'timeout') killGroup(p.pid, 'SIGKILL');
  await p.exited;
  killGroup(p.pid, 'SIGKILL'); // anything of the group still around (a sipp under `timeout`)
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => stop(p, 'SIGTERM', 3000)));
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
}

/** Runs a command to completion (its own process group, bounded by `timeoutMs`), collecting stdout. */
export async function run(
  name: string, command: string, args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number; log?: string },
): Promise<RunResult> {
  const child = spawn(command, args, {
    cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not run ${name} (${command})`);
  let resolveExit: (code: number | null) => void = () => undefined;
  const exited = new Promise<number | null>((resolve) => { resolveExit = resolve; });
  const started: Started = { name, pid: child.pid, child, exited, hasExited: false };
  live.add(started);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.on('close', (code) => {
    started.hasExited = true;
    live.delete(started);
    resolveExit(code);
  });
  const timer = setTimeout(() => killGroup(started.pid, 'SIGKILL'), options.timeoutMs);
  const code = await exited;
  clearTimeout(timer);
  killGroup(started.pid, 'SIGKILL');
  if (options.log !== undefined) {
    appendFileSync(options.log, `$ ${command} ${args.join(' ')}\n${stdout}${stderr}\n(exit ${code})\n`);
  }
  return { code, stdout };
}

let cleanupInstalled = false;

/** SIGINT/SIGTERM stop every tracked process before the bench exits. */
export function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping every process the bench started`);
      void stopAll().finally(() => process.exit(130));
    });
  }
}

export const CLK_TCK = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime+stime in clock ticks of the processes (gone ones count 0). */
export function cpuTicks(pids: readonly number[]): number {
  let sum = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (fields) sum += Number(fields[11]) + Number(fields[12]);
  }
  return sum;
}

/** /proc/PID/stat fields after the command name: index 0 is field 3 (state). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Every process whose process group is `pgid` (a process and the children it forked). */
export function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && Number(fields[2]) === pgid) pids.push(Number(entry));
  }
  return pids;
}

function statusKb(pid: number, key: string): number {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Resident set size in kB. */
export const rssKb = (pid: number): number => statusKb(pid, 'VmRSS');
/** Peak resident set size in kB. */
export const hwmKb = (pid: number): number => statusKb(pid, 'VmHWM');

export function fdCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
}

/** UDP sockets of `pid` bound to a local port in [lo, hi] (from /proc/net/udp, matched by inode). */
export function udpSocketsInRange(pid: number, lo: number, hi: number): number {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m?.[1] !== undefined) inodes.add(m[1]);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return NaN;
  }
  let n = 0;
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const port = parseInt((cols[1] ?? '').split(':')[1] ?? '', 16);
    if (port >= lo && port <= hi && inodes.has(cols[9] ?? '')) n++;
  }
  return n;
}

/** Kernel receive-buffer drops of the UDP sockets bound to local `port` (/proc/net/udp, last column). */
export function udpDrops(port: number): number {
  let drops = 0;
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (parseInt((cols[1] ?? '').split(':')[1] ?? '', 16) === port) drops += Number(cols[cols.length - 1] ?? 0);
  }
  return drops;
}

/** The soft RLIMIT_NOFILE of a process. */
export function nofileLimit(pid: number): number {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    return m?.[1] === undefined || m[1] === 'unlimited' ? Infinity : Number(m[1]);
  } catch {
    return NaN;
  }
}

/**
 * Time some runnable task waited for a CPU (PSI /proc/pressure/cpu "some" total, microseconds);
 * NaN where the kernel has no PSI. On a shared machine this is the noise indicator: the share of
 * wall time in which something (the server, the generators, a neighbour) could not run.
 */
export function cpuPressureUs(): number {
  try {
    const m = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/**
 * CPU use of `pids` between construction and read(), in percent of one core, and the CPU
 * pressure over the same window. (/proc/stat's machine-wide counters are not used: on this VM
 * they under-count short bursts several-fold against the per-process counters.)
 */
export class CpuWindow {
  private readonly t0 = process.hrtime.bigint();
  private readonly ticks0: number;
  private readonly pressure0 = cpuPressureUs();

  constructor(private readonly pids: () => readonly number[]) {
    this.ticks0 = cpuTicks(pids());
  }

  /** percent of one core used by the pids; CPU pressure (some task waiting) in percent of wall time; seconds. */
  read(): { cpuPct: number; cpuWaitPct: number; seconds: number } {
    const seconds = Number(process.hrtime.bigint() - this.t0) / 1e9;
    const ticks = cpuTicks(this.pids()) - this.ticks0;
    const cpuWaitPct = (100 * (cpuPressureUs() - this.pressure0)) / 1e6 / seconds;
    return { cpuPct: (100 * ticks) / CLK_TCK / seconds, cpuWaitPct, seconds };
  }
}

/** Whether an executable is on the PATH. */
export function have(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it returns true or `timeoutMs` passes; returns the last result. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= until) return false;
    await sleep(everyMs);
  }
}
