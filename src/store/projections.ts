import { projectionTables } from './schema.ts';
import type { Trx } from './types.ts';

/**
 * Empties the projection tables so the app can rebuild them by replaying the log, in the same
 * transaction. `users` is left alone: it holds credentials (token hashes) that the log need not carry,
 * and clearing it would lock everyone out.
 */
export async function clearProjections(trx: Trx): Promise<void> {
  for (const table of projectionTables) await trx.deleteFrom(table).execute();
}
