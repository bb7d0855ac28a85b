import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  Kysely,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type TransactionSettings,
} from 'kysely';
import type { Database } from '../schema.ts';
import { kyselySqliteDatabase, NodeDatabaseSync } from './node-sqlite.ts';

/**
 * Write transactions start with BEGIN IMMEDIATE: a deferred BEGIN that reads and then writes has to
 * upgrade its lock, and two processes doing that at once fail with SQLITE_BUSY instead of waiting.
 * `db.transaction().setAccessMode('read only')` keeps a plain BEGIN for read-only work.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(
    connection: DatabaseConnection,
    settings?: TransactionSettings,
  ): Promise<void> {
    const begin = settings?.accessMode === 'read only' ? 'begin' : 'begin immediate';
    await connection.executeQuery(CompiledQuery.raw(begin));
  }
}

/**
 * SQLite does roll back DDL; saying so makes kysely's migrator run in a (BEGIN IMMEDIATE) transaction,
 * which is also what serialises two processes migrating the same file.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class BatonSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** Durability and concurrency settings every connection gets; the bench's baseline uses the same. */
export const sqlitePragmas = [
  // First, so that even switching to WAL waits for another process instead of failing.
  'pragma busy_timeout = 5000',
  'pragma journal_mode = wal',
  // FULL: a committed transaction survives power loss, not just a crash of the process.
  'pragma synchronous = full',
  'pragma foreign_keys = on',
];

/** Opens (creating if need be) the SQLite file; one connection, which kysely serialises. */
export function openSqlite(file: string): Kysely<Database> {
  const database = new NodeDatabaseSync(file);
  try {
    for (const pragma of sqlitePragmas) database.exec(pragma);
  } catch (error) {
    database.close();
    throw error;
  }
  return new Kysely<Database>({
    dialect: new BatonSqliteDialect({ database: kyselySqliteDatabase(database) }),
  });
}
