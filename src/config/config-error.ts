/** One problem in a configuration: where (`users[3].extension`) and why. */
export interface ConfigIssue {
  /** Dotted path with [index] for list entries; empty when the problem is the whole file. */
  readonly path: string;
  readonly reason: string;
}

/** A configuration that cannot be used, with every problem found rather than only the first. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly issues: readonly ConfigIssue[],
    /** The file the configuration came from, when it came from one. */
    readonly source?: string,
  ) {
    super(formatIssues(issues, source));
  }
}

/** One line per issue, `file: path: reason`, the shape compilers use so editors can jump to it. */
export function formatIssues(issues: readonly ConfigIssue[], source?: string): string {
  return issues.map((issue) => formatIssue(issue, source)).join('\n');
}

function formatIssue(issue: ConfigIssue, source?: string): string {
  const parts = [source, issue.path, issue.reason].filter((part) => part !== undefined && part !== '');
  return parts.join(': ');
}
