/**
 * RFC 3261 §16.7 step 6: of several final failures choose the best to forward: a 6xx wins; else
 * the lowest class; among 4xx prefer those that tell the caller something definite (486 Busy
 * over 480/408 silence), which is what people expect from a phone system.
 */
export function bestFailure(statuses: readonly number[]): number {
  if (statuses.length === 0) return 480;
  const sixXx = statuses.find((s) => s >= 600);
  if (sixXx !== undefined) return sixXx;
  return [...statuses].sort((a, b) => rank(a) - rank(b))[0] as number;
}

const PREFERRED_4XX = [486, 403, 404, 488, 484, 485, 415, 420, 603];

function rank(status: number): number {
  const cls = Math.floor(status / 100);
  if (cls === 4) {
    const i = PREFERRED_4XX.indexOf(status);
    if (i >= 0) return 400 + i;
    if (status === 480 || status === 408 || status === 487) return 490 + (status === 480 ? 0 : 1);
    return 450;
  }
  if (cls === 3) return 300;
  return cls * 100 + 50;
}
