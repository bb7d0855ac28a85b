// The CEO Weekly Summary's handoff-quality section (SOP Section 9), as markdown to paste in, and the same
// figures as a Slack message. Only figures, check ids and SOW numbers appear: no packet text.

import { Temporal } from 'temporal-polyfill';
import type { HandoffMetrics, Rate } from './metrics.ts';

export interface SummaryOptions {
  /** The chart's file name, relative to the markdown file. */
  chartFile: string;
  /** The same figures for the week before, for the comparison column. */
  previous?: HandoffMetrics;
  /** SOP Delta proposals drafted during the week. */
  deltas?: { id: string; path: string }[];
}

/** Escapes text for markdown (table cells included): no structure, links or HTML. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#()!]/g, (c) => `\\${c}`).replace(/\s*\n\s*/g, ' ');
}

const percent = (r: Rate): string =>
  r.rate === null ? 'no reviews' : `${Math.round(r.rate * 100)}% (${r.passed} of ${r.of})`;
const hours = (h: number | null): string => (h === null ? '–' : `${h.toFixed(1)} h`);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function dayRange(m: HandoffMetrics): string {
  const from = Temporal.PlainDate.from(m.period.from);
  const to = Temporal.PlainDate.from(m.period.to);
  const month = (d: Temporal.PlainDate) => d.toLocaleString('en-US', { month: 'short' });
  return from.month === to.month
    ? `${month(from)} ${from.day}–${to.day}, ${to.year}`
    : `${month(from)} ${from.day} – ${month(to)} ${to.day}, ${to.year}`;
}

function rows(m: HandoffMetrics): [string, string][] {
  const t = m.timeToAcknowledge;
  return [
    ['First-pass gate pass rate', percent(m.passRate.firstPass)],
    ['Overall gate pass rate', percent(m.passRate.overall)],
    [
      'Remediation frequency (rejections per handoff reviewed)',
      m.remediation.perHandoff === null
        ? 'no reviews'
        : `${m.remediation.perHandoff.toFixed(2)} (${plural(m.remediation.rejections, 'rejection')}, ${plural(m.remediation.handoffsReviewed, 'handoff')})`,
    ],
    [
      'Time to acknowledge, median (business / wall clock)',
      t.count === 0
        ? 'none acknowledged'
        : `${hours(t.businessHours.median)} / ${hours(t.wallClockHours.median)}`,
    ],
    [
      'Time to acknowledge, 90th percentile (business / wall clock)',
      t.count === 0 ? 'none acknowledged' : `${hours(t.businessHours.p90)} / ${hours(t.wallClockHours.p90)}`,
    ],
    [
      'Clocks met / missed',
      `${m.clocks.reduce((a, c) => a + c.met, 0)} / ${m.clocks.reduce((a, c) => a + c.missed, 0)}`,
    ],
    ['Escalations / incidents', `${m.escalations.total} / ${m.incidents.total}`],
  ];
}

/** True when Section 9 asks for the section: assessment deals were active in the period. */
export function summaryWanted(m: HandoffMetrics): boolean {
  return m.handoffs.active.length > 0;
}

/** The markdown section for the CEO Weekly Summary. */
export function renderWeeklySummary(m: HandoffMetrics, options: SummaryOptions): string {
  const e = escapeMarkdown;
  const lines: string[] = [
    `### Assessment handoff quality, ${e(m.period.label)} (${dayRange(m)})`,
    '',
    `Active assessment deals: ${m.handoffs.active.length} (${m.handoffs.active.map(e).join(', ')}). ` +
      `This week ${m.handoffs.opened} opened, ${m.handoffs.submitted} first submitted, ` +
      `${plural(m.submissions.resubmissions, 'resubmission')}, ${m.handoffs.acknowledged} acknowledged, ` +
      `${m.handoffs.scheduled} with discovery scheduled.`,
    '',
  ];
  const previous = options.previous ? rows(options.previous) : undefined;
  lines.push(
    previous
      ? `| Measure | ${e(m.period.label)} | ${e(options.previous?.period.label ?? '')} |`
      : `| Measure | ${e(m.period.label)} |`,
    previous ? '| --- | --- | --- |' : '| --- | --- |',
  );
  rows(m).forEach(([label, value], i) => {
    lines.push(previous ? `| ${label} | ${value} | ${previous[i]?.[1] ?? ''} |` : `| ${label} | ${value} |`);
  });
  lines.push('');
  const missed = m.clocks.filter((c) => c.missed > 0);
  lines.push(
    missed.length === 0
      ? '- Clocks missed: none.'
      : `- Clocks missed: ${missed.map((c) => `${e(c.label)} ${c.missed}`).join('; ')}.`,
  );
  lines.push(
    m.failingChecks.length === 0
      ? '- Checks failed: none.'
      : `- Checks that failed most: ${m.failingChecks
          .slice(0, 3)
          .map((c) => `${e(c.check)} ${c.failures}× (${c.handoffs.map(e).join(', ')})`)
          .join('; ')}.`,
  );
  if (m.escalations.total > 0)
    lines.push(`- Escalations: ${m.escalations.byKind.map((k) => `${e(k.kind)} ${k.count}`).join('; ')}.`);
  if (m.incidents.total > 0)
    lines.push(
      `- Incidents: ${m.incidents.byKind.map((k) => `${e(k.severity)} ${e(k.kind)} ${k.count}`).join('; ')}.`,
    );
  if (options.deltas && options.deltas.length > 0)
    lines.push(
      `- SOP Delta proposals drafted for review: ${options.deltas.map((d) => `${e(d.id)} (${e(d.path)})`).join('; ')}.`,
    );
  lines.push(
    '',
    `![Gate pass rate and time to acknowledge, last weeks to ${e(m.period.label)}](${encodeURI(options.chartFile)})`,
    '',
    '_First-pass: handoffs whose first version was acknowledged without a rejection, of those whose first version was decided this week. ' +
      'Time to acknowledge: from the submission of the acknowledged version; business hours exclude nights, weekends and holidays._',
    '',
  );
  return lines.join('\n');
}

/** Escapes text for Slack mrkdwn (&, <, > are its control characters). */
export function escapeSlack(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** The same figures as a Slack message (mrkdwn). */
export function slackSummaryText(m: HandoffMetrics): string {
  const s = escapeSlack;
  const t = m.timeToAcknowledge;
  const lines = [
    `*Assessment handoff quality, ${s(m.period.label)}* (${s(dayRange(m))})`,
    `• Active deals: ${m.handoffs.active.length}; opened ${m.handoffs.opened}, first submitted ${m.handoffs.submitted}, acknowledged ${m.handoffs.acknowledged}`,
    `• First-pass gate pass rate: ${s(percent(m.passRate.firstPass))}`,
    `• Overall gate pass rate: ${s(percent(m.passRate.overall))}`,
    `• Remediation: ${m.remediation.perHandoff === null ? 'no reviews' : `${m.remediation.perHandoff.toFixed(2)} rejections per handoff`}`,
    `• Time to acknowledge: ${t.count === 0 ? 'none acknowledged' : `median ${hours(t.businessHours.median)}, p90 ${hours(t.businessHours.p90)} (business hours)`}`,
  ];
  const missed = m.clocks.filter((c) => c.missed > 0);
  if (missed.length > 0)
    lines.push(`• Clocks missed: ${missed.map((c) => `${s(c.label)} ${c.missed}`).join(', ')}`);
  if (m.failingChecks.length > 0)
    lines.push(
      `• Most failed checks: ${m.failingChecks
        .slice(0, 3)
        .map((c) => `${s(c.check)} (${c.failures})`)
        .join(', ')}`,
    );
  return lines.join('\n');
}
