import { Temporal } from 'temporal-polyfill';
import { calendarFor } from '../../app/calendar-for.ts';
import { AppError } from '../../app/errors.ts';
import { businessDaysAfter, formatDeadline, toInstant } from '../../domain/calendar/index.ts';
import type { Playbook } from '../../domain/playbook/index.ts';

export function dueDate(playbook: Playbook, from: string, days: string) {
  if (!/^\d+$/.test(days.trim()))
    throw new AppError(
      'bad-input',
      `--days ${JSON.stringify(days)} must be a whole number, 0 or more`,
      '--days',
    );
  const n = Number(days);
  const calendar = calendarFor(playbook);
  let event: Temporal.Instant | Temporal.PlainDate;
  try {
    event = /^\d{4}-\d{2}-\d{2}$/.test(from.trim())
      ? Temporal.PlainDate.from(from.trim())
      : toInstant(from.trim());
  } catch (e) {
    throw new AppError('bad-input', `--from ${JSON.stringify(from)}: ${(e as Error).message}`, '--from');
  }
  const due = businessDaysAfter(event, n, calendar);
  return {
    from: event.toString(),
    days: n,
    due: formatDeadline(due),
    weekday: due.toPlainDate().toLocaleString('en-US', { weekday: 'long' }),
    timeZone: playbook.calendar.timeZone,
  };
}
