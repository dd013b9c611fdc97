/**
 * The parameter names a stack reads, as constant strings. Reusing them instead of slicing the
 * wire text saves an allocation per parameter and lets Map lookups use an already hashed key.
 */
const COMMON = [
  'tag', 'branch', 'rport', 'received', 'lr', 'transport', 'user', 'maddr', 'ttl', 'method', 'expires', 'q',
  'cause', 'text', 'comp', 'ob', 'reg-id', '+sip.instance', 'gr', 'phone-context', 'isfocus', 'ext',
];

const MAX_LENGTH = 16;
const BUCKETS: Array<string[] | undefined> = new Array<string[] | undefined>(MAX_LENGTH * 128).fill(undefined);
for (const name of COMMON) (BUCKETS[name.length * 128 + name.charCodeAt(0)] ??= []).push(name);

/** The constant spelling of s[start, end) if it is a common lower-case parameter name. */
export function commonParamName(s: string, start: number, end: number): string | undefined {
  const length = end - start;
  const first = s.charCodeAt(start);
  if (length >= MAX_LENGTH || first >= 128) return undefined;
  const bucket = BUCKETS[length * 128 + first];
  if (bucket === undefined) return undefined;
  for (const name of bucket) if (s.startsWith(name, start)) return name;
  return undefined;
}
