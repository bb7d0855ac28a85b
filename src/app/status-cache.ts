/**
 * A handoff's status for an actor, computed once per version, actor and second. Working out the status
 * (deadlines in business hours, what the actor may do) costs far more than reading the row, and the API
 * and the dashboard ask for the same handoff over and over. Every call still makes sure the handoff's
 * version is the one cached, so a change by any process shows at once: on SQLite, while nothing at all has
 * been committed since the last look (the WAL index's change mark), without a query; else by reading the
 * version. Only the clock-derived fields (hours left, overdue) may be up to a second old.
 */
import type { CompiledQuery } from 'kysely';
import type { ActorRef } from '../domain/workflow/index.ts';
import type { HandoffState } from '../domain/workflow/types.ts';
import { selectOnSqlite, sqliteChangeMark } from '../store/index.ts';
import { AppError } from './errors.ts';
import type { Baton } from './handoff-context.ts';
import { type StatusView, statusView } from './handoff-queries.ts';

interface Entry {
  version: number;
  second: number;
  view: StatusView;
  /** The store's change mark taken before `version` was last read, if it has one. */
  mark: Buffer | undefined;
}

interface Cache {
  entries: Map<string, Entry>;
  /**
   * `select version from handoffs where sow = ?`, compiled once: kysely builds and compiles a query on each
   * call, which costs more than running it; this one is run with the SOW as its only parameter.
   */
  versionQuery: CompiledQuery<{ version: number }>;
}

const maxEntries = 2_000;
const caches = new WeakMap<Baton, Cache>();

function cacheOf(baton: Baton): Cache {
  let cache = caches.get(baton);
  if (!cache) {
    cache = {
      entries: new Map(),
      versionQuery: baton.store.db.selectFrom('handoffs').select('version').where('sow', '=', '').compile(),
    };
    caches.set(baton, cache);
  }
  return cache;
}

/** The view is shared by every caller that hits the cache: frozen, so no caller can change it for the others. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

async function versionRows(baton: Baton, cache: Cache, sow: string): Promise<{ version: number }[]> {
  const query: CompiledQuery<{ version: number }> = { ...cache.versionQuery, parameters: [sow] };
  return (await baton.store.db.executeQuery(query)).rows;
}

export async function cachedHandoffStatus(
  baton: Baton,
  sowInput: string,
  actor: ActorRef,
): Promise<StatusView> {
  const sow = sowInput.trim().toUpperCase();
  const cache = cacheOf(baton);
  const key = `${sow}\u0000${actor.role}\u0000${actor.name}`;
  const hit = cache.entries.get(key);
  const second = Math.floor(baton.nowEpochMilliseconds() / 1000);
  // Taken before the reads below: a commit after it changes the mark, so the next call looks again.
  const mark = sqliteChangeMark(baton.store.db);
  if (hit && hit.second === second) {
    if (mark && hit.mark?.equals(mark)) return hit.view;
    // Only the version, not the whole document: this is the one query a cached answer costs (on SQLite
    // read at once from the connection when kysely would not have to wait for it).
    const rows =
      selectOnSqlite(baton.store.db, cache.versionQuery, [sow]) ?? (await versionRows(baton, cache, sow));
    if (rows[0]?.version === hit.version) {
      hit.mark = mark;
      return hit.view;
    }
  }
  const row = await baton.store.db
    .selectFrom('handoffs')
    .select(['version', 'doc'])
    .where('sow', '=', sow)
    .executeTakeFirst();
  if (!row) throw new AppError('not-found', `no handoff ${sow}; open it with baton open ${sow}`, 'SOW');
  const view = deepFreeze(statusView(baton, JSON.parse(row.doc) as HandoffState, actor));
  // Map keeps insertion order: re-inserting makes this the newest, and the oldest goes first when full.
  cache.entries.delete(key);
  if (cache.entries.size >= maxEntries) cache.entries.delete(cache.entries.keys().next().value as string);
  cache.entries.set(key, { version: row.version, second, view, mark });
  return view;
}
