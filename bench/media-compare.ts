/**
 * The media stage's results of one run (bench/out/<dir>/results.json) per target and
 * concurrency: the median over repeats of server CPU, loss and added latency, each repeat's
 * figures beside it, and each switch's CPU as a multiple of rtpengine's in the same run.
 *
 * usage: node dist/bench/media-compare.js bench/out/<dir>/results.json
 */
import { readFileSync } from 'node:fs';

type Result = Record<string, string> & { readonly system: string; readonly conc: string };

const ANCHOR = 'Kamailio + rtpengine';

function num(value: string | undefined): number {
  const m = /^-?\d+(\.\d+)?/.exec(value ?? '');
  return m ? Number(m[0]) : NaN;
}

function median(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

/** CPU of the relaying process alone: rtpengine without Kamailio, the switch as a whole. */
function relayCpu(r: Result): number {
  if (r.system !== ANCHOR) return num(r.cpu_server);
  const each = (r.cpu_server_each ?? '').trim().split(/\s+/).filter((item) => item.startsWith('rtpengine:'));
  return each.reduce((sum, item) => sum + num(item.split(':')[2]), 0);
}

function row(results: readonly Result[], anchorCpu: number): string {
  const first = results[0] as Result;
  const cpu = median(results.map((r) => num(r.cpu_server)));
  const figures = (key: string): string => results.map((r) => r[key] ?? '?').join('/');
  const ratio = first.system === ANCHOR || !Number.isFinite(anchorCpu) || cpu === 0 ? '' : ` = ${(cpu / anchorCpu).toFixed(2)}x rtpengine+Kamailio`;
  return [
    `${first.system.padEnd(28)} conc ${first.conc}: CPU ${cpu.toFixed(1)}% (${figures('cpu_server')})${ratio}`,
    `    relay process alone ${median(results.map(relayCpu)).toFixed(1)}%; loss ${figures('loss_pct')}%; ` +
      `p50 ${median(results.map((r) => num(r.added_latency_us_p50))).toFixed(0)} us (${figures('added_latency_us_p50')}); ` +
      `p99 ${median(results.map((r) => num(r.p99))).toFixed(0)} us (${figures('p99')}); failed ${figures('failed')}; ` +
      `socket drops ${results.map((r) => /drops=(\d+)/.exec(r.relay_sockets_drops ?? '')?.[1] ?? '?').join('/')}; ` +
      `CPU pressure ${figures('cpu_pressure')}`,
  ].join('\n');
}

function main(path: string): void {
  const media = (JSON.parse(readFileSync(path, 'utf8')) as { media?: Result[] }).media ?? [];
  const groups = new Map<string, Result[]>();
  for (const r of media) {
    const key = `${r.conc}\u0000${r.system}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const conc of new Set(media.map((r) => r.conc))) {
    const anchor = groups.get(`${conc}\u0000${ANCHOR}`);
    const anchorCpu = anchor === undefined ? NaN : median(anchor.map((r) => num(r.cpu_server)));
    for (const [key, results] of groups) if (key.startsWith(`${conc}\u0000`)) console.log(row(results, anchorCpu));
  }
}

main(process.argv[2] ?? '');
