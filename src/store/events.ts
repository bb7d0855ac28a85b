import type { SQLInputValue } from 'node:sqlite';
import type { Insertable, Selectable } from 'kysely';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { assertIsoInstant } from './instant.ts';
import type { EventsTable } from './schema.ts';
import { type NodeSqliteConnection, sqlTextsByCount } from './sqlite/node-sqlite.ts';
import { onSqliteConnection } from './sqlite/open-sqlite.ts';
import {
  type Actor,
  type ChainCheck,
  type ChainProblem,
  type Db,
  type NewEvent,
  type StoredEvent,
  type Trx,
  VersionConflict,
} from './types.ts';

/** The prevHash of a stream's first event. */
export const genesisHash = '0'.repeat(64);
/** What actor_name reads after purgePersonal. */
export const purgedActorName = '(purged)';

/**
 * The personal data an event carries (its `personal` object and the actor's name), reduced to a digest:
 * the chain hashes the digest, so purging the data later leaves every hash intact.
 */
export function personalDigestOf(personal: unknown, actorName: string): string {
  return sha256Hex(canonicalJson({ personal: personal ?? null, actorName }));
}

interface HashedEvent {
  stream: string;
  version: number;
  type: string;
  data: unknown;
  personalDigest: string | null;
  actor: { role: string; via: string; onBehalfOf: string | null };
  at: string;
  prevHash: string;
}

export function eventHash(event: HashedEvent): string {
  return sha256Hex(canonicalJson(event));
}

/**
 * Appends events to a stream whose current version must be `expectedVersion` (0 for a new stream), else
 * VersionConflict. Two appends racing past the check both try to write the same version; the unique
 * (stream, version) key stops the second, and that too is a VersionConflict.
 */
export async function appendEvents(
  trx: Trx,
  stream: string,
  expectedVersion: number,
  events: readonly NewEvent[],
): Promise<StoredEvent[]> {
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw new RangeError(`expectedVersion must be a whole number >= 0, not ${expectedVersion}`);
  }
  for (const event of events) assertIsoInstant('event.at', event.at);
  const direct = onSqliteConnection(trx, (connection) =>
    appendOnSqlite(connection, stream, expectedVersion, events),
  );
  if (direct) return direct;
  const head = await trx
    .selectFrom('events')
    .select(['version', 'hash'])
    .where('stream', '=', stream)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  const currentVersion = head?.version ?? 0;
  if (currentVersion !== expectedVersion) throw new VersionConflict(stream, expectedVersion, currentVersion);
  if (events.length === 0) return [];
  const rows = chainedRows(stream, expectedVersion, head?.hash ?? genesisHash, events);
  let inserted: { position: number; version: number }[];
  try {
    inserted = await trx.insertInto('events').values(rows).returning(['position', 'version']).execute();
  } catch (error) {
    throw versionTakenAsConflict(error, stream, expectedVersion);
  }
  return storedEvents(rows, inserted);
}

/**
 * appendEvents on SQLite: the same reads and writes as prepared statements run directly on the
 * transaction's connection. Building and compiling the queries with kysely and its async driver cost
 * more than the statements themselves.
 */
function appendOnSqlite(
  connection: NodeSqliteConnection,
  stream: string,
  expectedVersion: number,
  events: readonly NewEvent[],
): StoredEvent[] {
  const head = connection.statement(sqliteHeadSql).get(stream) as
    | { version: number; hash: string }
    | undefined;
  const currentVersion = head?.version ?? 0;
  if (currentVersion !== expectedVersion) throw new VersionConflict(stream, expectedVersion, currentVersion);
  if (events.length === 0) return [];
  const rows = chainedRows(stream, expectedVersion, head?.hash ?? genesisHash, events);
  const parameters: SQLInputValue[] = [];
  for (const row of rows) {
    parameters.push(
      row.stream,
      row.version,
      row.type,
      row.data,
      row.personal ?? null,
      row.personal_digest ?? null,
      row.actor_role,
      row.actor_name,
      row.actor_via,
      row.actor_on_behalf_of ?? null,
      row.at,
      row.prev_hash,
      row.hash,
    );
  }
  let inserted: { position: number; version: number }[];
  try {
    // One statement for all the events, so a failure leaves none of them, as kysely's insert would.
    inserted = connection.statement(sqliteInsertSql(rows.length)).all(...parameters) as typeof inserted;
  } catch (error) {
    throw versionTakenAsConflict(error, stream, expectedVersion);
  }
  return storedEvents(rows, inserted);
}

const sqliteHeadSql = 'select version, hash from events where stream = ? order by version desc limit 1';
const sqliteEventColumns =
  'stream, version, type, data, personal, personal_digest, actor_role, actor_name, actor_via, ' +
  'actor_on_behalf_of, at, purged_at, prev_hash, hash';
const sqliteEventValues = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?)';
const sqliteInsertSql = sqlTextsByCount(
  (count) =>
    `insert into events (${sqliteEventColumns}) values ${Array(count).fill(sqliteEventValues).join(', ')} ` +
    'returning position, version',
);

/** The rows to insert after prevHash, each hashed over the previous one. */
function chainedRows(
  stream: string,
  expectedVersion: number,
  prevHash: string,
  events: readonly NewEvent[],
): Insertable<EventsTable>[] {
  return events.map((event, index) => {
    const version = expectedVersion + index + 1;
    const personalDigest = personalDigestOf(event.personal, event.actor.name);
    const onBehalfOf = event.actor.onBehalfOf ?? null;
    const hash = eventHash({
      stream,
      version,
      type: event.type,
      data: event.data,
      personalDigest,
      actor: { role: event.actor.role, via: event.actor.via, onBehalfOf },
      at: event.at,
      prevHash,
    });
    const row: Insertable<EventsTable> = {
      stream,
      version,
      type: event.type,
      data: canonicalJson(event.data),
      personal: event.personal === undefined ? null : canonicalJson(event.personal),
      personal_digest: personalDigest,
      actor_role: event.actor.role,
      actor_name: event.actor.name,
      actor_via: event.actor.via,
      actor_on_behalf_of: onBehalfOf,
      at: event.at,
      purged_at: null,
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
}

function storedEvents(
  rows: Insertable<EventsTable>[],
  inserted: { position: number; version: number }[],
): StoredEvent[] {
  const positions = new Map(inserted.map((r) => [Number(r.version), Number(r.position)]));
  return rows.map((row) => toStoredEvent({ ...row, position: positions.get(row.version)! } as EventRow));
}

/** The winner's version is at least ours + 1; on Postgres the failed transaction cannot ask for more. */
function versionTakenAsConflict(error: unknown, stream: string, expectedVersion: number): unknown {
  return isStreamVersionTaken(error)
    ? new VersionConflict(stream, expectedVersion, expectedVersion + 1)
    : error;
}

/** A unique violation on (stream, version), as either dialect reports it. */
function isStreamVersionTaken(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; constraint?: unknown; errcode?: unknown; message?: unknown };
  // Postgres: unique_violation on our named constraint.
  if (e.code === '23505') return e.constraint === 'events_stream_version_key';
  // node:sqlite: SQLITE_CONSTRAINT_UNIQUE, naming the columns.
  return e.errcode === 2067 && typeof e.message === 'string' && e.message.includes('events.stream');
}

type EventRow = Selectable<EventsTable>;

function toStoredEvent(row: EventRow): StoredEvent {
  const actor: Actor = { role: row.actor_role, name: row.actor_name, via: row.actor_via as Actor['via'] };
  if (row.actor_on_behalf_of !== null) actor.onBehalfOf = row.actor_on_behalf_of;
  const event: StoredEvent = {
    position: Number(row.position),
    stream: row.stream,
    version: row.version,
    type: row.type,
    data: JSON.parse(row.data),
    actor,
    at: row.at,
    personalDigest: row.personal_digest,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
  if (row.personal !== null) event.personal = JSON.parse(row.personal);
  return event;
}

/** Every event of a stream, oldest first. */
export async function readStream(db: Db, stream: string): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('stream', '=', stream)
    .orderBy('version')
    .execute();
  return rows.map(toStoredEvent);
}

/** Events in global order after a position (exclusive), a page at a time (default 1000). */
export async function readAll(
  db: Db,
  { after = 0, limit = 1000 }: { after?: number; limit?: number } = {},
): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('position', '>', after)
    .orderBy('position')
    .limit(limit)
    .execute();
  return rows.map(toStoredEvent);
}

/** The stream's current version: 0 when it has no events. */
export async function streamVersion(db: Db, stream: string): Promise<number> {
  const head = await db
    .selectFrom('events')
    .select('version')
    .where('stream', '=', stream)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return head?.version ?? 0;
}

/** Every stream with its current version, by name. */
export async function listStreams(db: Db): Promise<{ stream: string; version: number }[]> {
  const rows = await db
    .selectFrom('events')
    .select((eb) => ['stream', eb.fn.max('version').as('version')])
    .groupBy('stream')
    .orderBy('stream')
    .execute();
  return rows.map((r) => ({ stream: r.stream, version: Number(r.version) }));
}

/**
 * Walks the whole log in position order and checks each stream's chain: versions without gaps, each
 * prevHash equal to the previous event's hash, each hash recomputed from the row, and the personal data
 * still matching its digest (a purged event has none left to check). Names the first bad event.
 */
export async function verifyChain(
  db: Db,
  { pageSize = 1000 }: { pageSize?: number } = {},
): Promise<ChainCheck> {
  const heads = new Map<string, { version: number; hash: string }>();
  let checked = 0;
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('events')
      .selectAll()
      .where('position', '>', after)
      .orderBy('position')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      checked += 1;
      const head = heads.get(row.stream);
      const reason = chainProblem(row, head?.version ?? 0, head?.hash ?? genesisHash);
      if (reason) {
        return {
          ok: false,
          events: checked,
          firstBad: { stream: row.stream, version: row.version, position: Number(row.position), reason },
        };
      }
      heads.set(row.stream, { version: row.version, hash: row.hash });
    }
    if (rows.length < pageSize) return { ok: true, events: checked };
    after = Number(rows.at(-1)!.position);
  }
}

function chainProblem(
  row: EventRow,
  previousVersion: number,
  previousHash: string,
): ChainProblem | undefined {
  if (row.version !== previousVersion + 1) return 'version gap';
  if (row.prev_hash !== previousHash) return 'broken prev link';
  const data = parseJson(row.data);
  if (!data.ok) return 'hash mismatch';
  const hash = eventHash({
    stream: row.stream,
    version: row.version,
    type: row.type,
    data: data.value,
    personalDigest: row.personal_digest,
    actor: { role: row.actor_role, via: row.actor_via, onBehalfOf: row.actor_on_behalf_of },
    at: row.at,
    prevHash: row.prev_hash,
  });
  if (hash !== row.hash) return 'hash mismatch';
  const purged = row.purged_at !== null && row.personal === null && row.actor_name === purgedActorName;
  if (!purged) {
    const personal = row.personal === null ? { ok: true as const, value: null } : parseJson(row.personal);
    if (!personal.ok || personalDigestOf(personal.value, row.actor_name) !== row.personal_digest) {
      return 'personal data altered';
    }
  }
  return undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * Blanks the personal data of every event in the stream (right to erasure): `personal` becomes null and
 * the actor's name '(purged)'. The digests stay, so the chain still verifies. Returns how many events
 * were purged by this call (already purged ones are left as they are).
 */
export async function purgePersonal(trx: Trx, stream: string, { at }: { at: string }): Promise<number> {
  assertIsoInstant('at', at);
  const result = await trx
    .updateTable('events')
    .set({ personal: null, actor_name: purgedActorName, purged_at: at })
    .where('stream', '=', stream)
    .where('purged_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
