import type { SQLInputValue } from 'node:sqlite';
import {
  CompiledQuery,
  createQueryId,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  IdentifierNode,
  Kysely,
  type QueryCompiler,
  RawNode,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type TransactionSettings,
} from 'kysely';
import type { Database } from '../schema.ts';
import type { Db } from '../types.ts';
import { NodeDatabaseSync, NodeSqliteConnection } from './node-sqlite.ts';

/**
 * kysely's SQLite driver, over our one node:sqlite connection. Write transactions start with BEGIN
 * IMMEDIATE: a deferred BEGIN that reads and then writes has to upgrade its lock, and two processes doing
 * that at once fail with SQLITE_BUSY instead of waiting. `db.transaction().setAccessMode('read only')`
 * keeps a plain BEGIN for read-only work. kysely serialises use of the connection (the adapter says it
 * cannot have more than one).
 */
class NodeSqliteDriver implements Driver {
  readonly #connection: NodeSqliteConnection;
  constructor(connection: NodeSqliteConnection) {
    this.#connection = connection;
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection;
  }
  async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    const begin = settings?.accessMode === 'read only' ? 'begin' : 'begin immediate';
    await connection.executeQuery(CompiledQuery.raw(begin));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await connection.executeQuery(compile(savepointCommand('savepoint', name), createQueryId()));
  }
  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await connection.executeQuery(compile(savepointCommand('rollback to', name), createQueryId()));
  }
  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await connection.executeQuery(compile(savepointCommand('release', name), createQueryId()));
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    this.#connection.close();
  }
}

function savepointCommand(command: string, name: string): RawNode {
  return RawNode.createWithChildren([RawNode.createWithSql(`${command} `), IdentifierNode.create(name)]);
}

/**
 * SQLite does roll back DDL; saying so makes kysely's migrator run in a (BEGIN IMMEDIATE) transaction,
 * which is also what serialises two processes migrating the same file. Its class also marks a kysely
 * instance as ours, whose connection is a NodeSqliteConnection (see onSqliteConnection).
 */
class NodeSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class NodeSqliteDialect implements Dialect {
  readonly #connection: NodeSqliteConnection;
  constructor(connection: NodeSqliteConnection) {
    this.#connection = connection;
  }
  createDriver(): Driver {
    return new NodeSqliteDriver(this.#connection);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new NodeSqliteAdapter();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
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

/** The connection under each kysely instance openSqlite made (not its transactions, nor its copies with plugins). */
const connectionOf = new WeakMap<object, NodeSqliteConnection>();

/** Opens (creating if need be) the SQLite file; one connection, which kysely serialises. */
export function openSqlite(file: string): Kysely<Database> {
  const database = new NodeDatabaseSync(file);
  try {
    for (const pragma of sqlitePragmas) database.exec(pragma);
  } catch (error) {
    database.close();
    throw error;
  }
  const connection = new NodeSqliteConnection(database, file === ':memory:' ? undefined : file);
  const db = new Kysely<Database>({ dialect: new NodeSqliteDialect(connection) });
  connectionOf.set(db, connection);
  return db;
}

/**
 * The rows of a compiled select, read at once from SQLite's connection, for hot read paths (a cached
 * status costs one such query): kysely's executor spends several times the query's own cost acquiring and
 * releasing the one connection (a mutex and a dozen promises). Undefined when that could differ from
 * kysely running it, so the caller runs it through kysely: not a store openSqlite made (Postgres, a
 * transaction, a copy with plugins), not a select, or a transaction open on the connection (its
 * uncommitted writes would show; kysely waits for it to end). The read is synchronous, so nothing else
 * can use the connection meanwhile.
 */
export function selectOnSqlite<R>(
  db: Db,
  query: CompiledQuery<R>,
  parameters: readonly unknown[] = query.parameters,
): R[] | undefined {
  const connection = connectionOf.get(db);
  if (!connection || connection.database.isTransaction || !SelectQueryNode.is(query.query)) return undefined;
  return connection.statement(query.sql).all(...(parameters as SQLInputValue[])) as R[];
}

/**
 * A mark that changes whenever anything is committed to the store, by any process (see
 * NodeSqliteConnection.changeMark); undefined where there is no such mark (Postgres, a SQLite file not in
 * WAL mode): ask the database then. Take the mark before the read it vouches for.
 */
export function sqliteChangeMark(db: Db): Buffer | undefined {
  return connectionOf.get(db)?.changeMark();
}

/**
 * Runs fn with the node:sqlite connection of a SQLite transaction, holding it as the transaction's own
 * queries do (so kysely's check that the transaction is still open applies too), for hot paths that
 * would rather run prepared statements than build queries; fn is synchronous, as node:sqlite is. Undefined when trx is not such a transaction
 * (Postgres, or a kysely instance outside a transaction or with plugins): use kysely then.
 */
export function onSqliteConnection<T>(
  trx: Db,
  fn: (connection: NodeSqliteConnection) => T,
): Promise<T> | undefined {
  if (!trx.isTransaction) return undefined;
  const executor = trx.getExecutor();
  if (!(executor.adapter instanceof NodeSqliteAdapter) || executor.plugins.length > 0) return undefined;
  return executor.provideConnection(async (connection): Promise<T> => {
    if (!(connection instanceof NodeSqliteConnection)) throw new Error('not a node:sqlite connection');
    return fn(connection);
  });
}
