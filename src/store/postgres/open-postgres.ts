import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema.ts';

const int8Oid = 20;

/**
 * pg returns bigint (int8) as a string; positions, seqs and counts fit a JS number, so parse them as one.
 * Set on this pool only, so other pg users in the process keep their own parsing.
 */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid !== int8Oid || format === 'binary') return pg.types.getTypeParser(oid, format);
    return (text: string) => {
      const value = Number(text);
      if (!Number.isSafeInteger(value)) throw new RangeError(`${text} does not fit a JS number`);
      return value;
    };
  }) as pg.CustomTypesConfig['getTypeParser'],
};

const schemaName = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export interface PostgresOptions {
  connectionString: string;
  /** Every connection's search_path; tests use a schema of their own. Letters, digits and `_`. */
  schema?: string;
}

export function openPostgres({ connectionString, schema }: PostgresOptions): Kysely<Database> {
  if (schema !== undefined && !schemaName.test(schema)) {
    throw new RangeError(`${JSON.stringify(schema)} is not a plain schema name (letters, digits, _)`);
  }
  const pool = new pg.Pool({ connectionString, types: typeParsers, max: 10 });
  // An idle client that loses its server is dropped by the pool; without a listener the 'error' event
  // would end the process. The next query checks out a new client and reports any failure itself.
  pool.on('error', () => {});
  return new Kysely<Database>({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: schema
        ? async (connection) => {
            await connection.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`));
          }
        : undefined,
    }),
  });
}

/** Creates the schema unless it exists; a transaction-scoped advisory lock keeps two openers from racing. */
export async function createSchemaIfMissing(db: Kysely<Database>, schema: string): Promise<void> {
  if (!schemaName.test(schema)) throw new RangeError(`${JSON.stringify(schema)} is not a plain schema name`);
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`baton:create-schema:${schema}`}))`.execute(trx);
    await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
  });
}

/** The URL with any password replaced by `***`, for messages and `location`. */
export function maskDatabaseUrl(databaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    // Not parseable, so we cannot tell where a password might be: show only the scheme.
    return `${databaseUrl.split(':')[0]}://(unparseable URL)`;
  }
  if (url.password) url.password = '***';
  for (const key of [...url.searchParams.keys()]) {
    if (/pass|secret|key/i.test(key)) url.searchParams.set(key, '***');
  }
  return url.toString();
}
