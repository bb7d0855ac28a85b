import type { Kysely } from 'kysely';

/**
 * The handoff list (the dashboard's board, `GET /api/handoffs`, `baton list`) is read soonest deadline
 * first, whole or by state: with these indexes its first page is read in order from the index instead of
 * sorting every handoff (100,000 of them in the bench).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('handoffs_next_due_sow').on('handoffs').columns(['next_due', 'sow']).execute();
  await db.schema
    .createIndex('handoffs_state_next_due_sow')
    .on('handoffs')
    .columns(['state', 'next_due', 'sow'])
    .execute();
}
