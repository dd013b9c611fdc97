import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the first folder above this file holding package.json (works from dist/). */
export const ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: project root (package.json) not found');
    dir = up;
  }
  return dir;
})();

/** sipp scenarios, driver scripts and the anchors' configurations (bench/sipp, not compiled). */
export const SIPP_DIR = join(ROOT, 'bench', 'sipp');
export const CLI = join(ROOT, 'dist', 'src', 'cli.js');
export const sippFile = (name: string): string => resolve(SIPP_DIR, name);
