import type { FeatureCodesConfig } from './config-schema.js';

/** The codes as actually dialled. */
export interface EffectiveCodes {
  readonly pickup: string;
  /** The queue code first, then its aliases. */
  readonly queue: readonly string[];
  readonly switchDevice: string;
}

type CodeSettings = Pick<FeatureCodesConfig, 'prefix' | 'pickup' | 'queue' | 'switchDevice'>;

/** `prefix` goes before every code except those starting with `*` or `#`, which are already
 * distinct from extensions (DESIGN §3). */
export function effectiveCodes(codes: CodeSettings): EffectiveCodes {
  const apply = (code: string): string => applyPrefix(codes.prefix, code);
  return {
    pickup: apply(codes.pickup),
    queue: codes.queue.map(apply),
    switchDevice: apply(codes.switchDevice),
  };
}

export function applyPrefix(prefix: string, code: string): string {
  return code.startsWith('*') || code.startsWith('#') ? code : prefix + code;
}
