import { Temporal } from 'temporal-polyfill';

/** An instant as the store keeps it: UTC with milliseconds, so text order is time order. */
export function isoUtc(at: Temporal.Instant | string): string {
  const instant = typeof at === 'string' ? Temporal.Instant.from(at) : at;
  return instant.toString({ fractionalSecondDigits: 3 });
}
