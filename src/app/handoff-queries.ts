import { Temporal } from 'temporal-polyfill';
import { businessHoursBetween, localDate } from '../domain/calendar/index.ts';
import { isSowNumber, sowPath } from '../domain/packet/index.ts';
import type { ClockId } from '../domain/playbook/index.ts';
import {
  type ActorRef,
  allowedCommands,
  type HandoffState,
  type HandoffStateName,
  handoffStates,
  replay,
} from '../domain/workflow/index.ts';
import {
  clearProjections,
  listStreams,
  migrate,
  readStream,
  verifyChain,
  withTransaction,
} from '../store/index.ts';
import { AppError } from './errors.ts';
import { handoffEventOf } from './event-histories.ts';
import type { Baton } from './handoff-context.ts';
import { asAppError, loadHandoff, requireSow, runCommand } from './handoffs.ts';
import { projectHandoff, projectionMismatch } from './projections.ts';
import { draftSopDeltas } from './sop-deltas.ts';
import { isoUtc } from './time.ts';

const clockIds: ClockId[] = [
  'packetDue',
  'ackDue',
  'remediationDue',
  'kickoffDue',
  'discoveryScheduleDue',
  'misalignmentResolveDue',
];

/** The contract of `baton status SOW --json` (and the API's and MCP's status). */
export interface StatusView {
  sow: string;
  state: HandoffStateName;
  version: number;
  openedAt: string;
  soldOn: string | null;
  sowSignedOn: string | null;
  payment: HandoffState['payment'];
  submissions: HandoffState['submissions'];
  rejections: HandoffState['rejections'];
  acknowledgement: HandoffState['acknowledgement'];
  discovery: HandoffState['discovery'];
  introduction: HandoffState['introduction'];
  ceoApprovals: HandoffState['ceoApprovals'];
  flags: HandoffState['flags'];
  deadlines: Record<ClockId, string | null>;
  clocks: {
    name: ClockId;
    seq: number;
    startedAt: string;
    due: string;
    status: 'open' | 'met' | 'missed';
    metAt: string | null;
    missedAt: string | null;
    late: boolean;
    overdue: boolean;
    businessHoursLeft: number | null;
  }[];
  escalations: HandoffState['escalations'];
  incidents: HandoffState['incidents'];
  files: { packet: string; report: string; frozen: string[] };
  warnings: string[];
  escalated: boolean;
  /** The commands the asking actor may run now (when an actor asked). */
  allowed?: string[];
}

const before = (a: string, b: string): boolean =>
  Temporal.Instant.compare(Temporal.Instant.from(a), Temporal.Instant.from(b)) < 0;

export function statusView(baton: Baton, state: HandoffState, actor?: ActorRef): StatusView {
  const sow = state.sow;
  if (!sow || !state.state) throw new AppError('not-found', 'no such handoff', 'SOW');
  const now = baton.now();
  const nowIso = isoUtc(now);
  const deadlines = Object.fromEntries(
    clockIds.map((id) => [id, state.clocks.filter((c) => c.clock === id).at(-1)?.due ?? null]),
  ) as Record<ClockId, string | null>;
  return {
    sow,
    state: state.state,
    version: state.version,
    openedAt: state.openedAt ?? '',
    soldOn: state.soldOn,
    sowSignedOn: state.sowSignedOn,
    payment: state.payment,
    submissions: state.submissions,
    rejections: state.rejections,
    acknowledgement: state.acknowledgement,
    discovery: state.discovery,
    introduction: state.introduction,
    ceoApprovals: state.ceoApprovals,
    flags: state.flags,
    deadlines,
    clocks: state.clocks.map((c) => {
      const overdue = c.status !== 'met' && c.metAt === null && before(c.due, nowIso);
      return {
        name: c.clock,
        seq: c.seq,
        startedAt: c.startedAt,
        due: c.due,
        status: c.status,
        metAt: c.metAt,
        missedAt: c.missedAt,
        late: c.late,
        overdue,
        businessHoursLeft:
          c.status === 'open' ? businessHoursLeft(baton, now, Temporal.Instant.from(c.due)) : null,
      };
    }),
    escalations: state.escalations,
    incidents: state.incidents,
    files: {
      packet: sowPath(baton.playbook.paths.packet, sow),
      report: sowPath(baton.playbook.paths.report, sow),
      frozen: state.submissions.map((s) => s.frozenPath),
    },
    warnings: state.warnings,
    escalated: state.escalations.some((e) => e.status === 'open'),
    ...(actor ? { allowed: allowedCommands(state, actor) } : {}),
  };
}

/** Business hours from now to a deadline; negative when it has passed. */
export function businessHoursLeft(baton: Baton, now: Temporal.Instant, due: Temporal.Instant): number {
  return Temporal.Instant.compare(due, now) >= 0
    ? businessHoursBetween(now, due, baton.calendar)
    : -businessHoursBetween(due, now, baton.calendar);
}

/** One handoff's status, read from its projection (no replay). */
export async function handoffStatus(baton: Baton, sowInput: string, actor?: ActorRef): Promise<StatusView> {
  const sow = requireSow(sowInput);
  const row = await baton.store.db
    .selectFrom('handoffs')
    .select('doc')
    .where('sow', '=', sow)
    .executeTakeFirst();
  if (!row) throw new AppError('not-found', `no handoff ${sow}; open it with baton open ${sow}`, 'SOW');
  return statusView(baton, JSON.parse(row.doc) as HandoffState, actor);
}

export interface ListRow {
  sow: string;
  state: string;
  version: number;
  payment: string | null;
  openedAt: string;
  updatedAt: string;
  nextDue: string | null;
  overdue: boolean;
  escalated: boolean;
}

export interface ListFilter {
  state?: string;
  overdue?: boolean;
  /** A role that owns an open escalation of the handoff. */
  owner?: string;
  limit?: number;
  offset?: number;
}

export async function listHandoffs(baton: Baton, filter: ListFilter = {}): Promise<ListRow[]> {
  if (filter.state && !(handoffStates as readonly string[]).includes(filter.state))
    throw new AppError(
      'bad-input',
      `--state: "${filter.state}" is not one of ${handoffStates.join(', ')}`,
      'state',
    );
  let query = baton.store.db
    .selectFrom('handoffs')
    .select([
      'sow',
      'state',
      'version',
      'payment',
      'opened_at',
      'updated_at',
      'next_due',
      'overdue',
      'escalated',
    ]);
  if (filter.state) query = query.where('state', '=', filter.state);
  if (filter.overdue !== undefined) {
    const now = isoUtc(baton.now());
    query = filter.overdue
      ? query.where((eb) => eb.or([eb('overdue', '=', 1), eb('next_due', '<', now)]))
      : query
          .where('overdue', '=', 0)
          .where((eb) => eb.or([eb('next_due', 'is', null), eb('next_due', '>=', now)]));
  }
  if (filter.owner) {
    const owner = `%"${filter.owner}"%`;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('escalations as e')
          .select('e.id')
          .whereRef('e.sow', '=', 'handoffs.sow')
          .where('e.status', '=', 'open')
          .where('e.doc', 'like', owner),
      ),
    );
  }
  const rows = await query
    .orderBy('next_due')
    .orderBy('sow')
    .limit(filter.limit ?? 500)
    .offset(filter.offset ?? 0)
    .execute();
  return rows.map((r) => ({
    sow: r.sow,
    state: r.state,
    version: r.version,
    payment: r.payment,
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
    nextDue: r.next_due,
    overdue: r.overdue === 1 || (r.next_due !== null && r.next_due < isoUtc(baton.now())),
    escalated: r.escalated === 1,
  }));
}

export interface HistoryEntry {
  version: number;
  type: string;
  at: string;
  actor: { role: string; name: string; via: string; onBehalfOf?: string };
  data: Record<string, unknown>;
  hash: string;
}

export async function handoffHistory(baton: Baton, sowInput: string): Promise<HistoryEntry[]> {
  const sow = requireSow(sowInput);
  const events = await readStream(baton.store.db, sow);
  if (events.length === 0) throw new AppError('not-found', `no handoff ${sow}`, 'SOW');
  return events.map((e) => ({
    version: e.version,
    type: e.type,
    at: e.at,
    actor: { ...e.actor },
    data: e.data,
    hash: e.hash,
  }));
}

export interface SweepDigest {
  at: string;
  recorded: { sow: string; type: string; detail: string }[];
  dueToday: { sow: string; clock: string; due: string }[];
  overdue: { sow: string; clock: string; due: string }[];
  escalationsOpen: { id: string; sow: string; kind: string; due: string | null; overdue: boolean }[];
  incidentsOpen: { id: string; sow: string; severity: string; path: string }[];
  /** SOP Delta proposals this sweep drafted (a missed clock can complete a pattern). */
  sopDeltas?: { id: string; path: string }[];
}

/**
 * The Chief of Staff's daily sweep: every open clock past due is recorded missed once (a second run finds
 * nothing new; a concurrent one loses the version race and re-reads), with what the misses imply.
 */
export async function sweep(baton: Baton, actor: ActorRef): Promise<SweepDigest> {
  const now = isoUtc(baton.now());
  const db = baton.store.db;
  const clockSows = await db
    .selectFrom('clocks')
    .select('sow')
    .distinct()
    .where('status', '=', 'open')
    .where('due', '<', now)
    .execute();
  const escalationSows = await db
    .selectFrom('escalations')
    .select('sow')
    .distinct()
    .where('status', '=', 'open')
    .where('due', '<', now)
    .execute();
  const sows = [...new Set([...clockSows, ...escalationSows].map((r) => r.sow))].sort();
  const recorded: SweepDigest['recorded'] = [];
  for (const sow of sows) {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await runCommand(baton, sow, actor, () => ({ type: 'sweep' }));
        for (const e of result.events)
          recorded.push({
            sow,
            type: e.type,
            detail: String(e.data.clock ?? e.data.kind ?? e.data.id ?? ''),
          });
        break;
      } catch (e) {
        if (e instanceof AppError && e.kind === 'conflict' && attempt < 3) continue;
        throw e;
      }
    }
  }
  const deltas = recorded.some((r) => r.type === 'ClockMissed')
    ? (await draftSopDeltas(baton, 'after the sweep')).drafted.map((d) => ({ id: d.id, path: d.path }))
    : [];
  return { at: now, recorded, ...(await digest(baton)), ...(deltas.length > 0 ? { sopDeltas: deltas } : {}) };
}

async function digest(baton: Baton): Promise<Omit<SweepDigest, 'at' | 'recorded'>> {
  const db = baton.store.db;
  const now = baton.now();
  const nowIso = isoUtc(now);
  const today = localDate(now, baton.calendar).toString();
  const open = await db
    .selectFrom('clocks')
    .select(['sow', 'clock', 'due', 'status', 'met_at'])
    .where((eb) =>
      eb.or([eb('status', '=', 'open'), eb.and([eb('status', '=', 'missed'), eb('met_at', 'is', null)])]),
    )
    .orderBy('due')
    .execute();
  const dueToday = open
    .filter(
      (c) =>
        c.status === 'open' && localDate(Temporal.Instant.from(c.due), baton.calendar).toString() === today,
    )
    .map((c) => ({ sow: c.sow, clock: c.clock, due: c.due }));
  const overdue = open
    .filter((c) => c.status === 'missed' || c.due < nowIso)
    .map((c) => ({ sow: c.sow, clock: c.clock, due: c.due }));
  const escalations = await db
    .selectFrom('escalations')
    .select(['id', 'sow', 'kind', 'due'])
    .where('status', '=', 'open')
    .orderBy('opened_at')
    .execute();
  const incidents = await db
    .selectFrom('incidents')
    .select(['id', 'sow', 'severity', 'path'])
    .where('status', '=', 'open')
    .orderBy('filed_at')
    .execute();
  return {
    dueToday,
    overdue,
    escalationsOpen: escalations.map((e) => ({ ...e, overdue: e.due !== null && e.due < nowIso })),
    incidentsOpen: incidents,
  };
}

export type VerifyResult =
  | { ok: true; events: number; handoffs: number }
  | { ok: false; events: number; handoffs: number; problem: string; stream?: string; version?: number };

/** Re-checks the hash chain, then that every projection equals a replay of its events. */
export async function verifyStore(baton: Baton): Promise<VerifyResult> {
  const db = baton.store.db;
  const chain = await verifyChain(db);
  // The handoffs' streams (the governance stream has no projection).
  const streams = (await listStreams(db)).filter((s) => isSowNumber(s.stream));
  if (!chain.ok)
    return {
      ok: false,
      events: chain.events,
      handoffs: streams.length,
      problem: `event ${chain.firstBad.stream} v${chain.firstBad.version} (position ${chain.firstBad.position}): ${chain.firstBad.reason}`,
      stream: chain.firstBad.stream,
      version: chain.firstBad.version,
    };
  // Every projection row is checked, not only the state document: the sweep reads the clock rows, the
  // lists read the handoff columns.
  const known = new Set(streams.map((s) => s.stream));
  const projected = new Set<string>();
  for (const table of ['handoffs', 'clocks', 'escalations', 'incidents'] as const)
    for (const row of await db.selectFrom(table).select('sow').distinct().execute()) projected.add(row.sow);
  const orphans = [...projected].filter((sow) => !known.has(sow)).sort();
  for (const sow of [...known, ...orphans]) {
    const state = known.has(sow) ? replay((await readStream(db, sow)).map(handoffEventOf)) : null;
    const mismatch = await projectionMismatch(db, sow, state);
    if (mismatch)
      return {
        ok: false,
        events: chain.events,
        handoffs: streams.length,
        problem: `the projection of ${sow} does not match its events (${mismatch}); run baton rebuild`,
        stream: sow,
      };
  }
  return { ok: true, events: chain.events, handoffs: streams.length };
}

/** Rebuilds every projection from the log, in one transaction. */
export async function rebuildProjections(
  baton: Baton,
  progress: (done: number, total: number) => void = () => {},
): Promise<{ handoffs: number; events: number }> {
  try {
    const streams = (await listStreams(baton.store.db)).filter((s) => isSowNumber(s.stream));
    let events = 0;
    const now = isoUtc(baton.now());
    await withTransaction(baton.store.db, async (trx) => {
      await clearProjections(trx);
      let done = 0;
      for (const { stream } of streams) {
        const stored = await readStream(trx, stream);
        events += stored.length;
        await projectHandoff(trx, replay(stored.map(handoffEventOf)), now);
        progress(++done, streams.length);
      }
    });
    return { handoffs: streams.length, events };
  } catch (e) {
    throw asAppError(e);
  }
}

export { loadHandoff };

/** Applies pending migrations (opening the store already does; this says what it did). */
export function migrateStore(baton: Baton): Promise<{ applied: string[] }> {
  return migrate(baton.store.db, baton.store.dialect);
}
