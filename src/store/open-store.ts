import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { migrate } from './migrations/index.ts';
import { createSchemaIfMissing, maskDatabaseUrl, openPostgres } from './postgres/open-postgres.ts';
import { openSqlite } from './sqlite/open-sqlite.ts';
import type { Db, Dialect, Store } from './types.ts';

export interface StoreOptions {
  /** The knowledge root; SQLite lives at `<root>/.baton/baton.db`. */
  root: string;
  /** `postgres://…` or `postgresql://…` selects Postgres; anything else (or nothing) SQLite. */
  databaseUrl?: string;
  /** Postgres only: the schema to use (created if missing); default the server's search_path. */
  schema?: string;
}

export function isPostgresUrl(databaseUrl: string | undefined): databaseUrl is string {
  return databaseUrl !== undefined && /^postgres(ql)?:\/\//i.test(databaseUrl);
}

/** Opens the store and brings its schema up to date. */
export async function openStore({ root, databaseUrl, schema }: StoreOptions): Promise<Store> {
  let db: Db;
  let dialect: Dialect;
  let location: string;
  if (isPostgresUrl(databaseUrl)) {
    dialect = 'postgres';
    db = openPostgres({ connectionString: databaseUrl, schema });
    location = maskDatabaseUrl(databaseUrl) + (schema ? ` (schema ${schema})` : '');
  } else {
    dialect = 'sqlite';
    const folder = join(resolve(root), '.baton');
    mkdirSync(folder, { recursive: true });
    location = join(folder, 'baton.db');
    db = openSqlite(location);
  }
  try {
    if (dialect === 'postgres' && schema) await createSchemaIfMissing(db, schema);
    await migrate(db, dialect);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    db,
    dialect,
    location,
    close: () => {
      closing ??= db.destroy();
      return closing;
    },
  };
}
