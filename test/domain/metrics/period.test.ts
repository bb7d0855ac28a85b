import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PeriodInputError,
  rangePeriod,
  weekOf,
  weekPeriod,
  weeksEndingWith,
} from '../../../src/domain/metrics/index.ts';

const NY = 'America/New_York';

describe('ISO weeks in the company time zone', () => {
  it('2026-W20 is Monday May 11 to Sunday May 17, midnight to midnight New York time', () => {
    assert.deepEqual(weekPeriod('2026-W20', NY), {
      label: '2026-W20',
      kind: 'week',
      from: '2026-05-11',
      to: '2026-05-17',
      start: '2026-05-11T04:00:00Z',
      end: '2026-05-18T04:00:00Z',
      timeZone: NY,
    });
  });

  it('week 1 may start in the previous year, and 2026 has 53 weeks', () => {
    assert.equal(weekPeriod('2026-W01', NY).from, '2025-12-29');
    assert.equal(weekPeriod('2026-W53', NY).to, '2027-01-03');
    assert.throws(() => weekPeriod('2025-W53', NY), PeriodInputError);
  });

  it('a week across the change to daylight saving time is 167 hours long', () => {
    // Daylight saving time begins on Sunday 2026-03-08, the last day of W10.
    const w10 = weekPeriod('2026-W10', NY);
    assert.equal(w10.start, '2026-03-02T05:00:00Z');
    assert.equal(w10.end, '2026-03-09T04:00:00Z');
    assert.equal((Date.parse(w10.end) - Date.parse(w10.start)) / 3_600_000, 167);
  });

  it('an instant belongs to the week of its local date: Sunday 23:30 New York is still that week', () => {
    assert.equal(weekOf('2026-05-18T03:30:00Z', NY), '2026-W20');
    assert.equal(weekOf('2026-05-18T04:00:00Z', NY), '2026-W21');
    assert.equal(weekOf('2026-05-18T03:30:00Z', 'UTC'), '2026-W21');
  });

  it('refuses what is not a week, naming the option', () => {
    for (const bad of ['2026-20', '2026-W00', '2026-W54', 'W20', '2026-W2']) {
      const error = (() => {
        try {
          weekPeriod(bad, NY);
        } catch (e) {
          return e;
        }
      })();
      assert.ok(error instanceof PeriodInputError, bad);
      assert.equal(error.field, 'week');
      assert.match(error.message, /YYYY-Www/);
    }
    assert.equal(weekPeriod(' 2026-w20 ', NY).label, '2026-W20');
  });

  it('weeksEndingWith gives the weeks oldest first, across a year end', () => {
    assert.deepEqual(
      weeksEndingWith('2027-W02', 4, NY).map((p) => p.label),
      ['2026-W52', '2026-W53', '2027-W01', '2027-W02'],
    );
  });
});

describe('ranges of dates', () => {
  it('includes both days', () => {
    const p = rangePeriod('2026-05-01', '2026-05-31', NY);
    assert.equal(p.label, '2026-05-01..2026-05-31');
    assert.equal(p.start, '2026-05-01T04:00:00Z');
    assert.equal(p.end, '2026-06-01T04:00:00Z');
  });

  it('refuses a bad date or a range that ends before it starts, naming the option', () => {
    assert.throws(() => rangePeriod('2026-02-30', '2026-03-01', NY), {
      name: 'PeriodInputError',
      field: 'from',
    });
    assert.throws(() => rangePeriod('2026-03-01', 'soon', NY), { name: 'PeriodInputError', field: 'to' });
    assert.throws(() => rangePeriod('2026-03-02', '2026-03-01', NY), {
      name: 'PeriodInputError',
      field: 'to',
    });
  });
});
