import type { HandoffGateReport } from '../../../app/gate-queries.ts';
import type { PacketDraft } from '../../../app/packet-editing.ts';
import type { Diagnostic } from '../../../domain/packet/index.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type PageContext, page } from '../layout.ts';
import { problemBody, type WebProblem } from '../problems.ts';
import { gateTable } from './handoff.ts';

/** What the live gate shows under the editor: the verdict and each check's findings, or why it cannot run. */
export function gateFragment(
  sow: string,
  result: { report: HandoffGateReport } | { problem: WebProblem },
  ctx: { timeZone: string },
): SafeHtml {
  if ('problem' in result)
    return html`<div id="gate-result"><p class="problem" role="alert"><strong>${result.problem.title}.</strong> ${result.problem.message}</p></div>`;
  const r = result.report;
  const failing = r.checks.filter((c) => c.status === 'fail').length;
  const reviews = r.checks.filter((c) => c.status === 'review').length;
  return html`<div id="gate-result">
  <p>Gate on ${sow} as of now: <strong class="status-${r.verdict}">${r.verdict}</strong>${failing > 0 ? ` — ${failing} check${failing === 1 ? '' : 's'} failing` : ''}${reviews > 0 ? `, ${reviews} for customer.success to review` : ''}.</p>
  ${gateTable(r.checks, [], ctx, true)}
  ${diagnosticsList(r.diagnostics)}
</div>`;
}

function diagnosticsList(diagnostics: Diagnostic[]): SafeHtml {
  if (diagnostics.length === 0) return html``;
  return html`<h3>Notes from reading the text</h3><ul class="findings">${diagnostics.map(
    (d) =>
      html`<li>${d.field ? html`<strong>${d.field}</strong> ` : ''}(<button type="button" class="secondary" data-goto-line="${d.line}" aria-controls="packet">line ${d.line}</button>): ${d.message}</li>`,
  )}</ul>`;
}

export function editorPage(
  ctx: PageContext,
  draft: PacketDraft,
  options: {
    gate: { report: HandoffGateReport } | { problem: WebProblem };
    mayGoOn: { submit: boolean };
    flash?: string;
    /** The text as typed, when the page is shown again after a refused save. */
    problem?: WebProblem;
  },
): SafeHtml {
  const sow = draft.sow;
  return page(
    `Packet ${sow}`,
    ctx,
    html`${options.problem ? problemBody(options.problem, `/handoffs/${sow}/packet`) : ''}
<p><a href="/handoffs/${sow}">Back to ${sow}</a> · The file: <code>${draft.path}</code>${draft.exists ? '' : ' (not written yet: this is the empty template)'}</p>
<div class="editor">
  <form method="post" action="/handoffs/${sow}/packet" aria-label="Packet editor">
    ${csrfField(ctx)}
    <input type="hidden" name="baseSha256" value="${draft.sha256}">
    <label for="packet">Packet text (markdown). The gate re-runs as you type.</label>
    <textarea id="packet" name="packet" spellcheck="false" aria-describedby="gate"
      hx-post="/handoffs/${sow}/packet/gate" hx-trigger="input changed delay:400ms" hx-target="#gate-result" hx-swap="outerHTML" hx-sync="this:replace">
${draft.text}</textarea>
    <div class="buttons">
      <button type="submit">Save</button>
      ${options.mayGoOn.submit ? html`<button type="submit" formaction="/handoffs/${sow}/packet/submit">Save and submit</button>` : ''}
      <button type="submit" class="secondary" formaction="/handoffs/${sow}/packet/gate">Run the gate</button>
    </div>
  </form>
  <section id="gate" class="panel" aria-live="polite" aria-labelledby="h-live-gate">
    <h2 id="h-live-gate">Quality gate</h2>
    ${gateFragment(sow, options.gate, ctx)}
  </section>
</div>`,
    options.flash ? { flash: options.flash } : {},
  );
}
