// SOP Delta drafts (SOP Section 7: "patterns of handoff failure across multiple deals should trigger a
// Section 6E SOP Delta proposing process improvements"). baton only drafts: a proposal is a markdown file
// for people to review; no rule, clock or playbook value is ever changed by it.
//
// The pattern: among the `recentHandoffs` most recently opened handoffs (10 by default), the same gate
// check failed in at least `checkFailures` of them (3), or the same clock was missed in at least
// `clockMisses` of them (3). A check failed in a handoff when the gate marked it `fail` on any submitted
// version or a rejection named it. A clock was missed when a run of it passed its deadline unmet.
//
// Never the same proposal twice: a proposal is identified by its pattern (check or clock) and its
// evidence (the handoffs it cites). A pattern that was drafted before is drafted again only when it recurs
// on fresh evidence: at least the threshold number of failing handoffs that no earlier draft of the same
// pattern cited.

import { gateRules } from '../gate/index.ts';
import type { GateCheckId } from '../gate/types.ts';
import { epochMs, type HandoffHistory } from '../metrics/metrics.ts';
import { escapeMarkdown } from '../metrics/summary.ts';
import type { ClockId, Playbook } from '../playbook/index.ts';
import type { IsoDate, IsoInstant } from '../workflow/types.ts';

export interface CheckOccurrence {
  submission: number;
  submittedAt: IsoInstant;
  /** The gate marked the check `fail` on this version. */
  gateFailed: boolean;
  /** The rejection of this version named the check. */
  rejected: boolean;
  /** Where the gate found fault (field and line; finding texts are personal data and stay in the store). */
  findings: { field: string; line: number }[];
}

export interface ClockOccurrence {
  seq: number;
  due: IsoInstant;
  /** When it was met after all (late), or null. */
  metAt: IsoInstant | null;
}

export type DeltaEvidence =
  | { sow: string; kind: 'check'; occurrences: CheckOccurrence[] }
  | { sow: string; kind: 'clock'; occurrences: ClockOccurrence[] };

export interface DeltaPattern {
  pattern: 'check' | 'clock';
  subject: GateCheckId | ClockId;
  /** For the file name: `check-contacts-complete`, `clock-ack-due`. */
  slug: string;
  /** The check's title or the clock's label. */
  title: string;
  threshold: number;
  /** The handoffs looked at, most recently opened first. */
  recent: string[];
  /** The handoffs among them where the check failed or the clock was missed, most recent first. */
  evidence: DeltaEvidence[];
}

/** A proposal drafted earlier: its pattern and the handoffs it cited. */
export interface DraftedDelta {
  id: string;
  pattern: 'check' | 'clock';
  subject: string;
  handoffs: string[];
}

const checkTitles = new Map<string, string>(gateRules.map((r) => [r.id, r.title]));
const kebab = (text: string): string => text.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

interface HandoffView {
  sow: string;
  openedAt: number;
  checks: Map<GateCheckId, CheckOccurrence[]>;
  clocks: Map<ClockId, ClockOccurrence[]>;
}

interface SubmittedVersion {
  n: number;
  at: IsoInstant;
  gateFailed: Set<GateCheckId>;
  named: Set<GateCheckId>;
  findings: { check: string; field: string; line: number }[];
}

/** One handoff as the patterns need it: when it opened, the versions each check failed in, the missed clocks. */
function viewOf(history: HandoffHistory, now: number): HandoffView | null {
  let openedAt: number | null = null;
  const versions = new Map<number, SubmittedVersion>();
  const runs = new Map<string, { clock: ClockId; seq: number; due: string; metAt: string | null }>();
  for (const event of history.events) {
    const d = event.data;
    switch (event.type) {
      case 'HandoffOpened':
        openedAt = epochMs(event.at);
        break;
      case 'PacketSubmitted': {
        const gate = d.gate as { checks?: { id: GateCheckId; status: string }[] } | undefined;
        const findings = event.personal?.findings;
        versions.set(d.n as number, {
          n: d.n as number,
          at: event.at,
          gateFailed: new Set((gate?.checks ?? []).filter((c) => c.status === 'fail').map((c) => c.id)),
          named: new Set(),
          findings: Array.isArray(findings) ? (findings as SubmittedVersion['findings']) : [],
        });
        break;
      }
      case 'PacketRejected':
        for (const check of (d.checks as GateCheckId[]) ?? [])
          versions.get(d.submission as number)?.named.add(check);
        break;
      case 'ClockStarted':
        runs.set(`${d.clock}#${d.seq}`, {
          clock: d.clock as ClockId,
          seq: d.seq as number,
          due: d.due as string,
          metAt: null,
        });
        break;
      case 'ClockMet': {
        const run = runs.get(`${d.clock}#${d.seq}`);
        if (run && run.metAt === null) run.metAt = event.at;
        break;
      }
    }
  }
  if (openedAt === null) return null;
  const checks = new Map<GateCheckId, CheckOccurrence[]>();
  for (const v of versions.values()) {
    for (const check of new Set([...v.gateFailed, ...v.named])) {
      const occurrences = checks.get(check) ?? [];
      occurrences.push({
        submission: v.n,
        submittedAt: v.at,
        gateFailed: v.gateFailed.has(check),
        rejected: v.named.has(check),
        findings: v.findings
          .filter((f) => f.check === check)
          .map((f) => ({ field: String(f.field), line: Number(f.line) })),
      });
      checks.set(check, occurrences);
    }
  }
  const clocks = new Map<ClockId, ClockOccurrence[]>();
  for (const run of runs.values()) {
    const due = epochMs(run.due);
    const missed = run.metAt === null ? due < now : epochMs(run.metAt) > due;
    if (!missed) continue;
    const occurrences = clocks.get(run.clock) ?? [];
    occurrences.push({ seq: run.seq, due: run.due, metAt: run.metAt });
    clocks.set(run.clock, occurrences);
  }
  return { sow: history.sow, openedAt, checks, clocks };
}

/** The patterns in the most recent handoffs that reach the playbook's thresholds. */
export function findPatterns(
  histories: Iterable<HandoffHistory>,
  playbook: Playbook,
  now: IsoInstant,
): DeltaPattern[] {
  const { recentHandoffs, checkFailures, clockMisses } = playbook.governance.sopDelta;
  const nowMs = epochMs(now);
  const views: HandoffView[] = [];
  for (const h of histories) {
    const view = viewOf(h, nowMs);
    if (view) views.push(view);
  }
  views.sort((a, b) => b.openedAt - a.openedAt || (a.sow < b.sow ? 1 : -1));
  const recent = views.slice(0, recentHandoffs);
  const recentSows = recent.map((v) => v.sow);
  const patterns: DeltaPattern[] = [];
  for (const rule of gateRules) {
    const evidence: DeltaEvidence[] = recent.flatMap((v) => {
      const occurrences = v.checks.get(rule.id);
      return occurrences ? [{ sow: v.sow, kind: 'check' as const, occurrences }] : [];
    });
    if (evidence.length >= checkFailures)
      patterns.push({
        pattern: 'check',
        subject: rule.id,
        slug: `check-${rule.id}`,
        title: rule.title,
        threshold: checkFailures,
        recent: recentSows,
        evidence,
      });
  }
  for (const clock of playbook.clocks) {
    const evidence: DeltaEvidence[] = recent.flatMap((v) => {
      const occurrences = v.clocks.get(clock.id);
      return occurrences ? [{ sow: v.sow, kind: 'clock' as const, occurrences }] : [];
    });
    if (evidence.length >= clockMisses)
      patterns.push({
        pattern: 'clock',
        subject: clock.id,
        slug: `clock-${kebab(clock.id)}`,
        title: clock.label,
        threshold: clockMisses,
        recent: recentSows,
        evidence,
      });
  }
  return patterns;
}

/**
 * The patterns that make a new proposal: never drafted, or recurring on fresh evidence (at least the
 * threshold number of failing handoffs no earlier draft of the same pattern cited). Each comes with the
 * ids of the earlier drafts of its pattern.
 */
export function newProposals(
  patterns: readonly DeltaPattern[],
  drafted: readonly DraftedDelta[],
): { pattern: DeltaPattern; earlier: string[] }[] {
  const out: { pattern: DeltaPattern; earlier: string[] }[] = [];
  for (const pattern of patterns) {
    const earlier = drafted.filter((d) => d.pattern === pattern.pattern && d.subject === pattern.subject);
    const cited = new Set(earlier.flatMap((d) => d.handoffs));
    const fresh = pattern.evidence.filter((e) => !cited.has(e.sow));
    if (fresh.length >= pattern.threshold) out.push({ pattern, earlier: earlier.map((d) => d.id) });
  }
  return out;
}

/** `DELTA-2026-0514-check-contacts-complete`, with `-2`, `-3`... when that id is taken. */
export function deltaId(date: IsoDate, slug: string, taken: ReadonlySet<string>): string {
  const [year, month, day] = date.split('-');
  const stem = `DELTA-${year}-${month}${day}-${slug}`;
  let id = stem;
  for (let n = 2; taken.has(id); n++) id = `${stem}-${n}`;
  return id;
}

/** What the draft proposes for people to consider, per check and per clock. */
const checkProposals: Record<GateCheckId, string> = {
  'required-fields':
    'Add a completeness pass to Section 5 Step 1: before filing, the CRO (or sales.ops) runs `baton gate` on the packet and fills every required field; consider whether fields that are repeatedly left blank are truly required at handoff time, or belong to discovery.',
  'sow-accessible':
    'Make filing the executed SOW (with its date and version) part of the SOW-signing step, so the packet links a copy that is already in the knowledge root.',
  'payment-confirmed':
    'Tighten the Section 2 trigger: assemble the packet only after payment is received or processing has been initiated, and record the confirmation date in the CRM first.',
  'timeline-alignment':
    'Give the CRO a standard delivery timeline to quote (from the SOW Section 4 limits and the minimum time from discovery to readout), and require CEO or customer.success agreement before promising anything shorter.',
  'scope-alignment':
    'Route any module change or scope deviation to the CEO before the SOW is signed (Decision Rights), so the packet only records approved scope.',
  'expectation-alignment':
    "Add a scripted expectation check to the close: the CRO reads back the Assessment deliverables (discovery, diagnostic, findings report, recommendations, readout) and records the customer's words; work outside the Assessment goes to a follow-on proposal.",
  'contacts-complete':
    "Add a contact-verification step to Section 5 Step 1: the CRO confirms the champion's and executive sponsor's name, title, email and phone with the customer (no placeholders) before filing the packet.",
  'crm-item-exists':
    'Create the Monday.com item when the deal is qualified and move it to the expected status as part of the handoff checklist, so the gate can find it.',
};

const clockProposals: Record<ClockId, string> = {
  packetDue:
    'Review whether 2 business days from payment confirmation is realistic for assembling the packet, or start the packet at SOW signing so it is ready when payment lands.',
  ackDue:
    'Review customer.success capacity for acknowledging within 1 business day: name a backup reviewer, or set a review slot each day; alternatively propose a longer acknowledgement window.',
  remediationDue:
    'Review why remediation takes longer than 1 business day: if it waits on the customer, let the CRO start the outreach at rejection time and say so in the rejection.',
  kickoffDue:
    'Review the scheduling step: offer the customer discovery slots together with the acknowledgement, or propose a longer kickoff window.',
  discoveryScheduleDue:
    'The SOW Section 4 limit (discovery within 5 business days of SOW execution) is being missed: review whether the handoff clocks can fit inside it, or propose changing the SOW template.',
  misalignmentResolveDue:
    'Expectation misalignments are not resolved within 1 business day: involve the Chief of Staff earlier, or settle expectations before the SOW is signed.',
};

/** The proposal as markdown, for `<root>/<paths.sopDeltas>/<id>.md`. */
export function renderDelta(
  draft: { pattern: DeltaPattern; earlier: string[] },
  meta: { id: string; draftedAt: IsoInstant; playbook: Playbook; trigger: string },
): string {
  const { pattern, earlier } = draft;
  const p = meta.playbook;
  const what =
    pattern.pattern === 'check'
      ? `The quality-gate check \`${pattern.subject}\` (${escapeMarkdown(pattern.title)}) failed`
      : `The clock \`${pattern.subject}\` (${escapeMarkdown(pattern.title)}) was missed`;
  const lines = [
    `# SOP Delta proposal: ${escapeMarkdown(pattern.title)} (${pattern.pattern === 'check' ? 'quality gate' : 'business-day clock'})`,
    '',
    '| Field | Value |',
    '| --- | --- |',
    `| Id | ${meta.id} |`,
    '| Status | Draft for review: baton drafted it; it changes no rule. |',
    `| SOP | ${escapeMarkdown(p.name)}, playbook ${escapeMarkdown(p.id)} ${escapeMarkdown(p.version)} |`,
    `| Drafted | ${meta.draftedAt} (${escapeMarkdown(meta.trigger)}) |`,
    '| For | Chief of Staff (pattern review), CRO and customer.success (co-authors), CEO (approval) |',
    ...(earlier.length > 0 ? [`| Earlier drafts of this pattern | ${earlier.join(', ')} |`] : []),
    '',
    '## Pattern',
    '',
    `${what} in ${pattern.evidence.length} of the last ${pattern.recent.length} handoffs (threshold: ${pattern.threshold} of ${p.governance.sopDelta.recentHandoffs}).` +
      (earlier.length > 0 ? ' It recurs on handoffs no earlier draft cited.' : ''),
    '',
    `Handoffs looked at, most recent first: ${pattern.recent.join(', ')}.`,
    '',
    '## Evidence',
    '',
  ];
  if (pattern.pattern === 'check') {
    lines.push(
      '| Handoff | Version | Submitted | Gate | Rejection named it | Findings (field, line) |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const e of pattern.evidence)
      if (e.kind === 'check')
        for (const o of e.occurrences)
          lines.push(
            `| ${e.sow} | ${o.submission} | ${o.submittedAt} | ${o.gateFailed ? 'fail' : 'not failed'} | ${o.rejected ? 'yes' : 'no'} | ${o.findings.length === 0 ? '(none recorded)' : o.findings.map((f) => `${escapeMarkdown(f.field)} (line ${f.line})`).join('; ')} |`,
          );
  } else {
    lines.push('| Handoff | Run | Due | Met |', '| --- | --- | --- | --- |');
    for (const e of pattern.evidence)
      if (e.kind === 'clock')
        for (const o of e.occurrences)
          lines.push(`| ${e.sow} | ${o.seq} | ${o.due} | ${o.metAt ? `late, ${o.metAt}` : 'not met'} |`);
  }
  lines.push(
    '',
    "The findings' full text stays with each handoff (`baton status SOW`, `baton history SOW`).",
    '',
    '## Proposed change (for review)',
    '',
    pattern.pattern === 'check'
      ? checkProposals[pattern.subject as GateCheckId]
      : clockProposals[pattern.subject as ClockId],
    '',
    '## Review',
    '',
    '- [ ] Chief of Staff: pattern confirmed',
    '- [ ] CRO and customer.success: change agreed',
    '- [ ] CEO: approved, SOP version raised and playbook updated by a person',
    '',
  );
  return lines.join('\n');
}

/** The check or clock title for an id (for listings). */
export function patternTitle(pattern: 'check' | 'clock', subject: string, playbook: Playbook): string {
  return pattern === 'check'
    ? (checkTitles.get(subject) ?? subject)
    : (playbook.clocks.find((c) => c.id === subject)?.label ?? subject);
}
