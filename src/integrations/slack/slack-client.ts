/**
 * Slack's Web API through the official client, set up for an outbox: no retries of its own (the outbox
 * retries with backoff), rate limits reported at once with their Retry-After, a timeout well under the
 * outbox lease, and no logging (the client's debug log would print request bodies).
 */
import {
  type Logger,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import { IntegrationError, retryAfterHeaderMs } from '../integration-error.ts';
import type { SlackMessage } from './messages.ts';

export const defaultSlackApiUrl = 'https://slack.com/api/';

/** The metadata event type that marks baton's posts; its payload carries the outbox effect id. */
export const effectEventType = 'baton_effect';

export interface SlackClientOptions {
  token: string;
  /** Slack's API base (BATON_SLACK_API_URL); a fake in tests. */
  apiUrl?: string;
  timeoutMs?: number;
}

export interface SlackIdentity {
  team: string;
  user: string;
  botId: string | undefined;
  /** The token's scopes as Slack reported them (x-oauth-scopes), when it did. */
  scopes: string[] | undefined;
}

export interface SlackClient {
  /** Posts a message carrying the effect id in its metadata. Returns the channel id and the message ts. */
  post(channel: string, message: SlackMessage, effectId: string): Promise<{ channel: string; ts: string }>;
  /** The ts of a message in the channel whose metadata carries this effect id, posted since `oldest`. */
  findPosted(channel: string, effectId: string, oldest: Date): Promise<string | undefined>;
  /** Whether baton may read the channel's history (the duplicate check needs it). */
  canReadHistory(channel: string): Promise<true>;
  authTest(): Promise<SlackIdentity>;
  /** A channel id for a name (`#agent-handoffs`) or an id as it is. */
  channelId(channel: string): Promise<string>;
}

const silent: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

/** What each refusal means and what to do; none of these get better by retrying. */
const permanentHints: Record<string, string> = {
  invalid_auth: 'the token was refused; check SLACK_BOT_TOKEN',
  not_authed: 'no token reached Slack; check SLACK_BOT_TOKEN',
  account_inactive: 'the token belongs to a deactivated user or app; reinstall the Slack app',
  token_revoked: 'the token was revoked; reinstall the Slack app and update SLACK_BOT_TOKEN',
  token_expired: 'the token expired; update SLACK_BOT_TOKEN',
  no_permission: 'the token may not do this; check the Slack app configuration',
  missing_scope: 'the Slack app lacks a scope',
  channel_not_found:
    'no such channel, or the app cannot see it; check BATON_SLACK_CHANNEL and invite the app',
  not_in_channel: 'the app is not a member of the channel; invite it (/invite @app) in Slack',
  is_archived: 'the channel is archived; unarchive it or set BATON_SLACK_CHANNEL',
  restricted_action: 'a workspace policy forbids this post',
  msg_too_long: 'the message is too long',
  no_text: 'the message had no text',
  invalid_blocks: 'Slack refused the message blocks',
  invalid_blocks_format: 'Slack refused the message blocks',
  invalid_metadata_format: 'Slack refused the message metadata',
  invalid_metadata_schema: 'Slack refused the message metadata',
  metadata_too_large: 'Slack refused the message metadata (too large)',
  invalid_arguments: 'Slack refused the request arguments',
  ekm_access_denied: 'the workspace administrators suspended posting',
};

/** Slack answers these when it is having trouble; trying again later can work. */
const transientCodes = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** Translates the client's errors into IntegrationErrors; none of the client's messages carry the token. */
export function slackError(method: string, error: unknown): IntegrationError {
  if (error instanceof IntegrationError) return error;
  if (error instanceof WebAPIRateLimitedError)
    return new IntegrationError('slack', `Slack ${method}: rate limited, retry after ${error.retryAfter} s`, {
      retryable: true,
      retryAfterMs: error.retryAfter * 1000,
      code: 'ratelimited',
    });
  if (error instanceof WebAPIPlatformError) {
    const code = String(error.data.error);
    const needed = (error.data as { needed?: string }).needed;
    const hint = permanentHints[code];
    const detail = `${hint ?? 'Slack refused the call'}${code === 'missing_scope' && needed ? ` (needs ${needed})` : ''}`;
    return new IntegrationError('slack', `Slack ${method}: ${code}: ${detail}`, {
      retryable: transientCodes.has(code),
      code,
    });
  }
  if (error instanceof WebAPIHTTPError) {
    const retryable = error.statusCode >= 500 || error.statusCode === 408;
    const retryAfterMs = retryAfterHeaderMs(error.headers['retry-after']);
    return new IntegrationError(
      'slack',
      `Slack ${method}: HTTP ${error.statusCode}${retryable ? '' : ' (check BATON_SLACK_API_URL)'}`,
      {
        retryable,
        code: `http_${error.statusCode}`,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      },
    );
  }
  if (error instanceof WebAPIRequestError) {
    const cause = error.original as Error & { cause?: { code?: string } };
    const why = cause.name === 'TimeoutError' ? 'timed out' : (cause.cause?.code ?? cause.message);
    return new IntegrationError('slack', `Slack ${method}: could not reach Slack (${why})`, {
      retryable: true,
      code: 'request_error',
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new IntegrationError('slack', `Slack ${method}: ${message}`, { retryable: true });
}

export function createSlackClient(options: SlackClientOptions): SlackClient {
  const apiUrl = (options.apiUrl ?? defaultSlackApiUrl).replace(/\/*$/, '/');
  const web = new WebClient(options.token, {
    slackApiUrl: apiUrl,
    allowAbsoluteUrls: false,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    logger: silent,
  });
  const ids = new Map<string, string>();

  const call = async <T>(method: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw slackError(method, error);
    }
  };

  const channelId = async (channel: string): Promise<string> => {
    const name = channel.replace(/^#/, '');
    if (/^[CGD][A-Z0-9]{6,}$/.test(name)) return name;
    const known = ids.get(name);
    if (known) return known;
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const result = await call('conversations.list', () =>
        web.conversations.list({
          types: 'public_channel,private_channel',
          exclude_archived: true,
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        }),
      );
      for (const c of result.channels ?? []) if (c.name && c.id) ids.set(c.name, c.id);
      const found = ids.get(name);
      if (found) return found;
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    throw new IntegrationError(
      'slack',
      `Slack conversations.list: channel_not_found: no channel named #${name} that the app can see; check BATON_SLACK_CHANNEL and invite the app`,
      { retryable: false, code: 'channel_not_found' },
    );
  };

  return {
    channelId,
    async post(channel, message, effectId) {
      const result = await call('chat.postMessage', () =>
        web.chat.postMessage({
          channel: channel.replace(/^#/, ''),
          text: message.text,
          // biome-ignore lint/suspicious/noExplicitAny: our blocks are plain Block Kit JSON; the SDK's union types are narrower than what Slack accepts
          ...(message.blocks.length > 0 ? { blocks: message.blocks as any } : {}),
          unfurl_links: false,
          unfurl_media: false,
          metadata: { event_type: effectEventType, event_payload: { effect_id: effectId } },
        }),
      );
      if (result.channel) ids.set(channel.replace(/^#/, ''), result.channel);
      return { channel: result.channel ?? channel, ts: result.ts ?? '' };
    },
    async findPosted(channel, effectId, oldest) {
      const id = await channelId(channel);
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const result = await call('conversations.history', () =>
          web.conversations.history({
            channel: id,
            oldest: (Math.floor(oldest.getTime() / 1000) - 1).toString(),
            limit: 200,
            include_all_metadata: true,
            ...(cursor ? { cursor } : {}),
          }),
        );
        for (const m of result.messages ?? []) {
          const metadata = (
            m as { metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }
          ).metadata;
          if (metadata?.event_type === effectEventType && metadata.event_payload?.effect_id === effectId)
            return m.ts;
        }
        cursor = result.has_more ? result.response_metadata?.next_cursor || undefined : undefined;
        if (!cursor) return undefined;
      }
      return undefined;
    },
    async canReadHistory(channel) {
      const id = await channelId(channel);
      await call('conversations.history', () => web.conversations.history({ channel: id, limit: 1 }));
      return true;
    },
    async authTest() {
      const result = await call('auth.test', () => web.auth.test());
      return {
        team: result.team ?? '',
        user: result.user ?? '',
        botId: result.bot_id,
        scopes: result.response_metadata?.scopes,
      };
    },
  };
}
