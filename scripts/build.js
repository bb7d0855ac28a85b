// Bundles the CLI into dist/baton.mjs. The source runs as it is under Node's type stripping; the bundle
// exists only because loading ~150 small ESM files (markdown parser, Temporal) costs more than the
// cold-start budget of `baton gate` (2x `node -e 0`). bin/baton.js falls back to src when it is stale.

import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
await build({
  entryPoints: [join(root, 'src/interfaces/cli/main.ts')],
  outfile: join(root, 'dist/baton.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // Lazily imported heavy modules stay separate chunks only if we split; one file keeps start-up to one read.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
