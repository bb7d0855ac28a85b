// Bundles the CLI into dist/ (ESM, split into chunks). The source runs as it is under Node's type stripping;
// the bundle exists only for start-up time: loading ~100 small ESM files and stripping their types costs more
// than the cold-start budget of `baton gate` (2x `node -e 0`). Heavy modules that only some commands need
// (the playbook validator, YAML) stay in chunks loaded on demand. bin/baton.js falls back to src when stale.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: { baton: join(root, 'src/interfaces/cli/main.ts') },
  outdir: join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: !process.env.BATON_NO_MINIFY,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
