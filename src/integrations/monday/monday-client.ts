/**
 * monday.com's GraphQL API over fetch, with an explicit API version (the `API-Version` header: monday.com
 * changes the schema per version). monday.com reports most errors with HTTP 200 and an `errors` array
 * (and older ones as top-level `error_code`/`error_message`), rate limits with `retry_in_seconds` or a
 * Retry-After header: all of them become IntegrationErrors that say whether retrying can help.
 */
import { IntegrationError, retryAfterHeaderMs } from '../integration-error.ts';

export const defaultMondayApiUrl = 'https://api.monday.com/v2';
export const defaultMondayApiVersion = '2025-10';

export interface MondayClientOptions {
  token: string;
  apiUrl?: string;
  apiVersion?: string;
  timeoutMs?: number;
}

export interface MondayClient {
  /** Runs one query; `effectId` is sent as X-Baton-Effect-Id so a request can be traced to its effect. */
  request<T>(query: string, variables?: Record<string, unknown>, effectId?: string): Promise<T>;
}

interface MondayErrorEntry {
  message?: string;
  extensions?: { code?: string; status_code?: number; retry_in_seconds?: number; error_data?: unknown };
}

interface MondayBody {
  data?: unknown;
  errors?: MondayErrorEntry[] | string[];
  error_code?: string;
  error_message?: string;
  status_code?: number;
  error_data?: { retry_in_seconds?: number };
}

/** Codes monday.com uses for limits and its own trouble: waiting helps. */
const retryableCodes = new Set([
  'COMPLEXITY_BUDGET_EXHAUSTED',
  'ComplexityException',
  'RATE_LIMIT_EXCEEDED',
  'Rate Limit Exceeded',
  'DAILY_LIMIT_EXCEEDED',
  'FIELD_LIMIT_EXCEEDED',
  'maxConcurrencyExceeded',
  'CONCURRENCY_LIMIT_EXCEEDED',
  'IP_RATE_LIMIT_EXCEEDED',
  'INTERNAL_SERVER_ERROR',
  'API_TEMPORARILY_BLOCKED',
]);

const hints: Record<string, string> = {
  UserUnauthorizedException: 'the token may not do this; check MONDAY_API_TOKEN and the board permissions',
  USER_UNAUTHORIZED: 'the token may not do this; check MONDAY_API_TOKEN and the board permissions',
  InvalidBoardIdException: 'no such board; check monday.boardId in the config file',
  InvalidItemIdException: 'no such item; check the packet deal ID',
  InvalidColumnIdException: 'no such column; check monday.columns in the config file',
  ColumnValueException: 'the column refused the value; check the column ids and the status label',
  ResourceNotFoundException: 'not found',
  DAILY_LIMIT_EXCEEDED: 'the daily call limit is used up; it resets at midnight UTC',
};

/** Milliseconds to the next midnight UTC: when monday.com's daily limit resets. */
function untilMidnightUtc(nowMs: number): number {
  const next = new Date(nowMs);
  next.setUTCHours(24, 0, 0, 0);
  return next.getTime() - nowMs;
}

function classify(
  body: MondayBody,
  headerRetryMs: number | undefined,
  httpStatus: number,
): IntegrationError | undefined {
  const entries: {
    code: string | undefined;
    message: string;
    status: number | undefined;
    retryIn: number | undefined;
  }[] = [];
  if (Array.isArray(body.errors))
    for (const e of body.errors) {
      if (typeof e === 'string')
        entries.push({
          code: body.error_code,
          message: e,
          status: body.status_code,
          retryIn: body.error_data?.retry_in_seconds,
        });
      else {
        const data = e.extensions?.error_data as { retry_in_seconds?: number } | undefined;
        entries.push({
          code: e.extensions?.code,
          message: e.message ?? 'error',
          status: e.extensions?.status_code,
          retryIn: e.extensions?.retry_in_seconds ?? data?.retry_in_seconds,
        });
      }
    }
  if (entries.length === 0 && (body.error_code || body.error_message))
    entries.push({
      code: body.error_code,
      message: body.error_message ?? body.error_code ?? 'error',
      status: body.status_code,
      retryIn: body.error_data?.retry_in_seconds,
    });
  if (entries.length === 0) return undefined;
  const retryable = entries.every(
    (e) => (e.code !== undefined && retryableCodes.has(e.code)) || e.status === 429 || (e.status ?? 0) >= 500,
  );
  const first = entries[0]!;
  const seconds = Math.max(0, ...entries.map((e) => e.retryIn ?? 0));
  let retryAfterMs = seconds > 0 ? seconds * 1000 : headerRetryMs;
  if (retryAfterMs === undefined && first.code === 'DAILY_LIMIT_EXCEEDED')
    retryAfterMs = untilMidnightUtc(Date.now());
  const hint = first.code ? hints[first.code] : undefined;
  const text = `monday.com: ${first.code ? `${first.code}: ` : ''}${first.message}${hint ? ` (${hint})` : ''}${entries.length > 1 ? ` (+${entries.length - 1} more)` : ''}`;
  return new IntegrationError('monday', httpStatus === 200 ? text : `${text} [HTTP ${httpStatus}]`, {
    retryable,
    ...(first.code ? { code: first.code } : {}),
    ...(retryable && retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

export function createMondayClient(options: MondayClientOptions): MondayClient {
  const url = options.apiUrl ?? defaultMondayApiUrl;
  const version = options.apiVersion ?? defaultMondayApiVersion;
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    async request<T>(query: string, variables: Record<string, unknown> = {}, effectId?: string): Promise<T> {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json',
            Authorization: options.token,
            'API-Version': version,
            ...(effectId ? { 'X-Baton-Effect-Id': effectId } : {}),
          },
          body: JSON.stringify({ query, variables }),
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const e = error as Error & { cause?: { code?: string } };
        const why = e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.message);
        throw new IntegrationError('monday', `monday.com: could not reach ${new URL(url).host} (${why})`, {
          retryable: true,
          code: 'request_error',
        });
      }
      const headerRetryMs = retryAfterHeaderMs(response.headers.get('retry-after'));
      let body: MondayBody | undefined;
      let raw = '';
      try {
        raw = await response.text();
        body = raw ? (JSON.parse(raw) as MondayBody) : undefined;
      } catch (error) {
        if ((error as Error).name !== 'SyntaxError')
          throw new IntegrationError(
            'monday',
            `monday.com: the answer was cut off (${(error as Error).message})`,
            {
              retryable: true,
              code: 'request_error',
            },
          );
      }
      const classified = body ? classify(body, headerRetryMs, response.status) : undefined;
      if (response.status === 401 || response.status === 403)
        throw new IntegrationError(
          'monday',
          `monday.com: HTTP ${response.status}: the token was refused; check MONDAY_API_TOKEN`,
          { retryable: false, code: `http_${response.status}` },
        );
      if (response.status === 429 || response.status >= 500 || response.status === 408) {
        if (classified?.retryable) throw classified;
        throw new IntegrationError('monday', `monday.com: HTTP ${response.status}`, {
          retryable: true,
          code: `http_${response.status}`,
          ...(headerRetryMs !== undefined ? { retryAfterMs: headerRetryMs } : {}),
        });
      }
      if (classified) throw classified;
      if (response.status !== 200 || !body || body.data === undefined || body.data === null)
        throw new IntegrationError(
          'monday',
          `monday.com: HTTP ${response.status} without data${response.status === 404 ? ' (check BATON_MONDAY_API_URL)' : ''}`,
          { retryable: false, code: `http_${response.status}` },
        );
      return body.data as T;
    },
  };
}
