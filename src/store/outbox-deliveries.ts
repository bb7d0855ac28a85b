import { assertIsoInstant } from './instant.ts';
import type { Db } from './types.ts';

/**
 * Journals that this worker is about to call the peer for an effect, before it does, and returns how many
 * deliveries of it were started before this one. A process that dies between the call and recording
 * the effect done leaves this row behind, so the next attempt knows the peer may already have it.
 */
export async function startDelivery(db: Db, effectId: string, worker: string, now: string): Promise<number> {
  assertIsoInstant('now', now);
  const row = await db
    .insertInto('outbox_deliveries')
    .values({
      effect_id: effectId,
      starts: 1,
      first_started_at: now,
      last_started_at: now,
      last_worker: worker,
    })
    .onConflict((conflict) =>
      conflict.column('effect_id').doUpdateSet((eb) => ({
        starts: eb('outbox_deliveries.starts', '+', 1),
        last_started_at: now,
        last_worker: worker,
      })),
    )
    .returning('starts')
    .executeTakeFirstOrThrow();
  return Number(row.starts) - 1;
}

/** Deliveries started for an effect so far (0 when none). */
export async function deliveryStarts(db: Db, effectId: string): Promise<number> {
  const row = await db
    .selectFrom('outbox_deliveries')
    .select('starts')
    .where('effect_id', '=', effectId)
    .executeTakeFirst();
  return row ? Number(row.starts) : 0;
}

/**
 * Gives claimed effects back without counting an attempt: the dispatcher claimed them, then chose not to
 * try them now (their integration just failed or asked to wait, or the lease is running out). They are
 * due again at `nextAttemptAt` (or when they were due, if later). False for any this worker no longer holds.
 */
export async function releaseEffects(
  db: Db,
  ids: readonly string[],
  worker: string,
  nextAttemptAt: string,
): Promise<number> {
  assertIsoInstant('nextAttemptAt', nextAttemptAt);
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('outbox')
    .set((eb) => ({
      claimed_by: null,
      claimed_until: null,
      next_attempt_at: eb
        .case()
        .when('next_attempt_at', '<', nextAttemptAt)
        .then(nextAttemptAt)
        .else(eb.ref('next_attempt_at'))
        .end(),
    }))
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .where('claimed_by', '=', worker)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
