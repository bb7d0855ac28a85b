import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  handoffBoard,
  listEscalations,
  listIncidents,
  notificationLog,
  outboxLog,
} from '../../src/app/dashboard-queries.ts';
import { sweep } from '../../src/app/handoff-queries.ts';
import { flagHandoff, openHandoff, rejectPacket, submitPacket } from '../../src/app/handoffs.ts';
import { listEffects, logNotification } from '../../src/store/index.ts';
import { forEachDialect } from '../store/dialects.ts';
import {
  broken,
  carla,
  casey,
  chris,
  createWorld,
  examplePacket,
  otherSows,
  packetFor,
  paid,
  SOW,
  signed,
  type World,
} from './app-fixture.ts';

const open = (world: World, sow: string) =>
  openHandoff(world.baton, carla, { sow, sowSigned: signed, paymentConfirmed: paid });

forEachDialect('dashboard queries', ({ place }) => {
  it('the board: each state its page of cards, soonest deadline first, with business hours left per open clock', async () => {
    const world = await createWorld(place());
    await open(world, SOW);
    await submitPacket(world.baton, carla, SOW, { text: examplePacket });
    for (const sow of otherSows) await open(world, sow);
    const board = await handoffBoard(world.baton);
    assert.deepEqual(
      board.map((c) => [c.state, c.cards.map((x) => x.sow)]),
      [
        ['opened', otherSows],
        ['submitted', [SOW]],
        ['rejected', []],
        ['acknowledged', []],
        ['scheduled', []],
      ],
    );
    const card = board[1]?.cards[0];
    // Thursday 10:00 New York: acknowledgement due Friday 17:00 (15 business hours); discovery Tuesday 17:00.
    assert.deepEqual(
      card?.clocks.map((c) => [c.clock, c.label, c.businessHoursLeft, c.overdue, c.status]),
      [
        ['ackDue', 'acknowledgement due', 15, false, 'open'],
        ['discoveryScheduleDue', 'discovery session scheduled', 31, false, 'open'],
      ],
    );
    const paged = await handoffBoard(world.baton, { state: 'opened', limit: 2 });
    assert.equal(paged.length, 1);
    assert.deepEqual(
      paged[0]?.cards.map((c) => c.sow),
      otherSows.slice(0, 2),
    );
    assert.equal(paged[0]?.more, true);
    const next = await handoffBoard(world.baton, { state: 'opened', limit: 2, offset: 2 });
    assert.deepEqual(
      next[0]?.cards.map((c) => c.sow),
      otherSows.slice(2),
    );
    assert.equal(next[0]?.more, false);
  });

  it('the board marks clocks overdue and keeps missed ones until met; filters by overdue and escalation owner', async () => {
    const world = await createWorld(place());
    await open(world, SOW);
    await submitPacket(world.baton, carla, SOW, { text: examplePacket });
    await open(world, otherSows[0] as string);
    await flagHandoff(world.baton, chris, otherSows[0] as string, 'the sponsor is new');
    world.setNow('2026-05-18T14:00:00Z');
    await sweep(world.baton, chris);
    const late = await handoffBoard(world.baton, { overdue: true });
    const cards = late.flatMap((c) => c.cards);
    assert.deepEqual(cards.map((c) => c.sow).sort(), [SOW, otherSows[0]].sort());
    const ack = cards.find((c) => c.sow === SOW)?.clocks.find((c) => c.clock === 'ackDue');
    assert.deepEqual([ack?.status, ack?.overdue, ack?.businessHoursLeft], ['missed', true, -1]);
    const owned = await handoffBoard(world.baton, { owner: 'chief.staff' });
    assert.deepEqual(
      owned.flatMap((c) => c.cards.map((x) => x.sow)),
      [otherSows[0]],
    );
    assert.equal(owned.flatMap((c) => c.cards)[0]?.escalated, true);
    await assert.rejects(handoffBoard(world.baton, { owner: 'janitor' }), {
      kind: 'bad-input',
      where: 'owner',
    });
    await assert.rejects(handoffBoard(world.baton, { state: 'lost' }), { kind: 'bad-input', where: 'state' });
  });

  it('escalations (open first) and incidents, with their handoff', async () => {
    const world = await createWorld(place());
    await open(world, SOW);
    for (let n = 0; n < 2; n++) {
      await submitPacket(world.baton, carla, SOW, { text: broken('placeholder') });
      await rejectPacket(world.baton, casey, SOW, { checks: ['required-fields'] });
    }
    await open(world, otherSows[0] as string);
    await flagHandoff(world.baton, chris, otherSows[0] as string, 'concern');
    const escalations = await listEscalations(world.baton);
    assert.deepEqual(
      escalations.map((e) => [e.sow, e.kind, e.status]).sort(),
      [
        [SOW, 'gate-failed-twice', 'open'],
        [otherSows[0], 'quality-concern', 'open'],
      ].sort(),
    );
    assert.equal((await listEscalations(world.baton, { status: 'resolved' })).length, 0);
    const incidents = await listIncidents(world.baton);
    assert.equal(incidents.length, 1);
    assert.equal(incidents[0]?.sow, SOW);
    assert.equal(incidents[0]?.severity, 'SEV2');
    assert.equal(incidents[0]?.status, 'open');
    assert.equal((await listIncidents(world.baton, { status: 'closed' })).length, 0);
  });

  it('the outbox log, newest first, each effect summarised by what it is about', async () => {
    const world = await createWorld(place());
    await open(world, SOW);
    await submitPacket(world.baton, carla, SOW, { text: packetFor(SOW) });
    const log = await outboxLog(world.baton);
    const stored = await listEffects(world.baton.store.db);
    assert.ok(stored.length > 0);
    assert.deepEqual(
      log.map((e) => e.id),
      stored.map((e) => e.id).reverse(),
    );
    for (const effect of stored) {
      const entry = log.find((e) => e.id === effect.id);
      assert.equal(entry?.status, effect.status);
      if (typeof effect.payload.path === 'string')
        assert.equal(entry?.summary, `path: ${effect.payload.path}`);
    }
    assert.ok(
      log.some((e) => e.summary === `path: operations/handoffs/assessments/${SOW}-handoff-report.md`),
    );
    assert.ok(
      !JSON.stringify(log).includes('| Field | Value |'),
      'no payload bodies, only what they are about',
    );
    assert.equal((await outboxLog(world.baton, { status: 'dead' })).length, 0);
  });

  it('the notification log, newest first, filtered by handoff', async () => {
    const world = await createWorld(place());
    const db = world.baton.store.db;
    await logNotification(
      db,
      {
        id: 'a',
        stream: SOW,
        integration: 'slack',
        kind: 'slack.post',
        summary: '#agent-handoffs: submitted',
        payload: { text: '<b>x</b>' },
      },
      '2026-05-14T14:00:00.000Z',
    );
    await logNotification(
      db,
      {
        id: 'b',
        stream: 'SOW-2026-015',
        integration: 'email',
        kind: 'email.send',
        summary: 'intro',
        payload: {},
      },
      '2026-05-14T15:00:00.000Z',
    );
    assert.deepEqual(
      (await notificationLog(world.baton)).map((n) => n.id),
      ['b', 'a'],
    );
    const one = await notificationLog(world.baton, { stream: SOW });
    assert.deepEqual(
      one.map((n) => [n.id, n.integration, n.summary, n.payload]),
      [['a', 'slack', '#agent-handoffs: submitted', { text: '<b>x</b>' }]],
    );
  });
});
