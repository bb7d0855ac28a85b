/**
 * A Slack Web API on 127.0.0.1 that checks requests the way Slack does: the token (Authorization: Bearer,
 * or `token` in a form body), form-encoded or JSON bodies (JSON only with the header token), answers
 * with HTTP 200 and `{ok:false, error}` for refusals (`not_authed`, `invalid_auth`, `channel_not_found`,
 * `not_in_channel`, `no_text`, `invalid_blocks`, `invalid_metadata_format`, `msg_too_long`,
 * `missing_scope`), 429 with Retry-After for rate limits. Methods: auth.test, chat.postMessage,
 * conversations.history (with include_all_metadata, oldest, cursor), conversations.list.
 * It records every message and the control sequences (mentions, links) Slack would act on.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delay, Faults } from './faults.ts';

export interface SlackChannel {
  id: string;
  name: string;
  /** The bot is a member (else posting gives not_in_channel). */
  member?: boolean;
  isPrivate?: boolean;
}

export interface PostedMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[] | undefined;
  metadata: { event_type: string; event_payload: Record<string, unknown> } | undefined;
  /** Control sequences Slack would turn into mentions or links: `<!channel>`, `<@U1>`, `<http://x|y>`. */
  controls: string[];
  unfurlLinks: unknown;
  /** How the request body was encoded. */
  encoding: 'form' | 'json';
  /** When the fake stored it (real ms). */
  storedAt: number;
}

export interface SlackFakeOptions {
  token: string;
  channels?: SlackChannel[];
  /** Scopes reported in x-oauth-scopes and enforced. */
  scopes?: string[];
  /** Clock for message timestamps (ms); default Date.now. */
  now?: () => number;
}

export interface SlackFake {
  /** The API base, ending in /api/ (what BATON_SLACK_API_URL takes). */
  apiUrl: string;
  posts: PostedMessage[];
  /** Every call: method, and the error it answered with. */
  calls: { method: string; error?: string; status: number }[];
  faults: Faults;
  now: () => number;
  setNow(now: () => number): void;
  close(): Promise<void>;
}

const controlPattern = /<([!@#][^>]*|(?:https?|mailto):[^>]*)>/g;

function controlsIn(text: string): string[] {
  return [...text.matchAll(controlPattern)].map((m) => m[0]);
}

function textsOfBlocks(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsOfBlocks);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const own = o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : [];
    return [
      ...own,
      ...Object.entries(o).flatMap(([k, v]) =>
        k === 'text' && typeof v === 'string' ? [] : textsOfBlocks(v),
      ),
    ];
  }
  return [];
}

/** Block Kit rules Slack enforces on the blocks we send (a subset: the block types we use and a few more). */
function blocksProblem(blocks: unknown): string | undefined {
  if (!Array.isArray(blocks)) return 'blocks must be an array';
  if (blocks.length > 50) return 'no more than 50 blocks';
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  for (const block of blocks as Record<string, unknown>[]) {
    if (!block || typeof block !== 'object') return 'a block must be an object';
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > 255 || blockIds.has(block.block_id)) return 'bad block_id';
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'section': {
        const t = block.text as { type?: string; text?: string } | undefined;
        if (!t || (t.type !== 'mrkdwn' && t.type !== 'plain_text') || typeof t.text !== 'string')
          return 'section needs a text object';
        if (t.text.length < 1 || t.text.length > 3000) return 'section text must be 1-3000 characters';
        break;
      }
      case 'actions': {
        const elements = block.elements as Record<string, unknown>[] | undefined;
        if (!Array.isArray(elements) || elements.length < 1 || elements.length > 25)
          return 'actions needs 1-25 elements';
        for (const e of elements) {
          if (e.type !== 'button') return `unsupported element ${String(e.type)}`;
          const t = e.text as { type?: string; text?: string } | undefined;
          if (
            t?.type !== 'plain_text' ||
            typeof t.text !== 'string' ||
            t.text.length < 1 ||
            t.text.length > 75
          )
            return 'button text must be plain_text of 1-75 characters';
          if (e.url !== undefined) {
            if (typeof e.url !== 'string' || e.url.length > 3000) return 'button url too long';
            try {
              const u = new URL(e.url);
              if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'button url must be http(s)';
            } catch {
              return 'button url is not a URL';
            }
          }
          if (typeof e.action_id === 'string') {
            if (e.action_id.length > 255 || actionIds.has(e.action_id)) return 'bad action_id';
            actionIds.add(e.action_id);
          }
        }
        break;
      }
      case 'context':
      case 'divider':
      case 'header':
        break;
      default:
        return `unknown block type ${String(block.type)}`;
    }
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Form values that carry JSON (blocks, metadata) arrive as strings; JSON bodies carry them as values. */
function jsonish(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return Symbol.for('invalid-json');
  }
}

export async function startSlackFake(options: SlackFakeOptions): Promise<SlackFake> {
  const channels = options.channels ?? [{ id: 'C0HANDOFFS', name: 'agent-handoffs', member: true }];
  const scopes = options.scopes ?? [
    'chat:write',
    'channels:history',
    'groups:history',
    'channels:read',
    'groups:read',
  ];
  const posts: PostedMessage[] = [];
  const calls: SlackFake['calls'] = [];
  const faults = new Faults();
  let now = options.now ?? Date.now;
  let counter = 0;

  const channelBy = (value: string): SlackChannel | undefined => {
    const name = value.replace(/^#/, '');
    return channels.find((c) => c.id === value || (c.name === name && !/^[CGD][A-Z0-9]{6,}$/.test(value)));
  };

  const handle = async (method: string, params: Record<string, unknown>, encoding: 'form' | 'json') => {
    const need = (scope: string) => !scopes.includes(scope);
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://baton-test.slack.com/',
          team: 'Baton Test',
          user: 'baton',
          team_id: 'T0TEST',
          user_id: 'U0BATON',
          bot_id: 'B0BATON',
        };
      case 'chat.postMessage': {
        if (need('chat:write')) return { ok: false, error: 'missing_scope', needed: 'chat:write' };
        const channel = typeof params.channel === 'string' ? channelBy(params.channel) : undefined;
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!channel.member) return { ok: false, error: 'not_in_channel' };
        const text = typeof params.text === 'string' ? params.text : '';
        const blocks = params.blocks === undefined ? undefined : jsonish(params.blocks);
        if (!text && blocks === undefined) return { ok: false, error: 'no_text' };
        if (text.length > 40000) return { ok: false, error: 'msg_too_long' };
        if (blocks !== undefined) {
          const problem = blocksProblem(blocks);
          if (problem) return { ok: false, error: 'invalid_blocks', errors: [problem] };
        }
        let metadata: PostedMessage['metadata'];
        if (params.metadata !== undefined) {
          const m = jsonish(params.metadata) as { event_type?: unknown; event_payload?: unknown };
          if (
            !m ||
            typeof m !== 'object' ||
            typeof m.event_type !== 'string' ||
            !/^[a-zA-Z0-9_]+$/.test(m.event_type) ||
            !m.event_payload ||
            typeof m.event_payload !== 'object'
          )
            return { ok: false, error: 'invalid_metadata_format' };
          metadata = { event_type: m.event_type, event_payload: m.event_payload as Record<string, unknown> };
        }
        const ts = `${Math.floor(now() / 1000)}.${String(++counter).padStart(6, '0')}`;
        const controls = [...controlsIn(text), ...textsOfBlocks(blocks).flatMap(controlsIn)];
        posts.push({
          channel: channel.id,
          ts,
          text,
          blocks: blocks as unknown[] | undefined,
          metadata,
          controls,
          unfurlLinks: params.unfurl_links,
          encoding,
          storedAt: Date.now(),
        });
        return {
          ok: true,
          channel: channel.id,
          ts,
          message: { type: 'message', text, ts, bot_id: 'B0BATON' },
        };
      }
      case 'conversations.history': {
        const channel =
          typeof params.channel === 'string' ? channels.find((c) => c.id === params.channel) : undefined;
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (need(channel.isPrivate ? 'groups:history' : 'channels:history'))
          return {
            ok: false,
            error: 'missing_scope',
            needed: channel.isPrivate ? 'groups:history' : 'channels:history',
          };
        if (!channel.member) return { ok: false, error: 'not_in_channel' };
        const oldest = Number(params.oldest ?? 0);
        const limit = Math.min(Number(params.limit ?? 100) || 100, 999);
        const offset = params.cursor ? Number(Buffer.from(String(params.cursor), 'base64').toString()) : 0;
        const withMetadata = params.include_all_metadata === true || params.include_all_metadata === 'true';
        const all = posts
          .filter((p) => p.channel === channel.id && Number(p.ts) >= oldest)
          .sort((a, b) => Number(b.ts) - Number(a.ts));
        const page = all.slice(offset, offset + limit);
        const more = offset + limit < all.length;
        return {
          ok: true,
          messages: page.map((p) => ({
            type: 'message',
            ts: p.ts,
            text: p.text,
            bot_id: 'B0BATON',
            ...(withMetadata && p.metadata ? { metadata: p.metadata } : {}),
          })),
          has_more: more,
          response_metadata: {
            next_cursor: more ? Buffer.from(String(offset + limit)).toString('base64') : '',
          },
        };
      }
      case 'conversations.list': {
        const limit = Math.min(Number(params.limit ?? 100) || 100, 1000);
        const offset = params.cursor ? Number(Buffer.from(String(params.cursor), 'base64').toString()) : 0;
        const page = channels.slice(offset, offset + limit);
        const more = offset + limit < channels.length;
        return {
          ok: true,
          channels: page.map((c) => ({
            id: c.id,
            name: c.name,
            is_private: !!c.isPrivate,
            is_member: !!c.member,
          })),
          response_metadata: {
            next_cursor: more ? Buffer.from(String(offset + limit)).toString('base64') : '',
          },
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const body = await readBody(req);
    const { fault, delayMs } = faults.take();
    if (delayMs) await delay(delayMs);
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      calls.push({
        method,
        status,
        ...(payload && typeof payload === 'object' && 'error' in payload
          ? { error: String((payload as { error: unknown }).error) }
          : {}),
      });
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-oauth-scopes': scopes.join(','),
        ...headers,
      });
      res.end(JSON.stringify(payload));
    };
    if (fault?.kind === 'error') return send(500, { ok: false, error: 'internal_error' });
    if (fault?.kind === 'rate-limit')
      return send(
        429,
        { ok: false, error: 'ratelimited' },
        { 'retry-after': String(fault.retryAfterSeconds) },
      );
    if (req.method !== 'POST') return send(200, { ok: false, error: 'invalid_request' });
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
    let params: Record<string, unknown>;
    let encoding: 'form' | 'json';
    if (type === 'application/x-www-form-urlencoded') {
      params = Object.fromEntries(new URLSearchParams(body));
      encoding = 'form';
    } else if (type === 'application/json') {
      try {
        params = JSON.parse(body);
      } catch {
        return send(200, { ok: false, error: 'invalid_json' });
      }
      encoding = 'json';
    } else return send(200, { ok: false, error: 'invalid_form_data' });
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ')
      ? header.slice(7)
      : encoding === 'form'
        ? params.token
        : undefined;
    if (!token) return send(200, { ok: false, error: 'not_authed' });
    if (token !== options.token) return send(200, { ok: false, error: 'invalid_auth' });
    const result = await handle(method, params, encoding);
    if (fault?.kind === 'drop-after') {
      calls.push({ method, status: 0 });
      req.socket.destroy();
      return;
    }
    send(200, result);
  };
  const server = createServer((req, res) => {
    serve(req, res).catch(() => req.socket.destroy());
  });
  // A client killed mid-request resets its connection; a real server shrugs that off.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    posts,
    calls,
    faults,
    get now() {
      return now;
    },
    setNow(next) {
      now = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
