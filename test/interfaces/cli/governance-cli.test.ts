// The governance commands through the real binary: metrics, weekly-summary, deltas, relationship-ended,
// hold, release and purge; exit codes, --json output and what lands on the root.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const project = join(import.meta.dirname, '../../..');
const bin = join(project, 'bin/baton.js');

describe('baton governance commands (the real binary)', () => {
  let root: string;
  const baton = (args: string[], now: string) => {
    const r = spawnSync(process.execPath, [bin, ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', BATON_ROOT: root, BATON_NOW: now },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (args: string[], now: string) => {
    const r = baton(args, now);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return r;
  };

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'baton-governance-cli-'));
    cpSync(join(project, 'examples/northwind'), root, { recursive: true });
    const sow = 'SOW-2026-014';
    ok(
      [
        'open',
        sow,
        '--sow-signed',
        '2026-05-12',
        '--payment-confirmed',
        '2026-05-13T14:00:00Z',
        '--as',
        'cro:Carla Reyes',
      ],
      '2026-05-14T13:00:00Z',
    );
    ok(['submit', sow, '--as', 'cro:Carla Reyes'], '2026-05-14T14:00:00Z');
    ok(
      ['ack', sow, '--attest', 'crm-item-exists=checked on the board', '--as', 'customer.success:Casey Lin'],
      '2026-05-14T18:00:00Z',
    );
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('metrics --json prints one object with the week and its figures', () => {
    const r = ok(['metrics', '--week', '2026-W20', '--json'], '2026-05-15T20:00:00Z');
    const m = JSON.parse(r.stdout);
    assert.equal(m.period.label, '2026-W20');
    assert.deepEqual(m.passRate.firstPass, { passed: 1, of: 1, rate: 1 });
    assert.deepEqual(m.timeToAcknowledge.businessHours, { median: 4, p90: 4 });
    assert.equal(r.stderr, '');
  });

  it('metrics for people, and a bad period is exit 2 naming the option', () => {
    const text = ok(['metrics', '--from', '2026-05-11', '--to', '2026-05-17'], '2026-05-15T20:00:00Z').stdout;
    assert.match(text, /^2026-05-11\.\.2026-05-17 {2}2026-05-11 to 2026-05-17 \(America\/New_York\)/);
    assert.match(text, /first-pass pass rate: 100\.0% \(1 of 1\)/);
    const bad = baton(['metrics', '--week', '2026-20', '--json'], '2026-05-15T20:00:00Z');
    assert.equal(bad.code, 2);
    assert.deepEqual(JSON.parse(bad.stdout).error.where, 'week');
    assert.match(bad.stderr, /--week: "2026-20" is not an ISO week/);
  });

  it('weekly-summary writes the section and the chart; a quiet week writes nothing', () => {
    const r = JSON.parse(ok(['weekly-summary', '--json'], '2026-05-15T20:00:00Z').stdout);
    assert.equal(r.written, true);
    assert.ok(existsSync(join(root, r.files.markdown)));
    assert.match(readFileSync(join(root, r.files.chart), 'utf8'), /<svg /);
    const quiet = ok(['weekly-summary', '--week', '2026-W18'], '2026-05-15T20:00:00Z');
    assert.match(quiet.stdout, /no assessment deal was active in 2026-W18/);
  });

  it('deltas --json: no pattern in one handoff', () => {
    const r = JSON.parse(ok(['deltas', '--json'], '2026-05-15T20:00:00Z').stdout);
    assert.deepEqual(r.drafted, []);
    assert.deepEqual(r.patterns, []);
  });

  it('hold is refused to the cro by rule (exit 4), and purge keeps a held archive; release and purge after retention', () => {
    const refused = baton(
      ['hold', 'SOW-2026-014', '--reason', 'litigation', '--as', 'cro', '--json'],
      '2026-06-02T14:00:00Z',
    );
    assert.equal(refused.code, 4);
    assert.equal(JSON.parse(refused.stdout).error.rule, 'role-not-allowed');
    assert.match(refused.stderr, /only chief\.staff or ceo may/);
    ok(
      [
        'relationship-ended',
        'Northwind Partners, Inc.',
        '--date',
        '2026-06-01',
        '--as',
        'chief.staff:Chris Moss',
      ],
      '2026-06-02T14:00:00Z',
    );
    ok(
      ['hold', 'SOW-2026-014', '--reason', 'litigation', '--as', 'chief.staff:Chris Moss'],
      '2026-06-02T14:00:00Z',
    );
    const later = '2028-06-02T14:00:00Z';
    const held = JSON.parse(ok(['purge', '--json', '--as', 'ceo:Dana Park'], later).stdout);
    assert.deepEqual(held.purged, []);
    assert.equal(held.handoffs[0].status, 'on-hold');
    ok(['release', 'SOW-2026-014', '--reason', 'settled', '--as', 'ceo:Dana Park'], later);
    const dry = ok(['purge', '--dry-run', '--as', 'ceo:Dana Park'], later);
    assert.match(dry.stdout, /SOW-2026-014 +would remove \d+ file\(s\) and purge personal data/);
    assert.ok(existsSync(join(root, 'operations/handoffs/assessments/SOW-2026-014-handoff-packet.md')));
    const done = ok(['purge', '--json', '--as', 'ceo:Dana Park'], later);
    assert.equal(done.stderr, '', 'quiet under --json');
    assert.deepEqual(JSON.parse(done.stdout).purged, ['SOW-2026-014']);
    assert.equal(
      existsSync(join(root, 'operations/handoffs/assessments/SOW-2026-014-handoff-packet.md')),
      false,
    );
    assert.equal(existsSync(join(root, 'operations/handoffs/assessments/archive/SOW-2026-014')), false);
    assert.match(ok(['verify'], later).stdout, /^ok: \d+ events in 1 handoffs/);
  });
});
