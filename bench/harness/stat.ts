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

/**
 * Why calls failed, from a sipp error log (-trace_err): "12x 480 (expecting 180)" per kind of
 * unexpected message, plus timeouts. Empty when nothing failed.
 */
export function errorSummary(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return '';
  }
  const counts = new Map<string, number>();
  const re = /Aborting call on unexpected message[^:]*: while (?:expecting '([^']+)' \(index \d+\)|sending \(index \d+\)), received '(?:SIP\/2\.0 )?(\S+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const key = `${m[2]} (${m[1] === undefined ? 'while sending' : `expecting ${m[1]}`})`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const timeouts = (text.match(/[Tt]imeout/g) ?? []).length;
  if (timeouts > 0) counts.set('timeout', timeouts);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}x ${k}`).join(', ');
}

/**
 * Calls aborted only because a provisional response (1xx) arrived after the call had moved past
 * the INVITE's final response (sipp was waiting for the 200 of the BYE, or sending the ACK/BYE):
 * a proxy whose worker processes forward the UAS's back-to-back 180 and 200 out of order causes
 * these. Harmless to a real UA; sipp's strict scenario counts each as a failed call.
 */
export function lateProvisionalAborts(path: string): number {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return 0;
  }
  const re = /Aborting call on unexpected message[^:]*: while (?:expecting '200' \(index \d+\)|sending \(index \d+\)), received 'SIP\/2\.0 1\d\d [^\r\n]*[\r\n]+(?:[^\r\n]+[\r\n]+)*?CSeq: \d+ INVITE/g;
  return (text.match(re) ?? []).length;
}
