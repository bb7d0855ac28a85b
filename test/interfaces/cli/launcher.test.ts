// bin/baton.js picks a bundle only while none of the source files it was built from is newer, else src/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const project = join(import.meta.dirname, '../../..');

describe('the launcher', () => {
  let home: string;
  const input = 'src/interfaces/cli/gate-command.ts';
  before(() => {
    // A copy of the project with a stand-in gate bundle that says where it comes from.
    home = mkdtempSync(join(tmpdir(), 'baton-launcher-'));
    cpSync(join(project, 'bin'), join(home, 'bin'), { recursive: true });
    cpSync(join(project, 'src'), join(home, 'src'), { recursive: true });
    cpSync(join(project, 'package.json'), join(home, 'package.json'));
    // node_modules of its own (links to the project's packages): the launcher keeps its caches in there.
    mkdirSync(join(home, 'node_modules'));
    for (const entry of readdirSync(join(project, 'node_modules')))
      if (entry !== '.cache')
        symlinkSync(join(project, 'node_modules', entry), join(home, 'node_modules', entry));
    mkdirSync(join(home, 'dist'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  const writeBundle = (inputs: string[]) => {
    writeFileSync(
      join(home, 'dist/gate.cjs'),
      "exports.runGateFast = async () => { process.stdout.write('from the bundle\\n'); return 0; };\n",
    );
    writeFileSync(join(home, 'dist/inputs.json'), JSON.stringify({ 'gate.cjs': inputs }));
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(home, input), past, past);
  };
  const run = () =>
    spawnSync(process.execPath, [join(home, 'bin/baton.js'), 'gate', 'nowhere.md'], {
      cwd: home,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', BATON_NOW: '2026-05-14T14:00:00Z' },
    });

  it('runs the bundle while its sources are older, and keeps a code cache of it that a broken one does not stop', () => {
    writeBundle([input]);
    assert.equal(run().stdout, 'from the bundle\n');
    const cacheDir = join(home, 'node_modules/.cache/baton');
    const caches = () => readdirSync(cacheDir).filter((f) => f.endsWith('.v8'));
    assert.equal(caches().length, 1);
    const cache = join(cacheDir, caches()[0]!);
    writeFileSync(cache, 'not a code cache');
    assert.equal(run().stdout, 'from the bundle\n');
    assert.notEqual(readFileSync(cache, 'utf8'), 'not a code cache', 'a rejected cache is made again');
    assert.equal(run().stdout, 'from the bundle\n');
  });

  it('runs src/ once one of them is newer, or gone, or the list is missing', () => {
    writeBundle([input]);
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(home, input), future, future);
    let r = run();
    assert.match(r.stderr, /cannot read nowhere\.md/);
    assert.equal(r.status, 2);

    writeBundle([input, 'src/gone.ts']);
    assert.match(run().stderr, /cannot read nowhere\.md/);

    writeBundle([input]);
    rmSync(join(home, 'dist/inputs.json'));
    r = run();
    assert.match(r.stderr, /cannot read nowhere\.md/);
  });
});
