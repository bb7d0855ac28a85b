#!/usr/bin/env node
// Launcher: runs the bundled CLI (dist/, see scripts/build.js) when no source file it was built from is newer
// than it, else the TypeScript source directly. The plain forms of `baton gate` run from a script of their
// own, without commander and the other commands. Compiled code is cached in node_modules/.cache/baton.

// Built-in modules through process.getBuiltinModule, not `import`: importing one makes an ES module of it,
// which reads every export, and node:fs's `promises` getter alone loads fs/promises, readline and
// streams (~2 ms of `baton gate`).
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } =
  process.getBuiltinModule('node:fs');
const module = process.getBuiltinModule('node:module');
const { createRequire } = module;
const { dirname, join } = process.getBuiltinModule('node:path');
const { fileURLToPath, pathToFileURL } = process.getBuiltinModule('node:url');
const vm = process.getBuiltinModule('node:vm');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// In the project, not in the shared temporary folder: a code cache is code, which no one else may plant.
const cacheDir = join(root, 'node_modules/.cache/baton');
module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE || join(cacheDir, 'modules'));

let inputs;
/** dist/<name> when it exists and none of its source files is newer (or gone), else undefined. */
function bundle(name) {
  const file = join(root, 'dist', name);
  try {
    inputs ??= JSON.parse(readFileSync(join(root, 'dist/inputs.json'), 'utf8'));
    const built = statSync(file).mtimeMs;
    const files = inputs[name];
    if (!files) return undefined;
    for (const source of files) if (statSync(join(root, source)).mtimeMs > built) return undefined;
    return file;
  } catch {
    return undefined;
  }
}

/**
 * Runs a CommonJS script and gives its exports, with a V8 code cache made after `use` ran. V8 compiles most
 * functions on their first call, and a cache made when the script is compiled (Node's compile cache) holds
 * only the rest: every `baton gate` compiled the gate's functions again, most of its start-up past Node's
 * own. Made after the run, the cache holds what the run compiled.
 */
async function runScript(file, use) {
  const source = readFileSync(file, 'utf8');
  const name = `${file.replace(/\W+/g, '_')}-${statSync(file).mtimeMs}-${source.length}.v8`;
  let cachedData;
  try {
    cachedData = readFileSync(join(cacheDir, name));
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    // The script's import() calls (the playbook validator, YAML) are only reached with a company playbook,
    // which runGateFast leaves to main(); if ever, Node's own loader takes them.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, dirname(file));
  const result = await use(mod.exports);
  if (!cachedData || script.cachedDataRejected) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      // Written aside and renamed: a concurrent run reads the old cache or the new one, never half of one.
      const partial = join(cacheDir, `${name}.${process.pid}`);
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, join(cacheDir, name));
      const stem = name.slice(0, name.indexOf('-'));
      for (const old of readdirSync(cacheDir))
        if (old.startsWith(`${stem}-`) && old !== name && old.endsWith('.v8'))
          rmSync(join(cacheDir, old), { force: true });
    } catch {
      // No cache this time (a read-only install, say): the next run compiles again.
    }
  }
  return result;
}

const argv = process.argv.slice(2);
let code;
if (argv[0] === 'gate') {
  const gate = bundle('gate.cjs');
  code = gate
    ? await runScript(gate, (exports) => exports.runGateFast(argv))
    : await (await import(pathToFileURL(join(root, 'src/interfaces/cli/gate-command.ts')).href)).runGateFast(
        argv,
      );
}
if (code === undefined) {
  const main = bundle('baton.mjs') ?? join(root, 'src/interfaces/cli/main.ts');
  code = await (await import(pathToFileURL(main).href)).main(argv);
}
process.exitCode = code;
