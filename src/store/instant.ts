// Exactly Date.prototype.toISOString(): the store compares timestamps as text, which only orders them if
// every one has this shape (Temporal's toString drops zero milliseconds, which would misorder them).
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function assertIsoInstant(name: string, value: string): void {
  if (!isoInstant.test(value)) {
    throw new RangeError(
      `${name} must be an ISO instant like 2026-05-14T14:00:00.000Z (Date#toISOString), not ${JSON.stringify(value)}`,
    );
  }
}
