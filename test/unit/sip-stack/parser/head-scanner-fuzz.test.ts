import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../../bench/parser-bench.js';
import { scannerTables } from '../../../../sip-stack/parser/native-head.js';
import { INVITE_BYTES } from '../message/sample-messages.js';

/**
 * The head scanner's C fuzzed outside Node under AddressSanitizer and UndefinedBehaviorSanitizer
 * (head-scanner-fuzz.c), with the very tables the parser gives it: hostile bytes must never make
 * it read or write out of bounds, and what it takes must be well formed. A fixed random seed,
 * so that a failure reproduces.
 */

const here = fileURLToPath(new URL('.', import.meta.url));
const NATIVE = fileURLToPath(new URL('../../../../sip-stack/native/', import.meta.url));
const RFC4475 = fileURLToPath(new URL('../../../fixtures/rfc4475/', import.meta.url));
const MUTATIONS = 150_000;

const work = mkdtempSync(join(tmpdir(), 'head-scanner-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cArray(type: string, name: string, values: Iterable<number | string>): string {
  const items = [...values].map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)));
  return `static const ${type} ${name}[] = { ${items.join(', ')} };\n`;
}

/** tables.h: what native-head.ts gives the scanner's init(), as C arrays. */
function writeTables(): void {
  const t = scannerTables();
  writeFileSync(join(work, 'tables.h'), cArray('char *const', 'SP', t.spellings) + cArray('int32_t', 'RO', t.roles)
    + cArray('int32_t', 'SI', t.singles) + cArray('uint8_t', 'BC', t.byteClass) + cArray('uint8_t', 'TK', t.token)
    + cArray('uint8_t', 'BITS', t.bits));
}

/** The benchmark messages, a sample INVITE and the RFC 4475 messages, as seed files. */
function writeSeeds(): string {
  const dir = join(work, 'seeds');
  rmSync(dir, { recursive: true, force: true });
  const seeds: Buffer[] = [...Object.values(MESSAGES), INVITE_BYTES, ...readdirSync(RFC4475).filter((f) => f.endsWith('.dat')).map((f) => readFileSync(RFC4475 + f))];
  mkdirSync(dir, { recursive: true });
  seeds.forEach((bytes, i) => writeFileSync(join(dir, `${i}.sip`), bytes));
  return dir;
}

function compile(): string {
  const exe = join(work, 'head-scanner-fuzz');
  const cc = (process.env.CC ?? 'cc').trim().split(/\s+/);
  const result = spawnSync(cc[0] as string, [...cc.slice(1), '-std=gnu11', '-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all',
    `-I${work}`, `-I${NATIVE}`, '-o', exe, join(here, 'head-scanner-fuzz.c'), join(NATIVE, 'head-scanner.c')], { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) throw new Error(`cc failed (a C compiler with ASan is needed): ${result.error?.message ?? result.stderr}`);
  return exe;
}

describe('native head scanner under sanitizers', () => {
  it('never reads or writes out of bounds, and every scan it takes is well formed', () => {
    writeTables();
    const seeds = writeSeeds();
    const exe = compile();
    const run = spawnSync(exe, [seeds, String(MUTATIONS), '1'], { encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = /seeds (\d+), inputs (\d+), taken (\d+), with the check scans (\d+), failures (\d+)/.exec(run.stdout);
    expect(summary, run.stdout).not.toBeNull();
    const [seedCount, inputs, taken, checked, failures] = (summary as RegExpExecArray).slice(1).map(Number) as [number, number, number, number, number];
    expect(seedCount).toBeGreaterThan(50);
    expect(inputs).toBeGreaterThan(MUTATIONS);
    // The fuzzing reaches the scanner's whole path, not only its early refusals.
    expect(taken).toBeGreaterThan(inputs / 100);
    expect(checked).toBeGreaterThan(taken / 10);
    expect(failures).toBe(0);
  }, 180_000);
});
