#!/usr/bin/env node
// Launcher: runs the bundled CLI (dist/, see scripts/build.js) when it is newer than every file in src/,
// else the TypeScript source directly. V8's compile cache keeps start-up short on later runs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist/baton.mjs');

function newestSourceMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const m = statSync(join(entry.parentPath, entry.name)).mtimeMs;
    if (m > newest) newest = m;
  }
  return newest;
}

module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE || join(tmpdir(), 'baton-compile-cache'));
let entry = join(root, 'src/interfaces/cli/main.ts');
if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestSourceMtime(join(root, 'src'))) entry = bundle;
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
