const months = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

export function monthNumber(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return undefined;
  const i = months.findIndex((m) => m.startsWith(w) && (w.length >= 3 || m === w));
  return i >= 0 ? i + 1 : undefined;
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month, as `new Date(Date.UTC(y, m, 0)).getUTCDate()` counts them (years 0-99 are 1900-1999). */
function daysIn(y: number, m: number): number {
  if (m !== 2) return monthDays[m - 1]!;
  const year = y >= 0 && y <= 99 ? 1900 + y : y;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

function iso(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1) return undefined;
  if (d > daysIn(y, m)) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export type DateReading = { date: string; time?: string } | { ambiguous: string } | undefined;

const monthWord =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const isoDate =
  /(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?(?![\d])/i;
const monthDayYear = new RegExp(`\\b${monthWord}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?\\b`, 'i');
const dayMonthYear = new RegExp(
  `\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${monthWord}(?:,?\\s+(\\d{4}))?\\b`,
  'i',
);
const anyDigit = /\d/;
const anySpace = /\s/;
const slashDate = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/;

/**
 * Finds the first date in a piece of text: ISO `2026-05-12` (optionally with a time and offset),
 * `May 12, 2026`, `12 May 2026`, or `5/12/2026` when day and month cannot be confused.
 * A date without a year takes `defaultYear`; when none is given it is not a date.
 */
export function findDate(
  text: string,
  defaultYear?: number,
): (NonNullable<DateReading> & { index?: number; length?: number }) | undefined {
  // Every form has digits.
  if (!anyDigit.test(text)) return undefined;
  // Each form is looked for only when the text has what it cannot do without: `-`, white space, `/`.
  const m1 = text.includes('-') ? isoDate.exec(text) : null;
  if (m1) {
    const date = iso(Number(m1[1]), Number(m1[2]), Number(m1[3]));
    if (date) {
      const time = m1[4] ? `${m1[4]}${m1[5] ?? ''}` : undefined;
      return time
        ? { date, time, index: m1.index, length: m1[0].length }
        : { date, index: m1.index, length: m1[0].length };
    }
  }
  const spaced = anySpace.test(text);
  const m2 = spaced ? monthDayYear.exec(text) : null;
  const m3 = spaced ? dayMonthYear.exec(text) : null;
  // The one found first (month-day-year on a tie).
  const named =
    m2 && (!m3 || m2.index <= m3.index)
      ? { m: m2, month: m2[1]!, day: m2[2]!, year: m2[3] }
      : m3
        ? { m: m3, month: m3[2]!, day: m3[1]!, year: m3[3] }
        : undefined;
  if (named) {
    const month = monthNumber(named.month);
    const year = named.year ? Number(named.year) : defaultYear;
    if (month && year !== undefined) {
      const date = iso(year, month, Number(named.day));
      if (date) return { date, index: named.m.index, length: named.m[0].length };
    }
  }
  const m4 = text.includes('/') ? slashDate.exec(text) : null;
  if (m4) {
    const a = Number(m4[1]);
    const b = Number(m4[2]);
    const y = Number(m4[3]);
    if (a > 12 && b <= 12) {
      const date = iso(y, b, a);
      if (date) return { date, index: m4.index, length: m4[0].length };
    } else if (b > 12 && a <= 12) {
      const date = iso(y, a, b);
      if (date) return { date, index: m4.index, length: m4[0].length };
    } else if (a !== b) {
      return { ambiguous: m4[0], index: m4.index, length: m4[0].length };
    } else {
      const date = iso(y, a, b);
      if (date) return { date, index: m4.index, length: m4[0].length };
    }
  }
  return undefined;
}
