// Holiday rules as data. A region is a list of rules; `calendar.ts` evaluates them for a year.
// Another region is added by writing its table here (or in a sibling file) and registering it in
// `HOLIDAY_REGIONS`.

/** Days to move a fixed-date holiday that falls on a weekend (e.g. `{ saturday: -1, sunday: 1 }`). */
export interface ObservedShift {
  /** Shift in days when the date is a Saturday (negative = earlier). Omitted: not moved. */
  saturday?: number;
  /** Shift in days when the date is a Sunday. Omitted: not moved. */
  sunday?: number;
}

interface RuleBase {
  name: string;
  /** First year the holiday exists (inclusive). */
  fromYear?: number;
  /** Last year the holiday exists (inclusive). */
  untilYear?: number;
}

/** The same month and day every year, optionally moved off weekends. */
export interface FixedDateRule extends RuleBase {
  kind: 'fixed';
  month: number;
  day: number;
  observed?: ObservedShift;
}

/** The n-th given weekday of a month (`weekday` is ISO: 1 = Monday … 7 = Sunday). */
export interface NthWeekdayRule extends RuleBase {
  kind: 'nthWeekday';
  month: number;
  weekday: number;
  nth: number;
}

/** The last given weekday of a month. */
export interface LastWeekdayRule extends RuleBase {
  kind: 'lastWeekday';
  month: number;
  weekday: number;
}

export type HolidayRule = FixedDateRule | NthWeekdayRule | LastWeekdayRule;

/** Federal rule (5 U.S.C. 6103): Saturday holidays are observed on Friday, Sunday ones on Monday. */
const FEDERAL_OBSERVED: ObservedShift = { saturday: -1, sunday: 1 };

const MONDAY = 1;
const THURSDAY = 4;

/** US federal holidays. The day after Thanksgiving is deliberately absent: it is not a federal holiday. */
export const US_FEDERAL_HOLIDAYS: readonly HolidayRule[] = [
  { kind: 'fixed', name: "New Year's Day", month: 1, day: 1, observed: FEDERAL_OBSERVED },
  { kind: 'nthWeekday', name: 'Martin Luther King Jr. Day', month: 1, weekday: MONDAY, nth: 3 },
  { kind: 'nthWeekday', name: "Washington's Birthday", month: 2, weekday: MONDAY, nth: 3 },
  { kind: 'lastWeekday', name: 'Memorial Day', month: 5, weekday: MONDAY },
  {
    kind: 'fixed',
    name: 'Juneteenth National Independence Day',
    month: 6,
    day: 19,
    observed: FEDERAL_OBSERVED,
    fromYear: 2021,
  },
  { kind: 'fixed', name: 'Independence Day', month: 7, day: 4, observed: FEDERAL_OBSERVED },
  { kind: 'nthWeekday', name: 'Labor Day', month: 9, weekday: MONDAY, nth: 1 },
  { kind: 'nthWeekday', name: 'Columbus Day', month: 10, weekday: MONDAY, nth: 2 },
  { kind: 'fixed', name: 'Veterans Day', month: 11, day: 11, observed: FEDERAL_OBSERVED },
  { kind: 'nthWeekday', name: 'Thanksgiving Day', month: 11, weekday: THURSDAY, nth: 4 },
  { kind: 'fixed', name: 'Christmas Day', month: 12, day: 25, observed: FEDERAL_OBSERVED },
];

/** Built-in holiday regions, by the name used in `holidays.region`. */
export const HOLIDAY_REGIONS: Readonly<Record<string, readonly HolidayRule[]>> = {
  US: US_FEDERAL_HOLIDAYS,
  none: [],
};
