import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../types.ts';

/**
 * The embedded notification log (what Slack, monday.com or email would have received, when they are not
 * configured) and the delivery journal: one row per effect whose delivery was started, written before the
 * peer is called, so a later attempt knows an earlier one may have reached the peer (and checks first).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const strict = <T extends { modifyEnd(modifier: ReturnType<typeof sql>): T }>(table: T): T =>
    dialect === 'sqlite' ? table.modifyEnd(sql`strict`) : table;

  await db.schema
    .createTable('notifications')
    .$call((table) =>
      dialect === 'sqlite'
        ? table
            .addColumn('seq', 'integer', (col) => col.primaryKey().autoIncrement())
            .addColumn('id', 'text', (col) => col.notNull().unique())
        : table
            .addColumn('id', 'text', (col) => col.primaryKey())
            .addColumn('seq', 'bigint', (col) => col.notNull().unique().generatedAlwaysAsIdentity()),
    )
    .addColumn('stream', 'text', (col) => col.notNull())
    .addColumn('integration', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .$call(strict)
    .execute();
  await db.schema
    .createIndex('notifications_stream_seq')
    .on('notifications')
    .columns(['stream', 'seq'])
    .execute();

  await db.schema
    .createTable('outbox_deliveries')
    .addColumn('effect_id', 'text', (col) => col.primaryKey())
    .addColumn('starts', 'integer', (col) => col.notNull())
    .addColumn('first_started_at', 'text', (col) => col.notNull())
    .addColumn('last_started_at', 'text', (col) => col.notNull())
    .addColumn('last_worker', 'text', (col) => col.notNull())
    .$call(strict)
    .execute();
}
