// The company's business-day calendar: holidays, business days, deadlines, business hours.
//
// Rule (spec): "within N business days of E" = close of business, in the company's time zone, on the
// N-th business day after the calendar day on which E happened. An event on a weekend or holiday counts
// from that day all the same. N = 0 = close of business of the event's day if it is a business day,
// else of the next business day.
//
// Pure: no clock, no I/O. Internally days are counted as integer "epoch days" (days since 1970-01-01)
// so that loops do not allocate Temporal objects; a Temporal value is built once at the end.

import { Temporal } from 'temporal-polyfill';
import type { CalendarConfig } from './types.ts';
import { HOLIDAY_REGIONS, type HolidayRule } from './us-federal-holidays.ts';

export type Instant = Temporal.Instant;

export interface BusinessCalendar {
  config: CalendarConfig;
  /** Monday to Friday and not a holiday (after `dates`/`workdays` adjustments). */
  isBusinessDay(date: Temporal.PlainDate): boolean;
  /** The holiday's name if `date` is a holiday (even on a weekend), else `undefined`. */
  holidayName(date: Temporal.PlainDate): string | undefined;
}

export interface Holiday {
  date: Temporal.PlainDate;
  name: string;
}

/** Name given to holidays that come from `holidays.dates`. */
const COMPANY_HOLIDAY = 'Company holiday';

/** More consecutive non-business days than this means the calendar is broken (avoids endless loops). */
const MAX_NON_BUSINESS_RUN = 1000;

// ---------------------------------------------------------------------------------------------------
// Epoch-day arithmetic (proleptic Gregorian, H. Hinnant's algorithms).

function epochDayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

interface Ymd {
  year: number;
  month: number;
  day: number;
}

function ymdOf(epochDay: number): Ymd {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO weekday, 1 = Monday … 7 = Sunday. 1970-01-01 was a Thursday. */
function weekdayOf(epochDay: number): number {
  return (((((epochDay % 7) + 7) % 7) + 3) % 7) + 1;
}

function isWeekend(epochDay: number): boolean {
  return weekdayOf(epochDay) >= 6;
}

function daysInMonth(year: number, month: number): number {
  return (
    epochDayOf(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - epochDayOf(year, month, 1)
  );
}

/** Number of Mondays-to-Fridays in [1970-01-05, e] (signed, so differences work for any e). */
function weekdaysUpTo(epochDay: number): number {
  const days = epochDay - 4 + 1; // 1970-01-05 (epoch day 4) is a Monday
  const weeks = Math.floor(days / 7);
  return weeks * 5 + Math.min(days - weeks * 7, 5);
}

function epochDayOfDate(date: Temporal.PlainDate): number {
  return epochDayOf(date.year, date.month, date.day);
}

function plainDateOf(epochDay: number): Temporal.PlainDate {
  const { year, month, day } = ymdOf(epochDay);
  return new Temporal.PlainDate(year, month, day);
}

function isoKey(epochDay: number): string {
  const { year, month, day } = ymdOf(epochDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------------
// Holiday rules.

function ruleApplies(rule: HolidayRule, year: number): boolean {
  return (
    (rule.fromYear === undefined || year >= rule.fromYear) &&
    (rule.untilYear === undefined || year <= rule.untilYear)
  );
}

/** Observed epoch day and name of `rule` in `ruleYear` (the year the rule is evaluated for). */
function evaluateRule(rule: HolidayRule, ruleYear: number): { epochDay: number; name: string } {
  switch (rule.kind) {
    case 'fixed': {
      const actual = epochDayOf(ruleYear, rule.month, rule.day);
      const weekday = weekdayOf(actual);
      const shift =
        weekday === 6 ? (rule.observed?.saturday ?? 0) : weekday === 7 ? (rule.observed?.sunday ?? 0) : 0;
      return shift === 0
        ? { epochDay: actual, name: rule.name }
        : { epochDay: actual + shift, name: `${rule.name} (observed)` };
    }
    case 'nthWeekday': {
      const first = epochDayOf(ruleYear, rule.month, 1);
      const offset = (rule.weekday - weekdayOf(first) + 7) % 7;
      return { epochDay: first + offset + (rule.nth - 1) * 7, name: rule.name };
    }
    case 'lastWeekday': {
      const last = epochDayOf(ruleYear, rule.month, daysInMonth(ruleYear, rule.month));
      const back = (weekdayOf(last) - rule.weekday + 7) % 7;
      return { epochDay: last - back, name: rule.name };
    }
  }
}

function regionRules(region: string): readonly HolidayRule[] {
  const rules = Object.hasOwn(HOLIDAY_REGIONS, region) ? HOLIDAY_REGIONS[region] : undefined;
  if (rules === undefined) {
    throw new Error(
      `Unknown holiday region '${region}'; known regions: ${Object.keys(HOLIDAY_REGIONS)
        .map((r) => `'${r}'`)
        .join(', ')}`,
    );
  }
  return rules;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseIsoDates(values: readonly string[], field: string): number[] {
  return values.map((value) => {
    if (typeof value !== 'string' || !ISO_DATE.test(value)) {
      throw new Error(`holidays.${field}: '${String(value)}' is not an ISO date (YYYY-MM-DD)`);
    }
    try {
      return epochDayOfDate(Temporal.PlainDate.from(value, { overflow: 'reject' }));
    } catch {
      throw new Error(`holidays.${field}: '${value}' is not a valid calendar date`);
    }
  });
}

interface HolidaySource {
  rules: readonly HolidayRule[];
  extra: readonly number[];
  worked: ReadonlySet<number>;
}

function holidaySource(config: CalendarConfig): HolidaySource {
  const holidays = config.holidays;
  return {
    rules: regionRules(holidays.region),
    extra: parseIsoDates(holidays.dates ?? [], 'dates'),
    worked: new Set(parseIsoDates(holidays.workdays ?? [], 'workdays')),
  };
}

/** Holidays observed in `year`, keyed by epoch day, in no particular order. */
function computeYear(source: HolidaySource, year: number): Map<number, string> {
  const lo = epochDayOf(year, 1, 1);
  const hi = epochDayOf(year, 12, 31);
  const days = new Map<number, string>();
  const add = (epochDay: number, name: string): void => {
    if (epochDay < lo || epochDay > hi) return;
    const existing = days.get(epochDay);
    days.set(epochDay, existing === undefined || existing === name ? name : `${existing} / ${name}`);
  };
  // An observed day can move across the year boundary (New Year's Day on a Saturday is observed on
  // 31 December of the year before), so neighbouring years' rules are evaluated too.
  for (let ruleYear = year - 1; ruleYear <= year + 1; ruleYear++) {
    for (const rule of source.rules) {
      if (!ruleApplies(rule, ruleYear)) continue;
      const { epochDay, name } = evaluateRule(rule, ruleYear);
      add(epochDay, name);
    }
  }
  for (const epochDay of source.extra) {
    if (!days.has(epochDay)) add(epochDay, COMPANY_HOLIDAY);
  }
  for (const epochDay of source.worked) days.delete(epochDay);
  return days;
}

/** Holidays observed in `year` (sorted by date), after the `dates` and `workdays` adjustments. */
export function holidaysInYear(config: CalendarConfig, year: number): Holiday[] {
  if (!Number.isInteger(year)) throw new RangeError(`holidaysInYear: year must be an integer, got ${year}`);
  const days = computeYear(holidaySource(config), year);
  return [...days.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([epochDay, name]) => ({ date: plainDateOf(epochDay), name }));
}

// ---------------------------------------------------------------------------------------------------
// The calendar engine.

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function parseTimeOfDay(value: string, field: string): number {
  const match = typeof value === 'string' ? HH_MM.exec(value) : null;
  if (match === null) throw new Error(`calendar.${field}: '${String(value)}' is not a time HH:MM (24h)`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60;
}

function checkTimeZone(timeZone: string): void {
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timeZone);
  } catch {
    throw new RangeError(`calendar.timeZone: '${String(timeZone)}' is not a known IANA time zone`);
  }
}

/**
 * A time zone's offset from UTC at an instant, in minutes east of UTC (-240: New York in summer). A caller
 * may give one that reads the runtime's time-zone data more cheaply than Temporal does (see
 * `businessCalendar`); both must give the same answers.
 */
export type ZoneOffset = (timeZone: string, epochMilliseconds: number) => number;

export interface CalendarOptions {
  /**
   * Where local dates of instants come from instead of Temporal. The caller vouches for the config's time
   * zone (checked when its playbook was loaded), so it is not checked again here.
   */
  zoneOffset?: ZoneOffset;
}

/** Everything derived from a config, plus the per-year holiday cache. */
class Engine {
  readonly timeZone: string;
  readonly zoneOffset: ZoneOffset | undefined;
  /** Seconds after local midnight. */
  readonly startSeconds: number;
  readonly closeSeconds: number;
  readonly closeTime: Temporal.PlainTime;
  /** Set when the calendar object was not made by `businessCalendar`: its own `isBusinessDay` rules. */
  readonly foreign: BusinessCalendar | undefined;
  readonly source: HolidaySource | undefined;
  readonly years = new Map<number, Map<number, string>>();
  // Last year looked up: almost every query hits it, which skips the epoch-day -> year conversion.
  private lastLo = 1;
  private lastHi = 0;
  private lastDays: Map<number, string> = new Map();

  constructor(config: CalendarConfig, foreign: BusinessCalendar | undefined, options: CalendarOptions = {}) {
    if (!options.zoneOffset) checkTimeZone(config.timeZone);
    this.timeZone = config.timeZone;
    this.zoneOffset = options.zoneOffset;
    this.startSeconds = parseTimeOfDay(config.startOfBusiness, 'startOfBusiness');
    this.closeSeconds = parseTimeOfDay(config.closeOfBusiness, 'closeOfBusiness');
    if (this.startSeconds >= this.closeSeconds) {
      throw new Error(
        `calendar: startOfBusiness (${config.startOfBusiness}) must be before closeOfBusiness (${config.closeOfBusiness})`,
      );
    }
    this.closeTime = Temporal.PlainTime.from(config.closeOfBusiness);
    this.foreign = foreign;
    this.source = foreign === undefined ? holidaySource(config) : undefined;
  }

  yearDays(year: number): Map<number, string> {
    let days = this.years.get(year);
    if (days === undefined) {
      days = this.source === undefined ? new Map() : computeYear(this.source, year);
      this.years.set(year, days);
    }
    return days;
  }

  holidayOn(epochDay: number): string | undefined {
    if (epochDay < this.lastLo || epochDay > this.lastHi) {
      const { year } = ymdOf(epochDay);
      this.lastDays = this.yearDays(year);
      this.lastLo = epochDayOf(year, 1, 1);
      this.lastHi = epochDayOf(year, 12, 31);
    }
    return this.lastDays.get(epochDay);
  }

  isBusiness(epochDay: number): boolean {
    if (this.foreign !== undefined) return this.foreign.isBusinessDay(plainDateOf(epochDay));
    return !isWeekend(epochDay) && this.holidayOn(epochDay) === undefined;
  }

  /** The n-th business day after `epochDay` (n = 0: that day if a business day, else the next one). */
  nthAfter(epochDay: number, n: number): number {
    let day = epochDay;
    let counted = 0;
    let run = 0;
    if (n === 0) {
      while (!this.isBusiness(day)) {
        day++;
        if (++run > MAX_NON_BUSINESS_RUN) this.noBusinessDays(epochDay);
      }
      return day;
    }
    while (counted < n) {
      day++;
      if (this.isBusiness(day)) {
        counted++;
        run = 0;
      } else if (++run > MAX_NON_BUSINESS_RUN) {
        this.noBusinessDays(epochDay);
      }
    }
    return day;
  }

  /** Business days d with from < d <= to. */
  countBetween(from: number, to: number): number {
    if (to <= from) return 0;
    if (this.foreign !== undefined) {
      let count = 0;
      for (let day = from + 1; day <= to; day++) if (this.isBusiness(day)) count++;
      return count;
    }
    let count = weekdaysUpTo(to) - weekdaysUpTo(from);
    const firstYear = ymdOf(from + 1).year;
    const lastYear = ymdOf(to).year;
    for (let year = firstYear; year <= lastYear; year++) {
      for (const day of this.yearDays(year).keys()) {
        if (day > from && day <= to && !isWeekend(day)) count--;
      }
    }
    return count;
  }

  private noBusinessDays(epochDay: number): never {
    throw new Error(
      `calendar: no business day within ${MAX_NON_BUSINESS_RUN} days after ${isoKey(epochDay)}; check the holiday configuration`,
    );
  }
}

const engines = new WeakMap<BusinessCalendar, Engine>();

function engineOf(calendar: BusinessCalendar): Engine {
  let engine = engines.get(calendar);
  if (engine === undefined) {
    // A hand-made BusinessCalendar (e.g. a test double): honour its own isBusinessDay.
    engine = new Engine(calendar.config, calendar);
    engines.set(calendar, engine);
  }
  return engine;
}

/**
 * Builds the calendar for a config. Validates the config (time zone, HH:MM times, region, ISO dates)
 * and throws a descriptive Error if it is wrong. Holidays are computed lazily and cached per year.
 */
export function businessCalendar(config: CalendarConfig, options: CalendarOptions = {}): BusinessCalendar {
  const engine = new Engine(config, undefined, options);
  const calendar: BusinessCalendar = {
    config,
    isBusinessDay: (date) => engine.isBusiness(epochDayOfDate(date)),
    holidayName: (date) => engine.holidayOn(epochDayOfDate(date)),
  };
  engines.set(calendar, engine);
  return calendar;
}

// ---------------------------------------------------------------------------------------------------
// Instants and dates.

/**
 * An instant from an ISO 8601 string with `Z` or a UTC offset (e.g. `2026-05-12T10:00:00-04:00`),
 * or from a Temporal value. A string without offset is rejected: it does not say which instant it is.
 */
export function toInstant(value: string | Temporal.Instant | Temporal.ZonedDateTime): Temporal.Instant {
  if (value instanceof Temporal.Instant) return value;
  if (value instanceof Temporal.ZonedDateTime) return value.toInstant();
  if (typeof value !== 'string') {
    throw new TypeError(`toInstant: expected an ISO 8601 string or a Temporal value, got ${typeof value}`);
  }
  const text = value.trim();
  try {
    return Temporal.Instant.from(text);
  } catch {
    // Fall through to work out a useful message.
  }
  let local = false;
  try {
    Temporal.PlainDateTime.from(text);
    local = true;
  } catch {
    local = false;
  }
  if (local) {
    throw new Error(
      `'${value}' has no UTC offset, so it is ambiguous: it names a different instant in every time zone; ` +
        `add 'Z' or an offset such as '-04:00' (e.g. '2026-05-12T10:00:00-04:00')`,
    );
  }
  throw new Error(
    `'${value}' is not an ISO 8601 instant (expected e.g. '2026-05-12T14:00:00Z' or '2026-05-12T10:00:00-04:00')`,
  );
}

/** The calendar day on which `at` falls in the company's time zone. */
export function localDate(at: Temporal.Instant, calendar: BusinessCalendar): Temporal.PlainDate {
  const engine = engineOf(calendar);
  if (engine.zoneOffset) {
    const ms = at.epochMilliseconds;
    return plainDateOf(Math.floor((ms + engine.zoneOffset(engine.timeZone, ms) * 60_000) / 86_400_000));
  }
  return at.toZonedDateTimeISO(engine.timeZone).toPlainDate();
}

function checkCount(n: number, fn: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${fn}: n must be an integer >= 0, got ${n}`);
}

/** The date part of `businessDaysAfter`: the n-th business day after `date` (n = 0: see there). */
export function nthBusinessDayAfter(
  date: Temporal.PlainDate,
  n: number,
  calendar: BusinessCalendar,
): Temporal.PlainDate {
  checkCount(n, 'nthBusinessDayAfter');
  return plainDateOf(engineOf(calendar).nthAfter(epochDayOfDate(date), n));
}

/**
 * Deadline for "within n business days of event": close of business, in the company's zone, of the
 * n-th business day after the event's calendar day (a PlainDate event is that day). n = 0: close of
 * business of the event's day if it is a business day, else of the next business day.
 */
export function businessDaysAfter(
  event: Temporal.Instant | Temporal.PlainDate,
  n: number,
  calendar: BusinessCalendar,
): Temporal.ZonedDateTime {
  checkCount(n, 'businessDaysAfter');
  const engine = engineOf(calendar);
  const eventDay = event instanceof Temporal.PlainDate ? event : localDate(event, calendar);
  const due = plainDateOf(engine.nthAfter(epochDayOfDate(eventDay), n));
  return due.toZonedDateTime({ timeZone: engine.timeZone, plainTime: engine.closeTime });
}

/** The first business day strictly after `date`. */
export function nextBusinessDay(date: Temporal.PlainDate, calendar: BusinessCalendar): Temporal.PlainDate {
  return plainDateOf(engineOf(calendar).nthAfter(epochDayOfDate(date), 1));
}

/** Number of business days d with from < d <= to; 0 if to <= from. */
export function businessDaysBetween(
  from: Temporal.PlainDate,
  to: Temporal.PlainDate,
  calendar: BusinessCalendar,
): number {
  return engineOf(calendar).countBetween(epochDayOfDate(from), epochDayOfDate(to));
}

function secondsOfDay(at: Temporal.ZonedDateTime): number {
  return (
    at.hour * 3600 +
    at.minute * 60 +
    at.second +
    at.millisecond / 1e3 +
    at.microsecond / 1e6 +
    at.nanosecond / 1e9
  );
}

/**
 * Hours (fractional) of business time between two instants: the parts of [from, to] that fall between
 * startOfBusiness and closeOfBusiness on business days, in the company's zone. 0 if to <= from.
 * Hours are counted on the local wall clock (DST changes happen outside business hours).
 */
export function businessHoursBetween(
  from: Temporal.Instant,
  to: Temporal.Instant,
  calendar: BusinessCalendar,
): number {
  if (Temporal.Instant.compare(to, from) <= 0) return 0;
  const engine = engineOf(calendar);
  const start = engine.startSeconds;
  const close = engine.closeSeconds;
  const clamp = (seconds: number): number => Math.min(Math.max(seconds, start), close);
  const zFrom = from.toZonedDateTimeISO(engine.timeZone);
  const zTo = to.toZonedDateTimeISO(engine.timeZone);
  const dayFrom = epochDayOf(zFrom.year, zFrom.month, zFrom.day);
  const dayTo = epochDayOf(zTo.year, zTo.month, zTo.day);
  let seconds: number;
  if (dayFrom === dayTo) {
    seconds = engine.isBusiness(dayFrom)
      ? Math.max(0, clamp(secondsOfDay(zTo)) - clamp(secondsOfDay(zFrom)))
      : 0;
  } else {
    const first = engine.isBusiness(dayFrom) ? close - clamp(secondsOfDay(zFrom)) : 0;
    const last = engine.isBusiness(dayTo) ? clamp(secondsOfDay(zTo)) - start : 0;
    const middle = engine.countBetween(dayFrom, dayTo - 1) * (close - start);
    seconds = first + middle + last;
  }
  return seconds / 3600;
}

/** A deadline as an ISO timestamp with the zone's offset, seconds kept: `2026-05-15T17:00:00-04:00`. */
export function formatDeadline(deadline: Temporal.ZonedDateTime): string {
  return deadline.toString({ timeZoneName: 'never', smallestUnit: 'second', calendarName: 'never' });
}
