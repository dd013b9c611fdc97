import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { runParserBench } from './parser-bench.js';
import { runCps, type CpsResults } from './cps-bench.js';
import { runRegister, type RegisterResults } from './register-bench.js';
import { runConcurrency, type ConcurrencyResults } from './concurrency-bench.js';
import { runMedia, type MediaResult } from './media-bench.js';
import { runProfile, type ProfileResult } from './profile-bench.js';
import { anchorsAvailable } from './harness/anchors.js';
import { ROOT } from './harness/paths.js';
import { have, installCleanup, stopAll } from './harness/proc.js';
import { dropText, type LadderResult, type Stage } from './ladder.js';

/**
 * `npm run bench`: runs the benchmarks and prints one table. `BENCH_SIZE=tiny` runs each at a
 * token size (CI does, so the scripts cannot rot; the anchors are skipped there); figures are
 * never asserted. Environment:
 *   BENCH_SIZE=tiny|full (default full)
 *   BENCH_ONLY=parser,cps,register,concurrency,media,profile   stages to run (default all but profile)
 *   BENCH_REPEATS=N          repeat the cps and register ladders, report the median (default 1)
 *   BENCH_PROFILE_KINDS=cps,register   loads to profile (stage "profile"); BENCH_PROFILE_SECONDS (default 20)
 *   BENCH_PROFILE_RATE=N     calls/s of the cps profile (default 600); BENCH_PROFILE_REG_RATE (default 2000)
 *   BENCH_OUT=dir            where logs, sipp statistics and results.json go (default bench/out/<time>)
 *   BENCH_CPS_RATES, BENCH_REG_RATES, BENCH_CONC_STEPS, BENCH_MEDIA_CONC: comma-separated overrides
 *   BENCH_MEDIA_DIRECT=0: skip the sipp -> sipp media run (generator cost)
 *   BENCH_BASELINE=path      another build's dist/src/cli.js: the cps and REGISTER ladders run through it too, side by side
 *   BENCH_ANCHORS=0          skip Kamailio and rtpengine;  BENCH_CPS_DIRECT=0  skip sipp -> sipp in the cps stage
 *   BENCH_KEEP_HEAP_SNAPSHOTS=1  keep the concurrency stage's heap snapshots in its output folder
 */
interface Row {
  readonly bench: string;
  readonly system: string;
  readonly result: string;
  readonly cpu: string;
  readonly memory: string;
  readonly notes: string;
}

const SIZES = {
  full: {
    parser: { rounds: 5, ms: 1000 },
    cps: { rates: [200, 500, 750, 1000, 1250, 1500, 2000, 2500, 3000], seconds: 10 },
    register: { rates: [1000, 2000, 3000, 4000, 5000, 6000, 8000, 10000, 12000, 15000], seconds: 5 },
    concurrency: { steps: [1000, 5000, 10000], rate: 250, holdS: 50, heap: true, drainS: 45 },
    media: { concurrency: [200, 600], callMs: 20000, rampS: 10, marginS: 4, direct: true },
  },
  tiny: {
    parser: { rounds: 1, ms: 50 },
    cps: { rates: [50], seconds: 2 },
    register: { rates: [100], seconds: 2 },
    concurrency: { steps: [50], rate: 50, holdS: 3, heap: true, drainS: 0 },
    media: { concurrency: [10], callMs: 8000, rampS: 2, marginS: 2, direct: false },
  },
} as const;

/** Relay port range of the switch (rtpengine's anchor uses 30000-49999; they never run together). */
const MEDIA_PORTS: readonly [number, number] = [20000, 29999];
/** The concurrency stage needs 2 port pairs per call. */
const CONC_MEDIA_PORTS: readonly [number, number] = [20000, 49999];

async function main(): Promise<void> {
  installCleanup();
  const tiny = process.env.BENCH_SIZE === 'tiny';
  const size = tiny ? SIZES.tiny : SIZES.full;
  const stages = new Set((process.env.BENCH_ONLY ?? 'parser,cps,register,concurrency,media').split(',').map((s) => s.trim()));
  const repeats = Math.max(1, Number(process.env.BENCH_REPEATS ?? 1));
  const cpsSize = { ...size.cps, rates: listEnv('BENCH_CPS_RATES', size.cps.rates) };
  const regSize = { ...size.register, rates: listEnv('BENCH_REG_RATES', size.register.rates) };
  const concSize = { ...size.concurrency, steps: listEnv('BENCH_CONC_STEPS', size.concurrency.steps) };
  const mediaSize = {
    ...size.media, concurrency: listEnv('BENCH_MEDIA_CONC', size.media.concurrency),
    direct: size.media.direct && process.env.BENCH_MEDIA_DIRECT !== '0',
  };
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = process.env.BENCH_OUT ?? join(ROOT, 'bench', 'out', `${tiny ? 'tiny' : 'full'}-${stamp}`);
  mkdirSync(out, { recursive: true });
  const t0 = Date.now();
  const stage: Stage = { say: (m) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${m}`) };

  const machine = describeMachine();
  console.log(`machine: ${machine.join('; ')}`);
  console.log(`size: ${tiny ? 'tiny' : 'full'}; stages: ${[...stages].join(', ')}; output: ${out}`);
  const notes: string[] = [];
  const sipp = have('sipp');
  const needsSipp = ['cps', 'register', 'concurrency', 'media', 'profile'].some((name) => stages.has(name));
  if (!sipp && needsSipp) {
    console.error('sipp not found: the SIP and media stages need it (Debian: apt-get install sip-tester)');
    process.exit(1);
  }
  const avail = anchorsAvailable();
  let anchors = !tiny && avail.ok;
  if (tiny) notes.push('tiny mode: the anchors (Kamailio, rtpengine) are skipped; sipp -> sipp direct is kept');
  else if (!avail.ok) notes.push(`anchors skipped: ${avail.missing.join(', ')} not installed (apt-get install kamailio rtpengine-daemon rtpengine-utils)`);
  if (process.env.BENCH_ANCHORS === '0') anchors = false;
  const capture = have('dumpcap') && have('python3');
  if (stages.has('media') && !capture) notes.push('dumpcap or python3 missing: media loss/latency capture skipped (apt-get install tshark)');
  for (const n of notes) console.log(`note: ${n}`);

  const rows: Row[] = [];
  const results: Record<string, unknown> = { machine, size: tiny ? 'tiny' : 'full', notes };
  const attempt = async (name: string, fn: () => Promise<void>): Promise<void> => {
    if (!stages.has(name)) return;
    try {
      await fn();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      stage.say(`${name}: FAILED: ${message}`);
      rows.push({ bench: name, system: '-', result: 'error', cpu: '', memory: '', notes: message });
      results[`${name}Error`] = message;
      await stopAll();
    }
  };

  try {
    await attempt('parser', async () => {
      stage.say('parser');
      const parser = runParserBench(size.parser);
      results.parser = parser;
      for (const f of parser) {
        const base = parser.find((g) => g.message === f.message && g.parser === 'npm sip')?.perSecond ?? NaN;
        rows.push({
          bench: `parser: ${f.message}`, system: f.parser, result: `${int(f.perSecond)} msg/s`, cpu: '', memory: '',
          notes: f.parser === 'npm sip' ? '' : `${(f.perSecond / base).toFixed(1)}x npm sip (target >= 5x)`,
        });
      }
    });
    if (sipp) {
      await attempt('cps', async () => {
        const cps = await runCps({
          ...cpsSize, repeats, anchors, direct: process.env.BENCH_CPS_DIRECT !== '0', dir: join(out, 'cps'), mediaPorts: MEDIA_PORTS,
          ...(process.env.BENCH_BASELINE ? { baselineCli: process.env.BENCH_BASELINE } : {}),
        }, stage);
        results.cps = cps;
        rows.push(...cpsRows(cps, repeats));
      });
      await attempt('register', async () => {
        const reg = await runRegister({
          ...regSize, repeats, anchors, dir: join(out, 'register'), mediaPorts: MEDIA_PORTS,
          ...(process.env.BENCH_BASELINE ? { baselineCli: process.env.BENCH_BASELINE } : {}),
        }, stage);
        results.register = reg;
        rows.push(...registerRows(reg, repeats));
      });
      await attempt('concurrency', async () => {
        const conc = await runConcurrency({ ...concSize, dir: join(out, 'concurrency'), mediaPorts: CONC_MEDIA_PORTS }, stage);
        results.concurrency = conc;
        rows.push(...concurrencyRows(conc));
      });
      await attempt('media', async () => {
        const media = await runMedia({ ...mediaSize, anchors, capture, dir: join(out, 'media'), mediaPorts: MEDIA_PORTS }, stage);
        results.media = media;
        rows.push(...mediaRows(media));
      });
      await attempt('profile', async () => {
        const kinds = (process.env.BENCH_PROFILE_KINDS ?? 'cps,register').split(',').map((k) => k.trim()).filter((k) => k === 'cps' || k === 'register');
        const profiles: ProfileResult[] = [];
        for (const kind of kinds) {
          const rate = Number(kind === 'cps' ? process.env.BENCH_PROFILE_RATE ?? 600 : process.env.BENCH_PROFILE_REG_RATE ?? 2000);
          const profile = await runProfile({
            kind, rate, seconds: Number(process.env.BENCH_PROFILE_SECONDS ?? (tiny ? 2 : 20)), dir: join(out, 'profile'), mediaPorts: MEDIA_PORTS,
          }, stage);
          profiles.push(profile);
          console.log(`\n${profileText(profile)}\n`);
          writeFileSync(join(out, `profile-${kind}.txt`), profileText(profile));
        }
        results.profile = profiles;
      });
    }
  } finally {
    await stopAll();
  }

  const text = table(['benchmark', 'system', 'result', 'server CPU', 'memory', 'notes'], rows.map((r) => [r.bench, r.system, r.result, r.cpu, r.memory, r.notes]));
  console.log(`\n${text}`);
  for (const n of notes) console.log(`note: ${n}`);
  writeFileSync(join(out, 'table.txt'), `${machine.join('\n')}\n\n${text}\n`);
  writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 2));
  console.log(`\nlogs and results: ${out} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  // A stage that could not run is a broken script, whatever the figures: CI runs the tiny size for this.
  const failed = Object.keys(results).filter((k) => k.endsWith('Error'));
  if (failed.length > 0) {
    console.error(`stages that failed: ${failed.map((k) => k.slice(0, -'Error'.length)).join(', ')}`);
    process.exitCode = 1;
  }
}

function cpsRows(cps: CpsResults, repeats: number): Row[] {
  const rows = [ladderRow('calls/s (INVITE..BYE)', cps.softswitch, 'calls/s', repeats, 'auth on every INVITE, relay ports, SDP rewrite; target >= 1,500')];
  if (cps.baseline) rows.push(ladderRow('calls/s (INVITE..BYE)', cps.baseline, 'calls/s', repeats, 'the build of BENCH_BASELINE, same load'));
  if (cps.kamailio) rows.push(ladderRow('calls/s (INVITE..BYE)', cps.kamailio, 'calls/s', repeats, 'stateful proxy, no auth, no media (anchor ~1,750)'));
  if (cps.kamailioLenient) {
    rows.push(ladderRow('calls/s (INVITE..BYE)', cps.kamailioLenient, 'calls/s', repeats,
      'same proxy and scenario; calls failed only by a 180 arriving after the 200 (workers forwarding out of order) not counted'));
  }
  if (cps.direct) rows.push(ladderRow('calls/s (INVITE..BYE)', cps.direct, 'calls/s', repeats, 'generator limit (anchor ~2,500)'));
  return rows;
}

function registerRows(reg: RegisterResults, repeats: number): Row[] {
  const rows = [ladderRow('REGISTER/s (digest)', reg.softswitch, 'reg/s', repeats, 'SQLite persistence; target >= 5,000')];
  if (reg.baseline) rows.push(ladderRow('REGISTER/s (digest)', reg.baseline, 'reg/s', repeats, 'the build of BENCH_BASELINE, same load'));
  if (reg.kamailio) rows.push(ladderRow('REGISTER/s (digest)', reg.kamailio, 'reg/s', repeats, 'usrloc in memory (anchor ~5,000)'));
  return rows;
}

function ladderRow(bench: string, l: LadderResult, unit: string, repeats: number, target: string): Row {
  const b = l.bestStep;
  const rateList = repeats > 1 ? ` (median of ${repeats}: ${l.bestPerRepeat.map(int).join(', ')})` : '';
  const f = l.firstFail;
  const fail = f
    ? `; at ${int(f.rate)}/s: ${f.failed} failed, ${f.retrans} retrans of ${int(f.calls)}, ${int(f.achieved)}/s completed` +
      `${f.errors ? ` [${f.errors}]` : ''}${dropText(f.drops)}`
    : '; no failure up to the top of the ladder';
  return {
    bench, system: l.system,
    result: l.best > 0 ? `${int(l.best)} ${unit}, 0 failed${rateList}` : `none of the rates passed${rateList}`,
    cpu: b?.cpuPct === undefined ? '' : `${b.cpuPct.toFixed(0)}% (${b.cpuMsPerCall?.toFixed(2)} ms/${unit === 'reg/s' ? 'reg' : 'call'})`,
    memory: b?.rssKb === undefined ? '' : `RSS ${mb(b.rssKb)}${b.hwmKb === undefined ? '' : `, peak ${mb(b.hwmKb)}`}`,
    notes: `${target}${fail}${b?.cpuWaitPct === undefined ? '' : `; CPU pressure ${b.cpuWaitPct.toFixed(0)}%`}`,
  };
}

function concurrencyRows(c: ConcurrencyResults): Row[] {
  return c.steps.map((s) => {
    const heapAfter = s.heapAfter && 'totalBytes' in s.heapAfter ? s.heapAfter.totalBytes : undefined;
    const heapBase = s.heapBaseline && 'totalBytes' in s.heapBaseline ? s.heapBaseline.totalBytes : undefined;
    const back = s.after.calls === 0 && s.after.listedCalls === 0 && s.after.relaySockets === s.baseline.relaySockets && s.after.fds === s.baseline.fds;
    const extrapolated = s.baseline.rssKb + 10_000 * s.perCallKb;
    return {
      bench: 'concurrent calls held', system: 'softswitch',
      result: `${int(s.peakCalls)} of ${int(s.calls)} up (ok ${s.ok}, failed ${s.failed})`,
      cpu: '',
      memory: `RSS ${mb(s.plateau.rssKb)} (${s.perCallKb.toFixed(1)} kB/call over ${mb(s.baseline.rssKb)} idle)` +
        (s.heapPerCallKb === undefined ? '' : `; live JS heap ${s.heapPerCallKb.toFixed(1)} kB/call`),
      notes: [
        s.capNote ?? '',
        s.calls >= 10_000 ? 'target <= 400 MB' : s.calls >= 1000 ? `10k extrapolated: ${mb(extrapolated)} (target <= 400 MB)` : '',
        `after teardown: calls ${s.after.calls}, /api/calls ${s.after.listedCalls}, transactions ${s.after.transactions}, ` +
        `fds ${s.after.fds} (idle ${s.baseline.fds}), relay sockets ${s.after.relaySockets} (idle ${s.baseline.relaySockets}), RSS ${mb(s.after.rssKb)}` +
        (s.heapPlateau ? ' (RSS kept from taking the plateau heap snapshot)' : '') +
        (heapAfter !== undefined && heapBase !== undefined ? `, live heap ${mb(heapAfter / 1024)} (idle ${mb(heapBase / 1024)})` : '') +
        (back ? ' - back to idle' : ' - NOT back to idle'),
      ].filter((x) => x !== '').join('; '),
    };
  });
}

function mediaRows(media: MediaResult[]): Row[] {
  return media.map((m) => {
    const loss = m.loss_pct === undefined ? 'capture skipped' : `loss ${m.loss_pct}% (${m.lost ?? '?'} of ${m.sent ?? '?'} in ${m.window_s ?? '?'} s)`;
    const lat = m.added_latency_us_p50 === undefined ? '' : `, added latency p50 ${m.added_latency_us_p50} us p99 ${m.p99 ?? '?'} us`;
    const calls = `calls ok ${m.ok ?? '?'} failed ${m.failed ?? '?'}`;
    return {
      bench: `media ${m.conc} calls G.711`, system: m.system,
      result: `${loss}${lat}`,
      cpu: m.cpu_server === undefined || m.system.startsWith('sipp') ? '' : `${m.cpu_server}${byCommand(m.cpu_server_each)}`,
      memory: m.rss_after_mb === undefined ? '' : `RSS after ${m.rss_after_mb} MB`,
      notes: `${calls}; relay socket drops: ${m.relay_sockets_drops ?? '?'}; ${m.rtpe_loss_pct === undefined ? '' : `rtpengine counters loss ${m.rtpe_loss_pct}%; `}` +
        `sipp uac ${m.cpu_uac ?? '?'} uas ${m.cpu_uas ?? '?'}; CPU pressure ${m.cpu_pressure ?? '?'}` +
        (m.line?.startsWith('RESULT error') ? `; ${m.line}` : ''),
    };
  });
}

/** "kamailio:12:1.7% rtpengine:9:62.5%" -> " (rtpengine 62.5%, kamailio 1.7%)": CPU per program. */
function byCommand(each: string | undefined): string {
  if (each === undefined || each.trim() === '') return '';
  const sums = new Map<string, number>();
  for (const item of each.trim().split(/\s+/)) {
    const [comm, , pct] = item.split(':');
    if (comm !== undefined) sums.set(comm, (sums.get(comm) ?? 0) + parseFloat(pct ?? '0'));
  }
  if (sums.size < 2) return '';
  return ` (${[...sums.entries()].sort((a, b) => b[1] - a[1]).map(([c, v]) => `${c} ${v.toFixed(1)}%`).join(', ')})`;
}

function profileText(p: ProfileResult): string {
  const s = p.summary;
  const lines = [
    `profile (${p.kind === 'cps' ? 'calls/s load' : 'REGISTER load'}): ${p.file}`,
    `load: ${p.run.line}; switch CPU ${p.cpuPct.toFixed(0)}% of one core`,
    `GC (--trace-gc): ${Object.entries(p.gc.kinds).map(([k, v]) => `${k} ${v.count}x total ${v.totalMs.toFixed(0)} ms max ${v.maxMs.toFixed(1)} ms`).join('; ')}; ` +
      `largest heap ${p.gc.maxHeapMb.toFixed(0)} MB`,
    `sampled ${(s.sampledMs / 1000).toFixed(1)} s, busy ${(s.busyMs / 1000).toFixed(1)} s; by category (of busy time): ` +
      Object.entries(s.categories).sort((a, b) => b[1] - a[1]).map(([c, v]) => `${c} ${v.toFixed(1)}%`).join(', '),
    '',
    'top functions by self time (percent of busy time):',
    table(['self %', 'self ms', 'total %', 'function', 'where'], s.top.map((e) => [e.selfPct.toFixed(1), e.selfMs.toFixed(0), e.totalPct.toFixed(1), short(e.fn), e.where])),
    '',
    'our functions by inclusive time:',
    table(['total %', 'self %', 'function', 'where'], s.topInclusive.map((e) => [e.totalPct.toFixed(1), e.selfPct.toFixed(1), short(e.fn), e.where])),
  ];
  return lines.join('\n');
}

function short(name: string): string {
  return name.length > 48 ? `${name.slice(0, 45)}...` : name;
}

function describeMachine(): string[] {
  const version = (cmd: string, args: string[], re: RegExp): string => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 5000 });
    if (r.error) return 'not installed';
    return re.exec(`${r.stdout}${r.stderr}`)?.[0] ?? 'unknown';
  };
  return [
    `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`,
    `node ${process.version}`,
    `sipp ${version('sipp', ['-v'], /v[\d.]+\S*/)}`,
    `kamailio ${version('kamailio', ['-v'], /kamailio [\d.]+/)}`,
    `rtpengine ${version('rtpengine', ['--version'], /\d+\.\d+[\d.]*\S*/)}`,
    `load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
  ];
}

/** A comma-separated list of numbers from the environment, else the default. */
function listEnv(name: string, fallback: readonly number[]): number[] {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') return [...fallback];
  return value.split(',').map((x) => Number(x.trim())).filter((x) => Number.isFinite(x) && x > 0);
}

function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function mb(kb: number): string {
  return `${(kb / 1024).toFixed(0)} MB`;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

main().catch(async (error: unknown) => {
  console.error(error);
  await stopAll();
  process.exit(1);
});
