import { PostgresIntrospector } from 'kysely';
import type { Db, Dialect } from './types.ts';

/** Which dialect a kysely instance (or transaction) speaks, found through its public introspector. */
export function dialectOf(db: Db): Dialect {
  return db.introspection instanceof PostgresIntrospector ? 'postgres' : 'sqlite';
}
