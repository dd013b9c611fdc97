import type { ConfigIssue } from './config-error.js';
import type { Config, QueueConfig, UserConfig } from './config-schema.js';
import { ClaimRegistry, present } from './claim-registry.js';

/**
 * Rules about who is who: ACL groups, users and queues must refer to each other by names and
 * extensions that exist, and no extension may reach two destinations.
 */
export function checkDirectory(config: Config): ConfigIssue[] {
  const extensions = new ClaimRegistry();
  return [
    ...checkAclGroups(config.aclGroups),
    ...config.users.flatMap((user, i) => checkUser(user, i, config, extensions)),
    ...checkQueues(config, extensions),
  ];
}

function checkAclGroups(groups: Config['aclGroups']): ConfigIssue[] {
  const names = new ClaimRegistry();
  const known = new Set(groups.map((group) => group.name));
  return present(
    groups.flatMap((group, i) => [
      names.claim(group.name, `aclGroups[${i}]`, `aclGroups[${i}].name`),
      ...group.cannot.map((rule, j) =>
        known.has(rule.target)
          ? undefined
          : { path: `aclGroups[${i}].cannot[${j}].target`, reason: `unknown ACL group "${rule.target}"` },
      ),
    ]),
  );
}

function checkUser(user: UserConfig, i: number, config: Config, extensions: ClaimRegistry): ConfigIssue[] {
  const at = `users[${i}]`;
  const knownAcl = config.aclGroups.some((group) => group.name === user.aclGroup);
  return present([
    extensions.claim(user.extension, at, `${at}.extension`),
    checkCredentials(user, at),
    knownAcl ? undefined : { path: `${at}.aclGroup`, reason: `unknown ACL group "${user.aclGroup}"` },
  ]);
}

const CREDENTIALS = ['password', 'ha1', 'ha1Sha256'] as const;

/** Digest auth needs exactly one secret; two could disagree and we would not know which wins. */
function checkCredentials(user: UserConfig, at: string): ConfigIssue | undefined {
  const given = CREDENTIALS.filter((field) => user[field] !== undefined);
  if (given.length === 1) return undefined;
  if (given.length === 0) return { path: at, reason: `needs one of ${CREDENTIALS.join(', ')}` };
  return { path: at, reason: `give only one of ${CREDENTIALS.join(', ')} (found ${given.join(' and ')})` };
}

function checkQueues(config: Config, extensions: ClaimRegistry): ConfigIssue[] {
  const { queues } = config;
  const users = new Set(config.users.map((user) => user.extension));
  const ids = new ClaimRegistry();
  const claimed = queues.flatMap((queue, i) =>
    present([
      ids.claim(String(queue.id), `queues[${i}]`, `queues[${i}].id`),
      queue.extension === undefined
        ? undefined
        : extensions.claim(queue.extension, `queues[${i}]`, `queues[${i}].extension`),
    ]),
  );
  // Agents and fallbacks are checked after every extension is claimed, so order does not matter.
  const references = queues.flatMap((queue, i) => [
    ...checkAgents(queue, i, users),
    ...present([checkFallback(queues, i, extensions)]),
  ]);
  return [...claimed, ...references];
}

function checkAgents(queue: QueueConfig, i: number, users: ReadonlySet<string>): ConfigIssue[] {
  const seen = new ClaimRegistry();
  return present(
    queue.agents.map((agent, j) => {
      const path = `queues[${i}].agents[${j}]`;
      if (!users.has(agent)) {
        return { path, reason: `"${agent}" is not a user extension` };
      }
      return seen.claim(agent, path, path);
    }),
  );
}

function checkFallback(queues: readonly QueueConfig[], i: number, extensions: ClaimRegistry): ConfigIssue | undefined {
  const fallback = queues[i]?.fallback;
  if (fallback === undefined) return undefined;
  const path = `queues[${i}].fallback`;
  if (extensions.ownerOf(fallback) === undefined) {
    return { path, reason: `"${fallback}" is not a user or queue extension` };
  }
  return fallbackLoops(queues, i) ? { path, reason: 'the fallback chain leads back to this queue' } : undefined;
}

/** A caller who times out of one queue into another must not end up where they started. */
function fallbackLoops(queues: readonly QueueConfig[], start: number): boolean {
  const byExtension = new Map<string, number>();
  queues.forEach((queue, i) => {
    if (queue.extension !== undefined) byExtension.set(queue.extension, i);
  });
  const fallbackOf = (i: number): number | undefined => {
    const fallback = queues[i]?.fallback;
    return fallback === undefined ? undefined : byExtension.get(fallback);
  };
  const visited = new Set<number>();
  for (let next = fallbackOf(start); next !== undefined && !visited.has(next); next = fallbackOf(next)) {
    if (next === start) return true;
    visited.add(next);
  }
  return false;
}
