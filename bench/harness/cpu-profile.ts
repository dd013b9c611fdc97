/**
 * Summary of a V8 CPU profile (node --cpu-prof): self and inclusive time per function, with
 * compiled dist/ locations mapped back to the TypeScript sources through their source maps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './paths.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileEntry {
  /** function name and file:line (TypeScript source where a map exists). */
  readonly fn: string;
  readonly where: string;
  readonly selfMs: number;
  readonly selfPct: number;
  readonly totalMs: number;
  readonly totalPct: number;
}

export interface ProfileSummary {
  readonly durationMs: number;
  readonly sampledMs: number;
  /** Sampled time that was not idle; every percentage is of this. */
  readonly busyMs: number;
  /** GC, program (native), our code, node internals, dependencies: self time in percent. */
  readonly categories: Record<string, number>;
  readonly top: ProfileEntry[];
  /** Inclusive time of our own functions (src, sip-stack, media-relay), highest first. */
  readonly topInclusive: ProfileEntry[];
}


const maps = new Map<string, SourceMap | undefined>();

function sourceMapFor(path: string): SourceMap | undefined {
  if (!maps.has(path)) {
    const mapPath = `${path}.map`;
    let map: SourceMap | undefined;
    try {
      if (existsSync(mapPath)) map = new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    } catch {
      map = undefined;
    }
    maps.set(path, map);
  }
  return maps.get(path);
}

/** file:line of a call frame, in the TypeScript source when dist/ has a map for it. */
function locate(frame: ProfileNode['callFrame']): string {
  if (frame.url === '') return '';
  if (!frame.url.startsWith('file://')) return `${frame.url}:${frame.lineNumber + 1}`;
  const path = fileURLToPath(frame.url);
  const map = sourceMapFor(path);
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry && 'originalSource' in entry) {
    const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : entry.originalSource;
    const rel = relative(ROOT, source.startsWith('/') ? source : `${path}/../${source}`);
    return `${shorten(rel)}:${entry.originalLine + 1}`;
  }
  return `${shorten(relative(ROOT, path))}:${frame.lineNumber + 1}`;
}

/** node_modules may be a symlink out of the tree: keep the path from node_modules/ on. */
function shorten(path: string): string {
  const at = path.indexOf('node_modules/');
  return at > 0 ? path.slice(at) : path;
}

function category(frame: ProfileNode['callFrame'], where: string): string {
  const name = frame.functionName;
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(program)') return 'program (native, unattributed)';
  if (/^(src|sip-stack|media-relay)\//.test(where)) return `softswitch ${where.split('/')[0]}/`;
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (dep) return `dependency ${dep[1]}`;
  if (frame.url.startsWith('node:') || frame.url === '') return 'node internals / native';
  return 'other';
}

export function summariseProfile(path: string, top = 30): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // timeDeltas[i] is the time since the previous sample; attribute it to sample i.
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const sampled = [...self.values()].reduce((a, b) => a + b, 0);
  const keyOf = new Map<number, { key: string; fn: string; where: string; cat: string }>();
  for (const n of profile.nodes) {
    const where = locate(n.callFrame);
    const fn = n.callFrame.functionName || '(anonymous)';
    keyOf.set(n.id, { key: `${fn} ${where}`, fn, where, cat: category(n.callFrame, where) });
  }
  const selfByKey = new Map<string, number>();
  const totalByKey = new Map<string, number>();
  const categories: Record<string, number> = {};
  const info = new Map<string, { fn: string; where: string; cat: string }>();
  // Depth-first from the root: each node's self time counts once for every distinct function on its path.
  const root = profile.nodes[0];
  const stack: Array<{ id: number; path: string[] }> = root ? [{ id: root.id, path: [] }] : [];
  while (stack.length > 0) {
    const { id, path: above } = stack.pop() as { id: number; path: string[] };
    const node = byId.get(id);
    const k = keyOf.get(id);
    if (!node || !k) continue;
    info.set(k.key, k);
    const path = above.includes(k.key) ? above : [...above, k.key];
    const t = self.get(id) ?? 0;
    if (t > 0) {
      selfByKey.set(k.key, (selfByKey.get(k.key) ?? 0) + t);
      categories[k.cat] = (categories[k.cat] ?? 0) + t;
      for (const key of path) totalByKey.set(key, (totalByKey.get(key) ?? 0) + t);
    }
    for (const child of node.children ?? []) stack.push({ id: child, path });
  }
  // Percentages are of the busy time (everything but idle).
  const busy = Math.max(1, sampled - (categories.idle ?? 0));
  const entry = (key: string): ProfileEntry => {
    const i = info.get(key) ?? { fn: key, where: '' };
    const s = selfByKey.get(key) ?? 0;
    const t = totalByKey.get(key) ?? 0;
    return { fn: i.fn, where: i.where, selfMs: s / 1000, selfPct: (100 * s) / busy, totalMs: t / 1000, totalPct: (100 * t) / busy };
  };
  const topSelf = [...selfByKey.keys()].filter((k) => info.get(k)?.cat !== 'idle')
    .sort((a, b) => (selfByKey.get(b) ?? 0) - (selfByKey.get(a) ?? 0)).slice(0, top).map(entry);
  const ours = [...totalByKey.keys()].filter((k) => /^(src|sip-stack|media-relay)\//.test(info.get(k)?.where ?? ''));
  const topInclusive = ours.sort((a, b) => (totalByKey.get(b) ?? 0) - (totalByKey.get(a) ?? 0)).slice(0, top).map(entry);
  const pct: Record<string, number> = {};
  for (const [c, t] of Object.entries(categories)) if (c !== 'idle') pct[c] = (100 * t) / busy;
  return {
    durationMs: (profile.endTime - profile.startTime) / 1000, sampledMs: sampled / 1000, busyMs: busy / 1000,
    categories: pct, top: topSelf, topInclusive,
  };
}
