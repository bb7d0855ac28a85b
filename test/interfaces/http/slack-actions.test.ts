// POST /slack/actions: Slack's v0 signature (good, bad, tampered, stale, replayed), buttons acting as the
// mapped baton user under the same rules, and the outcome posted to a fake Slack's response_url over HTTP.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { IntegrationsConfig } from '../../../src/app/integrations-config.ts';
import {
  SeenSignatures,
  slackEscape,
  slackOptionsFrom,
  slackOptionsFromEnv,
  verifySlackSignature,
} from '../../../src/interfaces/http/slack-actions.ts';
import { openAndSubmit, SOW, startServer, type TestServer } from './http-fixture.ts';
import { SlackResponseFake } from './slack-response-fake.ts';

const secret = 'test-signing-secret-8f742231b10e';
const users = { U0CASEY: 'Casey Lin', U0CARLA: 'Carla Reyes', U0GHOST: 'Nobody Here' };

function sign(body: string, timestamp: number, key = secret): string {
  return `v0=${createHmac('sha256', key).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

function formOf(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function blockAction(slackUser: string, actionId: string, value: string, responseUrl: string) {
  return {
    type: 'block_actions',
    user: { id: slackUser, username: 'someone', team_id: 'T0001' },
    team: { id: 'T0001', domain: 'northwind' },
    response_url: responseUrl,
    trigger_id: '123.456.abc',
    actions: [{ action_id: actionId, block_id: 'handoff', type: 'button', value, action_ts: '1.2' }],
  };
}

describe('POST /slack/actions', () => {
  let t: TestServer;
  let slack: SlackResponseFake;
  let now = 1_778_767_200; // seconds; 2026-05-14T14:00:00Z
  let nonce = 0;
  const post = (body: string, headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/slack/actions',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: body,
    });
  /** A request signed as Slack signs it, now. Each gets a fresh trigger id, so each signature is new. */
  const click = (slackUser: string, actionId: string, value: string, path = '/actions/T0001/1/abc') => {
    const payload = {
      ...blockAction(slackUser, actionId, value, `${slack.origin}${path}`),
      trigger_id: `t${nonce++}`,
    };
    const body = formOf(payload);
    return {
      body,
      headers: { 'x-slack-request-timestamp': String(now), 'x-slack-signature': sign(body, now) },
    };
  };

  before(async () => {
    slack = await new SlackResponseFake().start();
    t = await startServer({
      server: {
        slack: {
          signingSecret: secret,
          users,
          responseOrigins: [slack.origin],
          nowSeconds: () => now,
          dashboardUrl: 'http://127.0.0.1:8080',
        },
      },
    });
    await openAndSubmit(t);
  });
  after(async () => {
    await t.close();
    await slack.stop();
  });
  beforeEach(() => {
    slack.posts.length = 0;
  });

  it('a refused click (the CRO acknowledging) answers 200 at once and tells only the clicker why', async () => {
    const { body, headers } = click('U0CARLA', 'ack', SOW);
    const posted = slack.next();
    const r = await post(body, headers);
    assert.equal(r.statusCode, 200);
    assert.equal(r.body, '');
    await posted;
    assert.equal(slack.posts[0]?.path, '/actions/T0001/1/abc');
    assert.match(String(slack.posts[0]?.contentType), /^application\/json/);
    const message = slack.posts[0]?.body as {
      response_type: string;
      replace_original: boolean;
      text: string;
    };
    assert.equal(message.response_type, 'ephemeral');
    assert.equal(message.replace_original, false);
    assert.match(message.text, /can never ack/);
    assert.match(message.text, /rule: separation-of-duties/);
    const status = JSON.parse((await t.call('cs', 'GET', `/api/handoffs/${SOW}`)).body);
    assert.equal(status.state, 'submitted');
  });

  it('the same rules as everywhere: customer.success is refused until the review is attested, then acknowledges', async () => {
    const first = click('U0CASEY', 'ack', SOW);
    let posted = slack.next();
    assert.equal((await post(first.body, first.headers)).statusCode, 200);
    await posted;
    assert.match(String(slack.posts[0]?.body.text), /rule: review-not-attested/);
    const attested = await t.call('cs', 'POST', `/api/handoffs/${SOW}/attest`, {
      check: 'crm-item-exists',
      reason: 'checked the deals board',
    });
    assert.equal(attested.statusCode, 200, attested.body);
    const second = click('U0CASEY', 'baton_ack', SOW.toLowerCase()); // as the integrations name buttons
    posted = slack.next();
    assert.equal((await post(second.body, second.headers)).statusCode, 200);
    await posted;
    assert.match(
      String(slack.posts[1]?.body.text),
      /acknowledged SOW-2026-014 <http:\/\/127\.0\.0\.1:8080\/handoffs\/SOW-2026-014\|open>/,
    );
    const history = JSON.parse((await t.call('cs', 'GET', `/api/handoffs/${SOW}/history`)).body);
    const ack = history.events.find((e: { type: string }) => e.type === 'PacketAcknowledged');
    assert.deepEqual(ack.actor, { role: 'customer.success', name: 'Casey Lin', via: 'slack' });
  });

  it('refuses a wrong signature, a changed body, a stale request and a replay with 401, doing nothing', async () => {
    const before = JSON.parse((await t.call('cs', 'GET', `/api/handoffs/${SOW}`)).body).version;
    const good = click('U0CARLA', 'intro', SOW);
    const wrongKey = await post(good.body, {
      ...good.headers,
      'x-slack-signature': sign(good.body, now, 'other'),
    });
    assert.equal(wrongKey.statusCode, 401);
    assert.match(JSON.parse(wrongKey.body).detail, /does not match/);
    const tampered = await post(good.body.replace('intro', 'ackxx'), good.headers);
    assert.equal(tampered.statusCode, 401);
    const missing = await post(good.body, { 'x-slack-request-timestamp': String(now) });
    assert.equal(missing.statusCode, 401);

    const old = click('U0CARLA', 'intro', SOW);
    now += 301;
    const stale = await post(old.body, old.headers);
    assert.equal(stale.statusCode, 401);
    assert.match(JSON.parse(stale.body).detail, /too old/);
    const future = click('U0CARLA', 'intro', SOW);
    now -= 2 * 301;
    assert.equal((await post(future.body, future.headers)).statusCode, 401, 'from 5 minutes in the future');
    now += 301;

    const once = click('U0CARLA', 'link', SOW);
    assert.equal((await post(once.body, once.headers)).statusCode, 200);
    const replay = await post(once.body, once.headers);
    assert.equal(replay.statusCode, 401);
    assert.match(JSON.parse(replay.body).detail, /replay/);

    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(JSON.parse((await t.call('cs', 'GET', `/api/handoffs/${SOW}`)).body).version, before);
    assert.equal(slack.posts.filter((p) => !/no button/.test(String(p.body.text))).length, 0);
  });

  it('an unmapped or unknown Slack user is told to get linked; an unknown button is named', async () => {
    const stranger = click('U0STRANGER', 'ack', SOW);
    let posted = slack.next();
    await post(stranger.body, stranger.headers);
    await posted;
    assert.match(String(slack.posts[0]?.body.text), /not linked to a baton user.*BATON_SLACK_USERS/);
    const ghost = click('U0GHOST', 'ack', SOW);
    posted = slack.next();
    await post(ghost.body, ghost.headers);
    await posted;
    assert.match(String(slack.posts[1]?.body.text), /Nobody Here .*does not exist/);
    const unknown = click('U0CASEY', 'delete_everything', SOW);
    posted = slack.next();
    await post(unknown.body, unknown.headers);
    await posted;
    assert.match(String(slack.posts[2]?.body.text), /no button "delete_everything"/);
  });

  it('escapes what it echoes for Slack: no mentions or links from what the request carried', async () => {
    const evil = click('U0CARLA', '<!channel> <http://evil.example|click>', SOW);
    const posted = slack.next();
    await post(evil.body, evil.headers);
    await posted;
    const text = String(slack.posts[0]?.body.text);
    assert.ok(!text.includes('<!channel>'), text);
    assert.ok(text.includes('&lt;!channel&gt;'), text);
    assert.ok(!text.includes('<http://evil'), text);
  });

  it('link buttons need no answer; a response_url that is not Slack gets nothing', async () => {
    const link = formOf({
      ...blockAction('U0CASEY', 'open', '', `${slack.origin}/x`),
      trigger_id: `t${nonce++}`,
      actions: [{ action_id: 'open', type: 'button', url: 'http://127.0.0.1:8080/handoffs/SOW-2026-014' }],
    });
    assert.equal(
      (await post(link, { 'x-slack-request-timestamp': String(now), 'x-slack-signature': sign(link, now) }))
        .statusCode,
      200,
    );
    const elsewhere = formOf({
      ...blockAction('U0CASEY', 'ack', SOW, 'http://127.0.0.2:9/steal'),
      trigger_id: `t${nonce++}`,
    });
    assert.equal(
      (
        await post(elsewhere, {
          'x-slack-request-timestamp': String(now),
          'x-slack-signature': sign(elsewhere, now),
        })
      ).statusCode,
      200,
    );
    // Nothing will arrive; give a wrong answer the time to show up.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(slack.posts, []);
  });

  it('400 for a signed form without a JSON payload', async () => {
    const body = 'payload=%7Bnot-json';
    const r = await post(body, {
      'x-slack-request-timestamp': String(now),
      'x-slack-signature': sign(body, now),
    });
    assert.equal(r.statusCode, 400);
    assert.equal(JSON.parse(r.body).field, 'payload');
  });
});

describe('Slack signature, replay memory, configuration', () => {
  it("matches Slack's documented example signature", () => {
    const rawBody =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const input = {
      secret: '8f742231b10e8888abcd99yyyzzz85a5',
      timestamp: '1531420618',
      signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      rawBody,
      nowSeconds: 1531420618 + 299,
      windowSeconds: 300,
    };
    assert.deepEqual(verifySlackSignature(input), { ok: true });
    assert.equal(verifySlackSignature({ ...input, nowSeconds: 1531420618 + 301 }).ok, false);
    assert.equal(verifySlackSignature({ ...input, signature: `${input.signature.slice(0, -1)}0` }).ok, false);
    assert.equal(verifySlackSignature({ ...input, signature: 'v0=abc' }).ok, false);
    assert.equal(verifySlackSignature({ ...input, timestamp: '1531420618.5' }).ok, false);
  });

  it('remembers a signature for the window and forgets it after', () => {
    const seen = new SeenSignatures(2);
    assert.equal(seen.firstSight('a', 1000, 300), true);
    assert.equal(seen.firstSight('a', 1200, 300), false);
    assert.equal(seen.firstSight('b', 1000, 300), true);
    assert.equal(seen.firstSight('c', 1700, 300), true, 'full: expired ones make room');
    assert.equal(seen.firstSight('a', 1700, 300), true, 'expired');
  });

  it('reads BATON_SLACK_USERS and refuses a malformed one, naming it', () => {
    assert.deepEqual(
      slackOptionsFromEnv({
        SLACK_SIGNING_SECRET: 's',
        BATON_SLACK_USERS: '{"U024BE7LH": "Dana Reyes"}',
        BATON_SLACK_API_URL: 'http://127.0.0.1:4010/api/',
      }),
      { signingSecret: 's', users: { U024BE7LH: 'Dana Reyes' }, responseOrigins: ['http://127.0.0.1:4010'] },
    );
    assert.throws(() => slackOptionsFromEnv({ BATON_SLACK_USERS: '{nope' }), /BATON_SLACK_USERS is not JSON/);
    const person = { role: undefined, mondayId: undefined, email: undefined, displayName: undefined };
    const merged = slackOptionsFrom(
      { BATON_SLACK_USERS: '{"U0B": "Bea from env"}', BATON_PUBLIC_URL: 'https://baton.example.com' },
      {
        people: {
          'Ann Lee': { ...person, slackId: 'U0A' },
          'Bea Old': { ...person, slackId: 'U0B' },
          'No Slack': { ...person, slackId: undefined },
        },
        slack: { apiUrl: 'http://127.0.0.1:4011/api/' },
      } as unknown as IntegrationsConfig,
    );
    assert.deepEqual(
      merged.users,
      { U0A: 'Ann Lee', U0B: 'Bea from env' },
      'the environment wins over the file',
    );
    assert.deepEqual(merged.responseOrigins, ['http://127.0.0.1:4011']);
    assert.equal(merged.dashboardUrl, 'https://baton.example.com');
    assert.throws(
      () => slackOptionsFromEnv({ BATON_SLACK_USERS: '{"dana": "Dana"}' }),
      /BATON_SLACK_USERS: dana/,
    );
    assert.equal(slackEscape('a & <b> c'), 'a &amp; &lt;b&gt; c');
  });

  it('answers 503 while no signing secret is configured', async () => {
    const t = await startServer();
    try {
      const r = await t.app.inject({
        method: 'POST',
        url: '/slack/actions',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'payload=%7B%7D',
      });
      assert.equal(r.statusCode, 503);
      assert.match(JSON.parse(r.body).detail, /SLACK_SIGNING_SECRET/);
    } finally {
      await t.close();
    }
  });
});
