// The integrations end to end: real workflow commands through the service layer plan notifications; the
// dispatcher delivers them to fake Slack, monday.com and SMTP servers that check what arrives as the real
// services would. SQLite store (the multi-dispatcher test covers Postgres).
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import {
  acknowledgePacket,
  flagHandoff,
  openHandoff,
  rejectPacket,
  scheduleDiscovery,
  sendIntroduction,
  submitPacket,
} from '../../../src/app/handoffs.ts';
import { notificationLog } from '../../../src/app/outbox-admin.ts';
import { deliverEffects } from '../../../src/app/outbox-dispatcher.ts';
import { createSlackClient } from '../../../src/integrations/slack/slack-client.ts';
import { enqueueEffects, readAll, startDelivery, withTransaction } from '../../../src/store/index.ts';
import { type MondayFake, startMondayFake } from '../../integrations/fakes/monday-fake.ts';
import { type SlackFake, startSlackFake } from '../../integrations/fakes/slack-fake.ts';
import { type SmtpFake, startSmtpFake } from '../../integrations/fakes/smtp-fake.ts';
import { createTestPlace, type TestPlace } from '../../store/dialects.ts';
import {
  carla,
  casey,
  chris,
  createWorld,
  examplePacket,
  paid,
  SOW,
  signed,
  type World,
} from '../app-fixture.ts';
import {
  dealItem,
  effectsOf,
  integrationsConfig,
  mondayToken,
  slackToken,
  smtpPass,
  smtpUser,
  wire,
} from './integration-fixture.ts';

let slack: SlackFake;
let monday: MondayFake;
let smtp: SmtpFake;
let place: TestPlace;
let world: World;

before(async () => {
  slack = await startSlackFake({
    token: slackToken,
    channels: [
      { id: 'C0HANDOFFS', name: 'agent-handoffs', member: true },
      { id: 'C0LEADERS', name: 'leadership', member: true },
    ],
  });
  monday = await startMondayFake({ token: mondayToken });
  smtp = await startSmtpFake({ user: smtpUser, pass: smtpPass });
});
after(async () => {
  await Promise.all([slack.close(), monday.close(), smtp.close()]);
});
beforeEach(async () => {
  slack.posts.length = 0;
  slack.calls.length = 0;
  monday.changes.length = 0;
  monday.requests.length = 0;
  monday.items.clear();
  monday.items.set(dealItem, {
    id: dealItem,
    name: 'Northwind Partners',
    boardId: '4412093',
    values: { status: { label: 'Closed Won' } },
  });
  smtp.messages.length = 0;
  place = createTestPlace('sqlite');
  world = await createWorld(place);
});
afterEach(() => place.cleanup());

const open = (sow = SOW) =>
  openHandoff(world.baton, carla, { sow, sowSigned: signed, paymentConfirmed: paid });
const deliver = () => deliverEffects(world.baton);

describe('with Slack, monday.com and email configured', () => {
  it('the lifecycle reaches each service as it expects it, and no command waits for them', async () => {
    wire(world.baton, integrationsConfig({ slack, monday, smtp }));
    await open();
    const submitted = await submitPacket(world.baton, carla, SOW);
    const crm = submitted.state.submissions[0]?.gate.checks.find((c) => c.id === 'crm-item-exists');
    assert.equal(crm?.status, 'pass', 'the live lookup found the item with status Closed Won');
    assert.equal(slack.posts.length, 0, 'the command posted nothing itself');
    assert.equal(monday.changes.length, 0);

    const first = await deliver();
    assert.equal(first.delivered, 2);
    const [rule6] = slack.posts;
    assert.ok(rule6);
    assert.equal(rule6.channel, 'C0HANDOFFS');
    assert.equal(
      rule6.text,
      'For: customer.success\nType: Assessment Handoff Packet\nFile path: /Claude/operations/handoffs/assessments/SOW-2026-014-handoff-packet.md\nBlocking: Yes -- discovery session scheduling blocked until acknowledged',
    );
    assert.deepEqual(rule6.metadata?.event_payload, { effect_id: 'SOW-2026-014:4:slack' });
    const button = (rule6.blocks?.[1] as { elements: { url: string }[] } | undefined)?.elements[0];
    assert.equal(button?.url, 'http://127.0.0.1:8080/handoffs/SOW-2026-014');
    const item = monday.items.get(dealItem);
    assert.deepEqual(item?.values.status, { label: 'Handoff Initiated' });
    assert.deepEqual(item?.values.people, { personsAndTeams: [{ id: 4616627, kind: 'person' }] });
    assert.ok(monday.requests.every((r) => r.version === '2025-10'));

    await acknowledgePacket(world.baton, casey, SOW);
    await scheduleDiscovery(world.baton, casey, SOW, '2026-05-19T10:00:00-04:00');
    await sendIntroduction(world.baton, carla, SOW);
    await deliver();
    assert.deepEqual(
      slack.posts.slice(1).map((p) => p.text.split('\n')[0]),
      [
        'Handoff packet SOW-2026-014 acknowledged by Casey Lin (customer.success)',
        'Discovery session for SOW-2026-014 scheduled for 2026-05-19 10:00 (America/New_York) by Casey Lin',
      ],
    );
    assert.deepEqual(monday.items.get(dealItem)?.values.date4, { date: '2026-05-19', time: '14:00:00' });
    const [mail] = smtp.messages;
    assert.ok(mail);
    assert.deepEqual(mail.to, ['dana.reyes@northwind-partners.io', 'priya.nair@northwind-partners.io']);
    assert.deepEqual(mail.cc, ['casey@ecomonetize.example', 'carla@ecomonetize.example']);
    assert.equal(mail.replyTo, 'carla@ecomonetize.example');
    assert.equal(mail.subject, 'Introducing Casey Lin, your Assessment delivery lead (SOW-2026-014)');
    assert.match(mail.text ?? '', /^Hi Dana and Priya,/);
    assert.match(String(mail.html), /Northwind Partners, Inc\./);
    assert.match(mail.messageId ?? '', /^<SOW-2026-014\.\d+\.intro@ecomonetize\.example>$/);
    assert.deepEqual(await effectsOf(world.baton, 'pending'), []);
    assert.deepEqual(await notificationLog(world.baton), [], 'nothing went to the log');
  });

  it('rejections name the failed checks; the second one escalates to the Chief of Staff with a mention', async () => {
    wire(world.baton, integrationsConfig({ slack, monday, smtp }, {}));
    world.baton.integrations!.slack!.attentionChannel = '#leadership';
    wire(world.baton, world.baton.integrations!);
    await open();
    await submitPacket(world.baton, carla, SOW, { text: examplePacket.replace('Dana Reyes;', 'John Doe;') });
    await rejectPacket(world.baton, casey, SOW, { reason: 'the champion is a placeholder <!channel>' });
    await submitPacket(world.baton, carla, SOW, { text: examplePacket.replace('Dana Reyes;', 'Jane Doe;') });
    await rejectPacket(world.baton, casey, SOW, { checks: ['contacts-complete'] });
    await deliver();
    const texts = slack.posts.map((p) => p.text);
    assert.equal(
      texts.filter((t) => t.startsWith('Handoff packet SOW-2026-014 rejected -- contacts-complete')).length,
      2,
    );
    assert.match(
      texts.find((t) => t.includes('Reason:')) ?? '',
      /Reason: the champion is a placeholder &lt;!channel&gt;/,
    );
    const escalation = slack.posts.find((p) => p.text.includes('gate-failed-twice'));
    assert.ok(escalation);
    assert.equal(escalation.channel, 'C0LEADERS');
    assert.match(escalation.text, /^For: chief\.staff, cro, customer\.success <@U0CHRIS> <@U0CASEY>\n/);
    assert.match(escalation.text, /\nthe gate failed 2 times for SOW-2026-014 \(last: contacts-complete\)\n/);
    const incident = slack.posts.find((p) => p.text.includes('SEV2 incident'));
    assert.ok(incident, 'the SEV2 incident is posted too');
    const controls = slack.posts.flatMap((p) => p.controls);
    assert.deepEqual([...new Set(controls)].sort(), ['<@U0CASEY>', '<@U0CHRIS>'], 'only our own mentions');
  });

  it('escapes what people and packets wrote: in Slack no mention or link gets through, in the email no markup', async () => {
    wire(world.baton, integrationsConfig({ slack, monday, smtp }));
    await open();
    const company = 'Northwind <https://evil.example|Partners> & Co';
    const packet = examplePacket.replace(
      '| Company name | Northwind Partners, Inc. |',
      `| Company name | ${company} |`,
    );
    await submitPacket(world.baton, carla, SOW, { text: packet });
    await rejectPacket(world.baton, casey, SOW, {
      checks: ['contacts-complete'],
      reason: 'fix it <!channel> <https://evil.example|here> <@U0BOSS>',
    });
    await flagHandoff(world.baton, chris, SOW, 'look at this <!here> & <#C0GENERAL>');
    await submitPacket(world.baton, carla, SOW, { text: packet });
    await acknowledgePacket(world.baton, { ...casey, name: 'Casey <!everyone>' }, SOW);
    await sendIntroduction(world.baton, carla, SOW);
    await deliver();
    assert.ok(
      slack.posts.some((p) =>
        p.text.includes('Reason: fix it &lt;!channel&gt; &lt;https://evil.example|here&gt; &lt;@U0BOSS&gt;'),
      ),
    );
    assert.ok(
      slack.posts.some((p) => p.text.includes('look at this &lt;!here&gt; &amp; &lt;#C0GENERAL&gt;')),
    );
    assert.ok(
      slack.posts.some((p) => p.text.includes('acknowledged by Casey &lt;!everyone&gt; (customer.success)')),
    );
    assert.deepEqual(
      [...new Set(slack.posts.flatMap((p) => p.controls))].sort(),
      ['<@U0CASEY>', '<@U0CHRIS>'],
      'only the mentions of the configured people the escalation is for',
    );
    const [mail] = smtp.messages;
    assert.match(String(mail?.html), /Northwind &lt;https:\/\/evil\.example\|Partners&gt; &amp; Co/);
    assert.doesNotMatch(String(mail?.html), /<https:/);
    assert.match(
      mail?.text ?? '',
      /Northwind <https:\/\/evil\.example\|Partners> & Co/,
      'the text part is plain text, as written',
    );
  });

  it('the live crm-item-exists check: a missing item or a wrong status fails, monday.com down is review', async () => {
    wire(world.baton, integrationsConfig({ slack, monday, smtp }));
    await open();
    monday.items.get(dealItem)!.values.status = { label: 'Working on it' };
    const wrong = await submitPacket(world.baton, carla, SOW);
    const check = (r: typeof wrong) =>
      r.state.submissions.at(-1)?.gate.checks.find((c) => c.id === 'crm-item-exists')?.status;
    assert.equal(check(wrong), 'fail');
    await rejectPacket(world.baton, casey, SOW, { checks: ['crm-item-exists'] });
    monday.items.clear();
    assert.equal(check(await submitPacket(world.baton, carla, SOW)), 'fail');
    await rejectPacket(world.baton, casey, SOW, { checks: ['crm-item-exists'] });
    monday.faults.outage = { kind: 'error' };
    const down = await submitPacket(world.baton, carla, SOW);
    monday.faults.outage = undefined;
    assert.equal(check(down), 'review', 'an outage never fails the gate; customer.success attests');
    const stored = JSON.stringify(await readAll(world.baton.store.db));
    assert.ok(!stored.includes(mondayToken), 'no token in any event');
  });

  it('a post whose answer was lost is not posted again: the retry finds it by its metadata', async () => {
    wire(world.baton, integrationsConfig({ slack }));
    await open();
    slack.faults.next({ kind: 'drop-after' });
    await submitPacket(world.baton, carla, SOW);
    const firstPass = await deliver();
    assert.equal(firstPass.failed, 1, 'the connection dropped after Slack stored the message');
    assert.equal(slack.posts.length, 1);
    world.advance({ minutes: 5 });
    const secondPass = await deliver();
    assert.equal(secondPass.delivered, 1);
    assert.equal(slack.posts.length, 1, 'not posted twice');
    assert.ok(slack.calls.some((c) => c.method === 'conversations.history'));
  });

  it('without the history scope the check is refused: the retry posts anyway (the window stays open; doctor warns)', async () => {
    const narrow = await startSlackFake({ token: slackToken, scopes: ['chat:write'] });
    try {
      wire(
        world.baton,
        integrationsConfig({}, { slack: { ...integrationsConfig({ slack }).slack!, apiUrl: narrow.apiUrl } }),
      );
      await open();
      narrow.faults.next({ kind: 'drop-after' });
      await submitPacket(world.baton, carla, SOW);
      await deliver();
      world.advance({ minutes: 5 });
      assert.equal((await deliver()).delivered, 1);
      assert.equal(narrow.posts.length, 2);
      assert.ok(narrow.calls.some((c) => c.error === 'missing_scope'));
    } finally {
      await narrow.close();
    }
  });

  it('a crash after the post and before recording it: the journal makes the next dispatcher look first', async () => {
    wire(world.baton, integrationsConfig({ slack }));
    await open();
    await submitPacket(world.baton, carla, SOW);
    const [effect] = await effectsOf(world.baton, 'pending');
    assert.ok(effect);
    // What a dispatcher that died right after posting leaves behind: the journal row and the message.
    await startDelivery(world.baton.store.db, effect.id, 'dead-worker', '2026-05-14T14:00:00.000Z');
    const client = createSlackClient({ token: slackToken, apiUrl: slack.apiUrl });
    await client.post('#agent-handoffs', { text: String(effect.payload.text), blocks: [] }, effect.id);
    const pass = await deliver();
    assert.equal(pass.delivered, 1);
    assert.equal(slack.posts.length, 1, 'found in the history, not posted again');
  });

  it('secrets never reach stored errors: a refused token is given up with the reason, not the token', async () => {
    const config = integrationsConfig({ slack, monday, smtp });
    config.slack!.token = 'xoxb-9999-9999-wrongslacktoken';
    config.monday!.token = 'wrong-monday-token-abcdef';
    config.email!.url = smtp.url.replace(smtpPass, 'wrong-smtp-password');
    config.secrets = [config.slack!.token, config.monday!.token, config.email!.url, 'wrong-smtp-password'];
    wire(world.baton, config);
    await open();
    await submitPacket(world.baton, carla, SOW);
    await acknowledgePacket(world.baton, casey, SOW, [{ check: 'crm-item-exists', reason: 'checked' }]);
    await sendIntroduction(world.baton, carla, SOW);
    await deliver();
    const dead = await effectsOf(world.baton, 'dead');
    assert.deepEqual(dead.map((e) => e.kind).sort(), [
      'email.send',
      'monday.update',
      'slack.post',
      'slack.post',
    ]);
    for (const e of dead) {
      for (const secret of config.secrets)
        assert.ok(!e.lastError?.includes(secret), `${e.kind}: ${e.lastError}`);
      assert.equal(e.attempts, 1, 'a refused token is not retried');
    }
    assert.match(dead.find((e) => e.kind === 'slack.post')?.lastError ?? '', /invalid_auth.*SLACK_BOT_TOKEN/);
    assert.match(dead.find((e) => e.kind === 'monday.update')?.lastError ?? '', /HTTP 401.*MONDAY_API_TOKEN/);
    assert.match(dead.find((e) => e.kind === 'email.send')?.lastError ?? '', /refused the login/);
    const events = JSON.stringify(await readAll(world.baton.store.db));
    for (const secret of config.secrets) assert.ok(!events.includes(secret));
  });
});

describe('with nothing configured', () => {
  it('every notification goes to the log at once, with what would have been sent', async () => {
    wire(world.baton, integrationsConfig({}));
    await open();
    await submitPacket(world.baton, carla, SOW);
    await acknowledgePacket(world.baton, casey, SOW, [
      { check: 'crm-item-exists', reason: 'checked on the board' },
    ]);
    await sendIntroduction(world.baton, carla, SOW);
    const log = await notificationLog(world.baton);
    assert.deepEqual(log.map((n) => `${n.integration} ${n.kind}`).reverse(), [
      'slack slack.post',
      'monday monday.update',
      'slack slack.post',
      'email email.send',
    ]);
    const rule6 = log.at(-1);
    assert.match(String(rule6?.payload.text), /^For: customer\.success\nType: Assessment Handoff Packet\n/);
    const email = log[0];
    assert.deepEqual(
      ((email?.payload.to ?? []) as { email: string }[]).map((t) => t.email),
      ['dana.reyes@northwind-partners.io', 'priya.nair@northwind-partners.io'],
    );
    assert.deepEqual(await effectsOf(world.baton, 'pending'), [], 'nothing waits for a dispatcher');
    assert.equal(slack.posts.length + monday.changes.length + smtp.messages.length, 0);
  });

  it('a slack.post another part of baton enqueues is logged by the dispatcher, not given up', async () => {
    wire(world.baton, integrationsConfig({}));
    await withTransaction(world.baton.store.db, (trx) =>
      enqueueEffects(
        trx,
        'governance',
        [{ id: 'governance:weekly:slack', kind: 'slack.post', payload: { text: 'Weekly summary' } }],
        '2026-05-14T14:00:00.000Z',
      ),
    );
    assert.equal((await deliver()).delivered, 1);
    const [entry] = await notificationLog(world.baton);
    assert.equal(entry?.summary, 'Weekly summary');
    assert.equal(entry?.integration, 'slack');
  });
});
