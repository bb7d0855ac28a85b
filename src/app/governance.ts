// Governance on the service layer (SOP Sections 8 and 9): the Chief of Staff's metrics, the CEO Weekly
// Summary section and chart, the end of customer relationships, legal holds, and the retention purge.
// Every access rule is the domain's (governanceGuard and decide); this module reads and writes.

import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { localDate } from '../domain/calendar/index.ts';
import {
  type HandoffMetrics,
  metricsFor,
  metricsForPeriods,
  type Period,
  PeriodInputError,
  rangePeriod,
  renderQualityChart,
  renderWeeklySummary,
  slackSummaryText,
  summaryWanted,
  type WeeklyPoint,
  weeklyPoint,
  weekOf,
  weekPeriod,
  weeksEndingWith,
} from '../domain/metrics/index.ts';
import { isSowNumber, parsePacket, sowPath } from '../domain/packet/index.ts';
import { type PlanRow, purgePlan } from '../domain/retention/index.ts';
import {
  type ActorRef,
  decide,
  evolve,
  type GovernanceCommand,
  type GovernanceCommandType,
  governanceCommandNames,
  governanceCommandRoles,
  type HandoffEvent,
  type HandoffState,
  replay,
} from '../domain/workflow/index.ts';
import { pathUnderRoot } from '../integrations/files/root-files.ts';
import {
  appendEvents,
  enqueueEffects,
  purgeNotifications,
  purgePersonal,
  readStream,
  type Trx,
  withTransaction,
} from '../store/index.ts';
import { archiveFolderOf } from './archive.ts';
import { fileEffects } from './effects.ts';
import { AppError } from './errors.ts';
import { governanceStream, handoffEventOf, readHistories } from './event-histories.ts';
import { writeRootFile } from './file-effects.ts';
import type { Baton } from './handoff-context.ts';
import { asAppError, type CommandResult, runCommand } from './handoffs.ts';
import { deliverEffects } from './outbox-dispatcher.ts';
import { projectHandoff } from './projections.ts';
import { listSopDeltas } from './sop-deltas.ts';
import { isoUtc } from './time.ts';

// ---------------------------------------------------------------------------------------------------
// Metrics.

export interface PeriodInput {
  /** An ISO week, `2026-W20`. */
  week?: string;
  /** A range of dates, both included (YYYY-MM-DD). */
  from?: string;
  to?: string;
}

/** The period asked for: a week, a range, or by default the current week, in the company's time zone. */
export function periodOf(baton: Baton, input: PeriodInput): Period {
  const zone = baton.playbook.calendar.timeZone;
  try {
    if (input.week && (input.from || input.to))
      throw new PeriodInputError('week', '--week: give either --week or --from and --to, not both');
    if (input.from || input.to) {
      if (!input.from) throw new PeriodInputError('from', '--from: give the first day of the range too');
      if (!input.to) throw new PeriodInputError('to', '--to: give the last day of the range too');
      return rangePeriod(input.from, input.to, zone);
    }
    return weekPeriod(input.week ?? weekOf(isoUtc(baton.now()), zone), zone);
  } catch (e) {
    if (e instanceof PeriodInputError) throw new AppError('bad-input', e.message, e.field);
    throw e;
  }
}

const metricsOptions = (baton: Baton) => ({
  playbook: baton.playbook,
  calendar: baton.calendar,
  now: isoUtc(baton.now()),
});

/** The governance metrics of one period (default: the current ISO week), from the event log. */
export async function governanceMetrics(baton: Baton, input: PeriodInput = {}): Promise<HandoffMetrics> {
  const period = periodOf(baton, input);
  return metricsFor(await readHistories(baton), period, metricsOptions(baton));
}

export interface WeeklySeries {
  /** One entry per week, oldest first; the last is the week asked for. */
  metrics: HandoffMetrics[];
  points: WeeklyPoint[];
  /** The chart of `points` (standalone SVG). */
  svg: string;
}

/** The figures and chart of the `weeks` weeks ending with `week` (default: current week, playbook's count). */
export async function weeklySeries(
  baton: Baton,
  input: { week?: string; weeks?: number } = {},
): Promise<WeeklySeries> {
  const last = periodOf(baton, input.week ? { week: input.week } : {});
  const periods = weeksEndingWith(
    last.label,
    input.weeks ?? baton.playbook.governance.chartWeeks,
    baton.playbook.calendar.timeZone,
  );
  const metrics = metricsForPeriods(await readHistories(baton), periods, metricsOptions(baton));
  const points = metrics.map(weeklyPoint);
  const close = baton.playbook.calendar.closeOfBusiness.split(':').map(Number);
  const open = baton.playbook.calendar.startOfBusiness.split(':').map(Number);
  const businessDay = ((close[0] ?? 17) * 60 + (close[1] ?? 0) - (open[0] ?? 9) * 60 - (open[1] ?? 0)) / 60;
  const ackDays = baton.playbook.clocks.find((c) => c.id === 'ackDue')?.businessDays ?? 1;
  return { metrics, points, svg: renderQualityChart(points, { ackBudgetHours: businessDay * ackDays }) };
}

export interface WeeklySummaryResult {
  week: string;
  written: boolean;
  /** Why nothing was written (no assessment deal was active that week). */
  reason?: string;
  /** Root-relative paths of the markdown section and the chart beside it. */
  files?: { markdown: string; chart: string };
  /** `queued`: a slack.post effect is in the outbox; `already-queued`: this week's was queued before. */
  posted?: 'queued' | 'already-queued';
  metrics: HandoffMetrics;
  series: WeeklyPoint[];
}

function underRoot(baton: Baton, rel: string, option: string): string {
  try {
    return pathUnderRoot(baton.root, rel);
  } catch {
    throw new AppError('bad-input', `${option}: ${rel} is outside the knowledge root ${baton.root}`, option);
  }
}

/**
 * Writes the CEO Weekly Summary section (markdown) and its chart (SVG) for a week, when assessment deals
 * were active in it (Section 9); with `post`, queues the same figures as a Slack message (`slack.post`).
 */
export async function weeklySummary(
  baton: Baton,
  input: { week?: string; out?: string; post?: boolean; channel?: string } = {},
): Promise<WeeklySummaryResult> {
  const series = await weeklySeries(baton, input.week ? { week: input.week } : {});
  const metrics = series.metrics.at(-1) as HandoffMetrics;
  const week = metrics.period.label;
  const base = { week, metrics, series: series.points };
  if (!summaryWanted(metrics))
    return {
      ...base,
      written: false,
      reason: `no assessment deal was active in ${week}; Section 9 adds the metrics to the CEO Weekly Summary only when deals are active`,
    };
  const folder = posix.normalize(input.out ?? baton.playbook.paths.weeklySummaries).replace(/\/+$/, '');
  underRoot(baton, folder, '--out');
  const chartName = `handoff-quality-${week}.svg`;
  const files = { markdown: `${folder}/handoff-quality-${week}.md`, chart: `${folder}/${chartName}` };
  const sopDeltas = (await listSopDeltas(baton)).filter(
    (d) => d.draftedAt >= metrics.period.start && d.draftedAt < metrics.period.end,
  );
  const markdown = renderWeeklySummary(metrics, {
    chartFile: chartName,
    ...(series.metrics.length > 1 ? { previous: series.metrics.at(-2) as HandoffMetrics } : {}),
    deltas: sopDeltas.map((d) => ({ id: d.id, path: d.path })),
  });
  await writeRootFile(baton.root, { path: files.chart, content: series.svg });
  await writeRootFile(baton.root, { path: files.markdown, content: markdown });
  const result: WeeklySummaryResult = { ...base, written: true, files };
  if (input.post) {
    const now = isoUtc(baton.now());
    const payload: Record<string, unknown> = { text: slackSummaryText(metrics) };
    if (input.channel) payload.channel = input.channel;
    const queued = await withTransaction(baton.store.db, (trx) =>
      enqueueEffects(
        trx,
        governanceStream,
        [{ id: `${governanceStream}:weekly-summary:${week}:slack`, kind: 'slack.post', payload }],
        now,
      ),
    );
    result.posted = queued > 0 ? 'queued' : 'already-queued';
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Relationship end and legal holds.

function requireRole(type: GovernanceCommandType, actor: ActorRef): void {
  const may = governanceCommandRoles[type];
  if (may.includes(actor.role)) return;
  const error = new AppError(
    'refused',
    `${actor.role} may not ${governanceCommandNames[type]}; only ${may.join(' or ')} may`,
  );
  error.rule = 'role-not-allowed';
  error.allowed = (Object.keys(governanceCommandRoles) as GovernanceCommandType[])
    .filter((t) => governanceCommandRoles[t].includes(actor.role))
    .map((t) => governanceCommandNames[t]);
  throw error;
}

function requireSow(value: string, option = 'SOW'): string {
  const sow = value.trim().toUpperCase();
  if (!isSowNumber(sow))
    throw new AppError(
      'bad-input',
      `"${value}" is not a SOW number; write SOW-YYYY-NNN, e.g. SOW-2026-014`,
      option,
    );
  return sow;
}

/**
 * Decides one governance command on several handoffs and records all of them in ONE transaction (with
 * their effects and projections): either every handoff records it, or none does.
 */
async function runAcross(
  baton: Baton,
  actor: ActorRef,
  sows: readonly string[],
  build: (state: HandoffState) => GovernanceCommand,
): Promise<CommandResult[]> {
  const now = isoUtc(baton.now());
  try {
    const results = await withTransaction(baton.store.db, async (trx) => {
      const out: CommandResult[] = [];
      for (const sow of sows) {
        const state = replay((await readStream(trx, sow)).map(handoffEventOf));
        const events = decide(build(state), state, {
          now,
          actor,
          playbook: baton.playbook,
          calendar: baton.calendar,
        });
        if (events.length === 0) {
          out.push({ sow, events: [], state });
          continue;
        }
        const next = events.reduce(evolve, state);
        const stored = await appendEvents(trx, sow, state.version, events.map(toNewEvent));
        await enqueueEffects(
          trx,
          sow,
          [
            ...fileEffects(events, next, baton.playbook),
            ...baton.planners.flatMap((plan) => plan(events, next, baton.playbook)),
          ],
          now,
        );
        await projectHandoff(trx, next, now);
        out.push({
          sow,
          events: stored.map((e) => ({ version: e.version, type: e.type, at: e.at, data: e.data })),
          state: next,
        });
      }
      return out;
    });
    await deliverEffects(baton, { kinds: ['file.write'] });
    return results;
  } catch (e) {
    throw asAppError(e);
  }
}

const toNewEvent = (e: HandoffEvent) => ({
  type: e.type,
  data: e.data,
  ...(e.personal ? { personal: e.personal } : {}),
  actor: e.actor,
  at: e.at,
});

/** How a company is compared: Unicode form, case, spacing and surrounding punctuation do not matter. */
export const companyKey = (name: string): string =>
  name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');

/** Every handoff's current state, from the projection. */
async function allStates(baton: Baton): Promise<HandoffState[]> {
  const rows = await baton.store.db.selectFrom('handoffs').select('doc').orderBy('sow').execute();
  return rows.map((r) => JSON.parse(r.doc) as HandoffState);
}

/** The company named by a handoff's packet: its latest submitted version, else the packet at the SOP path. */
async function companyOf(baton: Baton, state: HandoffState): Promise<string | undefined> {
  const sow = state.sow ?? '';
  const candidates = [
    ...state.submissions.map((s) => s.frozenPath).reverse(),
    sowPath(baton.playbook.paths.packet, sow),
  ];
  for (const rel of candidates) {
    try {
      const parsed = parsePacket(await readFile(pathUnderRoot(baton.root, rel), 'utf8'), baton.playbook, {});
      const company = parsed.ok ? parsed.packet.fields.companyName?.value?.trim() : undefined;
      if (company) return company;
    } catch {
      // Missing (purged, never written) or outside the root: try the next copy.
    }
  }
  return undefined;
}

export interface RelationshipEndedResult {
  /** The company as the packets name it, when the end was recorded by company. */
  company: string | null;
  endedOn: string;
  handoffs: CommandResult[];
}

/**
 * Records the end of a customer relationship on `date`: for one handoff (a SOW number) or for every
 * handoff whose packet names the company. Retention then runs to the date plus the playbook's years.
 */
export async function recordRelationshipEnded(
  baton: Baton,
  actor: ActorRef,
  companyOrSow: string,
  date: string,
): Promise<RelationshipEndedResult> {
  requireRole('endRelationship', actor);
  const target = companyOrSow.trim();
  if (!target)
    throw new AppError('bad-input', 'name the company or the SOW whose relationship ended', 'COMPANY-OR-SOW');
  if (isSowNumber(target.toUpperCase())) {
    const sow = target.toUpperCase();
    const handoffs = await runAcross(baton, actor, [sow], () => ({ type: 'endRelationship', endedOn: date }));
    return { company: null, endedOn: date, handoffs };
  }
  const key = companyKey(target);
  const named: { sow: string; company: string }[] = [];
  for (const state of await allStates(baton)) {
    const company = await companyOf(baton, state);
    if (company && state.sow) named.push({ sow: state.sow, company });
  }
  const matches = named.filter((n) => companyKey(n.company) === key);
  if (matches.length === 0) {
    const near = named.filter(
      (n) => companyKey(n.company).includes(key) || key.includes(companyKey(n.company)),
    );
    throw new AppError(
      'not-found',
      `no handoff's packet names the company "${target}"` +
        (near.length > 0
          ? `; did you mean ${near.map((n) => `"${n.company}" (${n.sow})`).join(', ')}?`
          : '; give the company as its packets name it, or a SOW number'),
      'COMPANY-OR-SOW',
    );
  }
  const company = matches[0]?.company ?? target;
  const handoffs = await runAcross(
    baton,
    actor,
    matches.map((m) => m.sow),
    () => ({ type: 'endRelationship', endedOn: date, company }),
  );
  return { company, endedOn: date, handoffs };
}

/** Sets a legal hold: nothing of the handoff is purged until it is released (chief.staff, ceo). */
export async function setLegalHold(
  baton: Baton,
  actor: ActorRef,
  sow: string,
  reason: string,
): Promise<CommandResult> {
  return runCommand(baton, requireSow(sow), actor, () => ({ type: 'setLegalHold', reason }));
}

/** Lifts the legal hold (chief.staff, ceo). */
export async function releaseLegalHold(
  baton: Baton,
  actor: ActorRef,
  sow: string,
  note?: string,
): Promise<CommandResult> {
  return runCommand(baton, requireSow(sow), actor, () => ({
    type: 'releaseLegalHold',
    ...(note ? { note } : {}),
  }));
}

// ---------------------------------------------------------------------------------------------------
// Retention purge.

export type PurgeRow = PlanRow & {
  /** Archived files that exist now (root-relative): what a purge removes. */
  files: string[];
  /** What this run did: purged now, finished removing files of an earlier purge, or nothing. */
  action: 'purge' | 'purged' | 'files-removed' | 'keep';
};

export interface PurgeReport {
  dryRun: boolean;
  /** The day retention is judged on, in the company's zone. */
  today: string;
  yearsAfterRelationshipEnds: number;
  handoffs: PurgeRow[];
  purged: string[];
  filesRemoved: number;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The archived files of a handoff that exist now: the packet and report at their SOP paths, every frozen
 * version and report version in its archive folder, and its incident files (open or closed).
 */
export async function archivedFiles(baton: Baton, state: HandoffState): Promise<string[]> {
  const sow = state.sow ?? '';
  const candidates = new Set<string>([
    sowPath(baton.playbook.paths.packet, sow),
    sowPath(baton.playbook.paths.report, sow),
    ...state.submissions.map((s) => s.frozenPath),
    ...state.incidents.flatMap((i) => [
      i.path,
      i.path.replace('/closed/', '/open/'),
      i.path.replace('/open/', '/closed/'),
    ]),
  ]);
  const folder = archiveFolderOf(baton.playbook, sow);
  try {
    const entries = await readdir(pathUnderRoot(baton.root, folder), {
      recursive: true,
      withFileTypes: true,
    });
    for (const entry of entries)
      if (!entry.isDirectory()) {
        const parent = posix
          .relative(pathUnderRoot(baton.root, folder), entry.parentPath)
          .split('\\')
          .join('/');
        candidates.add(posix.join(folder, parent, entry.name));
      }
  } catch {
    // No archive folder.
  }
  const found: string[] = [];
  for (const rel of candidates) if (await exists(underRoot(baton, rel, 'file'))) found.push(rel);
  return found.sort();
}

async function removeFiles(baton: Baton, sow: string, files: readonly string[]): Promise<number> {
  let removed = 0;
  for (const rel of files) {
    const path = underRoot(baton, rel, 'file');
    if (!(await exists(path))) continue;
    await rm(path, { force: true });
    removed++;
  }
  // The archive folder, once empty (nested folders first).
  const folder = underRoot(baton, archiveFolderOf(baton.playbook, sow), 'file');
  try {
    const dirs = (await readdir(folder, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => `${e.parentPath}/${e.name}`)
      .sort((a, b) => b.length - a.length);
    for (const dir of [...dirs, folder]) await rmdir(dir).catch(() => {});
  } catch {
    // Gone already.
  }
  return removed;
}

/** Blanks what the outbox still holds for the handoff (message texts, addresses); unsent ones are not sent. */
async function purgeOutbox(trx: Trx, sow: string, at: string): Promise<void> {
  const purged = JSON.stringify({ purged: at });
  await trx
    .updateTable('outbox')
    .set({ status: 'dead', payload: purged, last_error: 'not sent: the handoff was purged after retention' })
    .where('stream', '=', sow)
    .where('status', '=', 'pending')
    .execute();
  await trx.updateTable('outbox').set({ payload: purged }).where('stream', '=', sow).execute();
}

/**
 * Purges, for every handoff past retention and not on legal hold, its archived files and the personal
 * data of its events (the hash chain stays valid), recording a `PersonalDataPurged` event each. The
 * decision is the domain's and is taken again inside each handoff's transaction, so a hold set meanwhile
 * wins. With `dryRun`, only says what it would do. Files go after the record commits; a purge interrupted
 * between the two finishes removing them on the next run.
 */
export async function purgeArchives(
  baton: Baton,
  actor: ActorRef,
  options: { dryRun?: boolean; progress?: (done: number, total: number, sow: string) => void } = {},
): Promise<PurgeReport> {
  requireRole('purge', actor);
  const years = baton.playbook.retention.yearsAfterRelationshipEnds;
  const today = localDate(baton.now(), baton.calendar).toString();
  const states = await allStates(baton);
  const bySow = new Map(states.map((s) => [s.sow, s]));
  const plan = purgePlan(states, today, years);
  const rows: PurgeRow[] = [];
  for (const row of plan) {
    const state = bySow.get(row.sow) as HandoffState;
    const touchable = row.status === 'due' || row.status === 'purged';
    const files = touchable ? await archivedFiles(baton, state) : [];
    rows.push({
      ...row,
      files,
      action:
        row.status === 'due'
          ? 'purge'
          : row.status === 'purged' && files.length > 0
            ? 'files-removed'
            : 'keep',
    });
  }
  const report: PurgeReport = {
    dryRun: !!options.dryRun,
    today,
    yearsAfterRelationshipEnds: years,
    handoffs: rows,
    purged: [],
    filesRemoved: 0,
  };
  if (options.dryRun) return report;
  const work = rows.filter((r) => r.action !== 'keep');
  let done = 0;
  for (const row of work) {
    options.progress?.(done, work.length, row.sow);
    if (row.action === 'purge') {
      await purgeOne(baton, actor, row);
      row.action = 'purged';
      report.purged.push(row.sow);
    }
    report.filesRemoved += await removeFiles(baton, row.sow, row.files);
    options.progress?.(++done, work.length, row.sow);
  }
  return report;
}

async function purgeOne(baton: Baton, actor: ActorRef, row: PurgeRow): Promise<void> {
  const now = isoUtc(baton.now());
  try {
    await withTransaction(baton.store.db, async (trx) => {
      const state = replay((await readStream(trx, row.sow)).map(handoffEventOf));
      // Decided on the stream as it is now: a hold set since the plan was made refuses the purge.
      const events = decide({ type: 'purge', files: row.files }, state, {
        now,
        actor,
        playbook: baton.playbook,
        calendar: baton.calendar,
      });
      // Blank first, then record: the purge's own record keeps who ran it.
      await purgePersonal(trx, row.sow, { at: now });
      await appendEvents(trx, row.sow, state.version, events.map(toNewEvent));
      await purgeOutbox(trx, row.sow, now);
      // The notification log quotes contacts (the intro email's addresses): it goes with the rest.
      await purgeNotifications(trx, row.sow);
      await projectHandoff(trx, replay((await readStream(trx, row.sow)).map(handoffEventOf)), now);
    });
  } catch (e) {
    throw asAppError(e);
  }
}
