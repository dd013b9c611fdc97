import { readFileSync } from 'node:fs';

export interface StatCounts {
  readonly ok: number;
  readonly failed: number;
  readonly retrans: number;
  readonly created: number;
}

/** The cumulative counters of the last line of a sipp statistics file (-trace_stat), by column name. */
export function parseStat(path: string): StatCounts {
  let lines: string[];
  try {
    lines = readFileSync(path, 'utf8').trim().split('\n');
  } catch {
    return { ok: NaN, failed: NaN, retrans: NaN, created: NaN };
  }
  const head = (lines[0] ?? '').split(';');
  const last = (lines[lines.length - 1] ?? '').split(';');
  const col = (name: string): number => {
    const i = head.indexOf(name);
    return i < 0 ? NaN : Number(last[i]);
  };
  return {
    ok: col('SuccessfulCall(C)'), failed: col('FailedCall(C)'), retrans: col('Retransmissions(C)'), created: col('TotalCallCreated'),
  };
}
