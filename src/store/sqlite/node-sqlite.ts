import { closeSync, openSync, readSync } from 'node:fs';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { type CompiledQuery, type DatabaseConnection, type QueryResult, SelectQueryNode } from 'kysely';

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

/** The WAL-index header (sqlite.org/walformat.html): 48 bytes, which start with its format's version. */
const walIndexHeaderSize = 48;
const walIndexVersion = 3007000;

/** Statements prepared once per SQL text: kysely compiles the same text for every append. */
const statementCacheSize = 200;

interface Prepared {
  statement: StatementSync;
  /** Yields columns (select, pragma, insert … returning): read with all(). */
  reader: boolean;
}

/**
 * The one connection kysely drives over a node:sqlite DatabaseSync. The store's hot paths (event append,
 * enqueue) also run their own prepared statements on it directly, through `statement`, while their
 * transaction holds it (see onSqliteConnection).
 */
export class NodeSqliteConnection implements DatabaseConnection {
  readonly database: DatabaseSync;
  readonly #cache = new Map<string, Prepared>();
  /** The database file's path, when it is a file (for its WAL index). */
  readonly #file: string | undefined;
  /** The WAL index (`<file>-shm`), opened on first use; -1 where there is none to read. */
  #walIndex: number | undefined;
  readonly #header = Buffer.alloc(walIndexHeaderSize);

  constructor(database: DatabaseSync, file?: string) {
    this.database = database;
    this.#file = file;
  }

  /**
   * A mark that changes whenever any connection, in any process, commits: the header of SQLite's WAL index
   * (the first 48 bytes of the -shm file), whose change counter every commit increments. Reading it is one
   * pread, against a query's read transaction (locks on the database and the index). Undefined when it
   * cannot be read as such (not a file, not in WAL mode, another index format): ask the database then. A
   * header read while a commit writes it differs from the one before, so the worst a torn read does is
   * send the caller to the database once more.
   */
  changeMark(): Buffer | undefined {
    if (this.#walIndex === undefined) {
      try {
        this.#walIndex = this.#file ? openSync(`${this.#file}-shm`, 'r') : -1;
      } catch {
        this.#walIndex = -1;
      }
    }
    if (this.#walIndex < 0) return undefined;
    try {
      if (readSync(this.#walIndex, this.#header, 0, walIndexHeaderSize, 0) !== walIndexHeaderSize)
        return undefined;
    } catch {
      return undefined;
    }
    // iVersion, in the machine's byte order: the WAL-index format SQLite has used since 3.7.0.
    const version = this.#header.readUInt32LE(0);
    if (version !== walIndexVersion && this.#header.readUInt32BE(0) !== walIndexVersion) return undefined;
    return Buffer.from(this.#header);
  }

  /** The statement for this SQL text, prepared once (up to a few hundred texts are kept). */
  statement(text: string): StatementSync {
    return this.#prepared(text).statement;
  }

  #prepared(text: string): Prepared {
    const cached = this.#cache.get(text);
    if (cached) return cached;
    const statement = this.database.prepare(text);
    const prepared = { statement, reader: statement.columns().length > 0 };
    if (this.#cache.size >= statementCacheSize) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(text, prepared);
    return prepared;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { statement, reader } = this.#prepared(compiledQuery.sql);
    // kysely passes parameters as one array; node:sqlite wants them spread.
    const parameters = compiledQuery.parameters as SQLInputValue[];
    if (reader) return { rows: statement.all(...parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(...parameters);
    return { insertId: BigInt(lastInsertRowid), numAffectedRows: BigInt(changes), rows: [] };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query)) {
      throw new Error('Sqlite driver only supports streaming of select queries');
    }
    // A fresh statement per stream, so a cached one is never reset under an open iterator.
    const rows = this.database
      .prepare(compiledQuery.sql)
      .iterate(...(compiledQuery.parameters as SQLInputValue[]));
    for (const row of rows) yield { rows: [row as R] };
  }

  close(): void {
    this.#cache.clear();
    if (this.#walIndex !== undefined && this.#walIndex >= 0) closeSync(this.#walIndex);
    this.#walIndex = -1;
    this.database.close();
  }
}

/**
 * A multi-row statement's SQL text by row count, kept for the usual small counts: the same string each
 * time, whose hash V8 remembers, so the statement cache finds it quickly.
 */
export function sqlTextsByCount(build: (count: number) => string): (count: number) => string {
  const texts: string[] = [];
  return (count) => {
    if (count > 16) return build(count);
    texts[count] ??= build(count);
    return texts[count];
  };
}
