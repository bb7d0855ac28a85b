/** The page shell and the small formatting helpers every dashboard page uses. */
import { Temporal } from 'temporal-polyfill';
import type { ActorRef } from '../../domain/workflow/index.ts';
import { htmxConfig } from './assets.ts';
import { type HtmlValue, html, type SafeHtml } from './html.ts';

/** What a page knows about the request: who is signed in and their session's CSRF token. */
export interface PageContext {
  actor: ActorRef;
  csrfToken: string;
  /** The company time zone, in which times are shown and typed. */
  timeZone: string;
  /** The path of the page, for the navigation's current mark. */
  path: string;
}

const nav: { href: string; label: string }[] = [
  { href: '/', label: 'Board' },
  { href: '/escalations', label: 'Escalations' },
  { href: '/incidents', label: 'Incidents' },
  { href: '/notifications', label: 'Notifications' },
  { href: '/sweep', label: 'Daily sweep' },
  { href: '/metrics', label: 'Metrics' },
];

export function csrfField(ctx: { csrfToken: string }): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
}

function head(title: string): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content="${htmxConfig}">
<title>${title} · baton</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/baton.css">
<script src="/assets/htmx.min.js" defer></script>
<script src="/assets/baton.js" defer></script>
</head>`;
}

export function page(
  title: string,
  ctx: PageContext,
  body: HtmlValue,
  options: { flash?: string; heading?: HtmlValue } = {},
): SafeHtml {
  const current = (href: string) =>
    href === '/' ? ctx.path === '/' || ctx.path.startsWith('/handoffs') : ctx.path.startsWith(href);
  return html`${head(title)}
<body>
<a class="skip" href="#main">Skip to the content</a>
<header class="top">
  <a class="brand" href="/">baton</a>
  <nav aria-label="Main">
    <ul>${nav.map((n) => html`<li><a href="${n.href}"${current(n.href) ? html` aria-current="page"` : ''}>${n.label}</a></li>`)}</ul>
  </nav>
  <div class="who">
    <span>Signed in as <strong>${ctx.actor.name}</strong> (${ctx.actor.role})</span>
    <form class="inline" method="post" action="/sign-out">${csrfField(ctx)}<button type="submit" class="secondary">Sign out</button></form>
  </div>
</header>
<main id="main" tabindex="-1">
${options.flash ? html`<p class="flash" role="status">${options.flash}</p>` : ''}
<h1>${options.heading ?? title}</h1>
${body}
<p class="muted">Times are shown in ${ctx.timeZone}.</p>
</main>
</body>
</html>`;
}

/** A page for someone not signed in (the sign-in page). */
export function publicPage(title: string, body: HtmlValue): SafeHtml {
  return html`${head(title)}
<body>
<header class="top"><span class="brand">baton</span></header>
<main id="main">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

const weekday = new Map<string, Intl.DateTimeFormat>();

/** An instant as the company reads it: `Tue 2026-05-19 17:00`, in a <time> element. */
export function at(iso: string | null | undefined, timeZone: string): SafeHtml {
  if (!iso) return html`<span class="muted">—</span>`;
  let zoned: Temporal.ZonedDateTime;
  try {
    zoned = Temporal.Instant.from(iso).toZonedDateTimeISO(timeZone);
  } catch {
    return html`${iso}`;
  }
  let format = weekday.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone });
    weekday.set(timeZone, format);
  }
  const day = format.format(zoned.epochMilliseconds);
  const time = `${String(zoned.hour).padStart(2, '0')}:${String(zoned.minute).padStart(2, '0')}`;
  return html`<time datetime="${iso}">${day} ${zoned.toPlainDate().toString()} ${time}</time>`;
}

/** Business hours left on a clock, or how far past it is. */
export function hoursLeft(hours: number): string {
  const rounded = Math.round(Math.abs(hours) * 10) / 10;
  const unit = rounded === 1 ? 'business hour' : 'business hours';
  return hours < 0 ? `overdue by ${rounded} ${unit}` : `${rounded} ${unit} left`;
}

export function badge(text: string, kind: string): SafeHtml {
  return html`<span class="badge ${kind}">${text}</span>`;
}

/** Words for event types on the timeline. */
export function eventLabel(type: string): string {
  return type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
