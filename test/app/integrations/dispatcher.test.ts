// The dispatcher against the fakes: one integration's outage holds back no other, the peer's retry time
// is kept, given-up effects can be retried, effects are only started early in their lease, and the
// in-process dispatcher for `baton serve` starts and stops.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { AppError } from '../../../src/app/errors.ts';
import { acknowledgePacket, openHandoff, submitPacket } from '../../../src/app/handoffs.ts';
import { outboxRows, retryDeadEffect } from '../../../src/app/outbox-admin.ts';
import { deliverEffects, startDispatcher } from '../../../src/app/outbox-dispatcher.ts';
import { type MondayFake, startMondayFake } from '../../integrations/fakes/monday-fake.ts';
import { type SlackFake, startSlackFake } from '../../integrations/fakes/slack-fake.ts';
import { createTestPlace, type TestPlace } from '../../store/dialects.ts';
import {
  carla,
  casey,
  createWorld,
  otherSows,
  paid,
  reportRelOf,
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
  wire,
} from './integration-fixture.ts';

let slack: SlackFake;
let monday: MondayFake;
let place: TestPlace;
let world: World;
const sows = [SOW, ...otherSows.slice(0, 2)];

before(async () => {
  slack = await startSlackFake({ token: slackToken });
  monday = await startMondayFake({ token: mondayToken });
});
after(() => Promise.all([slack.close(), monday.close()]));
beforeEach(async () => {
  slack.posts.length = 0;
  slack.calls.length = 0;
  slack.faults.outage = undefined;
  monday.changes.length = 0;
  monday.faults.outage = undefined;
  monday.items.set(dealItem, {
    id: dealItem,
    name: 'Northwind',
    boardId: '4412093',
    values: { status: { label: 'Closed Won' } },
  });
  place = createTestPlace('sqlite');
  world = await createWorld(place);
});
afterEach(() => place.cleanup());

async function submitAll(): Promise<void> {
  for (const sow of sows) {
    await openHandoff(world.baton, carla, { sow, sowSigned: signed, paymentConfirmed: paid });
    await submitPacket(world.baton, carla, sow, {
      text: world.read(`operations/handoffs/assessments/${SOW}-handoff-packet.md`).replaceAll(SOW, sow),
    });
  }
}

const postsCalls = () => slack.calls.filter((c) => c.method === 'chat.postMessage').length;

describe('the dispatcher', () => {
  it('a Slack outage holds back neither monday.com nor the files, and is tried once per pass, not once per message', async () => {
    wire(world.baton, integrationsConfig({ slack, monday }));
    slack.faults.outage = { kind: 'error' };
    await submitAll();
    for (const sow of sows) assert.ok(world.exists(reportRelOf(sow)), 'the 6C report was written at once');
    const pass = await deliverEffects(world.baton);
    assert.equal(pass.delivered, 3, 'the three monday.com updates');
    assert.equal(monday.changes.length, 3);
    assert.equal(pass.failed, 1);
    assert.equal(pass.released, 2, 'the other Slack posts waited without a try');
    assert.equal(postsCalls(), 1);
    const slackEffects = (await effectsOf(world.baton, 'pending')).filter((e) => e.kind === 'slack.post');
    assert.deepEqual(slackEffects.map((e) => e.attempts).sort(), [0, 0, 1]);
    assert.match(slackEffects.find((e) => e.attempts === 1)?.lastError ?? '', /HTTP 500/);

    slack.faults.outage = undefined;
    world.advance({ minutes: 20 });
    assert.equal((await deliverEffects(world.baton)).delivered, 3);
    assert.deepEqual(
      slack.posts.map((p) => p.metadata?.event_payload.effect_id),
      sows.map((sow) => `${sow}:4:slack`),
    );
  });

  it('keeps the peer retry time: Slack Retry-After and monday.com retry_in_seconds', async () => {
    wire(world.baton, integrationsConfig({ slack, monday }));
    await submitAll();
    slack.faults.next({ kind: 'rate-limit', retryAfterSeconds: 30 });
    monday.faults.next({ kind: 'rate-limit', retryAfterSeconds: 45 });
    await deliverEffects(world.baton);
    const pending = await effectsOf(world.baton, 'pending');
    const at = (ms: number) => new Date(Date.parse(world.now()) + ms).toISOString();
    assert.deepEqual(
      [...new Set(pending.filter((e) => e.kind === 'slack.post').map((e) => e.nextAttemptAt))],
      [at(30_000)],
      'the one tried and the ones released wait the same 30 s',
    );
    assert.deepEqual(
      [...new Set(pending.filter((e) => e.kind === 'monday.update').map((e) => e.nextAttemptAt))],
      [at(45_000)],
    );
    world.advance({ seconds: 29 });
    assert.equal((await deliverEffects(world.baton)).delivered, 0, 'not before the retry time');
    world.advance({ seconds: 20 });
    assert.equal((await deliverEffects(world.baton)).delivered, 6);
  });

  it('gives up after the configured tries; the dead-letter list shows why and takes a retry', async () => {
    wire(world.baton, integrationsConfig({ slack }, { maxAttempts: 2 }));
    slack.faults.outage = { kind: 'drop' };
    await openHandoff(world.baton, carla, { sow: SOW, sowSigned: signed, paymentConfirmed: paid });
    await submitPacket(world.baton, carla, SOW);
    await deliverEffects(world.baton);
    world.advance({ hours: 1 });
    const second = await deliverEffects(world.baton);
    assert.equal(second.dead, 1);
    const [dead] = await outboxRows(world.baton, { failed: true });
    assert.equal(dead?.id, `${SOW}:4:slack`);
    assert.equal(dead?.attempts, 2);
    assert.match(dead?.lastError ?? '', /could not reach Slack/);
    await assert.rejects(
      retryDeadEffect(world.baton, 'nope'),
      (e) => e instanceof AppError && e.kind === 'not-found',
    );
    slack.faults.outage = undefined;
    const back = await retryDeadEffect(world.baton, `${SOW}:4:slack`);
    assert.equal(back.status, 'pending');
    await assert.rejects(
      retryDeadEffect(world.baton, `${SOW}:4:slack`),
      (e) => e instanceof AppError && e.kind === 'conflict',
    );
    assert.equal((await deliverEffects(world.baton)).delivered, 1);
    assert.equal(slack.posts.length, 1);
    assert.deepEqual(await outboxRows(world.baton), []);
  });

  it('starts an effect only in the first half of its lease; the rest go back untried', async () => {
    wire(world.baton, integrationsConfig({ slack }));
    await submitAll();
    slack.faults.next({ kind: 'slow', ms: 250 }, 10);
    const counts = await deliverEffects(world.baton, {
      policy: { maxAttempts: 5, baseMs: 1000, capMs: 60_000, leaseMs: 400 },
    });
    assert.equal(counts.delivered, 3);
    assert.ok(counts.released >= 2, `released ${counts.released}`);
    assert.equal(slack.posts.length, 3);
    assert.ok(
      (await effectsOf(world.baton)).every((e) => e.attempts === 0),
      'releasing costs no try',
    );
  });

  it('runs in the background for baton serve and stops when told', async () => {
    wire(world.baton, integrationsConfig({ slack }));
    const dispatcher = startDispatcher(world.baton, { pollMs: 20 });
    await openHandoff(world.baton, carla, { sow: SOW, sowSigned: signed, paymentConfirmed: paid });
    await submitPacket(world.baton, carla, SOW);
    await acknowledgePacket(world.baton, casey, SOW, [{ check: 'crm-item-exists', reason: 'checked' }]);
    for (let i = 0; i < 200 && slack.posts.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    const totals = await dispatcher.stop();
    assert.equal(slack.posts.length, 2);
    assert.ok(totals.delivered >= 2);
  });
});
