// The dates the timeline check works with, each computed once: Temporal (the polyfill) is slow next to the
// rest of the gate, and the same few dates come back packet after packet (today, the SOW date, its
// deadlines). Values are memoised per calendar and by date, never by packet; a calendar is taken to be a
// fixed set of rules (as the calendar's own per-year holiday cache does).
import { Temporal } from 'temporal-polyfill';
import { type BusinessCalendar, localDate, nthBusinessDayAfter } from '../calendar/index.ts';

/** A calendar date with what the check needs of it at hand. */
export interface Day {
  date: Temporal.PlainDate;
  /** `date.toString()`. */
  iso: string;
  year: number;
  /** Orders days as Temporal.PlainDate.compare does: year * 10000 + month * 100 + day. */
  key: number;
}

function dayOf(date: Temporal.PlainDate): Day {
  const year = date.year;
  return { date, iso: date.toString(), year, key: year * 10000 + date.month * 100 + date.day };
}

/** Negative, zero or positive as `a` is before, on or after `b`. */
export function compareDays(a: Day, b: Day): number {
  return a.key - b.key;
}

// Each memo is bounded: odd input (a thousand different dates) cannot grow it without end.
const LIMIT = 4096;
function remember<K, V>(memo: Map<K, V>, key: K, value: V): V {
  if (memo.size >= LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

const isoDays = new Map<string, Day>();

/** The day of an ISO date string, as `Temporal.PlainDate.from` reads it. */
export function dayFromIso(iso: string): Day {
  return isoDays.get(iso) ?? remember(isoDays, iso, dayOf(Temporal.PlainDate.from(iso)));
}

const shifted = new Map<string, Day>();

/** `from` plus whole days, weeks or months, as `Temporal.PlainDate.add` counts them. */
export function addToDay(from: Day, amount: number, unit: 'days' | 'weeks' | 'months'): Day {
  const key = `${from.iso}+${amount}${unit}`;
  const hit = shifted.get(key);
  if (hit) return hit;
  const date =
    unit === 'days'
      ? from.date.add({ days: amount })
      : unit === 'weeks'
        ? from.date.add({ weeks: amount })
        : from.date.add({ months: amount });
  return remember(shifted, key, dayOf(date));
}

interface CalendarMemo {
  /** Local dates of submission instants, by instant object, then by epoch nanoseconds. */
  instants: WeakMap<Temporal.Instant, Day>;
  submitted: Map<bigint, Day>;
  /** Deadlines of `businessDaysAfter(submission, n)`, by the submission's local date and n. */
  afterSubmission: Map<string, Day>;
  /** `nthBusinessDayAfter(day, n)`, by day and n. */
  nth: Map<string, Day>;
}

const memos = new WeakMap<BusinessCalendar, CalendarMemo>();
function memoOf(calendar: BusinessCalendar): CalendarMemo {
  let memo = memos.get(calendar);
  if (!memo) {
    memo = { instants: new WeakMap(), submitted: new Map(), afterSubmission: new Map(), nth: new Map() };
    memos.set(calendar, memo);
  }
  return memo;
}

/** The calendar day of an instant in the company's time zone (`localDate`). */
export function localDay(at: Temporal.Instant, calendar: BusinessCalendar): Day {
  const memo = memoOf(calendar);
  let day = memo.instants.get(at);
  if (!day) {
    const ns = at.epochNanoseconds;
    day = memo.submitted.get(ns) ?? remember(memo.submitted, ns, dayOf(localDate(at, calendar)));
    memo.instants.set(at, day);
  }
  return day;
}

/**
 * The date of `businessDaysAfter(at, n)`: it counts from the instant's local date only, so it is
 * remembered by that date.
 */
export function businessDaysAfterDay(at: Temporal.Instant, n: number, calendar: BusinessCalendar): Day {
  const memo = memoOf(calendar).afterSubmission;
  const key = `${localDay(at, calendar).iso}+${n}`;
  return (
    memo.get(key) ?? remember(memo, key, dayOf(nthBusinessDayAfter(localDay(at, calendar).date, n, calendar)))
  );
}

/** `nthBusinessDayAfter(from, n)`; n = 1 is `nextBusinessDay`. */
export function nthBusinessDay(from: Day, n: number, calendar: BusinessCalendar): Day {
  const memo = memoOf(calendar).nth;
  const key = `${from.iso}+${n}`;
  return memo.get(key) ?? remember(memo, key, dayOf(nthBusinessDayAfter(from.date, n, calendar)));
}
