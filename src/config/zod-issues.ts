import type { z } from 'zod';
import type { ConfigIssue } from './config-error.js';
import { formatPath } from './config-path.js';

type ErrorMap = z.core.$ZodErrorMap;

/**
 * Zod's default messages are written for developers ("Invalid input: expected string, received
 * number"); these are written for whoever edits the YAML file. Messages set on a schema win.
 */
export const readableZodReason: ErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return invalidType(issue.expected, issue.input);
    case 'invalid_value':
      return invalidValue(issue.values);
    case 'too_small':
      return tooSmall(issue.origin, issue.minimum, issue.inclusive !== false);
    case 'too_big':
      return tooBig(issue.origin, issue.maximum, issue.inclusive !== false);
    default:
      return undefined;
  }
};

/** One issue per unknown key, so each reads like every other problem: `sip.lisen: unknown key`. */
export function configIssuesFromZod(error: z.core.$ZodError): ConfigIssue[] {
  return error.issues.flatMap((issue): ConfigIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), reason: 'unknown key' }));
    }
    return [{ path: formatPath(issue.path), reason: issue.message }];
  });
}

const NOUNS: Readonly<Record<string, string>> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

function invalidType(expected: string, input: unknown): string {
  if (input === undefined) return 'required';
  const wanted = NOUNS[expected] ?? expected;
  if (expected === 'int' && typeof input === 'number') return `expected ${wanted}, got ${input}`;
  const reason = `expected ${wanted}, got ${describe(input)}`;
  // YAML reads an unquoted 100 as a number; extensions and passwords must be quoted.
  return expected === 'string' && typeof input === 'number' ? `${reason} (quote it: "${input}")` : reason;
}

function describe(input: unknown): string {
  if (input === null) return 'nothing (null)';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return `the string ${JSON.stringify(input)}`;
  return `${typeof input} ${String(input)}`;
}

function invalidValue(values: readonly unknown[]): string {
  const shown = values.map((value) => String(value));
  return shown.length === 1 ? `must be ${shown[0]}` : `must be one of: ${shown.join(', ')}`;
}

function tooSmall(origin: string, minimum: number | bigint, inclusive: boolean): string {
  if (origin === 'string') return minimum === 1 ? 'must not be empty' : `needs at least ${minimum} characters`;
  if (origin === 'array') return minimum === 1 ? 'needs at least one entry' : `needs at least ${minimum} entries`;
  return `must be ${inclusive ? '>=' : '>'} ${minimum}`;
}

function tooBig(origin: string, maximum: number | bigint, inclusive: boolean): string {
  if (origin === 'string') return `needs at most ${maximum} characters`;
  if (origin === 'array') return `needs at most ${maximum} entries`;
  return `must be ${inclusive ? '<=' : '<'} ${maximum}`;
}
