import { readFileSync } from 'node:fs';
import { parseDocument, type YAMLError } from 'yaml';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { configSchema, type Config } from './config-schema.js';
import { validateConfig } from './config-validate.js';
import { defaultConfig } from './default-config.js';
import { configIssuesFromZod, readableZodReason } from './zod-issues.js';

/** Shown as the source of issues in the built-in default, which tests keep free of them. */
export const BUILT_IN_SOURCE = 'built-in default';

/**
 * The configuration at `path`, or the built-in default when there is none. Reads the file and
 * nothing else: binding ports and opening the store belong to whoever uses the result.
 */
export function loadConfig(path?: string): Config {
  return path === undefined ? parseConfig(defaultConfig, BUILT_IN_SOURCE) : loadConfigFile(path);
}

/** Reads a YAML file; throws a ConfigError naming the file for unreadable, malformed or invalid
 * content. */
export function loadConfigFile(path: string): Config {
  return parseConfig(parseYaml(readText(path), path), path);
}

/** Applies defaults and checks everything; throws a ConfigError listing every issue found. */
export function parseConfig(input: unknown, source?: string): Config {
  // An empty file, or one holding only comments, is the all-defaults configuration.
  const result = configSchema.safeParse(input ?? {}, { error: readableZodReason });
  if (!result.success) throw new ConfigError(configIssuesFromZod(result.error), source);
  const issues = validateConfig(result.data);
  if (issues.length > 0) throw new ConfigError(issues, source);
  return result.data;
}

/** Parses YAML text; syntax errors become a ConfigError with line and column. */
export function parseYaml(text: string, source?: string): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ConfigError(doc.errors.map(yamlIssue), source);
  return doc.toJS();
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ path: '', reason: `cannot read the file: ${reason}` }], path);
  }
}

/** The yaml library appends the position and a source excerpt to its message; we keep the
 * first line's reason and put the position where a path would go. */
function yamlIssue(error: YAMLError): ConfigIssue {
  const reason = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.message;
  const start = error.linePos?.[0];
  const path = start === undefined ? '' : `line ${start.line}, column ${start.col}`;
  return { path, reason };
}
