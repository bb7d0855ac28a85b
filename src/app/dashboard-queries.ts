/** Read-only queries for the dashboard's pages: the board, escalations, incidents, the outbox log. */
import { Temporal } from 'temporal-polyfill';
import type { ClockId } from '../domain/playbook/index.ts';
import {
  type EscalationRecord,
  type HandoffStateName,
  handoffStates,
  type IncidentRecord,
  roles,
} from '../domain/workflow/index.ts';
import { listNotifications, type Notification } from '../store/index.ts';
import { AppError } from './errors.ts';
import type { Baton } from './handoff-context.ts';
import { businessHoursLeft, type ListRow, listHandoffs } from './handoff-queries.ts';
import { isoUtc } from './time.ts';

export interface BoardFilter {
  state?: string;
  /** A role owning an open escalation of the handoff. */
  owner?: string;
  overdue?: boolean;
  /** Cards per state (default 25). */
  limit?: number;
  /** Skips this many cards of each state shown (paging within one state). */
  offset?: number;
}

export interface BoardClock {
  clock: ClockId;
  label: string;
  due: string;
  /** Business hours from now to the deadline; negative once it has passed. */
  businessHoursLeft: number;
  overdue: boolean;
  /** `missed`: the sweep recorded it missed and it is still not met. */
  status: 'open' | 'missed';
}

export interface BoardCard extends ListRow {
  /** The handoff's open clocks and missed ones not yet met, soonest first. */
  clocks: BoardClock[];
}

export interface BoardColumn {
  state: HandoffStateName;
  cards: BoardCard[];
  offset: number;
  /** More cards follow this page. */
  more: boolean;
}

/**
 * The board: per state, a page of handoffs soonest deadline first, each with its open clocks' business
 * hours left. One indexed query per state and one for all the cards' clocks, whatever the store holds.
 */
export async function handoffBoard(baton: Baton, filter: BoardFilter = {}): Promise<BoardColumn[]> {
  if (filter.owner && !(roles as readonly string[]).includes(filter.owner))
    throw new AppError('bad-input', `owner: "${filter.owner}" is not one of ${roles.join(', ')}`, 'owner');
  if (filter.state && !(handoffStates as readonly string[]).includes(filter.state))
    throw new AppError(
      'bad-input',
      `state: "${filter.state}" is not one of ${handoffStates.join(', ')}`,
      'state',
    );
  const limit = Math.min(Math.max(filter.limit ?? 25, 1), 200);
  const offset = Math.max(filter.offset ?? 0, 0);
  const states = filter.state ? [filter.state as HandoffStateName] : [...handoffStates];
  const pages = await Promise.all(
    states.map(async (state) => {
      const rows = await listHandoffs(baton, {
        state,
        ...(filter.owner ? { owner: filter.owner } : {}),
        ...(filter.overdue !== undefined ? { overdue: filter.overdue } : {}),
        limit: limit + 1,
        offset,
      });
      return { state, rows: rows.slice(0, limit), more: rows.length > limit };
    }),
  );
  const sows = pages.flatMap((p) => p.rows.map((r) => r.sow));
  // All clocks of the cards by primary key (a handful each), filtered and sorted here: a status or due
  // condition would lead the planner to walk every open clock in the store.
  const clocks = (
    sows.length === 0
      ? []
      : await baton.store.db
          .selectFrom('clocks')
          .select(['sow', 'clock', 'due', 'status', 'met_at'])
          .where('sow', 'in', sows)
          .execute()
  )
    .filter((c) => c.status === 'open' || (c.status === 'missed' && c.met_at === null))
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  const now = baton.now();
  const labels = new Map(baton.playbook.clocks.map((c) => [c.id, c.label]));
  const bySow = new Map<string, BoardClock[]>();
  for (const c of clocks) {
    const due = Temporal.Instant.from(c.due);
    const overdue = Temporal.Instant.compare(due, now) < 0;
    const hours = businessHoursLeft(baton, now, due);
    const list = bySow.get(c.sow) ?? [];
    list.push({
      clock: c.clock as ClockId,
      label: labels.get(c.clock as ClockId) ?? c.clock,
      due: c.due,
      businessHoursLeft: hours,
      overdue,
      status: c.status === 'missed' ? 'missed' : 'open',
    });
    bySow.set(c.sow, list);
  }
  return pages.map((p) => ({
    state: p.state,
    offset,
    more: p.more,
    cards: p.rows.map((r) => ({ ...r, clocks: bySow.get(r.sow) ?? [] })),
  }));
}

export interface EscalationRow extends EscalationRecord {
  sow: string;
  overdue: boolean;
}

/** Escalations, the open ones first and then the newest. */
export async function listEscalations(
  baton: Baton,
  filter: { status?: 'open' | 'resolved'; limit?: number } = {},
): Promise<EscalationRow[]> {
  const now = isoUtc(baton.now());
  const rows = await baton.store.db
    .selectFrom('escalations')
    .select(['sow', 'status', 'due', 'doc'])
    .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
    .orderBy('status')
    .orderBy('opened_at', 'desc')
    .limit(filter.limit ?? 500)
    .execute();
  return rows.map((r) => ({
    ...(JSON.parse(r.doc) as EscalationRecord),
    sow: r.sow,
    overdue: r.status === 'open' && r.due !== null && r.due < now,
  }));
}

export interface IncidentRow extends IncidentRecord {
  sow: string;
}

/** Incidents, the open ones first and then the newest. */
export async function listIncidents(
  baton: Baton,
  filter: { status?: 'open' | 'closed'; limit?: number } = {},
): Promise<IncidentRow[]> {
  const rows = await baton.store.db
    .selectFrom('incidents')
    .select(['sow', 'doc'])
    .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
    .orderBy('status', 'desc')
    .orderBy('filed_at', 'desc')
    .limit(filter.limit ?? 500)
    .execute();
  return rows.map((r) => ({ ...(JSON.parse(r.doc) as IncidentRecord), sow: r.sow }));
}

export interface OutboxEntry {
  id: string;
  stream: string;
  kind: string;
  status: 'pending' | 'done' | 'dead';
  attempts: number;
  createdAt: string;
  nextAttemptAt: string;
  doneAt: string | null;
  lastError: string | null;
  /** What the effect is about, in a line (a file path, a channel), never the whole payload. */
  summary: string;
}

function summaryOf(kind: string, payload: Record<string, unknown>): string {
  const pick = ['path', 'channel', 'to', 'subject', 'item', 'text', 'title'];
  for (const key of pick) {
    const value = payload[key];
    if (typeof value === 'string' && value) return `${key}: ${value.split('\n')[0]?.slice(0, 200)}`;
    if (Array.isArray(value) && value.length > 0)
      return `${key}: ${value
        .map((v) =>
          typeof v === 'string' ? v : typeof v === 'object' && v && 'email' in v ? String(v.email) : '',
        )
        .filter(Boolean)
        .join(', ')
        .slice(0, 200)}`;
  }
  return kind;
}

/** The outbox, newest first: every side effect decided (files, notifications) and how its delivery went. */
export async function outboxLog(
  baton: Baton,
  filter: { status?: 'pending' | 'done' | 'dead'; limit?: number } = {},
): Promise<OutboxEntry[]> {
  const rows = await baton.store.db
    .selectFrom('outbox')
    .selectAll()
    .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
    .orderBy('seq', 'desc')
    .limit(filter.limit ?? 200)
    .execute();
  return rows.map((r) => {
    let payload: Record<string, unknown> = {};
    try {
      payload = JSON.parse(r.payload) as Record<string, unknown>;
    } catch {}
    return {
      id: r.id,
      stream: r.stream,
      kind: r.kind,
      status: r.status,
      attempts: r.attempts,
      createdAt: r.created_at,
      nextAttemptAt: r.next_attempt_at,
      doneAt: r.done_at,
      lastError: r.last_error,
      summary: summaryOf(r.kind, payload),
    };
  });
}

/**
 * The notification log, newest first: what Slack, monday.com or email received (or, not configured,
 * would have received), one entry per effect.
 */
export function notificationLog(
  baton: Baton,
  filter: { stream?: string; integration?: string; limit?: number } = {},
): Promise<Notification[]> {
  return listNotifications(baton.store.db, { limit: 200, ...filter });
}
