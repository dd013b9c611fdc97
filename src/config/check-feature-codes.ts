import type { ConfigIssue } from './config-error.js';
import type { Config } from './config-schema.js';
import { effectiveCodes } from './feature-codes.js';
import { present } from './claim-registry.js';

/** One effective code and where it is configured. */
interface CodeEntry {
  readonly path: string;
  readonly code: string;
  /** Pickup and queue codes are followed by more digits (`88<ext>`, `79<id>`); `*5` is not. */
  readonly takesArgument: boolean;
}

interface ExtensionEntry {
  readonly path: string;
  readonly extension: string;
}

/**
 * A dialled string must mean one thing. Codes are compared as dialled (prefix applied):
 * no two codes may be equal, a code followed by an argument may not begin another code (`88`
 * would read `885` as pickup of 5), and no extension may begin with a code (it would be read as
 * that feature, and `88<ext>` would become ambiguous).
 */
export function checkFeatureCodes(config: Config): ConfigIssue[] {
  const codes = codeEntries(config);
  const pairs = codes.flatMap((later, j) => codes.slice(0, j).map((earlier) => codeClash(earlier, later)));
  const extensions = extensionEntries(config).flatMap((entry) => codes.map((code) => extensionClash(entry, code)));
  return present([...pairs, ...extensions]);
}

function codeEntries(config: Config): CodeEntry[] {
  const codes = effectiveCodes(config.featureCodes);
  return [
    { path: 'featureCodes.pickup', code: codes.pickup, takesArgument: true },
    ...codes.queue.map((code, i) => ({ path: `featureCodes.queue[${i}]`, code, takesArgument: true })),
    { path: 'featureCodes.switchDevice', code: codes.switchDevice, takesArgument: false },
  ];
}

function extensionEntries(config: Config): ExtensionEntry[] {
  const users = config.users.map((user, i) => ({ path: `users[${i}].extension`, extension: user.extension }));
  const queues = config.queues.flatMap((queue, i) =>
    queue.extension === undefined ? [] : [{ path: `queues[${i}].extension`, extension: queue.extension }],
  );
  return [...users, ...queues];
}

/** Equal codes are reported at the later one; a prefix at the code it swallows. */
function codeClash(earlier: CodeEntry, later: CodeEntry): ConfigIssue | undefined {
  if (earlier.code === later.code) {
    return { path: later.path, reason: `code "${later.code}" is also ${earlier.path}` };
  }
  if (earlier.takesArgument && later.code.startsWith(earlier.code)) return swallowed(later, earlier);
  if (later.takesArgument && earlier.code.startsWith(later.code)) return swallowed(earlier, later);
  return undefined;
}

function swallowed(entry: CodeEntry, by: CodeEntry): ConfigIssue {
  return {
    path: entry.path,
    reason: `code "${entry.code}" begins with ${by.path} "${by.code}", so it would be read as that code`,
  };
}

function extensionClash(entry: ExtensionEntry, code: CodeEntry): ConfigIssue | undefined {
  if (!entry.extension.startsWith(code.code)) return undefined;
  return {
    path: entry.path,
    reason: `"${entry.extension}" begins with feature code "${code.code}" (${code.path}), so dialling it would reach the feature`,
  };
}
