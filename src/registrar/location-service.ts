import { type Binding, bindingKey } from './binding.js';
import type { RegistrationStore } from '../store/registration-store.js';

/**
 * The location service (RFC 3261 §10.2): AOR -> bindings, held in memory for lookups on every
 * call and written through to the store. Expired bindings are invisible at once and deleted by
 * prune().
 */
export class LocationService {
  private readonly byAor = new Map<string, Map<string, Binding>>();

  constructor(private readonly store: RegistrationStore | undefined, private readonly now: () => number) {}

  /** Loads the live bindings of the store (after a restart). */
  restore(): number {
    if (!this.store) return 0;
    const live = this.store.loadLive(this.now());
    for (const b of live) this.put(b, false);
    return live.length;
  }

  /** Live bindings of an AOR, highest q first, then most recent. */
  lookup(aor: string): Binding[] {
    const map = this.byAor.get(aor);
    if (!map) return [];
    const now = this.now();
    const out: Binding[] = [];
    for (const b of map.values()) if (b.expiresAt > now) out.push(b);
    return out.sort((a, b) => (b.q ?? 1) - (a.q ?? 1) || b.registeredAt - a.registeredAt);
  }

  find(aor: string, key: string): Binding | undefined {
    return this.byAor.get(aor)?.get(key);
  }

  put(b: Binding, persist = true): void {
    let map = this.byAor.get(b.aor);
    if (!map) this.byAor.set(b.aor, (map = new Map()));
    map.set(bindingKey(b), b);
    if (persist) this.store?.save(b);
  }

  remove(aor: string, key: string): void {
    const map = this.byAor.get(aor);
    map?.delete(key);
    if (map?.size === 0) this.byAor.delete(aor);
    this.store?.remove(aor, key);
  }

  removeAll(aor: string): void {
    this.byAor.delete(aor);
    this.store?.removeAll(aor);
  }

  /** Every live binding, for the admin API. */
  all(): Binding[] {
    const out: Binding[] = [];
    for (const aor of this.byAor.keys()) out.push(...this.lookup(aor));
    return out;
  }

  /** Drops expired bindings from memory and the store. */
  prune(): number {
    const now = this.now();
    let dropped = 0;
    for (const [aor, map] of this.byAor) {
      for (const [key, b] of map) if (b.expiresAt <= now) { map.delete(key); dropped++; }
      if (map.size === 0) this.byAor.delete(aor);
    }
    this.store?.prune(now);
    return dropped;
  }
}
