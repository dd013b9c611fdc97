// Compiles the relay's native forwarder (forwarder.c) into build/relay-forwarder.node with the C
// compiler and the headers of the Node.js that runs this script. Without a compiler or headers
// it says so and exits 0: the relay then forwards through node:dgram (media.forwarder: node).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const source = join(here, 'forwarder.c');
const output = join(root, 'build', 'relay-forwarder.node');
const headers = [join(dirname(dirname(process.execPath)), 'include', 'node'), '/usr/include/node', '/usr/local/include/node']
  .find((dir) => existsSync(join(dir, 'node_api.h')));

const newest = Math.max(...readdirSync(here).filter((f) => /\.[ch]$/.test(f)).map((f) => statSync(join(here, f)).mtimeMs));
if (existsSync(output) && statSync(output).mtimeMs >= newest) process.exit(0);
// A stale build must not be loaded in place of one that failed.
rmSync(output, { force: true });
if (headers === undefined) {
  console.warn('relay-forwarder: no node_api.h found (install the Node.js headers); the relay will use node:dgram');
  process.exit(0);
}
mkdirSync(dirname(output), { recursive: true });
const [compiler, ...compilerArgs] = (process.env.CC ?? 'cc').trim().split(/\s+/);
// Written beside the output and renamed into place: a running switch may have the old one mapped.
const partial = `${output}.${process.pid}.tmp`;
const args = [...compilerArgs, '-O2', '-std=gnu11', '-Wall', '-Wextra', '-Wno-unused-parameter', '-shared', '-fPIC', '-pthread',
  '-DNODE_GYP_MODULE_NAME=relay_forwarder', `-I${headers}`, '-o', partial, source];
const result = spawnSync(compiler, args, { stdio: 'inherit' });
if (result.error !== undefined || result.status !== 0) {
  rmSync(partial, { force: true });
  console.warn(`relay-forwarder: ${compiler} failed (${result.error?.message ?? `exit ${result.status}`}); the relay will use node:dgram`);
  process.exit(0);
}
renameSync(partial, output);
