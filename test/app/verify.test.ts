// verifyStore and rebuildProjections against the real store on both dialects: tampering with the log is
// found and named (the first bad event), a projection that no longer matches its events is named, and a
// rebuild restores every projection from the log.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import {
  handoffStatus,
  listHandoffs,
  rebuildProjections,
  sweep,
  verifyStore,
} from '../../src/app/handoff-queries.ts';
import { acknowledgePacket, openHandoff, rejectPacket, submitPacket } from '../../src/app/handoffs.ts';
import { forEachDialect } from '../store/dialects.ts';
import {
  broken,
  carla,
  casey,
  createWorld,
  otherSows,
  paid,
  SOW,
  signed,
  system,
  type World,
} from './app-fixture.ts';

const other = otherSows[0] as string;

/** Two handoffs with some history: SOW-2026-014 acknowledged, SOW-2026-015 rejected twice (an incident). */
async function history(world: World): Promise<void> {
  for (const sow of [SOW, other])
    await openHandoff(world.baton, carla, { sow, sowSigned: signed, paymentConfirmed: paid });
  await submitPacket(world.baton, carla, SOW);
  await acknowledgePacket(world.baton, casey, SOW, [{ check: 'crm-item-exists', reason: 'checked' }]);
  for (let i = 0; i < 2; i++) {
    world.advance({ hours: 1 });
    await submitPacket(world.baton, carla, other, { text: broken('placeholder').replaceAll(SOW, other) });
    await rejectPacket(world.baton, casey, other, {});
  }
  world.setNow('2026-05-20T13:00:00Z');
  await sweep(world.baton, system);
}

const eventCount = async (world: World): Promise<number> =>
  Number(
    (
      await world.baton.store.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

forEachDialect('verifyStore', ({ place }) => {
  it('passes on an untouched store', async () => {
    const world = await createWorld(place());
    await history(world);
    assert.deepEqual(await verifyStore(world.baton), {
      ok: true,
      events: await eventCount(world),
      handoffs: 2,
    });
  });

  it("names the first bad event after someone edits an event's data in the database", async () => {
    const world = await createWorld(place());
    await history(world);
    const { db } = world.baton.store;
    // Make the first submission of SOW-2026-015 look as if its gate had passed.
    const target = await db
      .selectFrom('events')
      .select(['version', 'data'])
      .where('stream', '=', other)
      .where('type', '=', 'PacketSubmitted')
      .orderBy('version')
      .executeTakeFirstOrThrow();
    assert.match(target.data, /"verdict":"fail"/);
    await sql`update events set data = ${target.data.replace('"verdict":"fail"', '"verdict":"pass"')} where stream = ${other} and version = ${target.version}`.execute(
      db,
    );
    const result = await verifyStore(world.baton);
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.stream, other);
    assert.equal(result.version, target.version);
    assert.ok(result.problem.includes(`${other} v${target.version}`), result.problem);
    assert.match(result.problem, /hash mismatch/);
  });

  it('names an event whose actor was changed, or that was deleted', async () => {
    const world = await createWorld(place());
    await history(world);
    const { db } = world.baton.store;
    await sql`update events set actor_role = 'customer.success' where stream = ${SOW} and version = 4`.execute(
      db,
    );
    let result = await verifyStore(world.baton);
    assert.ok(!result.ok);
    assert.deepEqual([result.stream, result.version], [SOW, 4]);

    await sql`update events set actor_role = 'cro' where stream = ${SOW} and version = 4`.execute(db);
    assert.equal((await verifyStore(world.baton)).ok, true, 'restored');
    await sql`delete from events where stream = ${SOW} and version = 5`.execute(db);
    result = await verifyStore(world.baton);
    assert.ok(!result.ok);
    assert.equal(result.stream, SOW);
    assert.equal(result.version, 6);
    assert.match(result.problem, /version gap/);
  });

  it('names a projection that no longer matches its events, and rebuildProjections restores it', async () => {
    const world = await createWorld(place());
    await history(world);
    const { db } = world.baton.store;
    const row = await db
      .selectFrom('handoffs')
      .select('doc')
      .where('sow', '=', other)
      .executeTakeFirstOrThrow();
    const doc = JSON.parse(row.doc);
    assert.equal(doc.state, 'rejected');
    doc.state = 'acknowledged';
    doc.rejections = [];
    await db
      .updateTable('handoffs')
      .set({ doc: JSON.stringify(doc) })
      .where('sow', '=', other)
      .execute();
    const result = await verifyStore(world.baton);
    assert.ok(!result.ok);
    assert.equal(result.stream, other);
    assert.match(result.problem, new RegExp(`projection of ${other}`));
    assert.match(result.problem, /baton rebuild/);
    assert.equal(
      (await handoffStatus(world.baton, other)).state,
      'acknowledged',
      'the edit is what status reads',
    );

    const rebuilt = await rebuildProjections(world.baton);
    assert.deepEqual(rebuilt, { handoffs: 2, events: await eventCount(world) });
    assert.equal((await verifyStore(world.baton)).ok, true);
    const status = await handoffStatus(world.baton, other);
    assert.equal(status.state, 'rejected');
    assert.equal(status.rejections.length, 2);
  });

  it('also checks the clock, escalation, incident and list rows the sweep and queries read', async () => {
    const world = await createWorld(place());
    await history(world);
    const { db } = world.baton.store;
    const tamperings: [string, () => Promise<unknown>][] = [
      [
        'a clock row deleted',
        () => db.deleteFrom('clocks').where('sow', '=', SOW).where('clock', '=', 'kickoffDue').execute(),
      ],
      [
        'a clock reopened',
        () => db.updateTable('clocks').set({ status: 'open', met_at: null }).where('sow', '=', SOW).execute(),
      ],
      [
        'an escalation closed',
        () => db.updateTable('escalations').set({ status: 'resolved' }).where('sow', '=', other).execute(),
      ],
      ['an incident deleted', () => db.deleteFrom('incidents').where('sow', '=', other).execute()],
      [
        'the list state changed',
        () => db.updateTable('handoffs').set({ state: 'scheduled' }).where('sow', '=', SOW).execute(),
      ],
      [
        'the list next due changed',
        () =>
          db
            .updateTable('handoffs')
            .set({ next_due: '2026-06-01T21:00:00.000Z' })
            .where('sow', '=', SOW)
            .execute(),
      ],
    ];
    for (const [what, tamper] of tamperings) {
      await tamper();
      const result = await verifyStore(world.baton);
      assert.equal(result.ok, false, what);
      assert.ok(
        !result.ok && result.problem.includes('projection of SOW-2026-01'),
        `${what}: ${JSON.stringify(result)}`,
      );
      await rebuildProjections(world.baton);
      assert.equal((await verifyStore(world.baton)).ok, true, `${what}: rebuilt`);
    }
    // A projection row for a handoff with no events at all.
    await db
      .insertInto('clocks')
      .values({
        sow: 'SOW-2026-099',
        clock: 'packetDue',
        seq: 1,
        started_at: '2026-05-13T14:00:00.000Z',
        due: '2026-05-15T21:00:00.000Z',
        status: 'open',
        met_at: null,
        missed_at: null,
      })
      .execute();
    const orphan = await verifyStore(world.baton);
    assert.ok(!orphan.ok);
    assert.match(orphan.problem, /SOW-2026-099/);
    await rebuildProjections(world.baton);
    assert.equal((await verifyStore(world.baton)).ok, true);
    assert.deepEqual((await listHandoffs(world.baton)).map((r) => r.sow).sort(), [SOW, other]);
  });
});
