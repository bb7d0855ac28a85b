/**
 * Plugs the integrations into the service layer: the notification planner, a handler per effect kind
 * (the real peer when configured, else a handler that says so), the notification log's handler, and the
 * live monday.com lookup for the gate. SDKs load on first use, so commands that send nothing start fast.
 */
import type { Temporal } from 'temporal-polyfill';
import type { CrmLookup } from '../domain/gate/index.ts';
import type { Mailer } from '../integrations/email/mailer.ts';
import { IntegrationError } from '../integrations/integration-error.ts';
import { findItem, updateItem } from '../integrations/monday/monday-api.ts';
import { createMondayClient, type MondayClient } from '../integrations/monday/monday-client.ts';
import type { SlackClient } from '../integrations/slack/slack-client.ts';
import { type Db, type Effect, logNotification, startDelivery } from '../store/index.ts';
import type { EffectPlanner } from './effects.ts';
import type { EffectHandler } from './handoff-context.ts';
import type { IntegrationsConfig, MondayConfig } from './integrations-config.ts';
import {
  type EmailPayload,
  type LogPayload,
  type MondayUpdatePayload,
  notificationLogKind,
  notificationPlanner,
  type SlackPostPayload,
} from './notification-planner.ts';
import { PermanentFailure, RetryLater } from './outbox-dispatcher.ts';
import { redactSecrets } from './redact.ts';
import { isoUtc } from './time.ts';

/**
 * How far back from an effect's creation the Slack duplicate check looks: our clock and Slack's may
 * disagree by this much.
 */
const historySlackMs = 10 * 60_000;

export interface IntegrationWiring {
  planners: EffectPlanner[];
  handlers: Record<string, EffectHandler>;
  crm?: (dealId: string) => Promise<CrmLookup>;
}

/** An integration's error as the outbox acts on it, secrets taken out of the message. */
export function deliveryError(error: unknown, secrets: readonly string[]): Error {
  const message = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
  if (!(error instanceof IntegrationError)) return new Error(message);
  if (!error.retryable) return new PermanentFailure(message);
  if (error.retryAfterMs !== undefined) return new RetryLater(message, error.retryAfterMs);
  return new Error(message);
}

export function mondayClientOf(monday: MondayConfig, timeoutMs?: number): MondayClient {
  return createMondayClient({
    token: monday.token,
    ...(monday.apiUrl ? { apiUrl: monday.apiUrl } : {}),
    ...(monday.apiVersion ? { apiVersion: monday.apiVersion } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}

export async function slackClientOf(config: NonNullable<IntegrationsConfig['slack']>): Promise<SlackClient> {
  const { createSlackClient } = await import('../integrations/slack/slack-client.ts');
  return createSlackClient({ token: config.token, ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}) });
}

/** The gate's `crm-item-exists` lookup: found with its status, missing, or unreachable (never a throw). */
export function crmLookup(
  monday: MondayConfig,
  secrets: readonly string[],
): (dealId: string) => Promise<CrmLookup> {
  const client = mondayClientOf(monday, 10_000);
  return async (dealId) => {
    try {
      const item = await findItem(client, dealId, [monday.columns.status]);
      if (!item || (item.boardId !== undefined && item.boardId !== monday.boardId))
        return { kind: 'missing' };
      return {
        kind: 'found',
        status: item.columns[monday.columns.status]?.text ?? '',
        expectedStatuses: monday.expectedStatuses,
      };
    } catch (error) {
      return { kind: 'unreachable', reason: deliveryError(error, secrets).message };
    }
  };
}

export function wireIntegrations(
  config: IntegrationsConfig,
  deps: { root: string; db: Db; worker: string; now: () => Temporal.Instant },
): IntegrationWiring {
  const { db, worker } = deps;
  const now = () => isoUtc(deps.now());
  const secrets = config.secrets;
  const guarded =
    (run: (effect: Effect) => Promise<void>): EffectHandler =>
    async (effect) => {
      try {
        await run(effect);
      } catch (error) {
        throw deliveryError(error, secrets);
      }
    };

  const toLog = (effect: Effect, p: LogPayload) =>
    logNotification(
      db,
      {
        id: effect.id,
        stream: effect.stream,
        integration: p.integration,
        kind: p.kind,
        summary: p.summary,
        payload: p.message,
      },
      now(),
    ).then(() => undefined);
  /**
   * An integration that is not configured takes its effects into the log too (effects other parts of
   * baton enqueue, or planned before the settings changed), so none is lost or dead for want of a token.
   */
  const logged =
    (
      integration: LogPayload['integration'],
      summary: (payload: Record<string, unknown>) => string,
    ): EffectHandler =>
    (effect) =>
      toLog(effect, {
        integration,
        kind: effect.kind,
        summary: summary(effect.payload),
        message: effect.payload,
      });
  const handlers: Record<string, EffectHandler> = {
    [notificationLogKind]: (effect) => toLog(effect, effect.payload as LogPayload),
  };

  const slack = config.slack;
  if (slack) {
    let client: Promise<SlackClient> | undefined;
    handlers['slack.post'] = guarded(async (effect) => {
      client ??= slackClientOf(slack);
      const slackClient = await client;
      const p = effect.payload as Partial<SlackPostPayload> & { text: string };
      const channel = p.channel ?? slack.channel;
      const message = { text: p.text, blocks: p.blocks ?? [] };
      // A delivery started before (a crash, a timeout) may have reached Slack: look before posting again.
      const earlier = await startDelivery(db, effect.id, worker, now());
      if (earlier > 0 || effect.attempts > 0) {
        const since = new Date(Date.parse(effect.createdAt) - historySlackMs);
        try {
          if (await slackClient.findPosted(channel, effect.id, since)) return;
        } catch (error) {
          // A check Slack refuses for good (no channels:history or channels:read scope: baton doctor warns)
          // cannot close the window; posting is better than never posting. A passing failure waits.
          if (!(error instanceof IntegrationError) || error.retryable) throw error;
        }
      }
      await slackClient.post(channel, message, effect.id);
    });
  } else handlers['slack.post'] = logged('slack', (p) => String(p.text ?? '').split('\n')[0] ?? '');

  const monday = config.monday;
  if (monday) {
    const client = mondayClientOf(monday);
    handlers['monday.update'] = guarded(async (effect) => {
      // Setting a column to the same value twice is harmless: monday.com updates need no duplicate check.
      await updateItem(client, effect.payload as MondayUpdatePayload, effect.id);
    });
  } else handlers['monday.update'] = logged('monday', (p) => `monday.com item ${String(p.itemId)}: update`);

  const email = config.email;
  if (email) {
    let mailer: Promise<Mailer> | undefined;
    handlers['email.send'] = guarded(async (effect) => {
      mailer ??= import('../integrations/email/mailer.ts').then((m) => m.createMailer(email));
      const p = effect.payload as EmailPayload;
      // SMTP cannot be asked what it already has (so no journal either); a resend carries the same
      // Message-ID, which mail clients use to fold duplicates.
      const result = await (await mailer).send({
        to: p.to,
        cc: p.cc,
        ...(p.replyTo ? { replyTo: p.replyTo } : {}),
        subject: p.subject,
        text: p.text,
        html: p.html,
        messageId: p.messageId,
      });
      if (result.accepted.length === 0)
        throw new PermanentFailure(`SMTP send: the server accepted none of the recipients`);
    });
  } else handlers['email.send'] = logged('email', (p) => `email: ${String(p.subject ?? '')}`);

  return {
    planners: [notificationPlanner(config, deps.root)],
    handlers,
    ...(monday ? { crm: crmLookup(monday, secrets) } : {}),
  };
}
