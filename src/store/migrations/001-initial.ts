import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../types.ts';

/**
 * The event log, the outbox and the projection tables. Shipped migrations never change; later issues add
 * files. SQLite tables are STRICT so a wrong type fails loudly instead of being stored as written.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const strict = <T extends { modifyEnd(modifier: ReturnType<typeof sql>): T }>(table: T): T =>
    dialect === 'sqlite' ? table.modifyEnd(sql`strict`) : table;

  await db.schema
    .createTable('events')
    .addColumn('position', dialect === 'sqlite' ? 'integer' : 'bigint', (col) =>
      dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey().generatedAlwaysAsIdentity(),
    )
    .addColumn('stream', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('personal', 'text')
    .addColumn('personal_digest', 'text')
    .addColumn('actor_role', 'text', (col) => col.notNull())
    .addColumn('actor_name', 'text', (col) => col.notNull())
    .addColumn('actor_via', 'text', (col) => col.notNull())
    .addColumn('actor_on_behalf_of', 'text')
    .addColumn('at', 'text', (col) => col.notNull())
    .addColumn('purged_at', 'text')
    .addColumn('prev_hash', 'text', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull())
    .addUniqueConstraint('events_stream_version_key', ['stream', 'version'])
    .$call(strict)
    .execute();

  // SQLite only autoincrements an INTEGER PRIMARY KEY, so there seq is the key and id is UNIQUE; on
  // Postgres id is the key and seq an identity. Either way `on conflict (id)` and `order by seq` work.
  await db.schema
    .createTable('outbox')
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
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('pending', 'done', 'dead')`))
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (col) => col.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('done_at', 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'text')
    .$call(strict)
    .execute();
  await db.schema
    .createIndex('outbox_status_next_attempt_at')
    .on('outbox')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema.createIndex('outbox_stream_seq').on('outbox').columns(['stream', 'seq']).execute();

  await db.schema
    .createTable('handoffs')
    .addColumn('sow', 'text', (col) => col.primaryKey())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('payment', 'text')
    .addColumn('opened_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('next_due', 'text')
    .addColumn('overdue', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('escalated', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('doc', 'text', (col) => col.notNull())
    .$call(strict)
    .execute();

  await db.schema
    .createTable('clocks')
    .addColumn('sow', 'text', (col) => col.notNull())
    .addColumn('clock', 'text', (col) => col.notNull())
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('started_at', 'text', (col) => col.notNull())
    .addColumn('due', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('open', 'met', 'missed')`))
    .addColumn('met_at', 'text')
    .addColumn('missed_at', 'text')
    .addPrimaryKeyConstraint('clocks_pkey', ['sow', 'clock', 'seq'])
    .$call(strict)
    .execute();
  await db.schema.createIndex('clocks_status_due').on('clocks').columns(['status', 'due']).execute();

  await db.schema
    .createTable('escalations')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('sow', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('open', 'resolved')`))
    .addColumn('opened_at', 'text', (col) => col.notNull())
    .addColumn('due', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('doc', 'text', (col) => col.notNull())
    .$call(strict)
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('sow', 'text', (col) => col.notNull())
    .addColumn('severity', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('open', 'closed')`))
    .addColumn('filed_at', 'text', (col) => col.notNull())
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('doc', 'text', (col) => col.notNull())
    .$call(strict)
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('disabled_at', 'text')
    .$call(strict)
    .execute();
}
