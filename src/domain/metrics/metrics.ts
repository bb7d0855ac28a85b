// The Chief of Staff's handoff quality metrics (SOP Section 9), computed from the handoffs' events.
//
// Every figure of a period counts facts that became known inside it, at the instant they became known, so
// a period's figures are final once it has ended (later events never change them):
//
// - opened: HandoffOpened in the period. submitted: handoffs whose FIRST submission is in the period;
//   submissions counts every PacketSubmitted (resubmissions too).
// - reviews: the decisions made in the period on a submitted version: PacketAcknowledged (passed) or
//   PacketRejected (failed). A version awaiting review has no outcome yet and is not counted.
// - first-pass pass rate: of the handoffs whose version 1 was decided in the period, the share whose
//   version 1 was acknowledged (no rejection before). Overall pass rate: acknowledgements / reviews.
// - remediation frequency: rejections in the period per handoff with any review decision in the period.
// - time-to-acknowledge: for each acknowledgement in the period, from the submission of the version that
//   was acknowledged to the acknowledgement (the 1-business-day clock the SOP gives customer.success runs
//   from each submission; remediation time is measured by the remediation figures, not here). In
//   wall-clock hours and in business hours (startOfBusiness-closeOfBusiness on business days, holidays
//   excluded). Median and 90th percentile by linear interpolation between closest ranks (as numpy's
//   default and Excel's PERCENTILE.INC); null when there is no acknowledgement.
// - clocks: each run of a clock counts once, when its outcome became known: met when met by its
//   deadline (at that instant), missed at its deadline when not met by then (met late or never). A run
//   not yet due at `now` counts neither way.
// - escalations and incidents: raised or filed in the period, by escalation kind.
// - failing checks: for each rejection in the period, the checks at fault in that version (those the
//   rejection names and those the gate failed), counted per rejected version, most frequent first.
// - active: a handoff opened before the period ends that was not yet finished when it began (discovery
//   not scheduled, relationship not ended), or that had any workflow event in the period. Section 9 puts
//   the metrics in the CEO Weekly Summary only when assessment deals were active.

import { Temporal } from 'temporal-polyfill';
import { type BusinessCalendar, businessHoursBetween } from '../calendar/index.ts';
import type { GateCheckId } from '../gate/index.ts';
import { gateCheckIds } from '../gate/index.ts';
import type { ClockId, Playbook } from '../playbook/index.ts';
import type { EscalationKind, HandoffEvent, IsoInstant } from '../workflow/types.ts';
import type { Period } from './period.ts';

export interface HandoffHistory {
  sow: string;
  /** The handoff's events, oldest first. */
  events: readonly HandoffEvent[];
}

export interface Rate {
  passed: number;
  of: number;
  /** passed / of, or null when there is nothing to rate. */
  rate: number | null;
}

export interface Spread {
  median: number | null;
  p90: number | null;
}

export interface AckSample {
  sow: string;
  submission: number;
  submittedAt: IsoInstant;
  acknowledgedAt: IsoInstant;
  wallClockHours: number;
  businessHours: number;
}

export interface HandoffMetrics {
  period: Period;
  /** When the figures were computed; runs of clocks not yet due then are not counted. */
  asOf: IsoInstant;
  handoffs: {
    active: string[];
    opened: number;
    submitted: number;
    acknowledged: number;
    scheduled: number;
  };
  submissions: { total: number; resubmissions: number };
  reviews: { total: number; acknowledged: number; rejected: number };
  passRate: { firstPass: Rate; overall: Rate };
  remediation: { rejections: number; handoffsReviewed: number; perHandoff: number | null };
  timeToAcknowledge: {
    count: number;
    wallClockHours: Spread;
    businessHours: Spread;
    samples: AckSample[];
  };
  clocks: { clock: ClockId; label: string; met: number; missed: number }[];
  escalations: { total: number; byKind: { kind: EscalationKind; count: number }[] };
  incidents: { total: number; byKind: { kind: EscalationKind; severity: string; count: number }[] };
  failingChecks: { check: GateCheckId; failures: number; handoffs: string[] }[];
}

export interface MetricsOptions {
  playbook: Playbook;
  calendar: BusinessCalendar;
  /** Now: clock runs due after it are still open. */
  now: IsoInstant;
}

/** Events that are about the archive, not the handoff's work: they do not make a deal active. */
export const governanceEventTypes: ReadonlySet<string> = new Set([
  'RelationshipEnded',
  'LegalHoldSet',
  'LegalHoldReleased',
  'PersonalDataPurged',
]);

/** Milliseconds since the epoch of an ISO instant (`Z` or an offset). */
export function epochMs(at: string): number {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? Temporal.Instant.from(at).epochMilliseconds : ms;
}

/** The p-quantile (0..1) of sorted numbers, linear between closest ranks; null for none. */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo] as number;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return below + (h - lo) * (above - below);
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const rate = (passed: number, of: number): Rate => ({ passed, of, rate: of === 0 ? null : passed / of });
const spread = (values: number[]): Spread => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const p90 = quantile(sorted, 0.9);
  return { median: median === null ? null : round2(median), p90: p90 === null ? null : round2(p90) };
};

/** What the figures are made of, read from one handoff's events (see factsOf). */
export interface HandoffFacts {
  sow: string;
  openedAt: number | null;
  scheduledAt: number | null;
  endedOn: string | null;
  workflowEvents: number[];
  submissions: Map<number, { at: number; atIso: string; gateFails: GateCheckId[] }>;
  decisions: {
    kind: 'ack' | 'reject';
    submission: number;
    at: number;
    atIso: string;
    checks: GateCheckId[];
  }[];
  clockRuns: Map<string, { clock: ClockId; due: number; metAt: number | null }>;
  escalations: Map<string, { kind: EscalationKind; at: number }>;
  incidents: { escalationId: string; severity: string; at: number }[];
}

/** One pass over a handoff's events: the facts the figures are made of. */
export function factsOf(history: HandoffHistory): HandoffFacts {
  const facts: HandoffFacts = {
    sow: history.sow,
    openedAt: null,
    scheduledAt: null,
    endedOn: null,
    workflowEvents: [],
    submissions: new Map(),
    decisions: [],
    clockRuns: new Map(),
    escalations: new Map(),
    incidents: [],
  };
  for (const event of history.events) {
    const d = event.data;
    const at = epochMs(event.at);
    if (!governanceEventTypes.has(event.type)) facts.workflowEvents.push(at);
    switch (event.type) {
      case 'HandoffOpened':
        facts.openedAt = at;
        break;
      case 'PacketSubmitted': {
        const gate = d.gate as { checks?: { id: GateCheckId; status: string }[] } | undefined;
        facts.submissions.set(d.n as number, {
          at,
          atIso: event.at,
          gateFails: (gate?.checks ?? []).filter((c) => c.status === 'fail').map((c) => c.id),
        });
        break;
      }
      case 'PacketAcknowledged':
        facts.decisions.push({
          kind: 'ack',
          submission: d.submission as number,
          at,
          atIso: event.at,
          checks: [],
        });
        break;
      case 'PacketRejected':
        facts.decisions.push({
          kind: 'reject',
          submission: d.submission as number,
          at,
          atIso: event.at,
          checks: (d.checks as GateCheckId[]) ?? [],
        });
        break;
      case 'DiscoveryScheduled':
        facts.scheduledAt ??= at;
        break;
      case 'ClockStarted':
        facts.clockRuns.set(`${d.clock}#${d.seq}`, {
          clock: d.clock as ClockId,
          due: epochMs(d.due as string),
          metAt: null,
        });
        break;
      case 'ClockMet': {
        const run = facts.clockRuns.get(`${d.clock}#${d.seq}`);
        if (run && run.metAt === null) run.metAt = at;
        break;
      }
      case 'EscalationRaised':
        facts.escalations.set(d.id as string, { kind: d.kind as EscalationKind, at });
        break;
      case 'IncidentFiled':
        facts.incidents.push({
          escalationId: d.escalationId as string,
          severity: (d.severity as string) ?? 'SEV2',
          at,
        });
        break;
      case 'RelationshipEnded':
        facts.endedOn = d.endedOn as string;
        break;
    }
  }
  return facts;
}

/**
 * The metrics of one period over the handoffs' histories. Pure: `now` and the calendar come in options.
 * (The dashboard calls this too, so that its figures are the CLI's.)
 */
export function metricsFor(
  histories: Iterable<HandoffHistory | HandoffFacts>,
  period: Period,
  options: MetricsOptions,
): HandoffMetrics {
  const start = epochMs(period.start);
  const end = epochMs(period.end);
  const now = epochMs(options.now);
  const inPeriod = (at: number): boolean => at >= start && at < end;

  const active: string[] = [];
  let opened = 0;
  let submitted = 0;
  let acknowledged = 0;
  let scheduled = 0;
  let submissions = 0;
  let resubmissions = 0;
  let rejections = 0;
  let firstPassed = 0;
  let firstDecided = 0;
  let handoffsReviewed = 0;
  const samples: AckSample[] = [];
  const clockCounts = new Map(options.playbook.clocks.map((c) => [c.id, { met: 0, missed: 0 }]));
  const escalations = new Map<EscalationKind, number>();
  const incidents = new Map<string, { kind: EscalationKind; severity: string; count: number }>();
  const failing = new Map<GateCheckId, { failures: number; handoffs: Set<string> }>();

  for (const item of histories) {
    const f = 'events' in item ? factsOf(item) : item;
    if (f.openedAt === null) continue;
    const startedBefore = f.openedAt < end;
    const finishedBefore =
      (f.scheduledAt !== null && f.scheduledAt < start) || (f.endedOn !== null && f.endedOn < period.from);
    if (startedBefore && (!finishedBefore || f.workflowEvents.some(inPeriod))) active.push(f.sow);
    if (inPeriod(f.openedAt)) opened++;
    if (f.scheduledAt !== null && inPeriod(f.scheduledAt)) scheduled++;
    for (const [n, s] of f.submissions) {
      if (!inPeriod(s.at)) continue;
      submissions++;
      if (n === 1) submitted++;
      else resubmissions++;
    }
    let reviewedHere = false;
    for (const decision of f.decisions) {
      if (!inPeriod(decision.at)) continue;
      reviewedHere = true;
      if (decision.submission === 1) {
        firstDecided++;
        if (decision.kind === 'ack') firstPassed++;
      }
      const version = f.submissions.get(decision.submission);
      if (decision.kind === 'ack') {
        acknowledged++;
        if (version) {
          const from = Temporal.Instant.fromEpochMilliseconds(version.at);
          const to = Temporal.Instant.fromEpochMilliseconds(decision.at);
          samples.push({
            sow: f.sow,
            submission: decision.submission,
            submittedAt: version.atIso,
            acknowledgedAt: decision.atIso,
            wallClockHours: round2((decision.at - version.at) / 3_600_000),
            businessHours: round2(businessHoursBetween(from, to, options.calendar)),
          });
        }
      } else {
        rejections++;
        for (const check of new Set([...decision.checks, ...(version?.gateFails ?? [])])) {
          const entry = failing.get(check) ?? { failures: 0, handoffs: new Set<string>() };
          entry.failures++;
          entry.handoffs.add(f.sow);
          failing.set(check, entry);
        }
      }
    }
    if (reviewedHere) handoffsReviewed++;
    for (const run of f.clockRuns.values()) {
      const counts = clockCounts.get(run.clock);
      if (!counts) continue;
      if (run.metAt !== null && run.metAt <= run.due) {
        if (inPeriod(run.metAt)) counts.met++;
      } else if (run.due < now && inPeriod(run.due)) counts.missed++;
    }
    for (const e of f.escalations.values())
      if (inPeriod(e.at)) escalations.set(e.kind, (escalations.get(e.kind) ?? 0) + 1);
    for (const i of f.incidents) {
      if (!inPeriod(i.at)) continue;
      const kind = f.escalations.get(i.escalationId)?.kind;
      if (!kind) continue;
      const key = `${kind} ${i.severity}`;
      const entry = incidents.get(key) ?? { kind, severity: i.severity, count: 0 };
      entry.count++;
      incidents.set(key, entry);
    }
  }

  samples.sort((a, b) => epochMs(a.acknowledgedAt) - epochMs(b.acknowledgedAt) || (a.sow < b.sow ? -1 : 1));
  const byCount = <T extends { count: number }>(rows: T[], key: (t: T) => string): T[] =>
    rows.sort((a, b) => b.count - a.count || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    period,
    asOf: options.now,
    handoffs: { active: active.sort(), opened, submitted, acknowledged, scheduled },
    submissions: { total: submissions, resubmissions },
    reviews: { total: acknowledged + rejections, acknowledged, rejected: rejections },
    passRate: {
      firstPass: rate(firstPassed, firstDecided),
      overall: rate(acknowledged, acknowledged + rejections),
    },
    remediation: {
      rejections,
      handoffsReviewed,
      perHandoff: handoffsReviewed === 0 ? null : rejections / handoffsReviewed,
    },
    timeToAcknowledge: {
      count: samples.length,
      wallClockHours: spread(samples.map((s) => s.wallClockHours)),
      businessHours: spread(samples.map((s) => s.businessHours)),
      samples,
    },
    clocks: options.playbook.clocks.map((c) => ({
      clock: c.id,
      label: c.label,
      ...(clockCounts.get(c.id) ?? { met: 0, missed: 0 }),
    })),
    escalations: {
      total: [...escalations.values()].reduce((a, b) => a + b, 0),
      byKind: byCount(
        [...escalations].map(([kind, count]) => ({ kind, count })),
        (r) => r.kind,
      ),
    },
    incidents: {
      total: [...incidents.values()].reduce((a, b) => a + b.count, 0),
      byKind: byCount([...incidents.values()], (r) => r.kind),
    },
    failingChecks: [...failing]
      .map(([check, e]) => ({ check, failures: e.failures, handoffs: [...e.handoffs].sort() }))
      .sort(
        (a, b) => b.failures - a.failures || gateCheckIds.indexOf(a.check) - gateCheckIds.indexOf(b.check),
      ),
  };
}

/** One point per week for the chart: the rates and time-to-acknowledge of that week. */
export interface WeeklyPoint {
  week: string;
  from: string;
  reviews: number;
  firstPassRate: number | null;
  overallPassRate: number | null;
  ackBusinessHoursMedian: number | null;
  ackBusinessHoursP90: number | null;
}

/** Each period's metrics, reading each history's events once (the facts are shared). */
export function metricsForPeriods(
  histories: Iterable<HandoffHistory>,
  periods: readonly Period[],
  options: MetricsOptions,
): HandoffMetrics[] {
  const facts = [...histories].map(factsOf);
  return periods.map((p) => metricsFor(facts, p, options));
}

export function weeklyPoint(m: HandoffMetrics): WeeklyPoint {
  return {
    week: m.period.label,
    from: m.period.from,
    reviews: m.reviews.total,
    firstPassRate: m.passRate.firstPass.rate,
    overallPassRate: m.passRate.overall.rate,
    ackBusinessHoursMedian: m.timeToAcknowledge.businessHours.median,
    ackBusinessHoursP90: m.timeToAcknowledge.businessHours.p90,
  };
}
