import type { HandoffState } from '../domain/workflow/index.ts';
import type { Trx } from '../store/index.ts';
import { isoUtc } from './time.ts';

/** Rewrites one handoff's projection rows from its state, inside the event's transaction. */
export async function projectHandoff(trx: Trx, state: HandoffState, now: string): Promise<void> {
  const sow = state.sow;
  if (!sow || !state.state) return;
  const open = state.clocks.filter((c) => c.status === 'open').map((c) => isoUtc(c.due));
  open.sort();
  const nextDue = open[0] ?? null;
  const row = {
    sow,
    state: state.state,
    version: state.version,
    payment: state.payment?.status ?? null,
    opened_at: isoUtc(state.openedAt ?? now),
    updated_at: now,
    next_due: nextDue,
    overdue: state.clocks.some((c) => c.status === 'missed' && c.metAt === null) ? 1 : 0,
    escalated: state.escalations.some((e) => e.status === 'open') ? 1 : 0,
    doc: JSON.stringify(state),
  };
  await trx.deleteFrom('handoffs').where('sow', '=', sow).execute();
  await trx.insertInto('handoffs').values(row).execute();
  await trx.deleteFrom('clocks').where('sow', '=', sow).execute();
  if (state.clocks.length > 0)
    await trx
      .insertInto('clocks')
      .values(
        state.clocks.map((c) => ({
          sow,
          clock: c.clock,
          seq: c.seq,
          started_at: c.startedAt.length === 10 ? c.startedAt : isoUtc(c.startedAt),
          due: isoUtc(c.due),
          status: c.status,
          met_at: c.metAt,
          missed_at: c.missedAt,
        })),
      )
      .execute();
  await trx.deleteFrom('escalations').where('sow', '=', sow).execute();
  if (state.escalations.length > 0)
    await trx
      .insertInto('escalations')
      .values(
        state.escalations.map((e) => ({
          id: e.id,
          sow,
          kind: e.kind,
          status: e.status,
          opened_at: e.openedAt,
          due: e.due ? isoUtc(e.due) : null,
          resolved_at: e.resolvedAt,
          doc: JSON.stringify(e),
        })),
      )
      .execute();
  await trx.deleteFrom('incidents').where('sow', '=', sow).execute();
  if (state.incidents.length > 0)
    await trx
      .insertInto('incidents')
      .values(
        state.incidents.map((i) => ({
          id: i.id,
          sow,
          severity: i.severity,
          status: i.status,
          filed_at: i.filedAt,
          path: i.path,
          doc: JSON.stringify(i),
        })),
      )
      .execute();
}
