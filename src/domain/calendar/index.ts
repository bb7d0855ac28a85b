export type { BusinessCalendar, CalendarOptions, Holiday, Instant, ZoneOffset } from './calendar.ts';
export {
  businessCalendar,
  businessDaysAfter,
  businessDaysBetween,
  businessHoursBetween,
  formatDeadline,
  holidaysInYear,
  localDate,
  nextBusinessDay,
  nthBusinessDayAfter,
  toInstant,
} from './calendar.ts';
export type { CalendarConfig, HolidayConfig } from './types.ts';
export type {
  FixedDateRule,
  HolidayRule,
  LastWeekdayRule,
  NthWeekdayRule,
  ObservedShift,
} from './us-federal-holidays.ts';
export { HOLIDAY_REGIONS, US_FEDERAL_HOLIDAYS } from './us-federal-holidays.ts';
