import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  metricsFor,
  metricsForPeriods,
  quantile,
  rangePeriod,
  weekPeriod,
  weeksEndingWith,
} from '../../../src/domain/metrics/index.ts';
import { A, B, C, histories, historyA, NOW, options } from './metrics-fixture.ts';

const zone = 'America/New_York';
const week = (w: string) => weekPeriod(w, zone);
const clocksOf = (m: ReturnType<typeof metricsFor>) =>
  Object.fromEntries(m.clocks.map((c) => [c.clock, [c.met, c.missed]]));

describe('metricsFor, compared with figures computed by hand (see metrics-fixture.ts)', () => {
  const w28 = metricsFor(histories(), week('2026-W28'), options);

  it('counts the handoffs of W28: active, opened, first submitted, acknowledged, scheduled', () => {
    assert.deepEqual(w28.handoffs, {
      active: [A, B, C],
      opened: 1,
      submitted: 2,
      acknowledged: 2,
      scheduled: 1,
    });
    assert.deepEqual(w28.submissions, { total: 4, resubmissions: 2 });
    assert.deepEqual(w28.reviews, { total: 4, acknowledged: 2, rejected: 2 });
  });

  it('first-pass rate counts version 1 decisions only (B passed; A and C were rejected); overall counts every decision', () => {
    assert.deepEqual(w28.passRate.firstPass, { passed: 1, of: 3, rate: 1 / 3 });
    assert.deepEqual(w28.passRate.overall, { passed: 2, of: 4, rate: 0.5 });
  });

  it('remediation frequency: 2 rejections over the 3 handoffs reviewed in the week', () => {
    assert.deepEqual(w28.remediation, { rejections: 2, handoffsReviewed: 3, perHandoff: 2 / 3 });
  });

  it('time to acknowledge runs from the acknowledged version; business hours skip the holiday and the weekend', () => {
    // A: v2 Tue 10:00 -> 14:00 = 4 h, 4 business h. B: Thu 16:00 -> Mon 11:00 = 91 h wall clock,
    // business 1 h (Thu 16-17) + 0 (Fri Jul 3 holiday, weekend) + 2 h (Mon 9-11) = 3 h.
    const t = w28.timeToAcknowledge;
    assert.deepEqual(
      t.samples.map((s) => [s.sow, s.submission, s.wallClockHours, s.businessHours]),
      [
        [B, 1, 91, 3],
        [A, 2, 4, 4],
      ],
    );
    assert.equal(t.count, 2);
    // Median of two = their mean; p90 = 4 + 0.9 * (91 - 4) and 3 + 0.9 * (4 - 3).
    assert.deepEqual(t.wallClockHours, { median: 47.5, p90: 82.3 });
    assert.deepEqual(t.businessHours, { median: 3.5, p90: 3.9 });
  });

  it('each clock run counts once: met when met by its deadline, missed at its deadline otherwise', () => {
    assert.deepEqual(clocksOf(w28), {
      packetDue: [2, 0], // A and C met in W28 (B's in W27)
      ackDue: [4, 0], // A twice, B, C's first (C's second is met in W29)
      remediationDue: [1, 1], // A on time; C's was due Wed Jul 8 and met only on Friday
      kickoffDue: [1, 1], // A; B due Wed Jul 8, never met
      discoveryScheduleDue: [1, 1], // A; B (C's falls due in W29)
      misalignmentResolveDue: [0, 0],
    });
  });

  it('escalations, incidents and the checks that failed most, by kind', () => {
    assert.deepEqual(w28.escalations, { total: 1, byKind: [{ kind: 'discovery-not-scheduled', count: 1 }] });
    assert.deepEqual(w28.incidents, {
      total: 1,
      byKind: [{ kind: 'discovery-not-scheduled', severity: 'SEV2', count: 1 }],
    });
    assert.deepEqual(w28.failingChecks, [
      { check: 'contacts-complete', failures: 2, handoffs: [A, C] },
      { check: 'required-fields', failures: 1, handoffs: [C] },
    ]);
  });

  it('W29 holds what came after: C rejected again (gate failed twice), its clocks missed without any sweep', () => {
    const w29 = metricsFor(histories(), week('2026-W29'), options);
    assert.deepEqual(w29.handoffs, {
      active: [B, C],
      opened: 0,
      submitted: 0,
      acknowledged: 0,
      scheduled: 0,
    });
    assert.deepEqual(w29.passRate.firstPass, { passed: 0, of: 0, rate: null });
    assert.deepEqual(w29.passRate.overall, { passed: 0, of: 1, rate: 0 });
    assert.deepEqual(w29.remediation, { rejections: 1, handoffsReviewed: 1, perHandoff: 1 });
    assert.deepEqual(w29.timeToAcknowledge.wallClockHours, { median: null, p90: null });
    assert.equal(clocksOf(w29).ackDue?.join(), '1,0');
    assert.equal(clocksOf(w29).discoveryScheduleDue?.join(), '0,1');
    assert.equal(clocksOf(w29).remediationDue?.join(), '0,1');
    assert.deepEqual(w29.escalations.byKind, [{ kind: 'gate-failed-twice', count: 1 }]);
    assert.deepEqual(w29.incidents.byKind, [{ kind: 'gate-failed-twice', severity: 'SEV2', count: 1 }]);
    assert.deepEqual(w29.failingChecks, [{ check: 'contacts-complete', failures: 1, handoffs: [C] }]);
  });

  it('W27: the handoffs opened before the holiday, one first submission, nothing decided yet', () => {
    const w27 = metricsFor(histories(), week('2026-W27'), options);
    assert.deepEqual(w27.handoffs, {
      active: [A, B],
      opened: 2,
      submitted: 1,
      acknowledged: 0,
      scheduled: 0,
    });
    assert.equal(w27.passRate.overall.rate, null);
    assert.equal(w27.remediation.perHandoff, null);
    assert.equal(clocksOf(w27).packetDue?.join(), '1,0');
  });

  it('a week with no handoffs is all zeros and nulls, never NaN', () => {
    const empty = metricsFor(histories(), week('2026-W20'), options);
    assert.deepEqual(empty.handoffs, { active: [], opened: 0, submitted: 0, acknowledged: 0, scheduled: 0 });
    assert.deepEqual(empty.passRate.firstPass, { passed: 0, of: 0, rate: null });
    assert.deepEqual(empty.remediation, { rejections: 0, handoffsReviewed: 0, perHandoff: null });
    assert.deepEqual(empty.timeToAcknowledge.businessHours, { median: null, p90: null });
    assert.ok(empty.clocks.every((c) => c.met === 0 && c.missed === 0));
    assert.ok(!JSON.stringify(empty).includes('NaN'));
  });

  it('a handoff finished before the week is not active in it; any workflow event in the week makes it active', () => {
    const w29 = metricsFor([historyA()], week('2026-W29'), options);
    assert.deepEqual(w29.handoffs.active, []);
    const late = historyA();
    const intro = {
      type: 'IntroductionSent',
      data: { recipients: 1 },
      at: '2026-07-14T14:00:00Z',
      actor: late.events[0]!.actor,
    };
    assert.deepEqual(
      metricsFor([{ sow: A, events: [...late.events, intro] }], week('2026-W29'), options).handoffs.active,
      [A],
    );
  });

  it('a range of two weeks is the two weeks together (rates are recomputed, not averaged)', () => {
    const both = metricsFor(
      histories(),
      rangePeriod('2026-07-06', '2026-07-19', 'America/New_York'),
      options,
    );
    assert.deepEqual(both.passRate.overall, { passed: 2, of: 5, rate: 0.4 });
    assert.deepEqual(both.passRate.firstPass, { passed: 1, of: 3, rate: 1 / 3 });
    assert.deepEqual(both.remediation, { rejections: 3, handoffsReviewed: 3, perHandoff: 1 });
    assert.equal(both.escalations.total, 2);
  });

  it('a clock not yet due at now counts neither way', () => {
    // At Mon Jul 13 12:00 C's discovery clock (due 17:00) is still open; by Friday it was missed.
    const monday = metricsFor(histories(), week('2026-W29'), { ...options, now: '2026-07-13T16:00:00Z' });
    assert.equal(clocksOf(monday).discoveryScheduleDue?.join(), '0,0');
    assert.equal(metricsFor(histories(), week('2026-W29'), options).asOf, NOW);
  });

  it('the weeks of a series are each the same as computed alone', () => {
    const periods = weeksEndingWith('2026-W29', 3, zone);
    const series = metricsForPeriods(histories(), periods, options);
    assert.deepEqual(
      series.map((m) => m.period.label),
      ['2026-W27', '2026-W28', '2026-W29'],
    );
    for (const [i, m] of series.entries()) assert.deepEqual(m, metricsFor(histories(), periods[i]!, options));
  });
});

describe('quantile (linear between closest ranks)', () => {
  it('matches hand-computed values', () => {
    assert.equal(quantile([], 0.5), null);
    assert.equal(quantile([7], 0.9), 7);
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9.1);
    assert.equal(quantile([0, 10], 0.9), 9);
  });
});
