import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const project = join(import.meta.dirname, '../../..');
const bin = join(project, 'bin/baton.js');
const packetRel = 'operations/handoffs/assessments/SOW-2026-014-handoff-packet.md';

function baton(args: string[], env: Record<string, string> = {}, cwd = project) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      BATON_NOW: '2026-05-14T14:00:00Z',
      ...env,
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('baton (the real binary)', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'baton-cli-'));
    cpSync(join(project, 'examples/northwind'), root, { recursive: true });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  describe('gate', () => {
    it('reads a packet the line scanner leaves to markdown-it (a fence, a quote) and one with a company playbook', () => {
      const example = readFileSync(join(root, packetRel), 'utf8');
      const odd = example.replace(
        '## 3.2 Scoping Decisions',
        '> a note quoted here\n\n```\n| Company name | Not read |\n```\n\n## 3.2 Scoping Decisions',
      );
      const file = join(root, 'odd-packet.md');
      writeFileSync(file, odd);
      const r = baton(['gate', file, '--json', '--root', root]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.verdict, 'review');
      assert.ok(
        out.diagnostics.some((d: { message: string }) => /a fence block is not read/.test(d.message)),
      );
      const playbook = join(root, 'playbook.json');
      writeFileSync(playbook, readFileSync(join(project, 'src/domain/playbook/assessment-handoff-v0.json')));
      const custom = baton(['gate', join(root, packetRel), '--json', '--root', root, '--playbook', playbook]);
      assert.equal(custom.code, 0, custom.stderr);
      assert.equal(JSON.parse(custom.stdout).verdict, 'review');
    });

    it('--json prints one object with all eight checks in the spec order; the example is review, exit 0', () => {
      const r = baton(['gate', join(root, packetRel), '--json', '--root', root]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.sow, 'SOW-2026-014');
      assert.equal(out.file, join(root, packetRel));
      assert.equal(out.verdict, 'review');
      assert.deepEqual(
        out.checks.map((c: { id: string; status: string }) => `${c.id}:${c.status}`),
        [
          'required-fields:pass',
          'sow-accessible:pass',
          'payment-confirmed:pass',
          'timeline-alignment:pass',
          'scope-alignment:pass',
          'expectation-alignment:pass',
          'contacts-complete:pass',
          'crm-item-exists:review',
        ],
      );
      assert.deepEqual(Object.keys(out.checks[7].findings[0]).sort(), ['field', 'line', 'message']);
      assert.equal(out.checks[7].findings[0].line, 14);
      assert.deepEqual(out.diagnostics, []);
    });

    it('exits 1 on a failing packet and names the field and line', () => {
      const file = join(root, 'bad.md');
      writeFileSync(
        file,
        readFileSync(join(root, packetRel), 'utf8').replace(
          '2026-05-13; received; ACH',
          '2026-05-13; pending; ACH',
        ),
      );
      const r = baton(['gate', file, '--json', '--root', root]);
      assert.equal(r.code, 1);
      const check = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'payment-confirmed');
      assert.equal(check.status, 'fail');
      assert.equal(check.findings[0].field, 'Payment confirmed');
      assert.equal(check.findings[0].line, 51);
      assert.match(check.findings[0].message, /pending/);
    });

    it('takes the root from BATON_ROOT, and the SOW link fails without it', () => {
      const withEnv = baton(['gate', join(root, packetRel), '--json'], { BATON_ROOT: root });
      assert.equal(JSON.parse(withEnv.stdout).checks[1].status, 'pass');
      const elsewhere = baton(['gate', join(root, packetRel), '--json'], {}, tmpdir());
      assert.equal(JSON.parse(elsewhere.stdout).checks[1].status, 'fail');
      assert.equal(elsewhere.code, 1);
    });

    it('prints a readable report without colour when not on a terminal', () => {
      const r = baton(['gate', join(root, packetRel), '--root', root]);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^SOW-2026-014 /);
      assert.match(r.stdout, /verdict: REVIEW/);
      assert.match(
        r.stdout,
        /review\s+crm-item-exists\s+Monday\.com item exists\n\s+line\s+14\s+CRM\/Monday\.com deal ID: /,
      );
      assert.equal(r.stdout.split('\n').filter((l) => /^ {2}(pass|FAIL|review)/.test(l)).length, 8);
      assert.ok(!r.stdout.includes(String.fromCharCode(27)), 'no ANSI escape codes');
    });

    it('exits 2 with a clear message when the file is not a packet, and {"error"} under --json', () => {
      const notes = join(root, 'notes.md');
      writeFileSync(notes, '# Lunch\n\nSandwiches.\n');
      const r = baton(['gate', notes, '--json']);
      assert.equal(r.code, 2);
      assert.match(JSON.parse(r.stdout).error.message, /not a handoff packet/);
      assert.match(r.stderr, /notes\.md:1: not a handoff packet/);
    });

    it('exits 2 for a missing file, a missing argument and an unknown option', () => {
      const missing = baton(['gate', join(root, 'nope.md')]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /cannot read .*nope\.md: no such file/);
      assert.equal(baton(['gate']).code, 2);
      const unknown = baton(['gate', join(root, packetRel), '--jsn']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /unknown option '--jsn'/);
    });

    it('refuses a BATON_NOW that is not an instant, naming it', () => {
      const r = baton(['gate', join(root, packetRel), '--json'], { BATON_NOW: 'tomorrow' });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /BATON_NOW="tomorrow" is not an ISO instant/);
    });

    it('judges the timeline against BATON_NOW', () => {
      const file = join(root, 'late.md');
      writeFileSync(
        file,
        readFileSync(join(root, packetRel), 'utf8').replace(
          'Findings readout within 3 weeks of the discovery session',
          'Readout by 2026-05-20',
        ),
      );
      const early = JSON.parse(baton(['gate', file, '--json', '--root', root]).stdout);
      assert.equal(early.checks[3].status, 'fail');
      assert.match(early.checks[3].findings[0].message, /no sooner than 2026-05-2[0-9]/);
    });
  });

  describe('new', () => {
    it('writes a template at the SOP path, then refuses to overwrite it (exit 3)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'baton-new-'));
      try {
        const r = baton(['new', 'SOW-2026-101', '--root', dir, '--json']);
        assert.equal(r.code, 0, r.stderr);
        const file = join(dir, 'operations/handoffs/assessments/SOW-2026-101-handoff-packet.md');
        assert.equal(JSON.parse(r.stdout).file, file);
        const text = readFileSync(file, 'utf8');
        assert.match(text, /^# Assessment Handoff Packet: SOW-2026-101/);
        writeFileSync(file, `${text}\n<!-- edited -->\n`);
        const again = baton(['new', 'SOW-2026-101', '--root', dir]);
        assert.equal(again.code, 3);
        assert.match(again.stderr, /already exists/);
        assert.match(readFileSync(file, 'utf8'), /<!-- edited -->/);
        const gate = JSON.parse(baton(['gate', file, '--json', '--root', dir]).stdout);
        assert.equal(gate.verdict, 'fail');
        assert.equal(gate.checks[0].status, 'fail');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses anything that is not a SOW number, writing nothing', () => {
      const dir = mkdtempSync(join(tmpdir(), 'baton-new-'));
      try {
        for (const bad of [
          '../../etc/passwd',
          'SOW-26-1',
          'sow-2026-014',
          'SOW-2026-014/../x',
          'SOW-2026-01',
        ]) {
          const r = baton(['new', bad, '--root', dir]);
          assert.equal(r.code, 2, bad);
          assert.match(r.stderr, /is not a SOW number/);
        }
        assert.deepEqual(readdirSync(dir), []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('calendar due', () => {
    it('gives close of business of the n-th business day, across the observed Independence Day', () => {
      const r = baton(['calendar', 'due', '--from', '2026-07-02T15:00:00Z', '--days', '1', '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).due, '2026-07-06T17:00:00-04:00');
      const text = baton(['calendar', 'due', '--from', '2026-11-25T12:00:00-05:00', '--days', '1']);
      assert.match(text.stdout, /^2026-11-27T17:00:00-05:00 {2}\(Friday/);
    });
    it('refuses bad input with exit 2', () => {
      assert.equal(baton(['calendar', 'due', '--from', '2026-07-02T15:00:00Z', '--days', 'two']).code, 2);
      const r = baton(['calendar', 'due', '--from', '2026-07-02T15:00', '--days', '1', '--json']);
      assert.equal(r.code, 2);
      assert.match(JSON.parse(r.stdout).error.message, /--from/);
    });
  });

  describe('playbook', () => {
    it('show --json prints the built-in playbook', () => {
      const r = baton(['playbook', 'show', '--json']);
      assert.equal(r.code, 0);
      const p = JSON.parse(r.stdout);
      assert.equal(`${p.id} ${p.version}`, 'assessment-handoff v0');
    });
    it('show prints sections and clocks for people', () => {
      const r = baton(['playbook', 'show']);
      assert.match(r.stdout, /3\.6 Key Contacts/);
      assert.match(r.stdout, /acknowledgement due\s+1 from each submission/);
    });
    it('a company playbook changes the calendar; a bad one is refused with the path of the bad key', () => {
      const dir = mkdtempSync(join(tmpdir(), 'baton-pb-'));
      try {
        const data = JSON.parse(baton(['playbook', 'show', '--json']).stdout);
        data.calendar.holidays.dates = ['2026-07-06'];
        writeFileSync(join(dir, 'good.json'), JSON.stringify(data));
        const due = baton([
          'calendar',
          'due',
          '--from',
          '2026-07-02T15:00:00Z',
          '--days',
          '1',
          '--json',
          '--playbook',
          join(dir, 'good.json'),
        ]);
        assert.equal(JSON.parse(due.stdout).due, '2026-07-07T17:00:00-04:00');
        data.clocks[2].businessDays = 'one';
        writeFileSync(join(dir, 'bad.json'), JSON.stringify(data));
        const bad = baton(['playbook', 'show', '--playbook', join(dir, 'bad.json')], {});
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /clocks\[2\]\.businessDays/);
        writeFileSync(join(dir, 'bad.yaml'), 'id: [unclosed');
        const yaml = baton(['playbook', 'show'], { BATON_PLAYBOOK: join(dir, 'bad.yaml') });
        assert.equal(yaml.code, 2);
        assert.match(yaml.stderr, /not valid YAML/);
        // The same good playbook as YAML (JSON is YAML), through BATON_PLAYBOOK and through --playbook.
        data.clocks[2].businessDays = 1;
        writeFileSync(join(dir, 'good.yaml'), JSON.stringify(data, null, 2));
        const shown = baton(['playbook', 'show', '--json'], { BATON_PLAYBOOK: join(dir, 'good.yaml') });
        assert.equal(shown.code, 0, shown.stderr);
        assert.deepEqual(JSON.parse(shown.stdout).calendar.holidays.dates, ['2026-07-06']);
        const gated = baton([
          'gate',
          join(root, packetRel),
          '--json',
          '--root',
          root,
          '--playbook',
          join(dir, 'good.yaml'),
        ]);
        assert.equal(gated.code, 0, gated.stderr);
        assert.equal(JSON.parse(gated.stdout).verdict, 'review');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
