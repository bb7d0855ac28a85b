/** Which peer an error came from. */
export type IntegrationName = 'slack' | 'monday' | 'email';

/**
 * What went wrong talking to a peer, in terms the outbox can act on: `retryable` (an outage, a timeout, a
 * rate limit) or not (a refused token, a payload the peer rejects), and when the peer said to come back.
 * Messages say what to fix and never carry a secret: the adapters build them from codes, not from requests.
 */
export class IntegrationError extends Error {
  readonly integration: IntegrationName;
  readonly retryable: boolean;
  /** The peer's own retry time (HTTP Retry-After, monday.com's retry_in_seconds), when it gave one. */
  readonly retryAfterMs: number | undefined;
  /** The peer's error code (`invalid_auth`, `ColumnValueException`, `EAUTH`...), when there is one. */
  readonly code: string | undefined;
  constructor(
    integration: IntegrationName,
    message: string,
    options: { retryable: boolean; retryAfterMs?: number; code?: string; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IntegrationError';
    this.integration = integration;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.code = options.code;
  }
}

/** Seconds from an HTTP Retry-After header (delta-seconds or an HTTP date), as milliseconds. */
export function retryAfterHeaderMs(
  value: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
