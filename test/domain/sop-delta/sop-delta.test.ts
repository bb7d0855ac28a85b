import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GateCheckId } from '../../../src/domain/gate/index.ts';
import type { HandoffHistory } from '../../../src/domain/metrics/index.ts';
import { builtInPlaybookData, validatePlaybook } from '../../../src/domain/playbook/index.ts';
import { deltaId, findPatterns, newProposals, renderDelta } from '../../../src/domain/sop-delta/index.ts';
import {
  ack,
  carla,
  casey,
  gate,
  history,
  open,
  playbook,
  reject,
  schedule,
  submit,
} from '../workflow/workflow-fixture.ts';

/** Handoff number i opened on day i of July 2026 (later = more recent), its v1 failing `fails`. */
function handoff(i: number, fails: GateCheckId[], acknowledge = true): HandoffHistory {
  const sow = `SOW-2026-${String(100 + i)}`;
  const day = String(i).padStart(2, '0');
  const g = gate(Object.fromEntries(fails.map((c) => [c, 'fail'])), {
    'contacts-complete': 'Champion: "John Doe" is a placeholder',
  });
  const steps: Parameters<typeof history> = [
    [
      open({
        sow,
        sowSignedOn: `2026-07-${day}`,
        payment: { status: 'received', confirmedAt: `2026-07-${day}T14:00:00Z` },
      }),
      carla,
      `2026-07-${day}T14:00:00Z`,
    ],
    [submit(g), carla, `2026-07-${day}T15:00:00Z`],
  ];
  if (fails.length > 0)
    steps.push([reject(), casey, `2026-07-${day}T16:00:00Z`], [submit(), carla, `2026-07-${day}T17:00:00Z`]);
  if (acknowledge)
    steps.push(
      [ack(), casey, `2026-07-${day}T18:00:00Z`],
      [schedule(`2026-07-${day}T20:00:00Z`), casey, `2026-07-${day}T19:00:00Z`],
    );
  return { sow, events: history(...steps) };
}

const NOW = '2026-07-31T16:00:00Z';

describe('SOP Delta patterns', () => {
  it('the same check failing in 3 of the last 10 handoffs is a pattern, with the evidence of each', () => {
    const hs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((i) =>
      handoff(i, [3, 7, 12].includes(i) ? ['contacts-complete'] : i === 5 ? ['required-fields'] : []),
    );
    const patterns = findPatterns(hs, playbook, NOW).filter((p) => p.pattern === 'check');
    assert.equal(patterns.length, 1);
    const p = patterns[0]!;
    assert.equal(p.subject, 'contacts-complete');
    assert.equal(p.slug, 'check-contacts-complete');
    assert.deepEqual(
      p.recent,
      [12, 11, 10, 9, 8, 7, 6, 5, 4, 3].map((i) => `SOW-2026-${100 + i}`),
    );
    assert.deepEqual(
      p.evidence.map((e) => e.sow),
      ['SOW-2026-112', 'SOW-2026-107', 'SOW-2026-103'],
    );
    const first = p.evidence[0];
    assert.ok(first?.kind === 'check');
    assert.deepEqual(first.occurrences, [
      {
        submission: 1,
        submittedAt: '2026-07-12T15:00:00Z',
        gateFailed: true,
        rejected: true,
        findings: [{ field: 'Some field', line: 7 }],
      },
    ]);
  });

  it('two of ten is not a pattern; a failure outside the last ten does not count', () => {
    const hs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) =>
      handoff(i, [1, 4, 9].includes(i) ? ['contacts-complete'] : []),
    );
    assert.deepEqual(findPatterns(hs, playbook, NOW), []);
  });

  it('the thresholds are playbook data', () => {
    const data = builtInPlaybookData() as {
      governance: { sopDelta: { checkFailures: number; recentHandoffs: number } };
    };
    data.governance.sopDelta.checkFailures = 2;
    data.governance.sopDelta.recentHandoffs = 3;
    const custom = validatePlaybook(data, 'company.json');
    const hs = [1, 2, 3, 4].map((i) => handoff(i, [2, 4].includes(i) ? ['scope-alignment'] : []));
    assert.deepEqual(
      findPatterns(hs, custom, NOW).map((p) => `${p.subject} ${p.evidence.length}/${p.recent.length}`),
      ['scope-alignment 2/3'],
    );
    assert.deepEqual(findPatterns(hs, playbook, NOW), []);
  });

  it('a playbook refuses a threshold larger than its window', () => {
    const data = builtInPlaybookData() as { governance: { sopDelta: { clockMisses: number } } };
    data.governance.sopDelta.clockMisses = 11;
    assert.throws(
      () => validatePlaybook(data, 'company.json'),
      /governance\.sopDelta\.clockMisses: must not exceed recentHandoffs/,
    );
  });

  it('the same clock missed in 3 handoffs is a pattern: here nobody acknowledged within a business day', () => {
    // Three handoffs submitted and never reviewed: their acknowledgement clocks ran out (and the SOW's
    // discovery limit with them: discovery cannot be scheduled before acknowledgement).
    const hs = [1, 2, 6].map((i) => handoff(i, [], false));
    const patterns = findPatterns(hs, playbook, NOW);
    assert.deepEqual(
      patterns.map((p) => p.slug),
      ['clock-ack-due', 'clock-discovery-schedule-due'],
    );
    const e = patterns[0]!.evidence[0]!;
    assert.ok(e.kind === 'clock');
    assert.deepEqual(e.occurrences, [{ seq: 1, due: '2026-07-07T17:00:00-04:00', metAt: null }]);
    // Not yet: before the clocks ran out there is no pattern.
    assert.deepEqual(findPatterns(hs, playbook, '2026-07-03T16:00:00Z'), []);
  });
});

describe('SOP Delta proposals are never drafted twice', () => {
  const hs = [3, 7, 12].map((i) => handoff(i, ['contacts-complete']));
  const patterns = findPatterns(hs, playbook, NOW);

  it('a pattern never drafted is new; once drafted, the same evidence is not', () => {
    assert.equal(newProposals(patterns, []).length, 1);
    const drafted = [
      {
        id: 'DELTA-2026-0712-check-contacts-complete',
        pattern: 'check' as const,
        subject: 'contacts-complete',
        handoffs: ['SOW-2026-112', 'SOW-2026-107', 'SOW-2026-103'],
      },
    ];
    assert.deepEqual(newProposals(patterns, drafted), []);
    // One more failing handoff is not fresh evidence enough.
    const more = findPatterns([...hs, handoff(13, ['contacts-complete'])], playbook, NOW);
    assert.deepEqual(newProposals(more, drafted), []);
    // Three handoffs no draft cited make it recur: a new proposal naming the earlier one.
    const recur = findPatterns(
      [...hs, ...[13, 14, 15].map((i) => handoff(i, ['contacts-complete']))],
      playbook,
      NOW,
    );
    const next = newProposals(recur, drafted);
    assert.equal(next.length, 1);
    assert.deepEqual(next[0]?.earlier, ['DELTA-2026-0712-check-contacts-complete']);
  });

  it('a draft of another pattern does not count', () => {
    const drafted = [
      {
        id: 'x',
        pattern: 'clock' as const,
        subject: 'contacts-complete',
        handoffs: ['SOW-2026-112', 'SOW-2026-107', 'SOW-2026-103'],
      },
    ];
    assert.equal(newProposals(patterns, drafted).length, 1);
  });

  it('ids are DELTA-YYYY-MMDD-slug, numbered when taken', () => {
    assert.equal(
      deltaId('2026-07-31', 'check-contacts-complete', new Set()),
      'DELTA-2026-0731-check-contacts-complete',
    );
    assert.equal(
      deltaId(
        '2026-07-31',
        'clock-ack-due',
        new Set(['DELTA-2026-0731-clock-ack-due', 'DELTA-2026-0731-clock-ack-due-2']),
      ),
      'DELTA-2026-0731-clock-ack-due-3',
    );
  });
});

describe('the drafted proposal', () => {
  const hs = [3, 7, 12].map((i) => handoff(i, ['contacts-complete']));
  const [proposal] = newProposals(findPatterns(hs, playbook, NOW), []);
  const md = renderDelta(proposal!, {
    id: 'DELTA-2026-0731-check-contacts-complete',
    draftedAt: NOW,
    playbook,
    trigger: 'baton deltas',
  });

  it('states the pattern, the evidence (handoffs, versions, fields) and a proposed change for review', () => {
    assert.match(md, /^# SOP Delta proposal: Contact info complete \(quality gate\)/);
    assert.match(md, /\| Status \| Draft for review: baton drafted it; it changes no rule\. \|/);
    assert.match(md, /failed in 3 of the last 3 handoffs \(threshold: 3 of 10\)/);
    assert.match(
      md,
      /\| SOW-2026-107 \| 1 \| 2026-07-07T15:00:00Z \| fail \| yes \| Some field \(line 7\) \|/,
    );
    assert.match(md, /## Proposed change \(for review\)\n\nAdd a contact-verification step/);
    assert.match(md, /- \[ \] CEO: approved/);
  });

  it('keeps finding texts out (they may quote contacts, and are purged with the handoff)', () => {
    assert.ok(!md.includes('John Doe'));
  });
});
