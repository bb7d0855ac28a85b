import MarkdownIt from 'markdown-it';
import type { HistoryEntry, StatusView } from '../../../app/handoff-queries.ts';
import type { PacketOnRecord } from '../../../app/packet-editing.ts';
import { escalationPolicies } from '../../../domain/escalation/index.ts';
import { type CheckResult, gateCheckIds } from '../../../domain/gate/index.ts';
import type { Playbook } from '../../../domain/playbook/index.ts';
import { paymentStatuses, type Role } from '../../../domain/workflow/index.ts';
import { html, raw, type SafeHtml } from '../html.ts';
import { at, badge, csrfField, eventLabel, hoursLeft, type PageContext, page } from '../layout.ts';

export interface HandoffPageData {
  status: StatusView & { allowed: string[] };
  history: HistoryEntry[];
  packet: PacketOnRecord;
  /** The Section 6C report as filed (markdown), when there is one. */
  report?: string;
  mayEdit: boolean;
  playbook: Playbook;
}

// The filed report is markdown the program wrote (names and notes escaped in it); rendered with raw HTML
// off, so even a name that slipped through stays text. Links are not made from bare URLs.
const markdown = new MarkdownIt('commonmark', { html: false, linkify: false }).enable('table');

function summary(s: StatusView, ctx: PageContext): SafeHtml {
  const ack = s.acknowledgement;
  return html`<section class="panel" aria-labelledby="h-summary">
  <h2 id="h-summary">Summary</h2>
  <div class="marks">${badge(s.state, `state-${s.state}`)}${s.clocks.some((c) => c.overdue) ? badge('overdue', 'overdue') : ''}${s.escalated ? badge('escalated', 'escalated') : ''}</div>
  <dl class="facts">
    <dt>Version</dt><dd>${s.version}</dd>
    <dt>Opened</dt><dd>${at(s.openedAt, ctx.timeZone)}</dd>
    <dt>Sold on</dt><dd>${s.soldOn ?? '—'}</dd>
    <dt>SOW signed on</dt><dd>${s.sowSignedOn ?? '—'}</dd>
    <dt>Payment</dt><dd>${s.payment ? html`${s.payment.status}${s.payment.confirmedAt ? html`, confirmed ${at(s.payment.confirmedAt, ctx.timeZone)}` : ''}` : '—'}</dd>
    <dt>Submissions</dt><dd>${s.submissions.length}${s.rejections.length > 0 ? `, ${s.rejections.length} rejected` : ''}</dd>
    <dt>Acknowledged by</dt><dd>${ack ? html`${ack.by.name} (${ack.by.role}), ${at(ack.at, ctx.timeZone)}, version ${ack.submission}` : '—'}</dd>
    <dt>Discovery session</dt><dd>${s.discovery ? html`${at(s.discovery.at, ctx.timeZone)} (booked by ${s.discovery.by.name})` : '—'}</dd>
    <dt>Warm introduction</dt><dd>${s.introduction ? html`sent ${at(s.introduction.at, ctx.timeZone)} by ${s.introduction.by.name}` : '—'}</dd>
    <dt>Files</dt><dd>packet <code>${s.files.packet}</code>; report <code>${s.files.report}</code></dd>
  </dl>
  ${s.warnings.map((w) => html`<p class="notice">${w}</p>`)}
  ${s.flags.map((f) => html`<p class="notice">Flagged by ${f.by}, ${at(f.at, ctx.timeZone)}: ${f.note}</p>`)}
  ${s.ceoApprovals.map((a) => html`<p class="flash">Scope deviation approved by ${a.by}, ${at(a.at, ctx.timeZone)}: ${a.note}</p>`)}
</section>`;
}

function clocks(s: StatusView, ctx: PageContext, playbook: Playbook): SafeHtml {
  const label = (id: string) => playbook.clocks.find((c) => c.id === id)?.label ?? id;
  return html`<section class="panel" aria-labelledby="h-clocks">
  <h2 id="h-clocks">Clocks</h2>
  ${
    s.clocks.length === 0
      ? html`<p class="muted">No clock has started.</p>`
      : html`<table>
    <thead><tr><th scope="col">Clock</th><th scope="col">Started</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">Time left</th></tr></thead>
    <tbody>${s.clocks.map(
      (c) => html`<tr${c.overdue ? html` class="overdue"` : ''}>
      <td>${label(c.name)}${c.seq > 1 ? ` (#${c.seq})` : ''}</td>
      <td>${c.startedAt.length === 10 ? c.startedAt : at(c.startedAt, ctx.timeZone)}</td>
      <td>${at(c.due, ctx.timeZone)}</td>
      <td><span class="status-${c.status}">${c.status}</span>${c.late ? ' (late)' : ''}${c.metAt ? html`, ${at(c.metAt, ctx.timeZone)}` : ''}</td>
      <td>${c.businessHoursLeft === null ? '—' : hoursLeft(c.businessHoursLeft)}</td>
    </tr>`,
    )}</tbody></table>`
  }
</section>`;
}

function checkTitle(id: string, checks: CheckResult[] | undefined): string {
  return checks?.find((c) => c.id === id)?.title ?? id;
}

function actions(d: HandoffPageData, ctx: PageContext): SafeHtml {
  const s = d.status;
  const allowed = new Set(s.allowed);
  const sow = s.sow;
  const checks = d.packet.gate?.checks;
  const current = s.submissions.at(-1);
  const attested = new Set(current?.attested.map((a) => a.check) ?? []);
  const reviews = (checks ?? []).filter((c) => c.status === 'review' && !attested.has(c.id));
  const forms: SafeHtml[] = [];
  const form = (action: string, title: string, body: SafeHtml, button: string, extra = '') =>
    html`<form class="stack panel" method="post" action="/handoffs/${sow}/${action}" aria-label="${title}">
    <h3>${title}</h3>${csrfField(ctx)}${body}<div><button type="submit"${extra ? html` class="${extra}"` : ''}>${button}</button></div></form>`;
  const version = html`<input type="hidden" name="expectedVersion" value="${s.version}">`;

  if (d.mayEdit || allowed.has('submit'))
    forms.push(
      html`<div class="stack panel"><h3>The packet</h3>
      ${d.mayEdit ? html`<p><a class="button" href="/handoffs/${sow}/packet">Edit the packet</a> (the gate runs as you type)</p>` : ''}
      ${
        allowed.has('submit')
          ? html`<form method="post" action="/handoffs/${sow}/submit">${csrfField(ctx)}<button type="submit" class="secondary">Submit the packet file as it is</button></form>`
          : ''
      }</div>`,
    );
  if (allowed.has('ack'))
    forms.push(
      form(
        'ack',
        'Acknowledge the packet',
        html`${version}${
          reviews.length > 0
            ? html`<p>The gate marked these checks for review; write why each is acceptable.</p>${reviews.map(
                (c) =>
                  html`<div><label for="ack-${c.id}">Attestation: ${c.title} (${c.id})</label><textarea id="ack-${c.id}" name="attest.${c.id}" required></textarea></div>`,
              )}`
            : html`<p>The gate passes on the submitted version${attested.size > 0 ? ' with the attestations recorded' : ''}.</p>`
        }`,
        'Acknowledge',
      ),
    );
  if (allowed.has('reject'))
    forms.push(
      form(
        'reject',
        'Reject the packet',
        html`${version}<fieldset><legend>Failed checks</legend>${gateCheckIds.map(
          (id) =>
            html`<div class="check"><input type="checkbox" id="rej-${id}" name="checks" value="${id}"${checks?.find((c) => c.id === id)?.status === 'fail' ? html` checked` : ''}> <label for="rej-${id}">${checkTitle(id, checks)} <span class="muted">(${id})</span></label></div>`,
        )}</fieldset>
        <div><label for="rej-reason">Reason</label><textarea id="rej-reason" name="reason"></textarea></div>`,
        'Reject',
        'danger',
      ),
    );
  if (allowed.has('attest') && reviews.length > 0)
    forms.push(
      form(
        'attest',
        'Attest a review',
        html`<div><label for="att-check">Check</label><select id="att-check" name="check">${reviews.map((c) => html`<option value="${c.id}">${c.title} (${c.id})</option>`)}</select></div>
        <div><label for="att-reason">Why it is acceptable</label><textarea id="att-reason" name="reason" required></textarea></div>`,
        'Attest',
      ),
    );
  if (allowed.has('schedule'))
    forms.push(
      form(
        'schedule',
        'Schedule the discovery session',
        html`<div><label for="sch-at">Discovery session (${ctx.timeZone})</label><input type="datetime-local" id="sch-at" name="discovery" required></div>`,
        'Record the booking',
      ),
    );
  if (allowed.has('intro'))
    forms.push(
      form(
        'intro',
        'Warm introduction',
        html`<p>Introduce customer.success to the champion and the scheduling contact named in the packet.</p>`,
        'Send the introduction',
      ),
    );
  if (allowed.has('approve-deviation'))
    forms.push(
      form(
        'approve-deviation',
        'Approve the scope deviation',
        html`<div><label for="dev-note">Note</label><textarea id="dev-note" name="note" required></textarea></div>`,
        'Approve the deviation',
      ),
    );
  if (allowed.has('flag'))
    forms.push(
      form(
        'flag',
        'Flag a quality concern',
        html`<div><label for="flag-note">What is the concern?</label><textarea id="flag-note" name="note" required></textarea></div>`,
        'Flag',
      ),
    );
  if (allowed.has('payment'))
    forms.push(
      form(
        'payment',
        'Record payment',
        html`<div><label for="pay-status">Status</label><select id="pay-status" name="paymentStatus">${paymentStatuses.map((p) => html`<option value="${p}"${s.payment?.status === p ? html` selected` : ''}>${p}</option>`)}</select></div>
        <div><label for="pay-at">Confirmed at (${ctx.timeZone})</label><input type="datetime-local" id="pay-at" name="paymentConfirmed"></div>`,
        'Record payment',
        'secondary',
      ),
    );
  return html`<section class="panel" aria-labelledby="h-actions">
  <h2 id="h-actions">What you can do</h2>
  ${forms.length > 0 ? html`<div class="actions">${forms}</div>` : html`<p class="muted">Nothing for ${ctx.actor.role} on this handoff now.</p>`}
</section>`;
}

function gate(d: HandoffPageData, ctx: PageContext): SafeHtml {
  const p = d.packet;
  const shown = d.status.submissions.find((s) => s.n === p.submission);
  const intro =
    p.source === 'submission' && shown
      ? html`<p>On submitted version ${shown.n}, as of its submission (${at(shown.at, ctx.timeZone)}); the verdict recorded then was <strong class="status-${shown.gate.verdict}">${shown.gate.verdict}</strong>.</p>`
      : p.source === 'draft'
        ? html`<p>On the draft at the SOP path, as of now${d.status.state === 'rejected' ? ' (the rejected version is being remediated)' : ' (nothing submitted yet)'}.</p>`
        : html`<p class="muted">No packet yet.</p>`;
  return html`<section class="panel" aria-labelledby="h-gate">
  <h2 id="h-gate">Quality gate</h2>
  ${intro}
  ${p.problem && !p.gate ? html`<p class="problem">${p.problem}</p>` : ''}
  ${p.gate ? html`<p>Verdict: <strong class="status-${p.gate.verdict}">${p.gate.verdict}</strong></p>${gateTable(p.gate.checks, shown?.attested ?? [], ctx)}` : ''}
</section>`;
}

export function gateTable(
  checks: CheckResult[],
  attested: { check: string; reason: string; by: string; at: string }[],
  ctx: { timeZone: string },
  lineButtons = false,
): SafeHtml {
  return html`<table>
  <thead><tr><th scope="col">Check</th><th scope="col">Result</th><th scope="col">Findings</th></tr></thead>
  <tbody>${checks.map((c) => {
    const a = attested.find((x) => x.check === c.id);
    return html`<tr>
    <th scope="row">${c.title} <span class="muted">(${c.id})</span></th>
    <td><span class="status-${c.status}">${c.status}</span>${a ? html`<br><small>attested by ${a.by}, ${at(a.at, ctx.timeZone)}: ${a.reason}</small>` : ''}</td>
    <td>${
      c.findings.length === 0
        ? html`<span class="muted">none</span>`
        : html`<ul class="findings">${c.findings.map(
            (f) =>
              html`<li><strong>${f.field}</strong>${f.line ? html` (${lineButtons ? html`<button type="button" class="secondary" data-goto-line="${f.line}" aria-controls="packet">line ${f.line}</button>` : `line ${f.line}`})` : ''}: ${f.message}</li>`,
          )}</ul>`
    }</td>
  </tr>`;
  })}</tbody></table>`;
}

function packetSections(d: HandoffPageData, ctx: PageContext): SafeHtml {
  const p = d.packet;
  const shown = d.status.submissions.find((s) => s.n === p.submission);
  const head =
    p.source === 'submission' && shown
      ? html`<p>Submitted version ${shown.n}, frozen at <code>${p.path}</code> (sha256 <code>${shown.sha256.slice(0, 12)}</code>), submitted ${at(shown.at, ctx.timeZone)} by ${shown.by.name}.</p>
        ${p.draftChanged ? html`<p class="notice">The file at the SOP path has edits made after this submission; they count once resubmitted.</p>` : ''}`
      : p.source === 'draft'
        ? html`<p>Draft at <code>${p.path}</code>${d.status.submissions.length > 0 ? ` (being remediated after the rejection of version ${d.status.submissions.length})` : ' (not submitted yet)'}.</p>`
        : html`<p class="muted">No packet has been written yet${d.mayEdit ? html` — <a href="/handoffs/${d.status.sow}/packet">write it</a>` : ''}.</p>`;
  const body = p.packet
    ? d.playbook.sections.map((section) => {
        const id = `sec-${section.id}`;
        return html`<h3 id="${id}">${section.number ? `${section.number} ` : ''}${section.title}</h3>
        <table aria-labelledby="${id}"><tbody>${section.fields.map((field) => {
          const value = p.packet?.fields[field.id];
          return html`<tr><th scope="row">${field.label}</th><td class="value">${value ? value.value : html`<span class="muted">(not given)</span>`}</td></tr>`;
        })}</tbody></table>`;
      })
    : '';
  return html`<section class="panel" aria-labelledby="h-packet">
  <h2 id="h-packet">Packet</h2>
  ${head}${p.problem ? html`<p class="problem">${p.problem}</p>` : ''}${body}
  ${p.diagnostics.length > 0 ? html`<h3>Notes from reading the file</h3><ul>${p.diagnostics.map((x) => html`<li>line ${x.line}: ${x.message}</li>`)}</ul>` : ''}
</section>`;
}

function mayResolve(role: string, kind: keyof typeof escalationPolicies): boolean {
  const policy = escalationPolicies[kind];
  return [...policy.owners, ...policy.resolvers].includes(role as Role);
}

function escalations(d: HandoffPageData, ctx: PageContext): SafeHtml {
  const s = d.status;
  const canResolve = s.allowed.includes('resolve');
  return html`<section class="panel" aria-labelledby="h-esc">
  <h2 id="h-esc">Escalations and incidents</h2>
  ${s.escalations.length === 0 ? html`<p class="muted">No escalation.</p>` : ''}
  ${s.escalations.map(
    (e) => html`<article class="panel">
    <h3>${e.id}: ${e.kind} <span class="status-${e.status}">(${e.status})</span></h3>
    <p>${e.reason}</p>
    <p>Owners: ${e.owners.join(', ')}${e.informed.length > 0 ? `; informed: ${e.informed.join(', ')}` : ''}. Raised ${at(e.openedAt, ctx.timeZone)}${e.due ? html`, due ${at(e.due, ctx.timeZone)}` : ''}${e.overdueAt ? html` <span class="overdue">(overdue)</span>` : ''}.</p>
    ${e.status === 'resolved' ? html`<p>Resolved ${at(e.resolvedAt, ctx.timeZone)} by ${e.resolvedBy ?? ''}: ${e.resolution ?? ''}</p>` : ''}
    ${
      e.status === 'open' && canResolve && mayResolve(ctx.actor.role, e.kind)
        ? html`<form class="stack" method="post" action="/escalations/${e.id}/resolve">${csrfField(ctx)}
          <div><label for="res-${e.id}">How it was resolved</label><textarea id="res-${e.id}" name="note" required></textarea></div>
          <div><button type="submit">Resolve ${e.id}</button></div></form>`
        : ''
    }
  </article>`,
  )}
  ${
    s.incidents.length > 0
      ? html`<h3>Incidents</h3><ul>${s.incidents.map(
          (i) =>
            html`<li><strong>${i.severity}</strong> ${i.id} <span class="status-${i.status}">(${i.status})</span>: ${i.title} — filed ${at(i.filedAt, ctx.timeZone)}, <code>${i.path}</code></li>`,
        )}</ul>`
      : ''
  }
</section>`;
}

function detail(e: HistoryEntry, timeZone: string): SafeHtml {
  const d = e.data;
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  switch (e.type) {
    case 'PacketSubmitted':
      return html`version ${text(d.n)}; gate ${text((d.gate as { verdict?: string } | undefined)?.verdict)}`;
    case 'PacketRejected':
      return html`version ${text(d.submission)}: ${Array.isArray(d.checks) ? d.checks.join(', ') : ''}${d.reason ? html` — ${text(d.reason)}` : ''}`;
    case 'PacketAcknowledged':
      return html`version ${text(d.submission)}`;
    case 'ReviewAttested':
      return html`${text(d.check)}: ${text(d.reason)}`;
    case 'ClockStarted':
    case 'ClockMissed':
      return html`${text(d.clock)}, due ${at(text(d.due), timeZone)}`;
    case 'ClockMet':
      return html`${text(d.clock)}${d.late ? ' (late)' : ''}`;
    case 'EscalationRaised':
      return html`${text(d.id)} ${text(d.kind)}: ${text(d.reason)}`;
    case 'EscalationResolved':
    case 'IncidentClosed':
      return html`${text(d.id)}: ${text(d.note)}`;
    case 'IncidentFiled':
      return html`${text(d.severity)} ${text(d.id)}`;
    case 'DiscoveryScheduled':
      return html`session ${at(text(d.discoveryAt), timeZone)}`;
    case 'DeviationApproved':
    case 'QualityFlagged':
      return html`${text(d.note)}`;
    case 'PaymentRecorded':
      return html`${text(d.status)}${d.confirmedAt ? html`, ${at(text(d.confirmedAt), timeZone)}` : ''}`;
    default:
      return html``;
  }
}

function timeline(d: HandoffPageData, ctx: PageContext): SafeHtml {
  return html`<section class="panel" aria-labelledby="h-timeline">
  <h2 id="h-timeline">Timeline</h2>
  <table>
    <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Who</th><th scope="col">Via</th><th scope="col">Detail</th></tr></thead>
    <tbody>${d.history.map(
      (e) => html`<tr>
      <td>${at(e.at, ctx.timeZone)}</td>
      <td>${eventLabel(e.type)}</td>
      <td>${e.actor.name} <span class="muted">(${e.actor.role}${e.actor.onBehalfOf ? `, for the ${e.actor.onBehalfOf}` : ''})</span></td>
      <td>${e.actor.via}</td>
      <td>${detail(e, ctx.timeZone)}</td>
    </tr>`,
    )}</tbody>
  </table>
</section>`;
}

function report(d: HandoffPageData): SafeHtml {
  return html`<section class="panel report" aria-labelledby="h-report">
  <h2 id="h-report">Handoff report (Section 6C)</h2>
  ${d.report ? raw(markdown.render(d.report)) : html`<p class="muted">No report yet: it is filed at the first submission.</p>`}
</section>`;
}

export function handoffPage(ctx: PageContext, d: HandoffPageData, flash?: string): SafeHtml {
  return page(
    d.status.sow,
    ctx,
    html`${summary(d.status, ctx)}${actions(d, ctx)}${clocks(d.status, ctx, d.playbook)}${gate(d, ctx)}${packetSections(d, ctx)}${escalations(d, ctx)}${timeline(d, ctx)}${report(d)}`,
    {
      ...(flash ? { flash } : {}),
      heading: html`Handoff ${d.status.sow}`,
    },
  );
}
