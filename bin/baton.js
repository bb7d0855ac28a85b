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
module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE || join(tmpdir(), 'baton-compile-cache'));

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
  const { runGateFast } = await import(
    pathToFileURL(entry('gate.mjs', 'interfaces/cli/gate-command.ts')).href
  );
  code = await runGateFast(argv);
}
if (code === undefined) {
  const { main } = await import(pathToFileURL(entry('baton.mjs', 'interfaces/cli/main.ts')).href);
  code = await main(argv);
}
process.exitCode = code;
