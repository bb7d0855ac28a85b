// The cached status (what the API and MCP answer for one handoff): the same as the uncached one, computed
// once per version, actor and second, and never stale when another process changes the handoff.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { handoffStatus } from '../../src/app/handoff-queries.ts';
import { flagHandoff, openHandoff, submitPacket } from '../../src/app/handoffs.ts';
import { cachedHandoffStatus } from '../../src/app/status-cache.ts';
import { forEachDialect } from '../store/dialects.ts';
import { carla, casey, chris, createWorld, paid, SOW, signed } from './app-fixture.ts';

forEachDialect('cachedHandoffStatus', ({ place }) => {
  it('equals handoffStatus, per actor', async () => {
    const world = await createWorld(place());
    await openHandoff(world.baton, carla, { sow: SOW, sowSigned: signed, paymentConfirmed: paid });
    await submitPacket(world.baton, carla, SOW);
    for (const who of [carla, casey])
      assert.deepEqual(
        await cachedHandoffStatus(world.baton, SOW, who),
        await handoffStatus(world.baton, SOW, who),
      );
    assert.ok((await cachedHandoffStatus(world.baton, SOW, casey)).allowed?.includes('ack'));
    assert.ok(!(await cachedHandoffStatus(world.baton, SOW, carla)).allowed?.includes('ack'));
  });

  it('answers from the cache within a second, frozen so no caller can change it for the others', async () => {
    const world = await createWorld(place());
    await openHandoff(world.baton, carla, { sow: SOW, sowSigned: signed, paymentConfirmed: paid });
    const first = await cachedHandoffStatus(world.baton, SOW, casey);
    assert.equal(await cachedHandoffStatus(world.baton, SOW.toLowerCase(), casey), first);
    assert.ok(Object.isFrozen(first.clocks[0]));
    assert.throws(() => {
      (first as { state: string }).state = 'scheduled';
    }, TypeError);
  });

  it('shows a change made through another connection at once', async () => {
    const world = await createWorld(place());
    await openHandoff(world.baton, carla, { sow: SOW, sowSigned: signed, paymentConfirmed: paid });
    const before = await cachedHandoffStatus(world.baton, SOW, casey);
    const otherProcess = await world.another('app-test-2');
    await flagHandoff(otherProcess, chris, SOW, 'rushed');
    const after = await cachedHandoffStatus(world.baton, SOW, casey);
    assert.equal(after.version, before.version + 2, 'the flag and its escalation');
    assert.equal(after.escalated, true);
  });

  it('recomputes the clock-derived fields when time moves on', async () => {
    const world = await createWorld(place());
    await openHandoff(world.baton, carla, { sow: SOW, sowSigned: signed, paymentConfirmed: paid });
    const before = await cachedHandoffStatus(world.baton, SOW, casey);
    world.advance({ hours: 2 });
    const after = await cachedHandoffStatus(world.baton, SOW, casey);
    assert.notEqual(after, before);
    assert.equal(after.version, before.version);
    const left = (s: typeof before) => s.clocks.find((c) => c.status === 'open')?.businessHoursLeft ?? 0;
    assert.equal(left(before) - left(after), 2);
    await assert.rejects(cachedHandoffStatus(world.baton, 'SOW-2026-999', casey), /no handoff SOW-2026-999/);
  });
});
