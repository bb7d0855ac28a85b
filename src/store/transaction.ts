import type { Db, Trx } from './types.ts';

/**
 * Runs fn in a write transaction: BEGIN IMMEDIATE on SQLite, a plain BEGIN on Postgres. Inside a
 * transaction already, fn joins it. Inside fn use only the trx: on SQLite the one connection is held
 * by the transaction, so a query through the outer db would wait for it forever.
 */
export async function withTransaction<T>(db: Db, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Trx);
  return db.transaction().execute(fn);
}
