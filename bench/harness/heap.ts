/**
 * Live JavaScript heap of the switch, from a V8 heap snapshot taken on SIGUSR2 (the switch runs
 * with --heapsnapshot-signal=SIGUSR2). Taking a snapshot runs a full GC first, so its total is the
 * heap that is really alive: what "memory back where it started" means for a garbage-collected
 * process whose RSS need not shrink after a peak.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './proc.js';

export interface HeapSummary {
  readonly totalBytes: number;
  readonly nodes: number;
  /** Self size and count by constructor/type name (objects, closures, strings, arrays...). */
  readonly byName: Record<string, { count: number; bytes: number }>;
}

interface SnapshotFile {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

const MAX_PARSE_BYTES = 600 * 1024 * 1024;

/** Signals `pid` to write a heap snapshot into `dir` (its cwd), waits for it, summarises and deletes it (kept with BENCH_KEEP_HEAP_SNAPSHOTS=1). */
export async function heapSnapshot(pid: number, dir: string, timeoutMs = 60_000): Promise<HeapSummary | { error: string }> {
  const before = new Set(snapshots(dir));
  try {
    process.kill(pid, 'SIGUSR2');
  } catch {
    return { error: 'process gone' };
  }
  const until = Date.now() + timeoutMs;
  let file: string | undefined;
  let lastSize = -1;
  let stableSince = 0;
  while (Date.now() < until) {
    await sleep(250);
    file ??= snapshots(dir).find((f) => !before.has(f));
    if (file === undefined) continue;
    const size = statSync(join(dir, file)).size;
    if (size !== lastSize) {
      lastSize = size;
      stableSince = Date.now();
    } else if (size > 0 && Date.now() - stableSince > 1500) {
      break;
    }
  }
  if (file === undefined) return { error: 'no snapshot written' };
  const path = join(dir, file);
  try {
    if (lastSize > MAX_PARSE_BYTES) return { error: `snapshot of ${Math.round(lastSize / 1048576)} MB not parsed` };
    return summarise(JSON.parse(readFileSync(path, 'utf8')) as SnapshotFile);
  } catch (error) {
    return { error: `snapshot unreadable: ${String(error)}` };
  } finally {
    if (process.env.BENCH_KEEP_HEAP_SNAPSHOTS !== '1') rmSync(path, { force: true });
  }
}

function snapshots(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot'));
  } catch {
    return [];
  }
}

function summarise(file: SnapshotFile): HeapSummary {
  const fields = file.snapshot.meta.node_fields;
  const types = file.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const byName: Record<string, { count: number; bytes: number }> = {};
  let total = 0;
  let count = 0;
  for (let i = 0; i < file.nodes.length; i += width) {
    const size = file.nodes[i + sizeAt] ?? 0;
    total += size;
    count++;
    const type = types[file.nodes[i + typeAt] ?? 0] ?? '?';
    // Objects and closures by constructor name; everything else by its type.
    const name = type === 'object' || type === 'closure' ? `${type === 'closure' ? 'closure ' : ''}${file.strings[file.nodes[i + nameAt] ?? 0] ?? '?'}` : `(${type})`;
    const entry = (byName[name] ??= { count: 0, bytes: 0 });
    entry.count++;
    entry.bytes += size;
  }
  return { totalBytes: total, nodes: count, byName };
}

/** The names whose bytes grew most from `a` to `b`. */
export function heapGrowth(a: HeapSummary, b: HeapSummary, top = 12): Array<{ name: string; count: number; bytes: number }> {
  const names = new Set([...Object.keys(a.byName), ...Object.keys(b.byName)]);
  return [...names]
    .map((name) => ({
      name,
      count: (b.byName[name]?.count ?? 0) - (a.byName[name]?.count ?? 0),
      bytes: (b.byName[name]?.bytes ?? 0) - (a.byName[name]?.bytes ?? 0),
    }))
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, top);
}
