/**
 * Slack interactivity: `POST /slack/actions`, where Slack sends Block Kit button clicks.
 *
 * Each request is checked the way Slack documents ("Verifying requests from Slack"): the `v0=` HMAC-SHA256 of
 * `v0:<X-Slack-Request-Timestamp>:<raw body>` with the app's signing secret, compared in constant time; the
 * timestamp within 5 minutes of now; and a signature seen before within that window is a replay, refused.
 * Seen signatures are kept in this process's memory: with several server processes behind one Slack app,
 * a replay could reach another process once (each process still refuses its own repeats and anything stale).
 *
 * The clicking Slack user is mapped to a baton user by the integrations config file's `people` (each baton
 * user's `slackId`) and by `BATON_SLACK_USERS` (JSON, Slack user id → baton user name, e.g.
 * {"U024BE7LH": "Dana Reyes"}; it wins over the file); the action runs as that user, with that user's role, through
 * the service layer, so every rule holds. Slack wants a 200 within 3 seconds: the server answers at once and
 * posts the outcome to the action's `response_url` as an ephemeral message (only the clicker sees it).
 *
 * Buttons (action_id, value): `ack` + SOW acknowledges the packet; `intro` + SOW sends the CRO's warm
 * introduction (`baton_ack`, `baton_intro` too, as the integrations name their buttons). A link button (one
 * with a `url`, such as `baton_open_handoff`) needs no answer.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../app/errors.ts';
import type { Baton } from '../../app/handoff-context.ts';
import type { IntegrationsConfig } from '../../app/integrations-config.ts';
import { type OperationName, runOperation } from '../../app/operations.ts';
import { userByName } from '../../app/users.ts';
import type { ActorRef } from '../../domain/workflow/index.ts';
import { HttpProblem, problemOf } from './problem.ts';

export interface SlackOptions {
  /** SLACK_SIGNING_SECRET; without it the endpoint answers 503. */
  signingSecret?: string;
  /** Slack user id → baton user name (BATON_SLACK_USERS). */
  users?: Record<string, string>;
  /** Where outcomes may be posted besides Slack's own https://hooks.slack.com (a test's fake Slack). */
  responseOrigins?: string[];
  /** The dashboard's address, for links in replies (optional). */
  dashboardUrl?: string;
  /** Seconds a timestamp may be off (Slack says 5 minutes). */
  windowSeconds?: number;
  /** Unix seconds now (tests). */
  nowSeconds?: () => number;
}

const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id such as U024BE7LH');

/** Reads SLACK_SIGNING_SECRET, BATON_SLACK_USERS and BATON_SLACK_API_URL (a fake Slack's origin is allowed for replies). */
export function slackOptionsFromEnv(env: Record<string, string | undefined>): SlackOptions {
  const options: SlackOptions = {};
  if (env.SLACK_SIGNING_SECRET) options.signingSecret = env.SLACK_SIGNING_SECRET;
  if (env.BATON_SLACK_USERS) {
    let raw: unknown;
    try {
      raw = JSON.parse(env.BATON_SLACK_USERS);
    } catch {
      throw new AppError(
        'bad-input',
        'BATON_SLACK_USERS is not JSON; write e.g. {"U024BE7LH": "Dana Reyes"} (Slack user id → baton user name)',
        'BATON_SLACK_USERS',
      );
    }
    const parsed = z.record(slackUserId, z.string().min(1)).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        'bad-input',
        `BATON_SLACK_USERS: ${issue?.path.join('.') || 'the value'}: ${issue?.message}; write e.g. {"U024BE7LH": "Dana Reyes"}`,
        'BATON_SLACK_USERS',
      );
    }
    options.users = parsed.data;
  }
  if (env.BATON_SLACK_API_URL) {
    try {
      options.responseOrigins = [new URL(env.BATON_SLACK_API_URL).origin];
    } catch {
      throw new AppError('bad-input', 'BATON_SLACK_API_URL is not a URL', 'BATON_SLACK_API_URL');
    }
  }
  return options;
}

/**
 * The environment's settings (`vars` with the `.env` file's) over the integrations config: the people's
 * Slack ids, the Slack API address (a fake Slack's origin may take replies), the dashboard's public address.
 */
export function slackOptionsFrom(
  vars: Record<string, string | undefined>,
  config?: IntegrationsConfig,
): SlackOptions {
  const fromEnv = slackOptionsFromEnv(vars);
  const users: Record<string, string> = {};
  for (const [name, person] of Object.entries(config?.people ?? {}))
    if (person.slackId) users[person.slackId] = name;
  Object.assign(users, fromEnv.users);
  const origins = new Set(fromEnv.responseOrigins);
  if (config?.slack?.apiUrl) origins.add(new URL(config.slack.apiUrl).origin);
  return {
    ...fromEnv,
    ...(Object.keys(users).length > 0 ? { users } : {}),
    ...(origins.size > 0 ? { responseOrigins: [...origins] } : {}),
    ...(vars.BATON_PUBLIC_URL ? { dashboardUrl: vars.BATON_PUBLIC_URL } : {}),
  };
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Slack's v0 request signature, checked in constant time, and the timestamp's freshness. */
export function verifySlackSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  nowSeconds: number;
  windowSeconds: number;
}): SignatureCheck {
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp))
    return { ok: false, reason: 'X-Slack-Request-Timestamp is missing or not a number' };
  if (!input.signature || !/^v0=[0-9a-f]{64}$/.test(input.signature))
    return { ok: false, reason: 'X-Slack-Signature is missing or not a v0 signature' };
  if (Math.abs(input.nowSeconds - Number(input.timestamp)) > input.windowSeconds)
    return { ok: false, reason: 'the request is too old (or its clock is off by more than 5 minutes)' };
  const expected = `v0=${createHmac('sha256', input.secret).update(`v0:${input.timestamp}:${input.rawBody}`).digest('hex')}`;
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(input.signature)))
    return {
      ok: false,
      reason: 'the signature does not match (wrong signing secret, or the body was changed)',
    };
  return { ok: true };
}

/** Signatures seen within the window; a second sight is a replay. */
export class SeenSignatures {
  readonly #seen = new Map<string, number>();
  readonly #max: number;
  constructor(max = 100_000) {
    this.#max = max;
  }
  /** Records the signature; false when it was already seen and has not expired. */
  firstSight(signature: string, nowSeconds: number, windowSeconds: number): boolean {
    const until = this.#seen.get(signature);
    if (until !== undefined && until >= nowSeconds) return false;
    if (this.#seen.size >= this.#max)
      for (const [s, u] of this.#seen) if (u < nowSeconds) this.#seen.delete(s);
    // A request is accepted only within the window around its timestamp, so it can be forgotten after
    // twice the window from now.
    this.#seen.set(signature, nowSeconds + 2 * windowSeconds);
    return true;
  }
}

const actionPayload = z.object({
  type: z.string(),
  user: z.object({ id: z.string() }).optional(),
  response_url: z.string().optional(),
  actions: z
    .array(z.object({ action_id: z.string(), value: z.string().optional(), url: z.string().optional() }))
    .optional(),
});

/** The buttons baton answers, by action_id: the operation and how it reads the button's value. */
const buttons: Record<string, { operation: OperationName; done: (sow: string) => string }> = {
  ack: { operation: 'ack', done: (sow) => `acknowledged ${sow}` },
  intro: { operation: 'intro', done: (sow) => `sent the warm introduction for ${sow}` },
};

/** Slack mrkdwn: &, < and > are control characters (links, mentions); everything else is text. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function registerSlackActions(
  app: FastifyInstance,
  deps: { baton: Baton; slack: SlackOptions },
): void {
  const { baton, slack } = deps;
  const windowSeconds = slack.windowSeconds ?? 300;
  const nowSeconds = slack.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const seen = new SeenSignatures();
  const pending = new Set<Promise<void>>();
  const allowedOrigins = new Set(['https://hooks.slack.com', ...(slack.responseOrigins ?? [])]);

  // The signature covers the raw body: keep it as text here, parse it after checking.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 1024 * 1024 },
    (_request, body, done) => done(null, body),
  );
  app.addHook('onClose', async () => {
    await Promise.allSettled([...pending]);
  });

  const reply = async (request: FastifyRequest, url: string | undefined, text: string): Promise<void> => {
    if (!url) return;
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      return;
    }
    // Only Slack's own endpoint (or the configured fake Slack): a signed payload still should not make
    // this server post anywhere else.
    if (!allowedOrigins.has(origin)) {
      request.log.warn({ origin }, 'slack: response_url is not a Slack address; not answering');
      return;
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok)
        request.log.warn({ status: response.status }, 'slack: response_url refused the reply');
    } catch (e) {
      // The response_url itself is a credential of sorts: log only why it failed.
      request.log.warn({ error: (e as Error).name }, 'slack: could not post to response_url');
    }
  };

  const actorFor = async (slackUser: string | undefined): Promise<ActorRef> => {
    const name = slackUser ? slack.users?.[slackUser] : undefined;
    if (!name)
      throw new AppError(
        'unauthenticated',
        `your Slack account (${slackUser ?? 'unknown'}) is not linked to a baton user; ask an admin to add it to BATON_SLACK_USERS`,
        'user',
      );
    const user = await userByName(baton, name);
    if (!user || user.disabledAt)
      throw new AppError(
        'unauthenticated',
        `the baton user ${name} linked to your Slack account does not exist or is disabled`,
        'user',
      );
    return { role: user.role, name: user.name, via: 'slack' };
  };

  const act = async (request: FastifyRequest, payload: z.output<typeof actionPayload>): Promise<void> => {
    for (const action of payload.actions ?? []) {
      if (action.url) continue; // a link button: Slack opened the link; nothing to do
      const button = buttons[action.action_id.replace(/^baton_/, '')];
      let text: string;
      try {
        if (!button)
          throw new AppError('bad-input', `baton has no button "${action.action_id}"`, 'action_id');
        const actor = await actorFor(payload.user?.id);
        const sow = action.value ?? '';
        await runOperation(baton, actor, button.operation, { sow });
        const link = slack.dashboardUrl
          ? ` <${slack.dashboardUrl.replace(/\/$/, '')}/handoffs/${encodeURIComponent(sow.toUpperCase())}|open>`
          : '';
        text = `:white_check_mark: ${slackEscape(button.done(sow.toUpperCase()))}${link}`;
      } catch (e) {
        const problem = problemOf(e);
        if (problem.internal) request.log.error({ err: e }, 'slack action failed');
        text = `:no_entry: ${slackEscape(problem.internal ? 'baton could not do that; the server log has the details' : problem.detail)}${
          problem.rule ? `\n_rule: ${slackEscape(problem.rule)}_` : ''
        }${problem.allowed ? `\n_you may: ${slackEscape(problem.allowed.join(', ') || 'nothing on this handoff now')}_` : ''}`;
      }
      await reply(request, payload.response_url, text);
    }
  };

  app.post('/slack/actions', async (request, replyTo) => {
    if (!slack.signingSecret)
      throw new HttpProblem(
        503,
        'unavailable',
        'Slack is not configured',
        'set SLACK_SIGNING_SECRET to take Slack interactivity',
      );
    const rawBody = typeof request.body === 'string' ? request.body : '';
    const now = nowSeconds();
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const signature = header('x-slack-signature');
    const check = verifySlackSignature({
      secret: slack.signingSecret,
      timestamp: header('x-slack-request-timestamp'),
      signature,
      rawBody,
      nowSeconds: now,
      windowSeconds,
    });
    if (!check.ok) throw new HttpProblem(401, 'slack-signature', 'Bad Slack signature', check.reason);
    if (!seen.firstSight(signature as string, now, windowSeconds))
      throw new HttpProblem(
        401,
        'slack-signature',
        'Bad Slack signature',
        'this request was already received (a replay)',
      );
    const form = new URLSearchParams(rawBody);
    let payload: z.output<typeof actionPayload>;
    try {
      payload = actionPayload.parse(JSON.parse(form.get('payload') ?? ''));
    } catch {
      throw new HttpProblem(
        400,
        'malformed',
        'Malformed payload',
        'the form has no JSON `payload` field',
        'payload',
      );
    }
    if (payload.type === 'block_actions') {
      const task: Promise<void> = act(request, payload)
        .catch((e: unknown) => request.log.error({ err: e }, 'slack action failed'))
        .finally(() => pending.delete(task));
      pending.add(task);
    }
    return replyTo.code(200).send();
  });
}
