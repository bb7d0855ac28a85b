// Local dates read through Date (TZ set for the call) against Temporal's, which read them through Intl.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import { calendarFor } from '../../src/app/calendar-for.ts';
import { zoneOffsetFromDate } from '../../src/app/zone-offset.ts';
import { businessCalendar, localDate } from '../../src/domain/calendar/index.ts';
import { builtInPlaybook } from '../../src/domain/playbook/index.ts';

const zones = [
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe', // a 30-minute DST shift
  'Asia/Kathmandu', // +05:45
  'America/St_Johns', // -03:30 with DST
  'Pacific/Apia', // skipped 2011-12-30 entirely
  'UTC',
];

describe('zone offsets read through Date', () => {
  it('are the offsets Temporal gives, every 7 hours and 1 minute from 2000 to 2040, around every DST change', () => {
    for (const zone of zones) {
      const step = 7 * 3_600_000 + 60_000;
      for (let ms = Date.UTC(2000, 0, 1); ms < Date.UTC(2040, 0, 1); ms += step) {
        const expected =
          Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).offsetNanoseconds / 6e10;
        assert.equal(zoneOffsetFromDate(zone, ms), expected, `${zone} at ${new Date(ms).toISOString()}`);
      }
    }
  });

  it('leave TZ as it was, set or not, and Date local time with it', () => {
    const saved = process.env.TZ;
    try {
      delete process.env.TZ;
      const before = new Date(Date.UTC(2026, 6, 1)).getTimezoneOffset();
      zoneOffsetFromDate('Asia/Kathmandu', 0);
      assert.equal(process.env.TZ, undefined);
      assert.equal(new Date(Date.UTC(2026, 6, 1)).getTimezoneOffset(), before);
      process.env.TZ = 'Asia/Tokyo';
      assert.equal(zoneOffsetFromDate('America/New_York', Date.UTC(2026, 6, 1)), -240);
      assert.equal(process.env.TZ, 'Asia/Tokyo');
      assert.equal(new Date(0).getTimezoneOffset(), -540);
      assert.equal(zoneOffsetFromDate('Asia/Tokyo', 0), 540);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('give the playbook calendar the local dates of the Temporal one, on both sides of midnight', () => {
    const playbook = builtInPlaybook();
    const fast = calendarFor(playbook);
    const reference = businessCalendar(playbook.calendar);
    for (const at of [
      '2026-05-14T03:59:59Z', // 23:59:59 EDT the day before
      '2026-05-14T04:00:00Z',
      '2026-01-14T04:59:59Z', // 23:59:59 EST
      '2026-01-14T05:00:00Z',
      '2026-03-08T06:59:59Z', // the spring-forward day
      '2026-11-01T05:30:00Z', // the repeated hour
    ]) {
      const instant = Temporal.Instant.from(at);
      assert.equal(localDate(instant, fast).toString(), localDate(instant, reference).toString(), at);
    }
  });
});
