import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import {
  type BusinessCalendar,
  businessCalendar,
  businessDaysAfter,
  businessDaysBetween,
  businessHoursBetween,
  type CalendarConfig,
  formatDeadline,
  holidaysInYear,
  localDate,
  nextBusinessDay,
  nthBusinessDayAfter,
  toInstant,
} from '../../../src/domain/calendar/index.ts';

const TZ = 'America/New_York';

function config(holidays: Partial<CalendarConfig['holidays']> = {}): CalendarConfig {
  return {
    timeZone: TZ,
    startOfBusiness: '09:00',
    closeOfBusiness: '17:00',
    holidays: { region: 'US', dates: [], workdays: [], ...holidays },
  };
}

const us = businessCalendar(config());
const date = (iso: string): Temporal.PlainDate => Temporal.PlainDate.from(iso);
const deadline = (event: string, n: number, calendar: BusinessCalendar = us): string =>
  formatDeadline(businessDaysAfter(toInstant(event), n, calendar));
const local = (iso: string): Temporal.Instant =>
  Temporal.PlainDateTime.from(iso).toZonedDateTime(TZ).toInstant();
const hours = (from: string, to: string, calendar: BusinessCalendar = us): number =>
  businessHoursBetween(local(from), local(to), calendar);

describe('US federal holidays', () => {
  it('lists every 2026 holiday on its observed date', () => {
    const got = holidaysInYear(config(), 2026).map((h) => h.date.toString());
    assert.deepEqual(got, [
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-10-12',
      '2026-11-11',
      '2026-11-26',
      '2026-12-25',
    ]);
    assert.equal(us.holidayName(date('2026-07-03')), 'Independence Day (observed)');
    assert.equal(us.holidayName(date('2026-11-26')), 'Thanksgiving Day');
  });

  it('every 2026 holiday is a non-business day, and the day after Thanksgiving is a business day', () => {
    for (const { date: d } of holidaysInYear(config(), 2026))
      assert.equal(us.isBusinessDay(d), false, d.toString());
    assert.equal(us.isBusinessDay(date('2026-11-27')), true);
    assert.equal(us.holidayName(date('2026-11-27')), undefined);
    // Independence Day itself (a Saturday) is not a weekday holiday but still carries no business.
    assert.equal(us.isBusinessDay(date('2026-07-04')), false);
    assert.equal(us.isBusinessDay(date('2026-07-06')), true);
  });

  it('moves 2027 Saturday holidays to the Friday before, including New Year 2028 into 2027', () => {
    const got = holidaysInYear(config(), 2027).map((h) => h.date.toString());
    assert.deepEqual(got, [
      '2027-01-01',
      '2027-01-18',
      '2027-02-15',
      '2027-05-31',
      '2027-06-18',
      '2027-07-05',
      '2027-09-06',
      '2027-10-11',
      '2027-11-11',
      '2027-11-25',
      '2027-12-24',
      '2027-12-31',
    ]);
    assert.equal(us.holidayName(date('2027-12-31')), "New Year's Day (observed)");
    assert.equal(us.isBusinessDay(date('2027-12-31')), false);
    // 2028 has no Jan 1 entry: it was observed in 2027.
    const y2028 = holidaysInYear(config(), 2028).map((h) => h.date.toString());
    assert.equal(y2028[0], '2028-01-17');
    assert.ok(!y2028.includes('2027-12-31'));
  });

  it('observes a Sunday holiday on the Monday after', () => {
    // Independence Day 2027 is a Sunday.
    assert.equal(us.holidayName(date('2027-07-05')), 'Independence Day (observed)');
    assert.equal(us.isBusinessDay(date('2027-07-02')), true);
  });

  it('has Juneteenth only from 2021', () => {
    assert.ok(!holidaysInYear(config(), 2020).some((h) => h.name.startsWith('Juneteenth')));
    assert.deepEqual(
      holidaysInYear(config(), 2021)
        .filter((h) => h.name.startsWith('Juneteenth'))
        .map((h) => h.date.toString()),
      ['2021-06-18'],
    );
  });

  it('adds explicit dates and removes workdays', () => {
    const cal = businessCalendar(config({ dates: ['2026-12-24'], workdays: ['2026-10-12'] }));
    assert.equal(cal.isBusinessDay(date('2026-12-24')), false);
    assert.equal(cal.holidayName(date('2026-12-24')), 'Company holiday');
    assert.equal(cal.isBusinessDay(date('2026-10-12')), true);
    assert.equal(cal.holidayName(date('2026-10-12')), undefined);
    const list = holidaysInYear(cal.config, 2026).map((h) => h.date.toString());
    assert.ok(list.includes('2026-12-24'));
    assert.ok(!list.includes('2026-10-12'));
    // Wed 23 Dec + 1: 24th company holiday, 25th Christmas, weekend -> Mon 28th.
    assert.equal(deadline('2026-12-23T15:00:00Z', 1, cal), '2026-12-28T17:00:00-05:00');
    assert.equal(deadline('2026-12-23T15:00:00Z', 1), '2026-12-24T17:00:00-05:00');
    // Fri 9 Oct + 1: Columbus Day is worked.
    assert.equal(deadline('2026-10-09T15:00:00Z', 1, cal), '2026-10-12T17:00:00-04:00');
    assert.equal(deadline('2026-10-09T15:00:00Z', 1), '2026-10-13T17:00:00-04:00');
  });

  it('region none has no holidays', () => {
    const none = businessCalendar(config({ region: 'none' }));
    assert.deepEqual(holidaysInYear(none.config, 2026), []);
    assert.equal(none.isBusinessDay(date('2026-12-25')), true);
    assert.equal(none.isBusinessDay(date('2026-12-26')), false); // Saturday
    assert.equal(deadline('2026-07-02T15:00:00Z', 1, none), '2026-07-03T17:00:00-04:00');
  });

  it('rejects an unknown region, naming it and the known ones', () => {
    assert.throws(
      () => businessCalendar(config({ region: 'FR' })),
      (err: Error) => /'FR'/.test(err.message) && /'US'/.test(err.message) && /'none'/.test(err.message),
    );
    assert.throws(
      () => holidaysInYear(config({ region: 'toString' }), 2026),
      /Unknown holiday region 'toString'/,
    );
  });

  it('rejects bad config values', () => {
    assert.throws(() => businessCalendar({ ...config(), timeZone: 'Mars/Olympus' }), /Mars\/Olympus/);
    assert.throws(() => businessCalendar({ ...config(), closeOfBusiness: '5pm' }), /closeOfBusiness/);
    assert.throws(
      () => businessCalendar({ ...config(), startOfBusiness: '18:00' }),
      /before closeOfBusiness/,
    );
    assert.throws(() => businessCalendar(config({ dates: ['2026-02-30'] })), /2026-02-30/);
    assert.throws(() => businessCalendar(config({ workdays: ['12/24/2026'] })), /workdays/);
  });
});

describe('businessDaysAfter', () => {
  it('N=1 from a Saturday is Monday 17:00', () => {
    assert.equal(deadline('2026-05-16T12:00:00Z', 1), '2026-05-18T17:00:00-04:00');
  });

  it('N=1 from a Saturday before a Monday holiday is Tuesday', () => {
    assert.equal(deadline('2026-05-23T12:00:00Z', 1), '2026-05-26T17:00:00-04:00');
  });

  it('N=1 from a Friday before a Monday holiday is Tuesday', () => {
    assert.equal(deadline('2026-05-22T14:00:00Z', 1), '2026-05-26T17:00:00-04:00');
  });

  it('counts from a holiday like any other day', () => {
    assert.equal(deadline('2026-05-25T14:00:00Z', 1), '2026-05-26T17:00:00-04:00');
    assert.equal(deadline('2026-05-25T14:00:00Z', 0), '2026-05-26T17:00:00-04:00');
  });

  it('N=0 is the same day on a business day (even after close), else the next business day', () => {
    assert.equal(deadline('2026-05-12T14:00:00Z', 0), '2026-05-12T17:00:00-04:00');
    assert.equal(deadline('2026-05-12T23:00:00Z', 0), '2026-05-12T17:00:00-04:00');
    assert.equal(deadline('2026-05-16T14:00:00Z', 0), '2026-05-18T17:00:00-04:00');
  });

  it('N=2 across Thanksgiving skips Thursday but not Friday', () => {
    assert.equal(deadline('2026-11-25T15:00:00Z', 2), '2026-11-30T17:00:00-05:00');
    assert.equal(deadline('2026-11-25T15:00:00Z', 1), '2026-11-27T17:00:00-05:00');
  });

  it('uses the New York day, not the UTC day', () => {
    // 03:30Z on Friday 15 May is Thursday 14 May 23:30 in New York.
    assert.equal(localDate(toInstant('2026-05-15T03:30:00Z'), us).toString(), '2026-05-14');
    assert.equal(deadline('2026-05-15T03:30:00Z', 1), '2026-05-15T17:00:00-04:00');
    // 23:30Z on Friday is Friday 19:30 in New York.
    assert.equal(deadline('2026-05-15T23:30:00Z', 1), '2026-05-18T17:00:00-04:00');
  });

  it('places an event with a +09:00 offset in the company zone', () => {
    // Tuesday 12 May 08:00 in Tokyo is Monday 11 May 19:00 in New York.
    assert.equal(deadline('2026-05-12T08:00:00+09:00', 1), '2026-05-12T17:00:00-04:00');
  });

  it('keeps 17:00 local across the March 2026 DST change', () => {
    // DST starts Sunday 8 March 2026.
    assert.equal(deadline('2026-03-05T15:00:00Z', 1), '2026-03-06T17:00:00-05:00');
    assert.equal(deadline('2026-03-06T15:00:00Z', 1), '2026-03-09T17:00:00-04:00');
    assert.equal(deadline('2026-03-08T15:00:00Z', 0), '2026-03-09T17:00:00-04:00');
    const due = businessDaysAfter(toInstant('2026-03-06T15:00:00Z'), 1, us);
    assert.equal(due.toInstant().toString(), '2026-03-09T21:00:00Z');
  });

  it('keeps 17:00 local across the November 2026 DST change', () => {
    // DST ends Sunday 1 November 2026.
    assert.equal(deadline('2026-10-29T15:00:00Z', 1), '2026-10-30T17:00:00-04:00');
    assert.equal(deadline('2026-10-30T15:00:00Z', 1), '2026-11-02T17:00:00-05:00');
    const due = businessDaysAfter(toInstant('2026-10-30T15:00:00Z'), 1, us);
    assert.equal(due.toInstant().toString(), '2026-11-02T22:00:00Z');
  });

  it('takes a PlainDate as that calendar day', () => {
    assert.equal(formatDeadline(businessDaysAfter(date('2026-05-16'), 1, us)), '2026-05-18T17:00:00-04:00');
    assert.equal(formatDeadline(businessDaysAfter(date('2026-05-12'), 3, us)), '2026-05-15T17:00:00-04:00');
  });

  it('returns a ZonedDateTime in the company zone', () => {
    const due = businessDaysAfter(toInstant('2026-05-12T14:00:00Z'), 3, us);
    assert.equal(due.timeZoneId, TZ);
    assert.equal(due.toPlainTime().toString(), '17:00:00');
  });

  it('rejects a negative or fractional n with a RangeError', () => {
    const at = toInstant('2026-05-12T14:00:00Z');
    assert.throws(() => businessDaysAfter(at, -1, us), RangeError);
    assert.throws(() => businessDaysAfter(at, 1.5, us), RangeError);
    assert.throws(() => businessDaysAfter(at, Number.NaN, us), RangeError);
    assert.throws(() => nthBusinessDayAfter(date('2026-05-12'), -2, us), RangeError);
  });

  it('honours a hand-made BusinessCalendar', () => {
    const everyDay: BusinessCalendar = {
      config: config(),
      isBusinessDay: () => true,
      holidayName: () => undefined,
    };
    assert.equal(deadline('2026-05-16T12:00:00Z', 1, everyDay), '2026-05-17T17:00:00-04:00');
    assert.equal(businessDaysBetween(date('2026-05-15'), date('2026-05-18'), everyDay), 3);
  });
});

describe('day helpers', () => {
  it('nextBusinessDay is strictly after the date', () => {
    assert.equal(nextBusinessDay(date('2026-05-12'), us).toString(), '2026-05-13');
    assert.equal(nextBusinessDay(date('2026-07-02'), us).toString(), '2026-07-06');
    assert.equal(nextBusinessDay(date('2027-12-30'), us).toString(), '2028-01-03');
  });

  it('nthBusinessDayAfter is the date part of the deadline', () => {
    assert.equal(nthBusinessDayAfter(date('2026-11-25'), 2, us).toString(), '2026-11-30');
    assert.equal(nthBusinessDayAfter(date('2026-05-16'), 0, us).toString(), '2026-05-18');
  });

  it('businessDaysBetween counts from < d <= to', () => {
    assert.equal(businessDaysBetween(date('2026-05-11'), date('2026-05-18'), us), 5);
    assert.equal(businessDaysBetween(date('2026-05-22'), date('2026-05-26'), us), 1);
    assert.equal(businessDaysBetween(date('2026-05-12'), date('2026-05-12'), us), 0);
    assert.equal(businessDaysBetween(date('2026-05-18'), date('2026-05-11'), us), 0);
    // 2026 has 261 weekdays, 11 holidays all on weekdays.
    assert.equal(businessDaysBetween(date('2025-12-31'), date('2026-12-31'), us), 250);
  });

  it('localDate is the calendar day in the company zone', () => {
    assert.equal(localDate(toInstant('2026-01-01T04:59:59Z'), us).toString(), '2025-12-31');
    assert.equal(localDate(toInstant('2026-01-01T05:00:00Z'), us).toString(), '2026-01-01');
  });
});

describe('toInstant and formatDeadline', () => {
  it('accepts Z and offsets', () => {
    assert.equal(toInstant('2026-05-12T10:00:00Z').toString(), '2026-05-12T10:00:00Z');
    assert.equal(toInstant('2026-05-12T10:00-04:00').toString(), '2026-05-12T14:00:00Z');
    assert.equal(toInstant('2026-05-12T10:00:00+09:00[Asia/Tokyo]').toString(), '2026-05-12T01:00:00Z');
  });

  it('passes Temporal values through', () => {
    const at = Temporal.Instant.from('2026-05-12T10:00:00Z');
    assert.equal(toInstant(at), at);
    assert.ok(toInstant(at.toZonedDateTimeISO(TZ)).equals(at));
  });

  it('rejects a string without offset as ambiguous', () => {
    assert.throws(() => toInstant('2026-05-12T10:00'), /ambiguous/);
    assert.throws(() => toInstant('2026-05-12T10:00'), /2026-05-12T10:00/);
    assert.throws(() => toInstant('2026-05-12'), /ambiguous/);
    assert.throws(() => toInstant('next tuesday'), /not an ISO 8601 instant/);
  });

  it('formats with the offset and seconds, no bracketed zone', () => {
    const due = Temporal.ZonedDateTime.from('2026-05-15T17:00[America/New_York]');
    assert.equal(formatDeadline(due), '2026-05-15T17:00:00-04:00');
    assert.equal(formatDeadline(due.add({ months: 6 })), '2026-11-15T17:00:00-05:00');
  });
});

describe('businessHoursBetween', () => {
  it('inside one day', () => {
    assert.equal(hours('2026-05-12T10:00', '2026-05-12T12:30'), 2.5);
  });

  it('across a night', () => {
    assert.equal(hours('2026-05-12T15:00', '2026-05-13T11:00'), 4);
  });

  it('across a weekend', () => {
    assert.equal(hours('2026-05-15T16:00', '2026-05-18T10:00'), 2);
    assert.equal(hours('2026-05-16T10:00', '2026-05-17T16:00'), 0);
  });

  it('across a holiday', () => {
    // Friday 22 May 16:00 to Tuesday 26 May 10:00; Monday is Memorial Day.
    assert.equal(hours('2026-05-22T16:00', '2026-05-26T10:00'), 2);
  });

  it('clamps to business hours when starting before 09:00 and ending after 17:00', () => {
    assert.equal(hours('2026-05-12T07:00', '2026-05-12T19:00'), 8);
    assert.equal(hours('2026-05-11T07:00', '2026-05-13T20:00'), 24);
    assert.equal(hours('2026-05-12T18:00', '2026-05-13T08:00'), 0);
  });

  it('counts a DST weekend by the local clock', () => {
    assert.equal(hours('2026-03-06T16:00', '2026-03-09T10:00'), 2);
  });

  it('is 0 when to <= from', () => {
    assert.equal(hours('2026-05-12T12:00', '2026-05-12T12:00'), 0);
    assert.equal(hours('2026-05-13T12:00', '2026-05-12T10:00'), 0);
  });
});

describe('properties', () => {
  const RUNS = 300;
  const MIN = Date.UTC(2020, 0, 1);
  const MAX = Date.UTC(2036, 0, 1) - 1;
  const instant = fc.integer({ min: MIN, max: MAX }).map((ms) => Temporal.Instant.fromEpochMilliseconds(ms));
  const days = fc.integer({ min: 0, max: 30 });
  const plainDate = instant.map((at) => localDate(at, us));
  const cmp = Temporal.ZonedDateTime.compare;

  /** Reference: step one day at a time through the public isBusinessDay. */
  function naiveBetween(from: Temporal.PlainDate, to: Temporal.PlainDate): number {
    let count = 0;
    for (let d = from.add({ days: 1 }); Temporal.PlainDate.compare(d, to) <= 0; d = d.add({ days: 1 })) {
      if (us.isBusinessDay(d)) count++;
    }
    return count;
  }

  it('the deadline is a business day at close of business in the company zone', () => {
    fc.assert(
      fc.property(instant, days, (at, n) => {
        const due = businessDaysAfter(at, n, us);
        assert.equal(due.timeZoneId, TZ);
        assert.ok(us.isBusinessDay(due.toPlainDate()));
        assert.equal(due.toPlainTime().toString(), '17:00:00');
        assert.match(formatDeadline(due), /T17:00:00-0[45]:00$/);
      }),
      { numRuns: RUNS },
    );
  });

  it('more days never give an earlier deadline (and strictly later from n >= 1)', () => {
    fc.assert(
      fc.property(instant, days, fc.integer({ min: 1, max: 10 }), (at, n, extra) => {
        const a = businessDaysAfter(at, n, us);
        const b = businessDaysAfter(at, n + extra, us);
        assert.ok(cmp(a, b) <= 0);
        if (n >= 1) assert.ok(cmp(a, b) < 0);
      }),
      { numRuns: RUNS },
    );
  });

  it('a later event never gives an earlier deadline', () => {
    fc.assert(
      fc.property(instant, instant, days, (x, y, n) => {
        const [early, late] = Temporal.Instant.compare(x, y) <= 0 ? [x, y] : [y, x];
        assert.ok(cmp(businessDaysAfter(early, n, us), businessDaysAfter(late, n, us)) <= 0);
      }),
      { numRuns: RUNS },
    );
  });

  it('the deadline is after the start of the event day', () => {
    fc.assert(
      fc.property(instant, days, (at, n) => {
        const dayStart = localDate(at, us).toZonedDateTime(TZ);
        assert.ok(cmp(businessDaysAfter(at, n, us), dayStart) > 0);
      }),
      { numRuns: RUNS },
    );
  });

  it('businessDaysBetween(day, nthBusinessDayAfter(day, n)) is n (1 for n = 0 on a non-business day)', () => {
    fc.assert(
      fc.property(plainDate, days, (day, n) => {
        const due = nthBusinessDayAfter(day, n, us);
        const expected = n === 0 && !us.isBusinessDay(day) ? 1 : n;
        assert.equal(businessDaysBetween(day, due, us), expected);
        // Minimal: the day before the due date is one business day short.
        if (expected >= 1)
          assert.equal(businessDaysBetween(day, due.subtract({ days: 1 }), us), expected - 1);
      }),
      { numRuns: RUNS },
    );
  });

  it('businessDaysBetween agrees with a day-by-day count', () => {
    fc.assert(
      fc.property(plainDate, fc.integer({ min: -10, max: 800 }), (from, span) => {
        const to = from.add({ days: span });
        assert.equal(businessDaysBetween(from, to, us), naiveBetween(from, to));
      }),
      { numRuns: RUNS },
    );
  });

  it('business hours are additive and bounded by elapsed time', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 20 * 86_400_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, span, frac) => {
          const c = a.add({ milliseconds: span });
          const b = a.add({ milliseconds: Math.floor(span * frac) });
          const whole = businessHoursBetween(a, c, us);
          const parts = businessHoursBetween(a, b, us) + businessHoursBetween(b, c, us);
          assert.ok(Math.abs(whole - parts) < 1e-9, `${whole} vs ${parts}`);
          assert.ok(whole >= 0 && whole <= span / 3_600_000 + 1e-9);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
