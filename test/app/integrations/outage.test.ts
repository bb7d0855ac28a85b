// An outage in simulated time: Slack answers 500 and monday.com drops connections for 90 minutes of the
// clock (the `now` the whole service layer uses). Workflow commands keep succeeding throughout; the
// dispatcher, passing once a simulated minute, delivers everything after recovery, in order per handoff,
// each effect once, and nothing is given up.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  acknowledgePacket,
  openHandoff,
  rejectPacket,
  scheduleDiscovery,
  submitPacket,
} from '../../../src/app/handoffs.ts';
import { deliverEffects } from '../../../src/app/outbox-dispatcher.ts';
import { type MondayFake, startMondayFake } from '../../integrations/fakes/monday-fake.ts';
import { type SlackFake, startSlackFake } from '../../integrations/fakes/slack-fake.ts';
import { createTestPlace } from '../../store/dialects.ts';
import { carla, casey, createWorld, examplePacket, otherSows, paid, SOW, signed } from '../app-fixture.ts';
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
before(async () => {
  slack = await startSlackFake({ token: slackToken });
  monday = await startMondayFake({
    token: mondayToken,
    items: [
      { id: dealItem, name: 'Northwind', boardId: '4412093', values: { status: { label: 'Closed Won' } } },
    ],
  });
});
after(() => Promise.all([slack.close(), monday.close()]));

it('Slack and monday.com down for 90 simulated minutes: commands succeed, everything arrives afterwards in order', async (t) => {
  const place = createTestPlace('sqlite');
  try {
    const world = await createWorld(place);
    wire(world.baton, integrationsConfig({ slack, monday }));
    const sows = [SOW, ...otherSows];
    const packet = (sow: string, text = examplePacket) => text.replaceAll(SOW, sow);
    const attest = [{ check: 'crm-item-exists' as const, reason: 'monday.com unreachable; checked by hand' }];
    slack.faults.outage = { kind: 'error' };
    monday.faults.outage = { kind: 'drop' };
    const outageEnds = Date.parse(world.now()) + 90 * 60_000;

    // The day's work, spread over the outage, one step per simulated 3 minutes; a dispatcher pass every minute.
    const steps: (() => Promise<unknown>)[] = [];
    for (const sow of sows) {
      steps.push(() => openHandoff(world.baton, carla, { sow, sowSigned: signed, paymentConfirmed: paid }));
      steps.push(() =>
        submitPacket(world.baton, carla, sow, {
          text: packet(sow, examplePacket.replace('Dana Reyes;', 'John Doe;')),
        }),
      );
      steps.push(() => rejectPacket(world.baton, casey, sow, { checks: ['contacts-complete'] }));
      steps.push(() => submitPacket(world.baton, carla, sow, { text: packet(sow) }));
      steps.push(() => acknowledgePacket(world.baton, casey, sow, attest));
      steps.push(() => scheduleDiscovery(world.baton, casey, sow, '2026-05-19T10:00:00-04:00'));
    }
    let commands = 0;
    let passesDuringOutage = 0;
    while (Date.parse(world.now()) < outageEnds) {
      if (
        steps.length > 0 &&
        commands * 3 <= (Date.parse(world.now()) - (outageEnds - 90 * 60_000)) / 60_000
      ) {
        const result = (await steps.shift()?.()) as { events: unknown[] };
        assert.ok(result.events.length > 0, 'the command was recorded');
        commands++;
      }
      await deliverEffects(world.baton);
      passesDuringOutage++;
      world.advance({ minutes: 1 });
    }
    assert.equal(steps.length, 0, 'every command ran during the outage');
    assert.equal(slack.posts.length, 0);
    assert.equal(monday.changes.length, 0);
    // Each try stops at its first call (the post, or the history lookup before a repost).
    const slackTries = slack.calls.length;
    const slackEffects = (await effectsOf(world.baton)).filter((e) => e.kind === 'slack.post').length;
    assert.ok(
      slackTries <= passesDuringOutage,
      `one try per pass at most while down (${slackTries} tries, ${passesDuringOutage} passes)`,
    );
    assert.equal((await effectsOf(world.baton, 'dead')).length, 0, 'nothing given up during the outage');

    slack.faults.outage = undefined;
    monday.faults.outage = undefined;
    let minutes = 0;
    while ((await effectsOf(world.baton, 'pending')).length > 0 && minutes < 120) {
      await deliverEffects(world.baton);
      world.advance({ minutes: 1 });
      minutes++;
    }
    const all = await effectsOf(world.baton);
    assert.deepEqual(
      all.filter((e) => e.status !== 'done').map((e) => `${e.id} ${e.status}`),
      [],
    );
    t.diagnostic(
      `${commands} commands during the outage; ${slackEffects} Slack posts and ${all.filter((e) => e.kind === 'monday.update').length} monday.com updates delivered ${minutes} simulated minutes after recovery; ${slackTries} Slack tries during ${passesDuringOutage} passes`,
    );

    // In order per handoff, each once.
    const posted = slack.posts.map((p) => String(p.metadata?.event_payload.effect_id));
    assert.equal(new Set(posted).size, posted.length, 'no Slack post twice');
    const changed = monday.changes.map((c) => String(c.effectId));
    assert.equal(new Set(changed).size, changed.length, 'no monday.com update twice');
    for (const sow of sows) {
      const expected = (kind: string) =>
        all.filter((e) => e.stream === sow && e.kind === kind).map((e) => e.id);
      assert.deepEqual(
        posted.filter((id) => id.startsWith(`${sow}:`)),
        expected('slack.post'),
        `${sow} Slack order`,
      );
      assert.deepEqual(
        changed.filter((id) => id.startsWith(`${sow}:`)),
        expected('monday.update'),
        `${sow} monday.com order`,
      );
      const texts = slack.posts
        .filter((p) => String(p.metadata?.event_payload.effect_id).startsWith(`${sow}:`))
        .map((p) => p.text.split('\n')[0]);
      assert.deepEqual(
        texts.map((x) => x?.replace(/ SOW-\d{4}-\d{3}/g, ' SOW')),
        [
          'For: customer.success',
          'Handoff packet SOW rejected -- contacts-complete',
          'For: customer.success',
          'Handoff packet SOW acknowledged by Casey Lin (customer.success)',
          'Discovery session for SOW scheduled for 2026-05-19 10:00 (America/New_York) by Casey Lin',
        ],
      );
    }
    assert.deepEqual(monday.items.get(dealItem)?.values.date4, { date: '2026-05-19', time: '14:00:00' });
  } finally {
    await place.cleanup();
  }
});
