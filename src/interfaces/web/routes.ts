/**
 * The dashboard: server-rendered pages over the service layer, mounted by `buildServer` as a plugin.
 *
 *   buildServer(baton, { plugins: [registerWebRoutes] })
 *
 * Sign-in is with a user's API token, then an opaque session cookie (HttpOnly, SameSite=Strict, Secure
 * over https). Every POST carries the session's CSRF token (a hidden `_csrf` field), checked before the
 * handler runs; the sign-in form, before any session, carries a double-submit token. Every action runs
 * through the service layer (`runOperation` or the packet-editing functions), so each rule is checked
 * there whatever the page showed. Pages are plain HTML forms; htmx only adds the editor's live gate.
 */
import fastifyCookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import {
  handoffBoard,
  listEscalations,
  listIncidents,
  notificationLog,
  outboxLog,
} from '../../app/dashboard-queries.ts';
import { AppError } from '../../app/errors.ts';
import type { HandoffGateReport } from '../../app/gate-queries.ts';
import { readHandoffFile } from '../../app/handoff-files.ts';
import { handoffHistory, handoffStatus, type SweepDigest } from '../../app/handoff-queries.ts';
import { type OperationName, runOperation } from '../../app/operations.ts';
import {
  editingRefusal,
  gatePacketDraft,
  type PacketDraft,
  packetDraft,
  packetOnRecord,
  savePacketDraft,
} from '../../app/packet-editing.ts';
import {
  endSession,
  randomToken,
  sameSecret,
  sessionFor,
  startSession,
  type WebSession,
} from '../../app/sessions.ts';
import type { ServerDeps, ServerPlugin } from '../http/server.ts';
import { dashboardScript, dashboardStyles, htmxScript } from './assets.ts';
import type { SafeHtml } from './html.ts';
import { type PageContext, publicPage } from './layout.ts';
import { boardPage } from './pages/board.ts';
import { editorPage, gateFragment } from './pages/editor.ts';
import { handoffPage } from './pages/handoff.ts';
import { escalationsPage, incidentsPage, notificationsPage, signInBody, sweepPage } from './pages/lists.ts';
import { CsrfError, problemOf, problemPage, type WebProblem } from './problems.ts';

export interface WebOptions {
  /** How long a sign-in lasts, in hours (default 12). */
  sessionHours?: number;
  /** Mark cookies Secure: default when the request came over https (behind a proxy: with trustProxy). */
  secureCookies?: boolean;
}

export const sessionCookie = 'baton_session';
/** The sign-in form's double-submit CSRF token, before there is a session. */
export const signInCookie = 'baton_signin';

type FormBody = Record<string, string | string[] | undefined>;

function formOf(request: FastifyRequest): FormBody {
  const body = request.body;
  return body && typeof body === 'object' ? (body as FormBody) : {};
}

/** One form field (the first when repeated); undefined when absent. */
function field(body: FormBody, name: string): string | undefined {
  const value = body[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Every value of a repeated field (checkboxes). */
function fields(body: FormBody, name: string): string[] {
  const value = body[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Text from a form, trimmed; undefined when empty. */
function text(body: FormBody, name: string): string | undefined {
  return field(body, name)?.trim() || undefined;
}

/**
 * A time typed in a `datetime-local` input (no offset) is read in the company's time zone; a full ISO
 * instant is taken as it is; anything else goes to the operation's schema, which names the field.
 */
export function instantFromForm(value: string | undefined, timeZone: string): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) {
    try {
      return Temporal.PlainDateTime.from(v)
        .toZonedDateTime(timeZone)
        .toString({ timeZoneName: 'never', fractionalSecondDigits: 0 });
    } catch {
      return v;
    }
  }
  return v;
}

/** Only a path on this site may follow sign-in (never `//elsewhere` or a full URL). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[^\s\\]*$/.test(next) && !next.startsWith('/sign-') ? next : '/';
}

const flashes: Record<string, string> = {
  open: 'Handoff opened.',
  payment: 'Payment recorded.',
  submit: 'Packet submitted: it is frozen, the gate ran on it and customer.success has been told.',
  ack: 'Packet acknowledged. Discovery scheduling may proceed.',
  reject: 'Packet rejected; the seller has been told which checks failed.',
  attest: 'Attestation recorded.',
  schedule: 'Discovery session recorded.',
  intro: 'Warm introduction sent.',
  'approve-deviation': 'Scope deviation approved.',
  flag: 'Quality concern flagged; the Chief of Staff owns it.',
  resolve: 'Escalation resolved.',
  saved: 'Packet saved.',
};

const flashOf = (request: FastifyRequest): string | undefined => {
  const done = (request.query as Record<string, string | undefined>).done;
  return done ? flashes[done] : undefined;
};

/** The handoff actions posted from a handoff page, each one operation of the service layer. */
const handoffActions: Record<
  string,
  { operation: OperationName; input(sow: string, body: FormBody, timeZone: string): Record<string, unknown> }
> = {
  ack: {
    operation: 'ack',
    input: (sow, body) => ({
      sow,
      attestations: Object.keys(body)
        .filter((k) => k.startsWith('attest.'))
        .map((k) => ({ check: k.slice('attest.'.length), reason: field(body, k) ?? '' })),
      ...versionOf(body),
    }),
  },
  reject: {
    operation: 'reject',
    input: (sow, body) => ({
      sow,
      checks: fields(body, 'checks'),
      ...(text(body, 'reason') ? { reason: text(body, 'reason') } : {}),
      ...versionOf(body),
    }),
  },
  attest: {
    operation: 'attest',
    input: (sow, body) => ({ sow, check: field(body, 'check') ?? '', reason: field(body, 'reason') ?? '' }),
  },
  schedule: {
    operation: 'schedule',
    input: (sow, body, tz) => ({ sow, discovery: instantFromForm(field(body, 'discovery'), tz) ?? '' }),
  },
  intro: { operation: 'intro', input: (sow) => ({ sow }) },
  'approve-deviation': {
    operation: 'approveDeviation',
    input: (sow, body) => ({ sow, note: field(body, 'note') ?? '' }),
  },
  flag: { operation: 'flag', input: (sow, body) => ({ sow, note: field(body, 'note') ?? '' }) },
  payment: {
    operation: 'payment',
    input: (sow, body, tz) => {
      const confirmed = instantFromForm(field(body, 'paymentConfirmed'), tz);
      return {
        sow,
        ...(text(body, 'paymentStatus') ? { paymentStatus: text(body, 'paymentStatus') } : {}),
        ...(confirmed ? { paymentConfirmed: confirmed } : {}),
      };
    },
  },
  submit: { operation: 'submit', input: (sow) => ({ sow }) },
};

function versionOf(body: FormBody): { expectedVersion?: number } {
  const v = field(body, 'expectedVersion');
  return v && /^\d+$/.test(v) ? { expectedVersion: Number(v) } : {};
}

function sowParam(request: FastifyRequest): string {
  return String((request.params as { sow?: string }).sow ?? '').toUpperCase();
}

/** Where "go back" / "reload" leads after an error on this request. */
function backOf(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? '/';
  const packet = /^\/handoffs\/(SOW-\d{4}-\d{3,})\/packet/i.exec(path);
  if (packet) return `/handoffs/${packet[1]?.toUpperCase()}/packet`;
  const handoff = /^\/(?:handoffs|escalations)\/(?:ESC-)?(SOW-\d{4}-\d{3,})/i.exec(path);
  if (handoff) return `/handoffs/${handoff[1]?.toUpperCase()}`;
  if (request.method === 'GET') return path;
  return path.startsWith('/sweep') ? '/sweep' : '/';
}

export function webRoutes(options: WebOptions = {}): ServerPlugin {
  return (app, deps) => mount(app, deps, options);
}

/** The dashboard with its defaults, as `buildServer`'s plugins take it. */
export const registerWebRoutes: ServerPlugin = webRoutes();

async function mount(app: FastifyInstance, deps: ServerDeps, options: WebOptions): Promise<void> {
  const { baton } = deps;
  const timeZone = baton.calendar.config.timeZone;
  if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie);
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);

  const sessions = new WeakMap<FastifyRequest, WebSession>();
  const secure = (request: FastifyRequest) => options.secureCookies ?? request.protocol === 'https';
  const contextOf = (request: FastifyRequest): PageContext => {
    const session = sessions.get(request);
    if (!session) throw new AppError('unauthenticated', 'sign in first');
    return {
      actor: session.actor,
      csrfToken: session.csrfToken,
      timeZone,
      path: request.url.split('?')[0] ?? '/',
    };
  };
  const send = (reply: FastifyReply, body: SafeHtml, status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body.value);
  const isPublic = (request: FastifyRequest) =>
    (request.routeOptions.config as { public?: boolean } | undefined)?.public === true;

  // Who is asking, and for a POST, that the form came from one of this session's pages.
  app.addHook('preHandler', async (request, reply) => {
    if (isPublic(request)) return;
    const session = await sessionFor(baton, request.cookies[sessionCookie]);
    if (!session) {
      if (request.method === 'GET' || request.method === 'HEAD')
        return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
      if (request.headers['hx-request']) return reply.header('hx-redirect', '/sign-in').code(401).send();
      return reply.redirect('/sign-in', 303);
    }
    sessions.set(request, session);
    if (request.method === 'POST') {
      const token = field(formOf(request), '_csrf') ?? request.headers['x-csrf-token'];
      if (!sameSecret(typeof token === 'string' ? token : undefined, session.csrfToken))
        throw new CsrfError();
    }
  });

  app.setErrorHandler(async (error, request, reply) => {
    const problem = problemOf(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'dashboard error');
    const session = sessions.get(request);
    return send(
      reply,
      problemPage(problem, session ? contextOf(request) : undefined, backOf(request)),
      problem.status,
    );
  });

  deps.setHtmlNotFound(async (request, reply) => {
    // The server's not-found handler runs outside this scope, where cookies are not parsed yet.
    const cookies = app.parseCookie(request.headers.cookie ?? '');
    const session = await sessionFor(baton, cookies[sessionCookie]).catch(() => undefined);
    if (session) sessions.set(request, session);
    const problem: WebProblem = {
      status: 404,
      title: 'Not found',
      message: `there is no page at ${request.url.split('?')[0]}`,
    };
    return send(reply, problemPage(problem, session ? contextOf(request) : undefined, '/'), 404);
  });

  // Static files: public, cacheable for an hour.
  const asset = (path: string, type: string, body: () => string) =>
    app.get(path, { config: { public: true } }, async (_request, reply) =>
      reply.type(type).header('cache-control', 'public, max-age=3600').send(body()),
    );
  asset('/assets/baton.css', 'text/css; charset=utf-8', () => dashboardStyles);
  asset('/assets/baton.js', 'text/javascript; charset=utf-8', () => dashboardScript);
  asset('/assets/htmx.min.js', 'text/javascript; charset=utf-8', htmxScript);

  // Sign-in and sign-out.
  const signInPage = (reply: FastifyReply, next: string, problem?: string, status = 200) => {
    const token = randomToken();
    reply.setCookie(signInCookie, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: secure(reply.request),
      path: '/sign-in',
      maxAge: 3600,
    });
    return send(
      reply,
      publicPage('Sign in', signInBody({ csrfToken: token, next, ...(problem ? { problem } : {}) })),
      status,
    );
  };
  app.get('/sign-in', { config: { public: true } }, async (request, reply) => {
    const next = safeNext((request.query as { next?: string }).next);
    if (await sessionFor(baton, request.cookies[sessionCookie])) return reply.redirect(next, 303);
    return signInPage(reply, next);
  });
  app.post('/sign-in', { config: { public: true } }, async (request, reply) => {
    const body = formOf(request);
    if (!sameSecret(field(body, '_csrf'), request.cookies[signInCookie])) throw new CsrfError();
    const next = safeNext(field(body, 'next'));
    if (!text(body, 'token'))
      return signInPage(
        reply,
        next,
        'Paste the API token that baton user add (or baton demo) printed for you.',
        401,
      );
    let started: Awaited<ReturnType<typeof startSession>>;
    try {
      started = await startSession(baton, field(body, 'token'), {
        ...(options.sessionHours ? { hours: options.sessionHours } : {}),
      });
    } catch (e) {
      if (e instanceof AppError && (e.kind === 'unauthenticated' || e.kind === 'refused'))
        return signInPage(reply, next, `${e.message}.`, 401);
      throw e;
    }
    reply.clearCookie(signInCookie, { path: '/sign-in' });
    reply.setCookie(sessionCookie, started.id, {
      httpOnly: true,
      sameSite: 'strict',
      secure: secure(request),
      path: '/',
      // Relative, so the browser's clock and the server's (BATON_NOW in demos and tests) need not agree.
      maxAge: Math.max(
        0,
        Math.round((Date.parse(started.session.expiresAt) - baton.now().epochMilliseconds) / 1000),
      ),
    });
    return reply.redirect(next, 303);
  });
  app.post('/sign-out', async (request, reply) => {
    await endSession(baton, request.cookies[sessionCookie]);
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.redirect('/sign-in', 303);
  });

  // The board.
  app.get('/', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const filter = {
      ...(q.state ? { state: q.state } : {}),
      ...(q.owner ? { owner: q.owner } : {}),
      ...(q.overdue === 'yes' ? { overdue: true } : q.overdue === 'no' ? { overdue: false } : {}),
      ...(q.offset && /^\d+$/.test(q.offset) ? { offset: Number(q.offset) } : {}),
    };
    const columns = await handoffBoard(baton, filter);
    return send(reply, boardPage(contextOf(request), columns, filter, flashOf(request)));
  });
  app.post('/handoffs', async (request, reply) => {
    const body = formOf(request);
    const ctx = contextOf(request);
    const sow = (text(body, 'sow') ?? '').toUpperCase();
    const paymentConfirmed = instantFromForm(field(body, 'paymentConfirmed'), timeZone);
    await runOperation(baton, ctx.actor, 'open', {
      sow,
      sowSigned: text(body, 'sowSigned') ?? '',
      ...(text(body, 'paymentStatus') ? { paymentStatus: text(body, 'paymentStatus') } : {}),
      ...(paymentConfirmed ? { paymentConfirmed } : {}),
      ...(text(body, 'sold') ? { sold: text(body, 'sold') } : {}),
    });
    return reply.redirect(`/handoffs/${sow}?done=open`, 303);
  });

  // One handoff.
  app.get('/handoffs/:sow', async (request, reply) => {
    const ctx = contextOf(request);
    const sow = sowParam(request);
    const status = await handoffStatus(baton, sow, ctx.actor);
    const [history, packet, report] = await Promise.all([
      handoffHistory(baton, sow),
      packetOnRecord(baton, sow),
      readHandoffFile(baton, sow, 'report').then(
        (f) => f.text,
        () => undefined,
      ),
    ]);
    return send(
      reply,
      handoffPage(
        ctx,
        {
          status: { ...status, allowed: status.allowed ?? [] },
          history,
          packet,
          ...(report !== undefined ? { report } : {}),
          mayEdit: editingRefusal(status, ctx.actor) === undefined,
          playbook: baton.playbook,
        },
        flashOf(request),
      ),
    );
  });
  app.post('/handoffs/:sow/:action', async (request, reply) => {
    const ctx = contextOf(request);
    const sow = sowParam(request);
    const name = (request.params as { action: string }).action;
    const action = Object.hasOwn(handoffActions, name) ? handoffActions[name] : undefined;
    if (!action) throw new AppError('not-found', `there is no action "${name}" on a handoff`, 'action');
    await runOperation(baton, ctx.actor, action.operation, action.input(sow, formOf(request), timeZone));
    return reply.redirect(`/handoffs/${sow}?done=${name}`, 303);
  });
  app.post('/escalations/:id/resolve', async (request, reply) => {
    const ctx = contextOf(request);
    const id = String((request.params as { id: string }).id).toUpperCase();
    await runOperation(baton, ctx.actor, 'resolve', {
      escalationId: id,
      note: field(formOf(request), 'note') ?? '',
    });
    const sow = /^ESC-(SOW-\d{4}-\d{3,})-\d+$/.exec(id)?.[1];
    return reply.redirect(sow ? `/handoffs/${sow}?done=resolve` : '/escalations?done=resolve', 303);
  });

  // The packet editor.
  const liveGate = async (sow: string, packet: string) => {
    try {
      return { report: await gatePacketDraft(baton, sow, packet) } as { report: HandoffGateReport };
    } catch (e) {
      if (e instanceof AppError && e.kind !== 'refused') return { problem: problemOf(e) };
      throw e;
    }
  };
  const showEditor = async (
    request: FastifyRequest,
    reply: FastifyReply,
    draft: PacketDraft,
    extra: { problem?: WebProblem; flash?: string; status?: number } = {},
  ) => {
    const ctx = contextOf(request);
    const status = await handoffStatus(baton, draft.sow, ctx.actor);
    return send(
      reply,
      editorPage(ctx, draft, {
        gate: await liveGate(draft.sow, draft.text),
        mayGoOn: { submit: status.allowed?.includes('submit') ?? false },
        ...(extra.problem ? { problem: extra.problem } : {}),
        ...(extra.flash ? { flash: extra.flash } : {}),
      }),
      extra.status ?? 200,
    );
  };
  /** The editor again with the text as typed (never lost to an error), after a save that did not go through. */
  const typedDraft = async (request: FastifyRequest, sow: string): Promise<PacketDraft> => {
    const current = await packetDraft(baton, contextOf(request).actor, sow);
    const typed = field(formOf(request), 'packet');
    return typed === undefined ? current : { ...current, text: typed };
  };
  const recoverable = (e: unknown) =>
    e instanceof AppError && ['bad-input', 'not-a-packet', 'conflict'].includes(e.kind);

  app.get('/handoffs/:sow/packet', async (request, reply) => {
    const draft = await packetDraft(baton, contextOf(request).actor, sowParam(request));
    return showEditor(request, reply, draft, { ...(flashOf(request) ? { flash: flashOf(request) } : {}) });
  });
  const save = async (request: FastifyRequest) => {
    const body = formOf(request);
    const base = field(body, 'baseSha256');
    return savePacketDraft(baton, contextOf(request).actor, sowParam(request), field(body, 'packet') ?? '', {
      ...(base ? { baseSha256: base } : {}),
    });
  };
  /** Saves the editor's text; when that is refused, shows the editor again with the text kept, and returns it. */
  const saveOrShowEditor = async (request: FastifyRequest, reply: FastifyReply, sow: string) => {
    try {
      await save(request);
      return undefined;
    } catch (e) {
      if (!recoverable(e)) throw e;
      const problem = problemOf(e);
      return showEditor(request, reply, await typedDraft(request, sow), { problem, status: problem.status });
    }
  };
  app.post('/handoffs/:sow/packet', async (request, reply) => {
    const sow = sowParam(request);
    const refused = await saveOrShowEditor(request, reply, sow);
    if (refused) return refused;
    return reply.redirect(`/handoffs/${sow}/packet?done=saved`, 303);
  });
  app.post('/handoffs/:sow/packet/gate', async (request, reply) => {
    const sow = sowParam(request);
    const packet = field(formOf(request), 'packet') ?? '';
    if (request.headers['hx-request'])
      return send(reply, gateFragment(sow, await liveGate(sow, packet), { timeZone }));
    return showEditor(request, reply, await typedDraft(request, sow));
  });
  app.post('/handoffs/:sow/packet/submit', async (request, reply) => {
    const sow = sowParam(request);
    const refused = await saveOrShowEditor(request, reply, sow);
    if (refused) return refused;
    try {
      await runOperation(baton, contextOf(request).actor, 'submit', { sow });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const problem = problemOf(e);
      const draft = await packetDraft(baton, contextOf(request).actor, sow);
      return showEditor(request, reply, draft, {
        problem,
        flash: 'Packet saved, but not submitted.',
        status: problem.status,
      });
    }
    return reply.redirect(`/handoffs/${sow}?done=submit`, 303);
  });

  // Lists and the sweep.
  const statusQuery = <T extends string>(request: FastifyRequest, values: readonly T[]): T | undefined => {
    const s = (request.query as { status?: string }).status;
    return s && (values as readonly string[]).includes(s) ? (s as T) : undefined;
  };
  app.get('/escalations', async (request, reply) => {
    const status = statusQuery(request, ['open', 'resolved'] as const);
    const rows = await listEscalations(baton, status ? { status } : {});
    return send(reply, escalationsPage(contextOf(request), rows, status, flashOf(request)));
  });
  app.get('/incidents', async (request, reply) => {
    const status = statusQuery(request, ['open', 'closed'] as const);
    return send(
      reply,
      incidentsPage(contextOf(request), await listIncidents(baton, status ? { status } : {}), status),
    );
  });
  app.get('/notifications', async (request, reply) => {
    const status = statusQuery(request, ['pending', 'done', 'dead'] as const);
    const [outbox, notifications] = await Promise.all([
      outboxLog(baton, status ? { status } : {}),
      notificationLog(baton),
    ]);
    return send(reply, notificationsPage(contextOf(request), outbox, notifications, status));
  });
  // The Chief of Staff's metrics: a bad week is shown on the page (422), never a blank one.
  const weekOf = async (request: FastifyRequest) => {
    const { periodOf } = await import('../../app/governance.ts');
    const asked = (request.query as { week?: string }).week?.trim();
    try {
      return { week: periodOf(baton, asked ? { week: asked } : {}).label };
    } catch (e) {
      if (e instanceof AppError) return { week: periodOf(baton, {}).label, problem: e.message };
      throw e;
    }
  };
  app.get('/metrics', async (request, reply) => {
    const { governanceMetrics } = await import('../../app/governance.ts');
    const { week, problem } = await weekOf(request);
    const { metricsPage } = await import('./pages/metrics.ts');
    const body = metricsPage(contextOf(request), week, await governanceMetrics(baton, { week }), problem);
    return send(reply, body, problem ? 422 : 200);
  });
  app.get('/metrics/chart.svg', async (request, reply) => {
    const { weeklySeries } = await import('../../app/governance.ts');
    const { week } = await weekOf(request);
    const { svg } = await weeklySeries(baton, { week });
    return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'no-store').send(svg);
  });
  app.get('/sweep', async (request, reply) => send(reply, sweepPage(contextOf(request))));
  app.post('/sweep', async (request, reply) => {
    const digest = (await runOperation(baton, contextOf(request).actor, 'sweep', {})) as SweepDigest;
    return send(reply, sweepPage(contextOf(request), digest));
  });
}
