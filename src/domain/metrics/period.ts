// Reporting periods for the governance metrics: ISO weeks (Monday to Sunday) or a range of dates, both as
// calendar days in the company's time zone, so a week is the company's week whatever the server's zone.

import { Temporal } from 'temporal-polyfill';
import type { IsoDate, IsoInstant } from '../workflow/types.ts';

export interface Period {
  /** `2026-W20` for a week, `2026-05-01..2026-05-31` for a range. */
  label: string;
  kind: 'week' | 'range';
  /** The first and last calendar day, inclusive, in `timeZone`. */
  from: IsoDate;
  to: IsoDate;
  /** The period as instants (UTC): [start, end), midnight to midnight in `timeZone`. */
  start: IsoInstant;
  end: IsoInstant;
  timeZone: string;
}

/** A period that cannot be read; `field` is the option at fault. */
export class PeriodInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'PeriodInputError';
    this.field = field;
  }
}

const weekPattern = /^(\d{4})-W(\d{2})$/;

const midnight = (date: Temporal.PlainDate, timeZone: string): IsoInstant =>
  date.toZonedDateTime({ timeZone }).toInstant().toString();

function periodOf(
  label: string,
  kind: Period['kind'],
  from: Temporal.PlainDate,
  to: Temporal.PlainDate,
  timeZone: string,
): Period {
  return {
    label,
    kind,
    from: from.toString(),
    to: to.toString(),
    start: midnight(from, timeZone),
    end: midnight(to.add({ days: 1 }), timeZone),
    timeZone,
  };
}

/** The Monday of ISO week `week` of `year`, or null when the year has no such week. */
function mondayOf(year: number, week: number): Temporal.PlainDate | null {
  const jan4 = Temporal.PlainDate.from({ year, month: 1, day: 4 });
  const monday = jan4.subtract({ days: jan4.dayOfWeek - 1 }).add({ weeks: week - 1 });
  return week >= 1 && monday.yearOfWeek === year && monday.weekOfYear === week ? monday : null;
}

const weekLabel = (date: Temporal.PlainDate): string =>
  `${date.yearOfWeek}-W${String(date.weekOfYear).padStart(2, '0')}`;

/** ISO week `2026-W20` in the company's zone: Monday 00:00 to the next Monday 00:00. */
export function weekPeriod(week: string, timeZone: string): Period {
  const match = weekPattern.exec(week.trim().toUpperCase());
  const monday = match ? mondayOf(Number(match[1]), Number(match[2])) : null;
  if (!match || !monday)
    throw new PeriodInputError(
      'week',
      `--week: "${week}" is not an ISO week; write YYYY-Www, e.g. 2026-W20 (weeks run 01 to 52 or 53)`,
    );
  return periodOf(weekLabel(monday), 'week', monday, monday.add({ days: 6 }), timeZone);
}

/** The ISO week an instant falls in, in the company's zone. */
export function weekOf(at: IsoInstant, timeZone: string): string {
  return weekLabel(Temporal.Instant.from(at).toZonedDateTimeISO(timeZone).toPlainDate());
}

function readDate(value: string, field: string): Temporal.PlainDate {
  try {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) throw new Error('shape');
    return Temporal.PlainDate.from(value.trim(), { overflow: 'reject' });
  } catch {
    throw new PeriodInputError(
      field,
      `--${field}: "${value}" is not a date; write YYYY-MM-DD, e.g. 2026-05-11`,
    );
  }
}

/** The days `from` to `to`, both included, in the company's zone. */
export function rangePeriod(from: string, to: string, timeZone: string): Period {
  const first = readDate(from, 'from');
  const last = readDate(to, 'to');
  if (Temporal.PlainDate.compare(first, last) > 0)
    throw new PeriodInputError('to', `--to: ${last} is before --from ${first}`);
  return periodOf(`${first}..${last}`, 'range', first, last, timeZone);
}

/** The `count` weeks that end with `week`, oldest first. */
export function weeksEndingWith(week: string, count: number, timeZone: string): Period[] {
  const last = weekPeriod(week, timeZone);
  const monday = Temporal.PlainDate.from(last.from);
  const weeks: Period[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const m = monday.subtract({ weeks: i });
    weeks.push(periodOf(weekLabel(m), 'week', m, m.add({ days: 6 }), timeZone));
  }
  return weeks;
}
