import type { BoardColumn, BoardFilter } from '../../../app/dashboard-queries.ts';
import { commandRoles, handoffStates, paymentStatuses, roles } from '../../../domain/workflow/index.ts';
import { html, type SafeHtml } from '../html.ts';
import { at, badge, csrfField, hoursLeft, type PageContext, page } from '../layout.ts';

const stateTitles: Record<string, string> = {
  opened: 'Opened',
  submitted: 'Submitted',
  rejected: 'Rejected',
  acknowledged: 'Acknowledged',
  scheduled: 'Kickoff scheduled',
};

function query(filter: BoardFilter, extra: Record<string, string>): string {
  const params = new URLSearchParams();
  if (filter.state) params.set('state', filter.state);
  if (filter.owner) params.set('owner', filter.owner);
  if (filter.overdue !== undefined) params.set('overdue', filter.overdue ? 'yes' : 'no');
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return `/?${params.toString()}`;
}

function filters(filter: BoardFilter): SafeHtml {
  const option = (value: string, label: string, current: string | undefined) =>
    html`<option value="${value}"${current === value ? html` selected` : ''}>${label}</option>`;
  const overdue = filter.overdue === undefined ? '' : filter.overdue ? 'yes' : 'no';
  return html`<form class="filters" method="get" action="/" role="search" aria-label="Filter the board">
  <div><label for="f-state">State</label>
    <select id="f-state" name="state">${option('', 'all states', filter.state ?? '')}${handoffStates.map((s) => option(s, stateTitles[s] ?? s, filter.state))}</select></div>
  <div><label for="f-owner">Escalation owner</label>
    <select id="f-owner" name="owner">${option('', 'anyone', filter.owner ?? '')}${roles.map((r) => option(r, r, filter.owner))}</select></div>
  <div><label for="f-overdue">Overdue</label>
    <select id="f-overdue" name="overdue">${option('', 'either', overdue)}${option('yes', 'overdue only', overdue)}${option('no', 'not overdue', overdue)}</select></div>
  <div><button type="submit">Apply</button> <a class="button secondary" href="/">Clear</a></div>
</form>`;
}

function column(col: BoardColumn, filter: BoardFilter, ctx: PageContext): SafeHtml {
  const id = `col-${col.state}`;
  return html`<section aria-labelledby="${id}">
  <h2 id="${id}">${stateTitles[col.state] ?? col.state} <span class="muted">(${col.cards.length}${col.more ? '+' : ''})</span></h2>
  ${col.cards.length === 0 ? html`<p class="muted">None.</p>` : ''}
  <ol>${col.cards.map(
    (c) => html`<li class="card${c.overdue ? ' is-overdue' : ''}${c.escalated ? ' is-escalated' : ''}">
    <a class="sow" href="/handoffs/${c.sow}">${c.sow}</a>
    <div class="marks">${badge(col.state, `state-${col.state}`)}${c.overdue ? badge('overdue', 'overdue') : ''}${c.escalated ? badge('escalated', 'escalated') : ''}${c.payment && c.payment !== 'received' ? badge(`payment ${c.payment}`, 'status-pending') : ''}</div>
    ${
      c.clocks.length > 0
        ? html`<ul>${c.clocks.map(
            (k) =>
              html`<li${k.overdue ? html` class="overdue"` : ''}>${k.label}${k.status === 'missed' ? ' (missed)' : ''}: due ${at(k.due, ctx.timeZone)}, <strong>${hoursLeft(k.businessHoursLeft)}</strong></li>`,
          )}</ul>`
        : html`<p class="muted">No open clock.</p>`
    }
  </li>`,
  )}</ol>
  ${col.offset > 0 ? html`<p><a href="${query({ ...filter, state: col.state }, { offset: String(Math.max(0, col.offset - (filter.limit ?? 25))) })}">Previous</a></p>` : ''}
  ${col.more ? html`<p><a href="${query({ ...filter, state: col.state }, { offset: String(col.offset + (filter.limit ?? 25)) })}">More ${stateTitles[col.state]?.toLowerCase() ?? col.state}</a></p>` : ''}
</section>`;
}

function openForm(ctx: PageContext): SafeHtml {
  return html`<details class="panel">
  <summary>Open a handoff</summary>
  <form class="stack" method="post" action="/handoffs">
    ${csrfField(ctx)}
    <div><label for="o-sow">SOW number</label><input type="text" id="o-sow" name="sow" required placeholder="SOW-2026-014" pattern="[Ss][Oo][Ww]-[0-9]{4}-[0-9]{3,}" aria-describedby="o-sow-help"><small id="o-sow-help" class="muted">SOW-YYYY-NNN</small></div>
    <div><label for="o-signed">SOW signed on</label><input type="date" id="o-signed" name="sowSigned" required></div>
    <div><label for="o-status">Payment status</label><select id="o-status" name="paymentStatus">${paymentStatuses.map((s) => html`<option value="${s}">${s}</option>`)}</select></div>
    <div><label for="o-paid">Payment confirmed at (${ctx.timeZone})</label><input type="datetime-local" id="o-paid" name="paymentConfirmed"></div>
    <div><label for="o-sold">Sold on (verbal commitment, optional)</label><input type="date" id="o-sold" name="sold"></div>
    <div><button type="submit">Open the handoff</button></div>
  </form>
</details>`;
}

export function boardPage(
  ctx: PageContext,
  columns: BoardColumn[],
  filter: BoardFilter,
  flash?: string,
): SafeHtml {
  const mayOpen = commandRoles.open.includes(ctx.actor.role);
  return page(
    'Handoffs',
    ctx,
    html`${filters(filter)}${mayOpen ? openForm(ctx) : ''}<div class="board">${columns.map((c) => column(c, filter, ctx))}</div>`,
    flash ? { flash } : {},
  );
}
