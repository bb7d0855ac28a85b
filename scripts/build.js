// Bundles the CLI into dist/ (ESM). The source runs as it is under Node's type stripping; the bundles exist
// only for start-up time: loading ~100 small ESM files and stripping their types costs more than the
// cold-start budget of `baton gate` (2x `node -e 0`).
//   dist/baton.mjs + dist/chunks/: every command, split into chunks loaded on demand (the playbook
//     validator, YAML, the server...).
//   dist/gate.cjs: `baton gate` alone in one script (no commander, no other command, no chunks to resolve);
//     bin/baton.js runs its plain forms from there, with a V8 code cache made after the run (see there).
// dist/inputs.json lists each bundle's source files: bin/baton.js uses a bundle only when none of them is
// newer than it (else it runs src/ directly).
import { rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const common = {
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: !process.env.BATON_NO_MINIFY,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
};
// Modules few runs of `baton gate` need, which the gate bundle loads from src/ when they do (Node strips their
// types) instead of carrying them: the packet's markdown-it reader (for packets the line scanner leaves to
// it; markdown-it is half the bundle) and the playbook validator (for a company playbook; zod and YAML).
const rarelyNeeded = {
  name: 'rarely-needed-from-source',
  setup(b) {
    b.onResolve({ filter: /\/(markdown-blocks|validate)\.ts$/ }, (args) => ({
      path: `../${relative(root, join(args.resolveDir, args.path))}`,
      external: true,
    }));
  },
};
const [cli, gate] = await Promise.all([
  build({
    ...common,
    entryPoints: { baton: join(root, 'src/interfaces/cli/main.ts') },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
  }),
  build({
    ...common,
    entryPoints: { gate: join(root, 'src/interfaces/cli/gate-command.ts') },
    // A script (CommonJS), not a module: bin/baton.js compiles it with vm.Script to make its code cache.
    format: 'cjs',
    // The map without the comment that points to it: reading the comment loads Node's source-map support.
    sourcemap: 'external',
    outExtension: { '.js': '.cjs' },
    banner: {},
    // parse.ts reads import.meta only when it runs from source (where `require` is not defined).
    logOverride: { 'empty-import-meta': 'silent' },
    external: ['yaml'],
    plugins: [rarelyNeeded],
  }),
]);
const sources = (result) =>
  Object.keys(result.metafile.inputs)
    .map((input) => relative(root, join(root, input)))
    .filter((input) => input.startsWith('src/'))
    .sort();
writeFileSync(
  join(dist, 'inputs.json'),
  `${JSON.stringify({ 'baton.mjs': sources(cli), 'gate.cjs': sources(gate) }, null, 1)}\n`,
);
