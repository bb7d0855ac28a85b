import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { IntegrationError } from '../../../src/integrations/integration-error.ts';
import { submissionMessage } from '../../../src/integrations/slack/messages.ts';
import { createSlackClient } from '../../../src/integrations/slack/slack-client.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack-fake.ts';

const token = 'xoxb-1111-2222-secretsecret';
const message = submissionMessage({
  sow: 'SOW-2026-014',
  filePath: 'p.md',
  dashboardUrl: 'http://127.0.0.1:8080/handoffs/SOW-2026-014',
});

async function refusal(run: () => Promise<unknown>): Promise<IntegrationError> {
  try {
    await run();
  } catch (e) {
    assert.ok(e instanceof IntegrationError, `expected an IntegrationError, got ${e}`);
    assert.ok(!e.message.includes(token), 'the token must not appear in the message');
    return e;
  }
  assert.fail('expected a refusal');
}

describe('the Slack client against a Slack Web API fake', () => {
  let slack: SlackFake;
  before(async () => {
    slack = await startSlackFake({
      token,
      channels: [
        { id: 'C0HANDOFFS', name: 'agent-handoffs', member: true },
        { id: 'C0OUTSIDE', name: 'outside', member: false },
      ],
    });
  });
  after(() => slack.close());
  beforeEach(() => {
    slack.posts.length = 0;
    slack.calls.length = 0;
  });
  const client = (overrides: { token?: string; timeoutMs?: number } = {}) =>
    createSlackClient({
      token: overrides.token ?? token,
      apiUrl: slack.apiUrl,
      timeoutMs: overrides.timeoutMs ?? 2000,
    });

  it('posts to a channel by name with the effect id in the metadata and blocks Slack accepts', async () => {
    const result = await client().post('#agent-handoffs', message, 'SOW-2026-014:4:slack');
    assert.equal(result.channel, 'C0HANDOFFS');
    const [post] = slack.posts;
    assert.ok(post);
    assert.equal(post.ts, result.ts);
    assert.equal(post.text, message.text);
    assert.deepEqual(post.metadata, {
      event_type: 'baton_effect',
      event_payload: { effect_id: 'SOW-2026-014:4:slack' },
    });
    assert.deepEqual(post.blocks, message.blocks);
    assert.equal(post.encoding, 'form');
    assert.equal(String(post.unfurlLinks), 'false');
    assert.deepEqual(post.controls, []);
  });

  it('finds an earlier post by its effect id through conversations.history, across pages, and only since `oldest`', async () => {
    const c = client();
    await c.post('#agent-handoffs', message, 'target');
    for (let i = 0; i < 230; i++) await c.post('C0HANDOFFS', message, `other-${i}`);
    assert.equal(
      await c.findPosted('#agent-handoffs', 'target', new Date(Date.now() - 60_000)),
      slack.posts[0]?.ts,
    );
    assert.equal(
      await c.findPosted('#agent-handoffs', 'never-posted', new Date(Date.now() - 60_000)),
      undefined,
    );
    assert.equal(await c.findPosted('#agent-handoffs', 'target', new Date(Date.now() + 60_000)), undefined);
    const pages = slack.calls.filter((call) => call.method === 'conversations.history').length;
    assert.ok(pages >= 4, `paged through history (${pages} calls)`);
  });

  it('reports refusals as permanent, with what to do and without the token', async () => {
    const bad = await refusal(() =>
      client({ token: 'xoxb-9-9-wrongwrong' }).post('#agent-handoffs', message, 'x'),
    );
    assert.equal(bad.code, 'invalid_auth');
    assert.equal(bad.retryable, false);
    assert.match(bad.message, /check SLACK_BOT_TOKEN/);
    assert.ok(!bad.message.includes('wrongwrong'));
    const missing = await refusal(() => client().post('C0NOWHERE1', message, 'x'));
    assert.equal(missing.code, 'channel_not_found');
    assert.equal(missing.retryable, false);
    const outside = await refusal(() => client().post('C0OUTSIDE', message, 'x'));
    assert.equal(outside.code, 'not_in_channel');
    assert.match(outside.message, /invite/);
    const unknownName = await refusal(() => client().findPosted('#no-such-channel', 'x', new Date()));
    assert.equal(unknownName.code, 'channel_not_found');
  });

  it('reports 500s, dropped connections and timeouts as retryable, and 429 with its Retry-After', async () => {
    slack.faults.next({ kind: 'error' });
    const e500 = await refusal(() => client().post('C0HANDOFFS', message, 'x'));
    assert.equal(e500.retryable, true);
    assert.equal(e500.code, 'http_500');
    slack.faults.next({ kind: 'rate-limit', retryAfterSeconds: 7 });
    const limited = await refusal(() => client().post('C0HANDOFFS', message, 'x'));
    assert.equal(limited.retryable, true);
    assert.equal(limited.retryAfterMs, 7000);
    slack.faults.next({ kind: 'drop' });
    const dropped = await refusal(() => client().post('C0HANDOFFS', message, 'x'));
    assert.equal(dropped.retryable, true);
    assert.equal(dropped.code, 'request_error');
    slack.faults.next({ kind: 'slow', ms: 1500 });
    const slow = await refusal(() => client({ timeoutMs: 200 }).post('C0HANDOFFS', message, 'x'));
    assert.equal(slow.retryable, true);
    assert.match(slow.message, /timed out/);
    assert.equal(slack.posts.length, 0, 'nothing stored yet');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(
      slack.posts.length,
      1,
      'the slow post still reached Slack after the client gave up: the window the duplicate check closes',
    );
  });

  it('the fake takes JSON bodies only with the token in the Authorization header, as Slack does', async () => {
    const post = (headers: Record<string, string>, body: Record<string, unknown>) =>
      fetch(`${slack.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ ok: boolean; error?: string }>);
    assert.deepEqual(await post({}, { token, channel: 'C0HANDOFFS', text: 'hi' }), {
      ok: false,
      error: 'not_authed',
    });
    assert.equal(
      (await post({ authorization: `Bearer ${token}` }, { channel: 'C0HANDOFFS', text: 'hi' })).ok,
      true,
    );
    assert.equal(
      (
        await post(
          { authorization: `Bearer ${token}` },
          { channel: 'C0HANDOFFS', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '' } }] },
        )
      ).error,
      'invalid_blocks',
    );
    assert.equal(slack.posts.at(-1)?.encoding, 'json');
  });

  it('auth.test says who the token is and which scopes it has', async () => {
    const who = await client().authTest();
    assert.equal(who.team, 'Baton Test');
    assert.ok(who.scopes?.includes('chat:write'));
  });
});
