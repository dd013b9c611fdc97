// Compiles the native parts into build/ with the C compiler and the headers of the Node.js that
// runs this script: the relay's forwarder (media-relay/native) and the SIP parser's head scanner
// (sip-stack/native). Without a compiler or headers it says so and exits 0: each part has a
// TypeScript path that does the same work (the relay on node:dgram, the parser in TypeScript).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const ADDONS = [
  { name: 'relay-forwarder', dir: 'media-relay/native', sources: ['forwarder.c'], fallback: 'the relay will use node:dgram' },
  { name: 'sip-scanner', dir: 'sip-stack/native', sources: ['head-scanner.c', 'scanner-addon.c'], fallback: 'the parser will scan in TypeScript' },
];
const headers = [join(dirname(dirname(process.execPath)), 'include', 'node'), '/usr/include/node', '/usr/local/include/node']
  .find((dir) => existsSync(join(dir, 'node_api.h')));

for (const addon of ADDONS) build(addon);

function build({ name, dir, sources, fallback }) {
  const here = join(root, dir);
  const output = join(root, 'build', `${name}.node`);
  const newest = Math.max(...readdirSync(here).filter((f) => /\.[ch]$/.test(f)).map((f) => statSync(join(here, f)).mtimeMs));
  if (existsSync(output) && statSync(output).mtimeMs >= newest) return;
  // A stale build must not be loaded in place of one that failed.
  rmSync(output, { force: true });
  if (headers === undefined) {
    console.warn(`${name}: no node_api.h found (install the Node.js headers); ${fallback}`);
    return;
  }
  mkdirSync(dirname(output), { recursive: true });
  const [compiler, ...compilerArgs] = (process.env.CC ?? 'cc').trim().split(/\s+/);
  // Written beside the output and renamed into place: a running switch may have the old one mapped.
  const partial = `${output}.${process.pid}.tmp`;
  const args = [...compilerArgs, '-O2', '-std=gnu11', '-Wall', '-Wextra', '-Wno-unused-parameter', '-shared', '-fPIC', '-pthread',
    `-DNODE_GYP_MODULE_NAME=${name.replace('-', '_')}`, `-I${headers}`, '-o', partial, ...sources.map((source) => join(here, source))];
  const result = spawnSync(compiler, args, { stdio: 'inherit' });
  if (result.error !== undefined || result.status !== 0) {
    rmSync(partial, { force: true });
    console.warn(`${name}: ${compiler} failed (${result.error?.message ?? `exit ${result.status}`}); ${fallback}`);
    return;
  }
  renameSync(partial, output);
}
