/** The dashboard's list pages: escalations, incidents, the notification/outbox log, the daily sweep. */
import type { EscalationRow, IncidentRow, OutboxEntry } from '../../../app/dashboard-queries.ts';
import type { SweepDigest } from '../../../app/handoff-queries.ts';
import { escalationPolicies } from '../../../domain/escalation/index.ts';
import type { Role } from '../../../domain/workflow/index.ts';
import type { Notification } from '../../../store/index.ts';
import { html, type SafeHtml } from '../html.ts';
import { at, csrfField, type PageContext, page } from '../layout.ts';

const sowLink = (sow: string) => html`<a href="/handoffs/${sow}">${sow}</a>`;

function statusFilter(path: string, current: string | undefined, values: string[]): SafeHtml {
  return html`<form class="filters" method="get" action="${path}" aria-label="Filter">
  <div><label for="f-status">Status</label><select id="f-status" name="status">
    <option value="">all</option>${values.map((v) => html`<option value="${v}"${current === v ? html` selected` : ''}>${v}</option>`)}
  </select></div>
  <div><button type="submit">Apply</button></div>
</form>`;
}

export function escalationsPage(
  ctx: PageContext,
  rows: EscalationRow[],
  status?: string,
  flash?: string,
): SafeHtml {
  const mayResolve = (kind: EscalationRow['kind']) => {
    const p = escalationPolicies[kind];
    return [...p.owners, ...p.resolvers].includes(ctx.actor.role as Role);
  };
  return page(
    'Escalations',
    ctx,
    html`${statusFilter('/escalations', status, ['open', 'resolved'])}
${rows.length === 0 ? html`<p class="muted">No escalation.</p>` : ''}
${
  rows.length > 0
    ? html`<table>
  <thead><tr><th scope="col">Escalation</th><th scope="col">Handoff</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Owners</th><th scope="col">Raised</th><th scope="col">Due</th><th scope="col">Reason</th><th scope="col">Resolve</th></tr></thead>
  <tbody>${rows.map(
    (e) => html`<tr${e.overdue ? html` class="overdue"` : ''}>
    <th scope="row">${e.id}</th><td>${sowLink(e.sow)}</td><td>${e.kind}</td>
    <td><span class="status-${e.status}">${e.status}</span>${e.overdue ? ' (overdue)' : ''}</td>
    <td>${e.owners.join(', ')}</td><td>${at(e.openedAt, ctx.timeZone)}</td><td>${at(e.due, ctx.timeZone)}</td>
    <td>${e.reason}${e.resolution ? html`<br><small>Resolved by ${e.resolvedBy ?? ''}: ${e.resolution}</small>` : ''}</td>
    <td>${
      e.status === 'open' && mayResolve(e.kind)
        ? html`<form class="stack" method="post" action="/escalations/${e.id}/resolve">${csrfField(ctx)}
          <label for="res-${e.id}">Resolution</label><textarea id="res-${e.id}" name="note" required></textarea>
          <button type="submit">Resolve</button></form>`
        : ''
    }</td>
  </tr>`,
  )}</tbody></table>`
    : ''
}`,
    flash ? { flash } : {},
  );
}

export function incidentsPage(ctx: PageContext, rows: IncidentRow[], status?: string): SafeHtml {
  return page(
    'Incidents',
    ctx,
    html`${statusFilter('/incidents', status, ['open', 'closed'])}
${rows.length === 0 ? html`<p class="muted">No incident.</p>` : ''}
${
  rows.length > 0
    ? html`<table>
  <thead><tr><th scope="col">Incident</th><th scope="col">Severity</th><th scope="col">Handoff</th><th scope="col">Status</th><th scope="col">Title</th><th scope="col">Filed</th><th scope="col">Escalation</th><th scope="col">File</th></tr></thead>
  <tbody>${rows.map(
    (i) => html`<tr>
    <th scope="row">${i.id}</th><td><strong>${i.severity}</strong></td><td>${sowLink(i.sow)}</td>
    <td><span class="status-${i.status}">${i.status}</span>${i.closedAt ? html`, ${at(i.closedAt, ctx.timeZone)}` : ''}</td>
    <td>${i.title}</td><td>${at(i.filedAt, ctx.timeZone)}</td><td>${i.escalationId}</td><td><code>${i.path}</code></td>
  </tr>`,
  )}</tbody></table>`
    : ''
}`,
  );
}

export function notificationsPage(
  ctx: PageContext,
  outbox: OutboxEntry[],
  notifications: Notification[],
  status?: string,
): SafeHtml {
  return page(
    'Notifications',
    ctx,
    html`<section class="panel" aria-labelledby="h-notes"><h2 id="h-notes">Notification log</h2>
<p>What Slack, Monday.com and email received, or would have received where they are not configured, newest first.</p>
${
  notifications.length === 0
    ? html`<p class="muted">Nothing yet.</p>`
    : html`<table>
  <thead><tr><th scope="col">When</th><th scope="col">Handoff</th><th scope="col">Integration</th><th scope="col">What</th><th scope="col">Message</th></tr></thead>
  <tbody>${notifications.map(
    (n) => html`<tr>
    <td>${at(n.createdAt, ctx.timeZone)}</td><td>${sowLink(n.stream)}</td><td>${n.integration} <span class="muted">(${n.kind})</span></td>
    <td class="value">${n.summary}</td>
    <td><details><summary>as sent</summary><pre class="value">${JSON.stringify(n.payload, null, 2)}</pre></details></td>
  </tr>`,
  )}</tbody></table>`
}
</section>
<section class="panel" aria-labelledby="h-outbox"><h2 id="h-outbox">Outbox</h2>
<p>Every side effect baton decided (files on the root, Slack, Monday.com, email) and how its delivery went, newest first.</p>
${statusFilter('/notifications', status, ['pending', 'done', 'dead'])}
${
  outbox.length === 0
    ? html`<p class="muted">The outbox is empty.</p>`
    : html`<table>
  <thead><tr><th scope="col">Effect</th><th scope="col">Handoff</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Created</th><th scope="col">Done / next attempt</th><th scope="col">About</th></tr></thead>
  <tbody>${outbox.map(
    (e) => html`<tr>
    <th scope="row"><code>${e.id}</code></th><td>${sowLink(e.stream)}</td><td>${e.kind}</td>
    <td><span class="status-${e.status}">${e.status}</span>${e.lastError ? html`<br><small>${e.lastError}</small>` : ''}</td>
    <td>${e.attempts}</td><td>${at(e.createdAt, ctx.timeZone)}</td>
    <td>${e.doneAt ? at(e.doneAt, ctx.timeZone) : e.status === 'pending' ? at(e.nextAttemptAt, ctx.timeZone) : '—'}</td>
    <td class="value">${e.summary}</td>
  </tr>`,
  )}</tbody></table>`
}
</section>`,
  );
}

export function sweepPage(ctx: PageContext, digest?: SweepDigest): SafeHtml {
  const clockRows = (rows: { sow: string; clock: string; due: string }[]) =>
    rows.length === 0
      ? html`<p class="muted">None.</p>`
      : html`<ul>${rows.map((r) => html`<li>${sowLink(r.sow)}: ${r.clock}, due ${at(r.due, ctx.timeZone)}</li>`)}</ul>`;
  return page(
    "Chief of Staff's daily sweep",
    ctx,
    html`<form method="post" action="/sweep" class="panel stack">${csrfField(ctx)}
  <p>The sweep records every clock that ran out since the last one (once) and raises what the misses imply: incidents, mediation. Then it lists what is due today and what is overdue.</p>
  <div><button type="submit">Run the sweep now</button></div>
</form>
${
  digest
    ? html`<section class="panel" aria-labelledby="h-digest"><h2 id="h-digest">Digest, ${at(digest.at, ctx.timeZone)}</h2>
  <h3>Recorded by this sweep</h3>
  ${digest.recorded.length === 0 ? html`<p class="muted">Nothing new.</p>` : html`<ul>${digest.recorded.map((r) => html`<li>${sowLink(r.sow)}: ${r.type} ${r.detail}</li>`)}</ul>`}
  <h3>Due today</h3>${clockRows(digest.dueToday)}
  <h3>Overdue</h3>${clockRows(digest.overdue)}
  <h3>Open escalations</h3>
  ${digest.escalationsOpen.length === 0 ? html`<p class="muted">None.</p>` : html`<ul>${digest.escalationsOpen.map((e) => html`<li${e.overdue ? html` class="overdue"` : ''}>${e.id} (${e.kind}) on ${sowLink(e.sow)}${e.due ? html`, due ${at(e.due, ctx.timeZone)}` : ''}${e.overdue ? ' — overdue' : ''}</li>`)}</ul>`}
  <h3>Open incidents</h3>
  ${digest.incidentsOpen.length === 0 ? html`<p class="muted">None.</p>` : html`<ul>${digest.incidentsOpen.map((i) => html`<li><strong>${i.severity}</strong> ${i.id} on ${sowLink(i.sow)}: <code>${i.path}</code></li>`)}</ul>`}
</section>`
    : ''
}`,
  );
}

export function signInBody(options: { csrfToken: string; next: string; problem?: string }): SafeHtml {
  return html`${options.problem ? html`<p class="problem" role="alert">${options.problem}</p>` : ''}
<form method="post" action="/sign-in" class="stack panel">
  <input type="hidden" name="_csrf" value="${options.csrfToken}">
  <input type="hidden" name="next" value="${options.next}">
  <div><label for="token">Your API token</label>
  <input type="password" id="token" name="token" required autocomplete="current-password" aria-describedby="token-help">
  <small id="token-help" class="muted">The token <code>baton user add NAME --role ROLE</code> printed for you (it starts with <code>baton_</code>).</small></div>
  <div><button type="submit">Sign in</button></div>
</form>`;
}
