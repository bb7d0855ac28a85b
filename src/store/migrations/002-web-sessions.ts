import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../types.ts';

/**
 * Dashboard sign-in sessions, and the indexes the dashboard's board reads by (each state's handoffs,
 * soonest deadline first). A session is known by the sha256 of its cookie value, so the table alone
 * cannot be used to sign in; the CSRF token is per session.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (col) => col.primaryKey())
    .addColumn('user_name', 'text', (col) => col.notNull())
    .addColumn('csrf_token', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .$call((table) => (dialect === 'sqlite' ? table.modifyEnd(sql`strict`) : table))
    .execute();
  await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();
  await db.schema.createIndex('sessions_user_name').on('sessions').column('user_name').execute();
  await db.schema
    .createIndex('handoffs_state_next_due')
    .on('handoffs')
    .columns(['state', 'next_due', 'sow'])
    .execute();
  await db.schema.createIndex('handoffs_next_due').on('handoffs').columns(['next_due', 'sow']).execute();
}
