import type { ZoneOffset } from '../domain/calendar/index.ts';

/**
 * A time zone's UTC offset at an instant, read through `Date` with `TZ` set for the call. Temporal (the
 * polyfill) reads it through Intl.DateTimeFormat, whose first use loads ICU's locale data: about 10 ms, a
 * quarter of `baton gate`'s start-up. `Date` reads the same time-zone data (V8's ICU time zone) without
 * it, in ~15 µs. Node re-reads the zone whenever process.env.TZ is assigned or deleted; it is put back
 * before this returns, and no other JavaScript runs in between. The zone must be a valid one (playbooks
 * are checked when loaded): for an unknown name Date silently uses UTC.
 */
export const zoneOffsetFromDate: ZoneOffset = (timeZone, epochMilliseconds) => {
  const saved = process.env.TZ;
  if (saved === timeZone) return 0 - new Date(epochMilliseconds).getTimezoneOffset();
  process.env.TZ = timeZone;
  try {
    return 0 - new Date(epochMilliseconds).getTimezoneOffset();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
};
