import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import type { Dialect } from '../types.ts';
import * as initial from './001-initial.ts';
import * as webSessions from './002-web-sessions.ts';
import * as notifications from './003-notifications.ts';
import * as listOrder from './004-handoffs-list-order.ts';

export interface StoreMigration {
  /** Sorts in application order: `NNN-what`. */
  name: string;
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/** In order. Append new migrations here; never edit one that has shipped. */
export const migrations: readonly StoreMigration[] = [
  { name: '001-initial', up: initial.up },
  { name: '002-web-sessions', up: webSessions.up },
  { name: '003-notifications', up: notifications.up },
  { name: '004-handoffs-list-order', up: listOrder.up },
];

/**
 * The Postgres advisory lock (keyed by `hashtext` of this name) held while migrating. Anything that drops
 * a schema in the same database (tests do) takes it too: kysely's migrator starts by listing the tables
 * of every schema, and that query fails when another schema disappears under it.
 */
export const postgresMigrationLock = 'baton:migrate';

/**
 * Brings the schema up to date; a no-op when it already is. Two processes migrating at once take turns
 * and the second finds nothing to do: on Postgres both wait for an advisory lock (ours, held for the
 * whole run; kysely's migrator takes its own as well); on SQLite our adapter runs the migrations in a
 * BEGIN IMMEDIATE transaction, which is the database's write lock.
 */
export async function migrate<DB>(db: Kysely<DB>, dialect: Dialect): Promise<{ applied: string[] }> {
  if (dialect === 'sqlite') return runMigrator(db, dialect, undefined);
  // Lock and migrations on one connection, so the session lock covers exactly this run.
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtext(${postgresMigrationLock}))`.execute(connection);
    try {
      return await runMigrator(connection, dialect, await currentSchema(connection));
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${postgresMigrationLock}))`.execute(connection);
    }
  });
}

async function runMigrator<DB>(
  db: Kysely<DB>,
  dialect: Dialect,
  // kysely looks for its bookkeeping tables in every schema unless told which one; name ours, or a
  // second schema in the same database would find the first one's tables and skip creating its own.
  migrationTableSchema: string | undefined,
): Promise<{ applied: string[] }> {
  const migrator = new Migrator({
    db,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(
          migrations.map((m): [string, Migration] => [m.name, { up: (db) => m.up(db, dialect) }]),
        ),
    },
    migrationTableSchema,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(failed ? `migration ${failed} failed: ${message}` : `migrating failed: ${message}`, {
      cause: error,
    });
  }
  return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

async function currentSchema<DB>(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('the Postgres search_path names no existing schema');
  return schema;
}
