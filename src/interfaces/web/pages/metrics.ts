/** The Chief of Staff's metrics (SOP Section 9): one week's figures and the 8-week chart. */
import type { HandoffMetrics, Rate, Spread } from '../../../domain/metrics/index.ts';
import { html, type SafeHtml } from '../html.ts';
import { type PageContext, page } from '../layout.ts';

const percent = (r: Rate): string =>
  r.rate === null ? '—' : `${Math.round(r.rate * 100)}% (${r.passed} of ${r.of})`;
const hours = (s: Spread): string =>
  s.median === null ? '—' : `median ${s.median.toFixed(1)} h, p90 ${(s.p90 ?? s.median).toFixed(1)} h`;

export function metricsPage(ctx: PageContext, week: string, m: HandoffMetrics, problem?: string): SafeHtml {
  return page(
    'Metrics',
    ctx,
    html`${problem ? html`<p class="problem" role="alert">${problem}</p>` : ''}
<form class="filters" method="get" action="/metrics" aria-label="Week">
  <div><label for="f-week">ISO week</label><input id="f-week" name="week" value="${week}" pattern="\\d{4}-W\\d{2}" placeholder="2026-W20"></div>
  <div><button type="submit">Show</button></div>
</form>
<section class="panel" aria-labelledby="h-chart"><h2 id="h-chart">Pass rate and time to acknowledge, last weeks</h2>
  <img src="/metrics/chart.svg?week=${week}" alt="Chart of the first-pass and overall gate pass rate and the median time to acknowledge for the weeks up to ${week}" width="720">
</section>
<section class="panel" aria-labelledby="h-week"><h2 id="h-week">Week ${m.period.label}</h2>
<table>
  <tbody>
    <tr><th scope="row">Handoffs opened / submitted</th><td>${m.handoffs.opened} / ${m.handoffs.submitted}</td></tr>
    <tr><th scope="row">First-pass gate pass rate</th><td>${percent(m.passRate.firstPass)}</td></tr>
    <tr><th scope="row">Overall pass rate</th><td>${percent(m.passRate.overall)}</td></tr>
    <tr><th scope="row">Rejections per handoff</th><td>${m.remediation.perHandoff === null ? '—' : m.remediation.perHandoff.toFixed(2)}</td></tr>
    <tr><th scope="row">Time to acknowledge (wall clock)</th><td>${hours(m.timeToAcknowledge.wallClockHours)}</td></tr>
    <tr><th scope="row">Time to acknowledge (business hours)</th><td>${hours(m.timeToAcknowledge.businessHours)}</td></tr>
  </tbody>
</table>
<h3>Clocks</h3>
<table><thead><tr><th scope="col">Clock</th><th scope="col">Met</th><th scope="col">Missed</th></tr></thead>
<tbody>${m.clocks.map((c) => html`<tr><td>${c.label}</td><td>${c.met}</td><td>${c.missed}</td></tr>`)}</tbody></table>
<h3>Escalations and incidents</h3>
${
  m.escalations.total + m.incidents.total === 0
    ? html`<p class="muted">None.</p>`
    : html`<ul>${m.escalations.byKind.map((e) => html`<li>${e.count} escalation${e.count === 1 ? '' : 's'}: ${e.kind}</li>`)}${m.incidents.byKind.map((i) => html`<li>${i.count} ${i.severity} incident${i.count === 1 ? '' : 's'}: ${i.kind}</li>`)}</ul>`
}
<h3>Checks that fail most</h3>
${
  m.failingChecks.length === 0
    ? html`<p class="muted">None.</p>`
    : html`<ol>${m.failingChecks.map((c) => html`<li>${c.check}: ${c.failures} (${c.handoffs.join(', ')})</li>`)}</ol>`
}
</section>`,
  );
}
