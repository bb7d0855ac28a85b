import { isDeepStrictEqual } from 'node:util';
import type { Insertable } from 'kysely';
import type { HandoffState } from '../domain/workflow/index.ts';
import type { Database, Db, Trx } from '../store/index.ts';
import { isoUtc } from './time.ts';

/** The rows one handoff's state projects to, in every projection table. */
export interface ProjectionRows {
  handoff: Insertable<Database['handoffs']>;
  clocks: Insertable<Database['clocks']>[];
  escalations: Insertable<Database['escalations']>[];
  incidents: Insertable<Database['incidents']>[];
}

/** What a handoff's projection rows must hold; `now` only fills `updated_at`. Null before the handoff opens. */
export function projectionRows(state: HandoffState, now: string): ProjectionRows | null {
  const sow = state.sow;
  if (!sow || !state.state) return null;
  const open = state.clocks.filter((c) => c.status === 'open').map((c) => isoUtc(c.due));
  open.sort();
  return {
    handoff: {
      sow,
      state: state.state,
      version: state.version,
      payment: state.payment?.status ?? null,
      opened_at: isoUtc(state.openedAt ?? now),
      updated_at: now,
      next_due: open[0] ?? null,
      overdue: state.clocks.some((c) => c.status === 'missed' && c.metAt === null) ? 1 : 0,
      escalated: state.escalations.some((e) => e.status === 'open') ? 1 : 0,
      doc: JSON.stringify(state),
    },
    clocks: state.clocks.map((c) => ({
      sow,
      clock: c.clock,
      seq: c.seq,
      started_at: c.startedAt.length === 10 ? c.startedAt : isoUtc(c.startedAt),
      due: isoUtc(c.due),
      status: c.status,
      met_at: c.metAt,
      missed_at: c.missedAt,
    })),
    escalations: state.escalations.map((e) => ({
      id: e.id,
      sow,
      kind: e.kind,
      status: e.status,
      opened_at: e.openedAt,
      due: e.due ? isoUtc(e.due) : null,
      resolved_at: e.resolvedAt,
      doc: JSON.stringify(e),
    })),
    incidents: state.incidents.map((i) => ({
      id: i.id,
      sow,
      severity: i.severity,
      status: i.status,
      filed_at: i.filedAt,
      path: i.path,
      doc: JSON.stringify(i),
    })),
  };
}

/** Rewrites one handoff's projection rows from its state, inside the event's transaction. */
export async function projectHandoff(trx: Trx, state: HandoffState, now: string): Promise<void> {
  const rows = projectionRows(state, now);
  if (!rows) return;
  const { sow } = rows.handoff;
  await trx.deleteFrom('handoffs').where('sow', '=', sow).execute();
  await trx.insertInto('handoffs').values(rows.handoff).execute();
  await trx.deleteFrom('clocks').where('sow', '=', sow).execute();
  if (rows.clocks.length > 0) await trx.insertInto('clocks').values(rows.clocks).execute();
  await trx.deleteFrom('escalations').where('sow', '=', sow).execute();
  if (rows.escalations.length > 0) await trx.insertInto('escalations').values(rows.escalations).execute();
  await trx.deleteFrom('incidents').where('sow', '=', sow).execute();
  if (rows.incidents.length > 0) await trx.insertInto('incidents').values(rows.incidents).execute();
}

/** A row as compared: JSON columns parsed, numbers as numbers, whatever each driver returned. */
function comparable(row: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'updated_at') continue;
    if (key === 'doc' && typeof value === 'string') out[key] = JSON.parse(value);
    else if (typeof value === 'bigint') out[key] = Number(value);
    else out[key] = value ?? null;
  }
  return out;
}

type Row = Record<string, unknown>;
const rowKeys: Record<string, (r: Row) => string> = {
  handoffs: (r) => String(r.sow),
  clocks: (r) => `${r.clock} ${String(r.seq).padStart(6, '0')}`,
  escalations: (r) => String(r.id),
  incidents: (r) => String(r.id),
};

/**
 * Where the stored projection of a handoff differs from what its state projects to (`updated_at` aside),
 * or null when it matches. `state` null: the handoff has no events, so it must have no rows.
 */
export async function projectionMismatch(
  db: Db,
  sow: string,
  state: HandoffState | null,
): Promise<string | null> {
  const expected = state ? projectionRows(state, '') : null;
  const compared: [string, object[], object[]][] = [
    [
      'handoffs',
      await db.selectFrom('handoffs').selectAll().where('sow', '=', sow).execute(),
      expected ? [expected.handoff] : [],
    ],
    [
      'clocks',
      await db.selectFrom('clocks').selectAll().where('sow', '=', sow).execute(),
      expected?.clocks ?? [],
    ],
    [
      'escalations',
      await db.selectFrom('escalations').selectAll().where('sow', '=', sow).execute(),
      expected?.escalations ?? [],
    ],
    [
      'incidents',
      await db.selectFrom('incidents').selectAll().where('sow', '=', sow).execute(),
      expected?.incidents ?? [],
    ],
  ];
  for (const [table, stored, wanted] of compared) {
    const key = rowKeys[table] as (r: Row) => string;
    const order = (a: Row, b: Row) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
    const got = stored.map(comparable).sort(order);
    const want = wanted.map(comparable).sort(order);
    if (got.length !== want.length)
      return `${table}: ${got.length} rows where its events give ${want.length}`;
    for (const [i, w] of want.entries()) {
      const g = got[i] as Row;
      const column = Object.keys(w).find((k) => !isDeepStrictEqual(g[k], w[k]));
      if (column) return `${table} ${key(w)}: ${column} differs`;
    }
  }
  return null;
}
