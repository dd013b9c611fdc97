/**
 * The anchors (../shared/anchors): Kamailio as a stateful proxy and as a registrar, and the
 * Kamailio + rtpengine media stack, started exactly as the anchors' README says.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sippFile } from './paths.js';
import { udpPortFree } from './ports.js';
import { groupPids, have, run, type Started, start, stop, waitUntil } from './proc.js';

export interface AnchorServer {
  /** Every process of the server (main and forked children), for CPU accounting. */
  pids(): number[];
  stop(): Promise<void>;
}

export function anchorsAvailable(): { ok: boolean; missing: string[] } {
  const missing = ['kamailio', 'rtpengine', 'rtpengine-ctl'].filter((c) => !have(c));
  return { ok: missing.length === 0, missing };
}

/**
 * Shared/private memory of the Kamailio anchors. The anchors' README starts them with Kamailio's
 * defaults (64 MB shm); at 500 calls/s tm then fails with "new_t(): out of mem" and answers
 * 500, so the bench gives it the room its transactions need, as media-stack.sh does (-m 256).
 */
export const KAMAILIO_MEMORY = (process.env.KAMAILIO_MEMORY ?? '-m 1024 -M 32').split(/\s+/).filter((x) => x !== '');

/** `kamailio -f CFG -DD -E` plus KAMAILIO_MEMORY, once it listens on `port`. */
export async function startKamailio(cfg: string, port: number, dir: string): Promise<AnchorServer> {
  if (!(await udpPortFree(port))) throw new Error(`UDP port ${port} is in use: Kamailio (${cfg}) needs it`);
  const proc: Started = start('kamailio', 'kamailio', ['-f', sippFile(cfg), '-DD', '-E', ...KAMAILIO_MEMORY], {
    cwd: dir, log: join(dir, `kamailio-${port}.log`),
  });
  const up = await waitUntil(async () => proc.hasExited || !(await udpPortFree(port)), 10_000, 100);
  if (!up || proc.hasExited) {
    await stop(proc);
    throw new Error(`kamailio ${cfg} did not start (see ${dir})`);
  }
  await new Promise((resolve) => setTimeout(resolve, 500)); // children forked
  return { pids: () => groupPids(proc.pid), stop: () => stop(proc, 'SIGTERM', 5000) };
}

/** media-stack.sh start: rtpengine (userspace) + kamailio-rtpengine.cfg on 127.0.0.1:5072. */
export async function startMediaStack(dir: string): Promise<AnchorServer & { rtpenginePids(): number[] }> {
  for (const port of [5072, 22222]) {
    if (!(await udpPortFree(port))) throw new Error(`UDP port ${port} is in use: the rtpengine anchor needs it`);
  }
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, RUN_DIR: dir };
  const script = sippFile('media-stack.sh');
  // The script backgrounds rtpengine and kamailio in its own process group and exits; the
  // group (pgid = the script's pid) outlives it, which is how we find and stop them.
  const launcher = start('media-stack.sh', script, ['start'], { env, log: join(dir, 'media-stack.log') });
  await launcher.exited;
  const pgid = launcher.pid;
  const up = await waitUntil(async () => !(await udpPortFree(5072)) && !(await udpPortFree(22222)), 10_000, 200);
  const stopStack = async (): Promise<void> => {
    await run('media-stack.sh stop', script, ['stop'], { env, timeoutMs: 10_000 });
    await waitUntil(() => groupPids(pgid).length === 0, 5000, 100);
    for (const pid of groupPids(pgid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };
  if (!up) {
    await stopStack();
    throw new Error(`media-stack.sh did not bring up rtpengine and kamailio (see ${dir})`);
  }
  const rtpenginePids = (): number[] => groupPids(pgid).filter((pid) => commOf(pid) === 'rtpengine');
  return { pids: () => groupPids(pgid), rtpenginePids, stop: stopStack };
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}
