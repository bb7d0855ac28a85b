import { type BusinessCalendar, businessCalendar } from '../domain/calendar/index.ts';
import type { Playbook } from '../domain/playbook/index.ts';
import { AppError } from './errors.ts';
import { zoneOffsetFromDate } from './zone-offset.ts';

const calendars = new WeakMap<Playbook, BusinessCalendar>();

/**
 * The business calendar a playbook describes, built once per playbook. Its time zone was checked when the
 * playbook was loaded (the built-in one's by a test), so local dates are read through Date, not Intl.
 */
export function calendarFor(playbook: Playbook): BusinessCalendar {
  let calendar = calendars.get(playbook);
  if (!calendar) {
    try {
      calendar = businessCalendar(playbook.calendar, { zoneOffset: zoneOffsetFromDate });
    } catch (e) {
      throw new AppError(
        'bad-input',
        `the playbook's calendar is not usable: ${(e as Error).message}`,
        'calendar',
      );
    }
    calendars.set(playbook, calendar);
  }
  return calendar;
}
