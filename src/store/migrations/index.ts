import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import type { Dialect } from '../types.ts';
import * as initial from './001-initial.ts';

export interface StoreMigration {
  /** Sorts in application order: `NNN-what`. */
  name: string;
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/** In order. Append new migrations here; never edit one that has shipped. */
export const migrations: readonly StoreMigration[] = [{ name: '001-initial', up: initial.up }];

/**
 * Brings the schema up to date; a no-op when it already is. Each migration runs in a transaction that
 * holds a lock, so two processes migrating at once take turns and the second finds nothing to do: on
 * Postgres kysely's migrator holds a session advisory lock for the run; on SQLite our adapter runs it in
 * a BEGIN IMMEDIATE transaction, which is the database's write lock.
 */
export async function migrate<DB>(db: Kysely<DB>, dialect: Dialect): Promise<{ applied: string[] }> {
  const migrator = new Migrator({
    db,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(
          migrations.map((m): [string, Migration] => [m.name, { up: (db) => m.up(db, dialect) }]),
        ),
    },
    // kysely looks for its bookkeeping tables in every schema unless told which one; name ours, or a
    // second schema in the same database would find the first one's tables and skip creating its own.
    migrationTableSchema: dialect === 'postgres' ? await currentSchema(db) : undefined,
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
