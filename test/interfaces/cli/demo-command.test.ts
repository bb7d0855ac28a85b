import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const project = join(import.meta.dirname, '../../..');
const bin = join(project, 'bin/baton.js');

function baton(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', BATON_NOW: '2026-05-20T15:00:00Z' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('baton demo (the real binary)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'baton-demo-cli-'));
  after(() => rmSync(cwd, { recursive: true, force: true }));

  it('seeds ./demo by default, prints how to sign in per role; a second run changes nothing and says so', () => {
    const first = baton(['demo'], cwd);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Seeded the demo root demo: 8 handoffs, 6 users\./);
    assert.match(first.stdout, /SOW-2026-106 {2}Granite Fintech Partners: overdue/);
    const tokens = [...first.stdout.matchAll(/^ {2}(\S+) +(.+?) {2}(baton_\S+)$/gm)].map((m) => [m[1], m[3]]);
    assert.deepEqual(
      tokens.map(([role]) => role),
      ['cro', 'sales.ops', 'customer.success', 'customer.success', 'chief.staff', 'ceo'],
    );
    assert.match(first.stdout, /\(kept in demo\/\.baton\/demo-tokens\.json\)/);
    const second = baton(['demo'], cwd);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^The demo root demo was seeded before; nothing changed\./);
    assert.deepEqual(
      [...second.stdout.matchAll(/^ {2}(\S+) +(.+?) {2}(baton_\S+)$/gm)].map((m) => [m[1], m[3]]),
      tokens,
    );
    // The seeded store is the real thing: the CLI reads it like any other root.
    const list = baton(['list', '--root', 'demo', '--json'], cwd);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(JSON.parse(list.stdout).length, 8);
  });

  it('--json prints one object; --root elsewhere', () => {
    const r = baton(['demo', '--root', join(cwd, 'other'), '--json'], cwd);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.root, join(cwd, 'other'));
    assert.equal(out.seeded, true);
    assert.equal(out.users.length, 6);
    assert.equal(out.handoffs.length, 8);
    assert.equal(r.stderr, '');
  });
});
