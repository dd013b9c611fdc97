import type { ConfigIssue } from './config-error.js';

/**
 * Records who first claimed each key (an extension, a queue id, a group name) so every later
 * claim can be reported as `path: duplicate of <first owner>`.
 */
export class ClaimRegistry {
  private readonly owners = new Map<string, string>();

  /** Returns the issue for a repeated claim, or undefined when `key` was free. */
  claim(key: string, owner: string, path: string): ConfigIssue | undefined {
    const first = this.owners.get(key);
    if (first !== undefined) return { path, reason: `duplicate of ${first}` };
    this.owners.set(key, owner);
    return undefined;
  }

  ownerOf(key: string): string | undefined {
    return this.owners.get(key);
  }
}

/** Keeps the issues, drops the "no problem" results. */
export function present(issues: readonly (ConfigIssue | undefined)[]): ConfigIssue[] {
  return issues.filter((issue): issue is ConfigIssue => issue !== undefined);
}
