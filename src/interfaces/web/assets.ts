/**
 * The dashboard's static files: its stylesheet and its one script (both here as text, so the CLI bundle
 * carries them), and htmx read once from node_modules. All are served from the dashboard's own origin,
 * which is all the Content-Security-Policy allows.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let htmxSource: string | undefined;

/** htmx 2, as published (loaded on first request). */
export function htmxScript(): string {
  htmxSource ??= readFileSync(createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js'), 'utf8');
  return htmxSource;
}

/** htmx settings (read by htmx from a meta tag): nothing that needs eval, inline styles or inline scripts. */
export const htmxConfig = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
});

/**
 * Progressive enhancement only; every page works without it. The editor's "go to line" buttons select
 * the line a finding points at in the packet text.
 */
export const dashboardScript = `'use strict';
document.addEventListener('click', function (event) {
  var button = event.target instanceof Element ? event.target.closest('[data-goto-line]') : null;
  if (!button) return;
  var area = document.getElementById(button.getAttribute('aria-controls') || 'packet');
  if (!(area instanceof HTMLTextAreaElement)) return;
  event.preventDefault();
  var line = Number(button.getAttribute('data-goto-line'));
  var lines = area.value.split('\\n');
  var start = 0;
  for (var i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  var end = start + (lines[line - 1] || '').length;
  area.focus();
  area.setSelectionRange(start, end);
  var lineHeight = area.scrollHeight / Math.max(lines.length, 1);
  area.scrollTop = Math.max(0, (line - 3) * lineHeight);
});
`;

export const dashboardStyles = `:root {
  --ink: #1d232b; --muted: #5b6470; --line: #d5dae1; --paper: #ffffff; --wash: #f4f6f8;
  --accent: #1f5fbf; --ok: #1b7a3a; --warn: #8a5a00; --bad: #b3261e; --focus: #f2b400;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--wash);
}
* { box-sizing: border-box; }
body { margin: 0; line-height: 1.45; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--paper); padding: .5rem 1rem; }
.skip:focus { left: .5rem; z-index: 10; }
header.top { background: #14233a; color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
header.top a { color: #fff; }
header.top nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
header.top nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
header.top .who { margin-left: auto; display: flex; gap: .75rem; align-items: center; }
header.top .brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; }
main { padding: 1rem; max-width: 90rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
section.panel, article.panel { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; background: var(--paper); }
th, td { border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; padding: .35rem .5rem; }
th { background: var(--wash); font-weight: 600; }
td.value { white-space: pre-wrap; overflow-wrap: anywhere; }
.badge { display: inline-block; border-radius: 999px; padding: 0 .55rem; font-size: .85rem; border: 1px solid currentColor; white-space: nowrap; }
.state-opened { color: #44505e; } .state-submitted { color: var(--accent); } .state-rejected { color: var(--bad); }
.state-acknowledged { color: var(--ok); } .state-scheduled { color: #5a3ea8; }
.status-pass, .status-done, .status-met, .status-closed, .status-resolved { color: var(--ok); }
.status-review, .status-pending { color: var(--warn); }
.status-fail, .status-dead, .status-missed, .overdue { color: var(--bad); }
.escalated { color: var(--warn); }
.flash { border-left: 4px solid var(--ok); background: #eef8f1; padding: .5rem 1rem; margin-bottom: 1rem; }
.problem { border-left: 4px solid var(--bad); background: #fdf0ef; padding: .75rem 1rem; margin-bottom: 1rem; }
.notice { border-left: 4px solid var(--warn); background: #fff7e6; padding: .5rem 1rem; margin-bottom: 1rem; }
.board { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; align-items: start; }
.board section { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
.board h2 { margin: .25rem .25rem .5rem; }
.board ol { list-style: none; margin: 0; padding: 0; display: grid; gap: .5rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .5rem; background: #fbfcfd; }
.card.is-overdue { border-left: 4px solid var(--bad); }
.card.is-escalated { border-right: 4px solid var(--warn); }
.card a.sow { font-weight: 700; }
.card ul { margin: .25rem 0 0; padding-left: 1.1rem; font-size: .9rem; }
.marks { display: flex; gap: .35rem; flex-wrap: wrap; margin-top: .25rem; }
form.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin-bottom: 1rem; }
form.filters label, form.stack label { display: block; font-weight: 600; font-size: .9rem; }
form.stack { display: grid; gap: .5rem; max-width: 40rem; }
form.inline { display: inline; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; }
legend { font-weight: 600; }
input, select, textarea, button { font: inherit; }
input[type="text"], input[type="password"], input[type="date"], input[type="datetime-local"], select, textarea { padding: .35rem .45rem; border: 1px solid #8b95a1; border-radius: 4px; width: 100%; max-width: 40rem; }
textarea { min-height: 5rem; }
button, .button { background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: .4rem .9rem; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #e6e9ee; color: var(--ink); border: 1px solid #aab2bd; }
button.danger { background: var(--bad); }
.actions { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem; }
.editor { display: grid; grid-template-columns: minmax(0, 3fr) minmax(18rem, 2fr); gap: 1rem; align-items: start; }
.editor textarea#packet { max-width: none; min-height: 36rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; line-height: 1.4; }
.editor .buttons { display: flex; gap: .5rem; flex-wrap: wrap; margin-top: .5rem; }
.findings { margin: .25rem 0 0; padding-left: 1.1rem; }
.findings li { margin-bottom: .25rem; }
.excerpt { font-family: ui-monospace, monospace; font-size: .8rem; background: var(--wash); padding: 0 .25rem; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.check { display: flex; gap: .4rem; align-items: baseline; }
form.stack .check label { display: inline; font-weight: 400; }
.report h1 { font-size: 1.1rem; }
.report h2 { font-size: 1rem; }
.report table { font-size: .9rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.htmx-request .busy { display: inline; } .busy { display: none; }
@media (max-width: 60rem) { .editor { grid-template-columns: 1fr; } }
`;
