import type { SQLInputValue } from 'node:sqlite';
import { type Selectable, sql } from 'kysely';
import { dialectOf } from './dialect-of.ts';
import { assertIsoInstant } from './instant.ts';
import type { OutboxTable } from './schema.ts';
import { type NodeSqliteConnection, sqlTextsByCount } from './sqlite/node-sqlite.ts';
import { onSqliteConnection } from './sqlite/open-sqlite.ts';
import { withTransaction } from './transaction.ts';
import type { Db, Effect, EffectStatus, NewEffect, Trx } from './types.ts';

/**
 * Records effects to carry out once the transaction that appends their event commits. An id that is
 * already there is skipped, so enqueuing the same effects again does nothing. Returns how many were new.
 */
export async function enqueueEffects(
  trx: Trx,
  stream: string,
  effects: readonly NewEffect[],
  now: string,
): Promise<number> {
  assertIsoInstant('now', now);
  if (effects.length === 0) return 0;
  const direct = onSqliteConnection(trx, (connection) => enqueueOnSqlite(connection, stream, effects, now));
  if (direct) return direct;
  const result = await trx
    .insertInto('outbox')
    .values(
      effects.map((effect) => ({
        id: effect.id,
        stream,
        kind: effect.kind,
        payload: JSON.stringify(effect.payload),
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
      })),
    )
    .onConflict((conflict) => conflict.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** enqueueEffects on SQLite: the same insert as a prepared statement on the transaction's connection. */
function enqueueOnSqlite(
  connection: NodeSqliteConnection,
  stream: string,
  effects: readonly NewEffect[],
  now: string,
): number {
  const parameters: SQLInputValue[] = [];
  for (const effect of effects) {
    parameters.push(effect.id, stream, effect.kind, JSON.stringify(effect.payload), now, now);
  }
  return Number(connection.statement(sqliteEnqueueSql(effects.length)).run(...parameters).changes);
}

const sqliteEnqueueSql = sqlTextsByCount(
  (count) =>
    'insert into outbox (id, stream, kind, payload, status, attempts, next_attempt_at, created_at) values ' +
    `${Array(count).fill("(?, ?, ?, ?, 'pending', 0, ?, ?)").join(', ')} on conflict (id) do nothing`,
);

export interface ClaimOptions {
  now: string;
  limit: number;
  /** Who is claiming; only this worker may then complete or fail the effect. */
  worker: string;
  /** How long the claim holds; after it another worker may take the effect over. */
  leaseMs: number;
  /** Only effects of these kinds (e.g. the CLI carries out its own `file.write` at once). */
  kinds?: string[];
}

/**
 * Claims up to `limit` effects that are due: pending, next attempt reached, lease free or expired, and
 * first in line in their stream and kind (no earlier pending effect of the same stream and kind, whether waiting, claimed
 * or between retries; dead ones do not hold the line). On Postgres the rows are locked with SKIP LOCKED,
 * so dispatchers in several processes never claim the same effect; on SQLite the write transaction
 * already runs alone.
 */
export async function claimEffects(
  db: Db,
  { now, limit, worker, leaseMs, kinds }: ClaimOptions,
): Promise<Effect[]> {
  assertIsoInstant('now', now);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be >= 1, not ${limit}`);
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError(`leaseMs must be > 0, not ${leaseMs}`);
  const claimedUntil = new Date(Date.parse(now) + leaseMs).toISOString();
  const postgres = dialectOf(db) === 'postgres';
  return withTransaction(db, async (trx) => {
    const due = await trx
      .selectFrom('outbox as o')
      .select('o.id')
      .where('o.status', '=', 'pending')
      .where('o.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('o.claimed_until', 'is', null), eb('o.claimed_until', '<=', now)]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('outbox as earlier')
              .select(sql.lit(1).as('one'))
              .whereRef('earlier.stream', '=', 'o.stream')
              .whereRef('earlier.kind', '=', 'o.kind')
              .where('earlier.status', '=', 'pending')
              .whereRef('earlier.seq', '<', 'o.seq'),
          ),
        ),
      )
      .$if(kinds !== undefined, (query) => query.where('o.kind', 'in', kinds?.length ? kinds : ['']))
      .orderBy('o.seq')
      .limit(limit)
      .$if(postgres, (query) => query.forUpdate('o').skipLocked())
      .execute();
    if (due.length === 0) return [];
    const rows = await trx
      .updateTable('outbox')
      .set({ claimed_by: worker, claimed_until: claimedUntil })
      .where(
        'id',
        'in',
        due.map((r) => r.id),
      )
      .returningAll()
      .execute();
    return rows.map(toEffect).sort((a, b) => a.seq - b.seq);
  });
}

/** Marks a claimed effect done; false when this worker no longer holds it (another took it over). */
export async function completeEffect(db: Db, id: string, worker: string, now: string): Promise<boolean> {
  assertIsoInstant('now', now);
  const result = await db
    .updateTable('outbox')
    .set({ status: 'done', done_at: now, claimed_until: null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('claimed_by', '=', worker)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export type EffectFailure = { error: string; nextAttemptAt: string } | { error: string; dead: true };

/**
 * Records a failed attempt and releases the claim: the effect is tried again at `nextAttemptAt`, or given
 * up (`dead`) until someone retries it. False when this worker no longer holds it.
 */
export async function failEffect(
  db: Db,
  id: string,
  worker: string,
  failure: EffectFailure,
): Promise<boolean> {
  const dead = 'dead' in failure;
  if (!dead) assertIsoInstant('nextAttemptAt', failure.nextAttemptAt);
  const result = await db
    .updateTable('outbox')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      last_error: failure.error,
      claimed_by: null,
      claimed_until: null,
      ...(dead ? { status: 'dead' as const } : { next_attempt_at: failure.nextAttemptAt }),
    }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('claimed_by', '=', worker)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Puts a dead effect back in line, due now, keeping its attempt count and last error. */
export async function retryEffect(db: Db, id: string, now: string): Promise<boolean> {
  assertIsoInstant('now', now);
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: now, claimed_by: null, claimed_until: null })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Effects in enqueue order, optionally only one status or one stream. */
export async function listEffects(
  db: Db,
  { status, stream, limit }: { status?: EffectStatus; stream?: string; limit?: number } = {},
): Promise<Effect[]> {
  const rows = await db
    .selectFrom('outbox')
    .selectAll()
    .$if(status !== undefined, (query) => query.where('status', '=', status!))
    .$if(stream !== undefined, (query) => query.where('stream', '=', stream!))
    .orderBy('seq')
    .$if(limit !== undefined, (query) => query.limit(limit!))
    .execute();
  return rows.map(toEffect);
}

export async function effectById(db: Db, id: string): Promise<Effect | undefined> {
  const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toEffect(row);
}

function toEffect(row: Selectable<OutboxTable>): Effect {
  return {
    id: row.id,
    kind: row.kind,
    payload: JSON.parse(row.payload),
    stream: row.stream,
    seq: Number(row.seq),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    doneAt: row.done_at,
    claimedBy: row.claimed_by,
    claimedUntil: row.claimed_until,
  };
}
