import type { FeatureCodesConfig } from '../config/config-schema.js';
import { effectiveCodes } from '../config/feature-codes.js';

/** What a dialled string means (DESIGN §4). */
export type Destination =
  | { readonly kind: 'user'; readonly extension: string }
  | { readonly kind: 'queue'; readonly queueId: number }
  | { readonly kind: 'pickup-any' }
  | { readonly kind: 'pickup-extension'; readonly extension: string }
  | { readonly kind: 'pickup-group'; readonly group: string }
  | { readonly kind: 'pickup-queue'; readonly queueId: number }
  | { readonly kind: 'switch-device' }
  | { readonly kind: 'unknown'; readonly dialled: string };

export interface DialplanDirectory {
  hasUser(extension: string): boolean;
  /** The queue id reached by a queue's own extension, if any. */
  queueByExtension(extension: string): number | undefined;
}

type Codes = Pick<FeatureCodesConfig, 'prefix' | 'pickup' | 'queue' | 'switchDevice'>;

/**
 * Reads dialled strings. Feature codes come first (the configuration guarantees that no
 * extension starts with one), then extensions and queue extensions.
 */
export class Dialplan {
  private readonly pickup: string;
  private readonly queueCodes: readonly string[];
  /** After the pickup code the queue code may be written with or without the global prefix. */
  private readonly innerQueueCodes: readonly string[];
  private readonly switchDevice: string;

  constructor(codes: Codes, private readonly directory: DialplanDirectory) {
    const effective = effectiveCodes(codes);
    this.pickup = effective.pickup;
    this.queueCodes = effective.queue;
    this.innerQueueCodes = [...new Set([...effective.queue, ...codes.queue])];
    this.switchDevice = effective.switchDevice;
  }

  resolve(dialled: string): Destination {
    if (dialled === this.switchDevice) return { kind: 'switch-device' };
    if (dialled.startsWith(this.pickup)) return this.pickupTarget(dialled.slice(this.pickup.length), dialled);
    const queueId = this.queueNumber(dialled, this.queueCodes);
    if (queueId !== undefined) return { kind: 'queue', queueId };
    if (this.directory.hasUser(dialled)) return { kind: 'user', extension: dialled };
    const viaExtension = this.directory.queueByExtension(dialled);
    if (viaExtension !== undefined) return { kind: 'queue', queueId: viaExtension };
    return { kind: 'unknown', dialled };
  }

  /** `88`, `88<ext>`, `88*<ext>`, `88<group>`, `88*79*<id>`, `8879<id>` (DESIGN §4). */
  private pickupTarget(rest: string, dialled: string): Destination {
    if (rest === '') return { kind: 'pickup-any' };
    if (rest.startsWith('*')) {
      for (const code of this.innerQueueCodes) {
        const id = digitsAfter(rest, `*${code}*`);
        if (id !== undefined) return { kind: 'pickup-queue', queueId: id };
      }
      const ext = rest.slice(1);
      return isDigits(ext) ? { kind: 'pickup-extension', extension: ext } : { kind: 'unknown', dialled };
    }
    const queueId = this.queueNumber(rest, this.innerQueueCodes);
    if (queueId !== undefined) return { kind: 'pickup-queue', queueId };
    if (isDigits(rest)) return { kind: 'pickup-extension', extension: rest };
    if (/^[A-Za-z0-9_-]+$/.test(rest)) return { kind: 'pickup-group', group: rest };
    return { kind: 'unknown', dialled };
  }

  private queueNumber(s: string, codes: readonly string[]): number | undefined {
    for (const code of codes) {
      const id = digitsAfter(s, code);
      if (id !== undefined) return id;
    }
    return undefined;
  }
}

function digitsAfter(s: string, prefix: string): number | undefined {
  if (!s.startsWith(prefix)) return undefined;
  const rest = s.slice(prefix.length);
  return isDigits(rest) && rest.length <= 9 ? Number(rest) : undefined;
}

function isDigits(s: string): boolean {
  return /^[0-9]+$/.test(s);
}
