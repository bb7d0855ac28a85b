/** How a company counts business days. Comes from the playbook; all times are wall-clock in `timeZone`. */
export interface CalendarConfig {
  /** IANA time zone, e.g. `America/New_York`. */
  timeZone: string;
  /** Close of business, `HH:MM` (24h). Deadlines fall at this time. */
  closeOfBusiness: string;
  /** Start of the business day, `HH:MM`; business hours run from here to `closeOfBusiness`. */
  startOfBusiness: string;
  /** Which days are holidays. */
  holidays: HolidayConfig;
}

export interface HolidayConfig {
  /** A built-in rule set: `US` (US federal holidays with observed-day rules) or `none`. */
  region: string;
  /** Extra holidays, ISO dates (`2026-12-24`); named `Company holiday`. */
  dates: string[];
  /**
   * Dates of the region's set that are worked all the same, ISO dates. Matched against the observed
   * date (`2026-07-03` for Independence Day 2026); they never turn a Saturday or Sunday into a business day.
   */
  workdays: string[];
}
