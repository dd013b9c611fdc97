import { cpus } from 'node:os';
import { runParserBench } from './parser-bench.js';

/**
 * `npm run bench`: runs the benchmarks and prints one table. `BENCH_SIZE=tiny` runs each at a
 * token size (CI does, so the scripts cannot rot); figures are never asserted.
 */
async function main(): Promise<void> {
  const tiny = process.env.BENCH_SIZE === 'tiny';
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  const parser = runParserBench(tiny ? { rounds: 1, ms: 50 } : { rounds: 5, ms: 1000 });
  console.log('\nparser (messages/s, median of rounds)');
  console.log(table(['message', 'parser', 'msg/s', 'x npm sip'], parser.map((f) => {
    const base = parser.find((g) => g.message === f.message && g.parser === 'npm sip')?.perSecond ?? NaN;
    return [f.message, f.parser, Math.round(f.perSecond).toLocaleString('en-US'), (f.perSecond / base).toFixed(1)];
  })));
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
