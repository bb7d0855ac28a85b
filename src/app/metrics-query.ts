/**
 * The Chief of Staff's metrics as a query with a zod input schema, for interfaces generated from schemas
 * (MCP's `metrics` tool; the API can take the same schema). The period rules are governance's (periodOf).
 */
import { z } from 'zod';
import type { HandoffMetrics } from '../domain/metrics/index.ts';
import type { Baton } from './handoff-context.ts';
import { parseInput } from './packet-drafts.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD');

export const metricsInputSchema = z.strictObject({
  week: z
    .string()
    .regex(/^\d{4}-W\d{2}$/, 'an ISO week, e.g. 2026-W20')
    .optional()
    .describe('an ISO week in the company time zone (default: the current week)'),
  from: isoDate.optional().describe('or the first day of a range of dates, with to'),
  to: isoDate.optional().describe('the last day of the range, included'),
});

/** Handoff quality metrics of a week or a range of dates, from the event log. Anyone may read them. */
export async function metricsQuery(baton: Baton, input: unknown): Promise<HandoffMetrics> {
  const { week, from, to } = parseInput(metricsInputSchema, input);
  // Governance (metrics, retention, summaries) loads only when metrics are asked for.
  const { governanceMetrics } = await import('./governance.ts');
  return governanceMetrics(baton, {
    ...(week ? { week } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  });
}
