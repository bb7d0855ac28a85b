import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  builtInPlaybook,
  builtInPlaybookData,
  PlaybookError,
  validatePlaybook,
} from '../../../src/domain/playbook/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests break arbitrary keys of the playbook on purpose
type Editable = any;
function withChange(change: (data: Editable) => void): unknown {
  const data = builtInPlaybookData() as Editable;
  change(data);
  return data;
}

function issuesOf(data: unknown): { path: string; message: string }[] {
  try {
    validatePlaybook(data, 'company.json');
  } catch (e) {
    assert.ok(e instanceof PlaybookError);
    assert.match(e.message, /^playbook company\.json is not valid: /);
    return e.issues;
  }
  assert.fail('expected the playbook to be refused');
}

describe('the built-in playbook', () => {
  it('is assessment-handoff v0 with the SOP six sections and 32 fields', () => {
    const p = builtInPlaybook();
    assert.equal(`${p.id} ${p.version}`, 'assessment-handoff v0');
    assert.deepEqual(
      p.sections.map((s) => s.title),
      [
        'Customer Context Brief',
        'Scoping Decisions',
        'Expectations Set',
        'Constraints',
        'Consent Status',
        'Key Contacts',
      ],
    );
    assert.equal(p.sections.flatMap((s) => s.fields).length, 32);
    assert.deepEqual(p.modules.names, ['Ecosystem Leverage', 'Revenue Governance', 'Signal Intelligence']);
  });

  it('carries the spec clocks, calendar and timeline limits as data', () => {
    const p = builtInPlaybook();
    const clocks = Object.fromEntries(p.clocks.map((c) => [c.id, c.businessDays]));
    assert.deepEqual(clocks, {
      packetDue: 2,
      ackDue: 1,
      remediationDue: 1,
      kickoffDue: 2,
      discoveryScheduleDue: 5,
      misalignmentResolveDue: 1,
    });
    assert.equal(p.calendar.timeZone, 'America/New_York');
    assert.equal(p.calendar.closeOfBusiness, '17:00');
    assert.equal(p.calendar.holidays.region, 'US');
    assert.equal(p.timeline.minBusinessDaysDiscoveryToReadout, 5);
    assert.equal(p.timeline.discoveryWithinBusinessDaysOfSow, 5);
  });

  it('marks the SOP "If applicable" fields optional and reads the garbled 3.6 row as a required field', () => {
    const fields = builtInPlaybook().sections.flatMap((s) => s.fields);
    const optional = fields.filter((f) => !f.required).map((f) => f.label);
    assert.deepEqual(optional, [
      'Account history notes',
      'Modules excluded or de-emphasized',
      'Custom questions added',
      'Scope deviations from standard SOW',
      'Follow-on expectations',
      'Data access limitations',
      'Technical environment notes',
      'Scheduling constraints',
      'Language or cultural considerations',
      'Technical POC',
    ]);
    assert.equal(
      fields.find((f) => f.id === 'salesContact')?.label,
      'Ecomonetize primary contact during sales',
    );
    assert.equal(fields.find((f) => f.id === 'salesContact')?.required, true);
  });
});

describe('validatePlaybook refuses a bad playbook with the path of the bad key', () => {
  it('a wrong type deep inside', () => {
    const issues = issuesOf(
      withChange((d) => {
        d.sections[2].fields[0].required = 'yes';
      }),
    );
    assert.equal(issues[0]?.path, 'sections[2].fields[0].required');
  });
  it('an unknown field kind', () => {
    const issues = issuesOf(
      withChange((d) => {
        d.sections[0].fields[1].kind = 'banana';
      }),
    );
    assert.equal(issues[0]?.path, 'sections[0].fields[1].kind');
  });
  it('a close of business that is not HH:MM', () => {
    const issues = issuesOf(
      withChange((d) => {
        d.calendar.closeOfBusiness = '5pm';
      }),
    );
    assert.equal(issues[0]?.path, 'calendar.closeOfBusiness');
    assert.match(issues[0]?.message ?? '', /HH:MM/);
  });
  it('an unknown time zone', () => {
    const issues = issuesOf(
      withChange((d) => {
        d.calendar.timeZone = 'Mars/Olympus_Mons';
      }),
    );
    assert.equal(issues[0]?.path, 'calendar.timeZone');
  });
  it('a misspelled key', () => {
    const issues = issuesOf(
      withChange((d) => {
        d.clocks[0].bussinessDays = 2;
      }),
    );
    assert.ok(issues.some((i) => i.path.startsWith('clocks[0]')));
  });
  it('a placeholder pattern that is not a regular expression', () => {
    const issues = issuesOf(
      withChange((d) => {
        d.placeholders.values.push('(unclosed');
      }),
    );
    assert.match(issues[0]?.path ?? '', /^placeholders\.values\[\d+\]$/);
  });
  it('a clock with a negative N', () => {
    const issues = issuesOf(
      withChange((d) => {
        d.clocks[1].businessDays = -1;
      }),
    );
    assert.equal(issues[0]?.path, 'clocks[1].businessDays');
  });
  it('accepts a company variant: another zone, close of business and extra holidays', () => {
    const p = validatePlaybook(
      withChange((d) => {
        d.calendar.timeZone = 'Europe/London';
        d.calendar.closeOfBusiness = '17:30';
        d.calendar.holidays.dates = ['2026-12-24'];
      }),
      'company.json',
    );
    assert.equal(p.calendar.timeZone, 'Europe/London');
  });
});

describe('the built-in playbook file', () => {
  it('is in the schema normal form, so using it without the validator is the same as validating it', () => {
    assert.deepEqual(validatePlaybook(builtInPlaybookData(), 'built in'), builtInPlaybook());
  });
});
