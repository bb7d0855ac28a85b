#!/usr/bin/env node
// Launcher: runs the bundled CLI (dist/, see scripts/build.js) when no source file it was built from is newer
// than it, else the TypeScript source directly. The plain forms of `baton gate` run from a bundle of their
// own, without commander and the other commands. V8's compile cache keeps start-up short on later runs.
import { readFileSync, statSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = module.enableCompileCache?.(
  process.env.NODE_COMPILE_CACHE || join(tmpdir(), 'baton-compile-cache'),
);
const cached =
  cache?.status === module.constants.compileCacheStatus.ENABLED ||
  cache?.status === module.constants.compileCacheStatus.ALREADY_ENABLED;

let inputs;
/** dist/<name> when it exists and none of its source files is newer (or gone), else src/<source>. */
function entry(name, source) {
  const bundle = join(root, 'dist', name);
  try {
    inputs ??= JSON.parse(readFileSync(join(root, 'dist/inputs.json'), 'utf8'));
    const built = statSync(bundle).mtimeMs;
    const files = inputs[name];
    if (!files) throw new Error('not built');
    for (const file of files) if (statSync(join(root, file)).mtimeMs > built) throw new Error('stale');
    return bundle;
  } catch {
    return join(root, 'src', source);
  }
}

const argv = process.argv.slice(2);
let code;
if (argv[0] === 'gate') {
  // V8 compiles most functions lazily, on their first call, and the compile cache keeps only what was
  // compiled with the module: every run of `baton gate` compiled the gate's functions again (~5 ms of its
  // start-up). Compiled eagerly, the gate bundle's cache holds them all. Only with a cache: without one,
  // compiling everything eagerly on every run would cost more. (The flag only decides when V8 compiles.)
  const v8 = cached ? await import('node:v8') : undefined;
  v8?.setFlagsFromString('--no-lazy');
  const gate = entry('gate.mjs', 'interfaces/cli/gate-command.ts');
  const { runGateFast } = await import(pathToFileURL(gate).href).finally(() =>
    v8?.setFlagsFromString('--lazy'),
  );
  code = await runGateFast(argv);
}
if (code === undefined) {
  const { main } = await import(pathToFileURL(entry('baton.mjs', 'interfaces/cli/main.ts')).href);
  code = await main(argv);
}
process.exitCode = code;
