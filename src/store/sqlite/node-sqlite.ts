import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * node:sqlite, loaded so that Node releases which still flag it experimental do not print that warning
 * to every CLI user. Only the one warning about SQLite is dropped, and only while the module loads.
 */
function loadNodeSqlite(): typeof import('node:sqlite') {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const isSqliteExperimental =
      (type === 'ExperimentalWarning' ||
        (warning instanceof Error && warning.name === 'ExperimentalWarning')) &&
      /sqlite/i.test(text);
    if (isSqliteExperimental) return;
    Reflect.apply(emitWarning, process, [warning, ...rest]);
  }) as typeof process.emitWarning;
  try {
    return process.getBuiltinModule('node:sqlite');
  } finally {
    process.emitWarning = emitWarning;
  }
}

export const { DatabaseSync: NodeDatabaseSync } = loadNodeSqlite();

/** Statements prepared once per SQL text: kysely compiles the same text for every append. */
const statementCacheSize = 200;

/**
 * The subset of better-sqlite3 that kysely's SqliteDialect drives, over a node:sqlite DatabaseSync.
 * kysely passes parameters as one array; node:sqlite wants them spread.
 */
export function kyselySqliteDatabase(database: DatabaseSync): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare(text: string): SqliteStatement {
      const cached = cache.get(text);
      if (cached) return cached;
      const statement = adapt(database, text);
      if (cache.size >= statementCacheSize) cache.delete(cache.keys().next().value!);
      cache.set(text, statement);
      return statement;
    },
  };
}

function adapt(database: DatabaseSync, text: string): SqliteStatement {
  const statement: StatementSync = database.prepare(text);
  return {
    // Anything that yields columns (select, pragma, insert … returning) is read with all().
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...(parameters as SQLInputValue[])),
    run: (parameters) => statement.run(...(parameters as SQLInputValue[])),
    // A fresh statement per stream, so a cached one is never reset under an open iterator.
    iterate: (parameters) => database.prepare(text).iterate(...(parameters as SQLInputValue[])),
  };
}
