// What the notification planner plans for the decisions the issue names, seen through the effects the
// workflow commands enqueue (SQLite store): ids stable per event, the sweep's missed clocks and overdue
// escalations addressed to the Chief of Staff, nothing for what the SOP only records.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { sweep } from '../../../src/app/handoff-queries.ts';
import { loadHandoff, openHandoff, submitPacket } from '../../../src/app/handoffs.ts';
import { notificationPlanner } from '../../../src/app/notification-planner.ts';
import { redactSecrets } from '../../../src/app/redact.ts';
import { createTestPlace, type TestPlace } from '../../store/dialects.ts';
import { broken, carla, createWorld, paid, SOW, signed, system, type World } from '../app-fixture.ts';
import { effectsOf, integrationsConfig, wire } from './integration-fixture.ts';

let place: TestPlace;
let world: World;
beforeEach(async () => {
  place = createTestPlace('sqlite');
  world = await createWorld(place);
});
afterEach(() => place.cleanup());

describe('the notification planner', () => {
  it('the sweep tells the Chief of Staff of a missed acknowledgement clock, mentioning them, and of nothing the SOP only records', async () => {
    const config = integrationsConfig({});
    config.slack = {
      token: 'xoxb-1-1-x',
      signingSecret: undefined,
      apiUrl: 'http://127.0.0.1:9/api/',
      channel: '#agent-handoffs',
      attentionChannel: '#leadership',
      filePathPrefix: '',
    };
    wire(world.baton, config);
    await openHandoff(world.baton, carla, { sow: SOW, sowSigned: signed, paymentConfirmed: paid });
    await submitPacket(world.baton, carla, SOW);
    world.setNow('2026-05-18T14:00:00Z');
    await sweep(world.baton, system);
    const posts = (await effectsOf(world.baton)).filter((e) => e.kind === 'slack.post');
    const texts = posts.map(
      (e) => `${e.payload.channel} ${String(e.payload.text).split('\n').slice(0, 2).join(' / ')}`,
    );
    assert.deepEqual(texts, [
      '#agent-handoffs For: customer.success / Type: Assessment Handoff Packet',
      '#leadership For: chief.staff <@U0CHRIS> / SOW-2026-014: acknowledgement due missed (was due 2026-05-15T17:00:00-04:00)',
    ]);
  });

  it("an escalation from the gate carries the gate's findings, which only the purgeable part of the event holds", async () => {
    wire(world.baton, integrationsConfig({}));
    await openHandoff(world.baton, carla, { sow: SOW, sowSigned: signed, paymentConfirmed: paid });
    await submitPacket(world.baton, carla, SOW, { text: broken('expectation-misaligned') });
    const escalation = (await effectsOf(world.baton)).find((e) =>
      String(e.payload.summary).startsWith('Escalation'),
    );
    const text = String((escalation?.payload.message as { text: string } | undefined)?.text);
    assert.match(
      text,
      /^For: cro, customer\.success <@U0CASEY>\nEscalation ESC-SOW-2026-014-1 \(expectation-misaligned\) on SOW-2026-014\n/,
    );
    assert.match(
      text,
      /\nWhat the customer expects to receive: the customer expects [^\n]+outside the Assessment/,
    );
  });

  it('plans the same effects, with the same ids, when the same decision is planned again', async () => {
    wire(world.baton, integrationsConfig({}));
    await openHandoff(world.baton, carla, { sow: SOW, sowSigned: signed, paymentConfirmed: paid });
    const result = await submitPacket(world.baton, carla, SOW);
    const events = result.events.map((e) => ({ type: e.type, data: e.data, at: e.at, actor: carla }));
    const state = await loadHandoff(world.baton, SOW);
    const plan = notificationPlanner(integrationsConfig({}), world.root);
    const once = plan(events, state, world.baton.playbook);
    assert.deepEqual(plan(events, state, world.baton.playbook), once);
    assert.deepEqual(
      once.map((e) => e.id),
      ['SOW-2026-014:4:slack', 'SOW-2026-014:4:monday'],
    );
    const stored = (await effectsOf(world.baton))
      .filter((e) => e.kind === 'notification.log')
      .map((e) => e.id);
    assert.deepEqual(stored, ['SOW-2026-014:4:slack', 'SOW-2026-014:4:monday']);
  });
});

describe('redactSecrets', () => {
  it('takes out configured secrets and anything shaped like a credential', () => {
    assert.equal(
      redactSecrets(
        'token xoxb-123-456-abc failed; Authorization: Bearer abcdefgh12345; smtps://me:pw%21@mail.example:465 and my-secret-value',
        ['my-secret-value'],
      ),
      'token xox?-[redacted] failed; Authorization: Bearer [redacted]; smtps://me:[redacted]@mail.example:465 and [redacted]',
    );
  });
});
