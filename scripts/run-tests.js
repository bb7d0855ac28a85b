// Runs the whole suite with node:test and ends with the line CI reads: `N passed, N failed`.
// The CLI bundle is built first so that tests spawning the real `baton` binary run the current code.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const build = spawnSync(process.execPath, [join(root, 'scripts/build.js')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const outDir = join(root, 'test-output');
mkdirSync(outDir, { recursive: true });
const countsFile = join(outDir, 'counts.json');
rmSync(countsFile, { force: true });
const patterns = process.argv.slice(2);
const run = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts/count-reporter.js')}`,
    `--test-reporter-destination=${countsFile}`,
    ...(patterns.length > 0 ? patterns : ['test/**/*.test.ts']),
  ],
  { stdio: 'inherit', cwd: root, env: { ...process.env, FORCE_COLOR: '0' } },
);
let counts = { passed: 0, failed: 1 };
try {
  counts = JSON.parse(readFileSync(countsFile, 'utf8'));
} catch {
  console.error('run-tests: the test runner wrote no counts');
}
const failed = run.status !== 0 && counts.failed === 0 ? 1 : counts.failed;
console.log(`${counts.passed} passed, ${failed} failed`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
