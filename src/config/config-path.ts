const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Renders a path the way the configuration is written: `users[3].callGroups[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => text + formatKey(key, text === ''), '');
}

function formatKey(key: PropertyKey, first: boolean): string {
  if (typeof key === 'number') return `[${key}]`;
  const name = String(key);
  if (!IDENTIFIER.test(name)) return `[${JSON.stringify(name)}]`;
  return first ? name : `.${name}`;
}
