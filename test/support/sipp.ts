/**
 * Runs sipp (the SIPp traffic generator, Debian's `sip-tester`) as a child process for the
 * integration tests: a real SIP peer that shares no code with the switch (DESIGN §5).
 *
 * Every run gets its own temporary directory holding sipp's message log (-trace_msg), error log
 * (-trace_err), statistics file (-trace_stat) and any injection file, and is bounded twice: by
 * sipp's own `-timeout` (with `-timeout_error`, so a run that times out counts as failed) and by a
 * hard SIGKILL a little later. The result carries the call counts from the statistics file, so a
 * test asserts "20 successful, 0 failed" rather than trusting the exit code alone (sipp exits 0
 * when stopped by a signal before any call completed).
 *
 * sipp is required on CI (CI=true) and may only be reported as skipped elsewhere: see
 * {@link requireSipp}.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's sipp scenarios. */
export const SCENARIO_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../scenarios');

/** The sipp executable: `$SIPP`, else `sipp` from the PATH. */
export const SIPP_BIN = process.env.SIPP ?? 'sipp';

export interface SippAvailability {
  /** sipp answered `-v`. */
  readonly available: boolean;
  /** Its version line, or why it is not usable. */
  readonly detail: string;
  /** True only off CI with sipp missing: `describe.skipIf(sipp.skip)`. */
  readonly skip: boolean;
}

let availability: SippAvailability | undefined;

function onCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * Whether the sipp suites run. sipp missing on CI (env CI=true) is an error thrown here, at
 * collection time, so the suite FAILS with a message saying what to install; off CI it returns
 * `skip: true` and the suite reports skipped (DESIGN §5).
 */
export function requireSipp(): SippAvailability {
  if (availability === undefined) {
    availability = probeSipp();
    if (!availability.available && !onCi()) {
      console.warn(`sipp suites are skipped: ${availability.detail} (on CI, with CI=true, they would fail)`);
    }
  }
  if (!availability.available && onCi()) {
    throw new Error(
      `sipp is required on CI (CI=${process.env.CI}) but is not usable: ${availability.detail}. ` +
      'Install it (Debian/Ubuntu: apt-get install -y sip-tester) or point $SIPP at the executable.',
    );
  }
  return availability;
}

function probeSipp(): SippAvailability {
  // `sipp -v` prints the version and exits 99.
  const run = spawnSync(SIPP_BIN, ['-v'], { encoding: 'utf8', timeout: 10_000 });
  if (run.error) return { available: false, skip: true, detail: `${SIPP_BIN}: ${run.error.message}` };
  const version = /SIPp v\S+/.exec(`${run.stdout}${run.stderr}`)?.[0];
  if (!version) return { available: false, skip: true, detail: `${SIPP_BIN} -v printed no SIPp version` };
  return { available: true, skip: false, detail: version };
}

export interface SippOptions {
  /** A file name in test/scenarios (`uac.xml`) or a path. */
  readonly scenario: string;
  /** `host:port` to send to; omit for a scenario that starts by receiving (a UAS). */
  readonly remote?: string;
  /** sipp transport mode: `u1` UDP with one socket (default), `t1` TCP with one connection. */
  readonly transport?: 'u1' | 't1';
  /** `-s`: the `[service]` keyword (user part of the Request-URI in our scenarios). */
  readonly service?: string;
  /** `-m`: stop after this many calls (default 1). */
  readonly calls?: number;
  /** `-r`: new calls per second (sipp's default is 10). */
  readonly rate?: number;
  /** `-l`: at most this many calls at once. */
  readonly limit?: number;
  /** `-d`: length of each `<pause/>` without its own duration, in ms. */
  readonly pauseMs?: number;
  /** `-p`: local SIP port. Default: a free port found by binding port 0 (sipp's own default is 5060). */
  readonly port?: number;
  /**
   * `-inf`: injection rows (`SEQUENTIAL` is prepended), or the path of a file. sipp 3.6.1 does
   * not expand `[fieldN]` inside `[authentication ...]`, so a row carries the whole keyword:
   * use {@link credentialsRow}.
   */
  readonly injection?: readonly string[] | string;
  /** Overall bound in ms (default 20 s): sipp's `-timeout`, then SIGKILL 3 s later. */
  readonly timeoutMs?: number;
  /** Further arguments, appended as given. */
  readonly args?: readonly string[];
}

export interface SippResult {
  /** sipp's exit code: 0 all calls succeeded, 1 some failed, 99 none processed; null if killed. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Our hard bound fired (sipp ignored its own -timeout). */
  readonly killed: boolean;
  /** Cumulative counts from the statistics file (-1 if it could not be read). */
  readonly successful: number;
  readonly failed: number;
  readonly retransmissions: number;
  readonly outOfCallMessages: number;
  /** The last few KB of what sipp printed. */
  readonly stdout: string;
  readonly stderr: string;
  readonly port: number;
  /** The run's directory and the files sipp wrote there. */
  readonly dir: string;
  readonly messagesLog: string;
  readonly errorsLog: string;
  readonly statsFile: string;
  /** A multi-line summary for assertion messages: counts, exit, error log excerpt, log paths. */
  describe(): string;
}

/** A sipp process running in the background (a UAS waiting for calls). */
export interface SippProcess {
  readonly port: number;
  readonly pid: number | undefined;
  /** Resolves when sipp has exited. */
  readonly done: Promise<SippResult>;
  /** Resolves once sipp's SIP socket is bound (so calls can be sent to it); rejects if it exits first. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM (sipp then exits cleanly, writing its statistics), bounded; resolves with the result. */
  stop(): Promise<SippResult>;
}

/** An injection row for register.xml/uac.xml: `user;domain;[authentication username=... password=...]`. */
export function credentialsRow(user: string, password: string, domain: string): string {
  return `${user};${domain};[authentication username=${user} password=${password}]`;
}

const EXCERPT = 4000;

/** Run directories of clean runs (exit 0, nothing failed), for {@link removeCleanSippRuns}. */
const cleanRunDirs = new Set<string>();

/**
 * Removes the directories of clean runs so far; call it in `afterAll`. Those of failed runs stay
 * for a look (their path is in `describe()`); SIPP_KEEP_LOGS=1 keeps them all.
 */
export function removeCleanSippRuns(): void {
  if (process.env.SIPP_KEEP_LOGS) return;
  for (const dir of cleanRunDirs) rmSync(dir, { recursive: true, force: true });
  cleanRunDirs.clear();
}

/** Runs sipp to completion (see {@link SippOptions}); never rejects for a failed run, only for a spawn error. */
export async function runSipp(options: SippOptions): Promise<SippResult> {
  // An explicit port is the caller's business; a port we chose may have been taken in between.
  for (let attempt = 1; ; attempt++) {
    const sipp = await startSipp(options);
    const result = await sipp.done;
    if (options.port !== undefined || attempt >= 3 || !lostPortRace(result)) return result;
  }
}

/** Starts sipp in the background; `await sipp.ready()` before sending it anything. */
export async function startSipp(options: SippOptions): Promise<SippProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'));
  const port = options.port ?? (await freePort());
  const timeoutMs = options.timeoutMs ?? 20_000;
  const files = {
    messagesLog: join(dir, 'messages.log'),
    errorsLog: join(dir, 'errors.log'),
    statsFile: join(dir, 'stats.csv'),
  };
  const args = [
    '-sf', scenarioPath(options.scenario),
    ...(options.remote ? [options.remote] : []),
    '-i', '127.0.0.1',
    '-p', String(port),
    '-t', options.transport ?? 'u1',
    '-m', String(options.calls ?? 1),
    '-nostdin',
    '-timeout', `${Math.max(1, Math.ceil(timeoutMs / 1000))}s`, '-timeout_error',
    '-trace_msg', '-message_file', files.messagesLog,
    '-trace_err', '-error_file', files.errorsLog,
    '-trace_stat', '-stf', files.statsFile,
    ...(options.service !== undefined ? ['-s', options.service] : []),
    ...(options.rate !== undefined ? ['-r', String(options.rate)] : []),
    ...(options.limit !== undefined ? ['-l', String(options.limit)] : []),
    ...(options.pauseMs !== undefined ? ['-d', String(options.pauseMs)] : []),
    ...(options.injection !== undefined ? ['-inf', injectionFile(dir, options.injection)] : []),
    ...(options.args ?? []),
  ];
  const child = spawn(SIPP_BIN, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout = tail(stdout + chunk); });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = tail(stderr + chunk); });

  let killed = false;
  let exited = false;
  const hardBound = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, timeoutMs + 3000);
  const done = new Promise<SippResult>((resolveDone, rejectDone) => {
    child.once('error', (error) => {
      exited = true;
      clearTimeout(hardBound);
      rejectDone(new Error(`cannot run ${SIPP_BIN}: ${error.message}`));
    });
    child.once('close', (exitCode, signal) => {
      exited = true;
      clearTimeout(hardBound);
      const result = makeResult({ exitCode, signal, killed, stdout, stderr, port, dir, ...files, args });
      if (exitCode === 0 && result.failed === 0) cleanRunDirs.add(dir);
      resolveDone(result);
    });
  });
  // Keep an unobserved failure from becoming an unhandled rejection; callers await `done`.
  done.catch(() => undefined);

  return {
    port,
    pid: child.pid,
    done,
    async ready(readyTimeoutMs = 5000): Promise<void> {
      const deadline = Date.now() + readyTimeoutMs;
      for (;;) {
        if (exited) {
          const result = await done;
          throw new Error(`sipp exited before it was ready\n${result.describe()}`);
        }
        if (await portBound(port, options.transport ?? 'u1')) return;
        if (Date.now() > deadline) throw new Error(`sipp did not bind port ${port} within ${readyTimeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop(): Promise<SippResult> {
      if (!exited) {
        child.kill('SIGTERM');
        const escalate = setTimeout(() => child.kill('SIGKILL'), 3000);
        try {
          return await done;
        } finally {
          clearTimeout(escalate);
        }
      }
      return done;
    },
  };
}

interface RawResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly killed: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly port: number;
  readonly dir: string;
  readonly messagesLog: string;
  readonly errorsLog: string;
  readonly statsFile: string;
  readonly args: readonly string[];
}

function makeResult(raw: RawResult): SippResult {
  const stats = readStats(raw.statsFile) ?? screenStats(raw.stdout);
  const { args, ...rest } = raw;
  const result: SippResult = {
    ...rest,
    successful: stats.successful,
    failed: stats.failed,
    retransmissions: stats.retransmissions,
    outOfCallMessages: stats.outOfCallMessages,
    describe: () => [
      `sipp ${args.join(' ')}`,
      `exit ${raw.exitCode ?? raw.signal}${raw.killed ? ' (killed by the test bound)' : ''}; ` +
        `successful ${stats.successful}, failed ${stats.failed}, retransmissions ${stats.retransmissions}, ` +
        `out-of-call ${stats.outOfCallMessages}`,
      excerpt('errors', readText(raw.errorsLog)),
      excerpt('stderr', raw.stderr),
      `logs: ${raw.dir}`,
    ].filter((line) => line !== '').join('\n'),
  };
  return result;
}

interface Stats {
  readonly successful: number;
  readonly failed: number;
  readonly retransmissions: number;
  readonly outOfCallMessages: number;
}

/** The last row of sipp's `-trace_stat` CSV (`;`-separated, a header row first). */
function readStats(file: string): Stats | undefined {
  const lines = readText(file).split('\n').filter((line) => line.trim() !== '');
  const header = lines[0]?.split(';');
  const last = lines.length > 1 ? lines[lines.length - 1]?.split(';') : undefined;
  if (!header || !last) return undefined;
  const field = (name: string): number => {
    const at = header.indexOf(name);
    const value = at < 0 ? NaN : Number(last[at]);
    return Number.isFinite(value) ? value : -1;
  };
  return {
    successful: field('SuccessfulCall(C)'),
    failed: field('FailedCall(C)'),
    retransmissions: field('Retransmissions(C)'),
    outOfCallMessages: field('OutOfCallMsgs(C)'),
  };
}

/** Fallback: the final screen sipp prints (`Successful call | <periodic> | <cumulative>`). */
function screenStats(stdout: string): Stats {
  const count = (label: string): number => {
    const match = new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`).exec(stdout);
    return match?.[1] === undefined ? -1 : Number(match[1]);
  };
  return {
    successful: count('Successful call'),
    failed: count('Failed call'),
    retransmissions: count('Retransmissions'),
    outOfCallMessages: -1,
  };
}

/** sipp exits 254 (-2) when it cannot bind its socket: someone took the port we found free. */
function lostPortRace(result: SippResult): boolean {
  return result.exitCode === 254 || (result.exitCode === 255 && /bind|in use/i.test(result.stderr));
}

function scenarioPath(scenario: string): string {
  const path = isAbsolute(scenario) || scenario.includes('/') ? resolve(scenario) : join(SCENARIO_DIR, scenario);
  if (!existsSync(path)) throw new Error(`no sipp scenario at ${path}`);
  return path;
}

function injectionFile(dir: string, injection: readonly string[] | string): string {
  if (typeof injection === 'string') return resolve(injection);
  const path = join(dir, 'injection.csv');
  writeFileSync(path, ['SEQUENTIAL', ...injection, ''].join('\n'));
  return path;
}

/**
 * A port free for both UDP and TCP on loopback, found by binding port 0 (sipp's `-p 0` means
 * "try 5060 first", which parallel test files would fight over).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = createSocket('udp4');
    const port = await new Promise<number>((resolvePort, reject) => {
      udp.once('error', reject);
      udp.bind(0, '127.0.0.1', () => resolvePort(udp.address().port));
    });
    const tcpFree = await canListen(port);
    await new Promise<void>((r) => udp.close(() => r()));
    if (tcpFree) return port;
  }
  throw new Error('no port free for both UDP and TCP on 127.0.0.1');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

/**
 * True when something (sipp) holds the port. On Linux read from /proc/net, which cannot disturb
 * sipp; elsewhere by binding it ourselves (EADDRINUSE), which could, in a narrow window, make a
 * sipp starting at that very moment fail to bind.
 */
function portBound(port: number, transport: 'u1' | 't1'): Promise<boolean> {
  const listed = procNetHolds(port, transport === 't1' ? 'tcp' : 'udp');
  if (listed !== undefined) return Promise.resolve(listed);
  if (transport === 't1') return canListen(port).then((free) => !free);
  return new Promise((resolveBound) => {
    const probe = createSocket('udp4');
    probe.once('error', () => {
      try {
        probe.close();
      } catch {
        // never bound: nothing to close
      }
      resolveBound(true);
    });
    probe.bind(port, '127.0.0.1', () => probe.close(() => resolveBound(false)));
  });
}

/** Whether /proc/net/{udp,tcp}{,6} lists a socket bound (TCP: listening) on `port`; undefined without /proc. */
function procNetHolds(port: number, protocol: 'udp' | 'tcp'): boolean | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let readable = false;
  for (const file of [`/proc/net/${protocol}`, `/proc/net/${protocol}6`]) {
    let table: string;
    try {
      table = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    readable = true;
    for (const line of table.split('\n').slice(1)) {
      // "  sl  local_address rem_address   st ...": local_address is ADDR:PORT in hex; 0A is LISTEN.
      const [, local, , state] = line.trim().split(/\s+/);
      if (local?.endsWith(`:${hexPort}`) && (protocol === 'udp' || state === '0A')) return true;
    }
  }
  return readable ? false : undefined;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function tail(text: string): string {
  return text.length > EXCERPT ? text.slice(-EXCERPT) : text;
}

function excerpt(label: string, text: string): string {
  const trimmed = text.trim();
  return trimmed === '' ? '' : `${label}:\n${tail(trimmed)}`;
}
