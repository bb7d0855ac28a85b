import { sql } from 'kysely';
import { assertIsoInstant } from './instant.ts';
import type { Db } from './types.ts';

export interface NewNotification {
  /** The effect's id: logging the same effect again does nothing. */
  id: string;
  stream: string;
  integration: string;
  kind: string;
  summary: string;
  payload: Record<string, unknown>;
}

export interface Notification extends NewNotification {
  seq: number;
  createdAt: string;
}

/** Adds an entry to the notification log; false when the effect was logged already (a redelivery). */
export async function logNotification(db: Db, entry: NewNotification, now: string): Promise<boolean> {
  assertIsoInstant('now', now);
  const result = await db
    .insertInto('notifications')
    .values({
      id: entry.id,
      stream: entry.stream,
      integration: entry.integration,
      kind: entry.kind,
      summary: entry.summary,
      payload: JSON.stringify(entry.payload),
      created_at: now,
    })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The log, newest first, optionally one handoff's or one integration's. */
export async function listNotifications(
  db: Db,
  { stream, integration, limit }: { stream?: string; integration?: string; limit?: number } = {},
): Promise<Notification[]> {
  const rows = await db
    .selectFrom('notifications')
    .selectAll()
    .$if(stream !== undefined, (query) => query.where('stream', '=', stream!))
    .$if(integration !== undefined, (query) => query.where('integration', '=', integration!))
    .orderBy('seq', 'desc')
    .$if(limit !== undefined, (query) => query.limit(limit!))
    .execute();
  return rows.map((row) => ({
    id: row.id,
    seq: Number(row.seq),
    stream: row.stream,
    integration: row.integration,
    kind: row.kind,
    summary: row.summary,
    payload: JSON.parse(row.payload),
    createdAt: row.created_at,
  }));
}

/** Removes one handoff's log entries (they quote contacts): for the retention purge. Returns how many. */
export async function purgeNotifications(db: Db, stream: string): Promise<number> {
  const result = await db.deleteFrom('notifications').where('stream', '=', stream).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** How many entries the log holds (cheap; for status lines). */
export async function countNotifications(db: Db): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
