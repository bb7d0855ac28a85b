import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { demoTokensFile, readDemo, seedDemo } from '../../src/app/demo.ts';
import { handoffStatus, listHandoffs, verifyStore } from '../../src/app/handoff-queries.ts';
import { actorForToken, addUser } from '../../src/app/users.ts';
import { readAll } from '../../src/store/index.ts';
import { forEachDialect } from '../store/dialects.ts';
import { createWorld, examplePacket, project } from './app-fixture.ts';

const source = () => ({
  packet: examplePacket,
  sowPdf: readFileSync(join(project, 'examples/northwind/legal/sow/SOW-2026-014-executed.pdf')),
});

forEachDialect('baton demo', ({ place }) => {
  it('seeds handoffs in every state through the service layer, with users per role; a second run changes nothing', async () => {
    const world = await createWorld(place(), { now: '2026-05-20T15:00:00Z' });
    const lines: string[] = [];
    const result = await seedDemo(world.baton, source(), (line) => lines.push(line));
    assert.equal(result.seeded, true);
    assert.equal(lines.length, 9);
    const states = Object.fromEntries(
      (await listHandoffs(world.baton)).map((h) => [h.sow, [h.state, h.overdue, h.escalated]]),
    );
    assert.deepEqual(states, {
      'SOW-2026-101': ['opened', false, false],
      'SOW-2026-102': ['submitted', false, true],
      'SOW-2026-103': ['rejected', false, false],
      'SOW-2026-104': ['acknowledged', false, false],
      'SOW-2026-105': ['scheduled', false, false],
      'SOW-2026-106': ['opened', true, true],
      'SOW-2026-107': ['rejected', false, true],
      'SOW-2026-108': ['submitted', false, true],
    });
    const overdue = await handoffStatus(world.baton, 'SOW-2026-106');
    assert.deepEqual(
      overdue.clocks
        .filter((c) => c.status === 'missed')
        .map((c) => c.name)
        .sort(),
      ['discoveryScheduleDue', 'packetDue'],
    );
    assert.deepEqual(
      overdue.incidents.map((i) => [i.severity, i.status]),
      [['SEV2', 'open']],
    );
    const twice = await handoffStatus(world.baton, 'SOW-2026-107');
    assert.equal(twice.rejections.length, 2);
    assert.deepEqual(
      twice.escalations.map((e) => e.kind),
      ['gate-failed-twice'],
    );
    assert.deepEqual(
      twice.incidents.map((i) => [i.severity, i.status]),
      [['SEV2', 'open']],
    );
    const deviation = await handoffStatus(world.baton, 'SOW-2026-108');
    assert.deepEqual(
      deviation.escalations.map((e) => [e.kind, e.owners]),
      [['scope-deviation', ['ceo']]],
    );
    const scheduled = await handoffStatus(world.baton, 'SOW-2026-105');
    assert.ok(scheduled.introduction);
    assert.equal(scheduled.discovery?.at, '2026-05-22T14:00:00Z', '10:00 New York, two days after seeding');
    // The packets are the example's, made each company's own.
    assert.match(
      world.read('operations/handoffs/assessments/SOW-2026-101-handoff-packet.md'),
      /\| Company name \| Harbor Analytics, Inc\. \|/,
    );
    assert.ok(world.exists('legal/sow/SOW-2026-108-executed.pdf'));

    assert.deepEqual(
      result.users.map((u) => u.role),
      ['cro', 'sales.ops', 'customer.success', 'customer.success', 'chief.staff', 'ceo'],
    );
    for (const u of result.users) {
      const actor = await actorForToken(world.baton, u.token, 'web');
      assert.deepEqual([actor.name, actor.role], [u.name, u.role]);
    }
    const tokensPath = join(world.root, demoTokensFile);
    assert.equal(statSync(tokensPath).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(tokensPath, 'utf8')).users, result.users);
    assert.deepEqual(await verifyStore(world.baton), {
      ok: true,
      events: (await readAll(world.baton.store.db)).length,
      handoffs: 8,
    });

    const events = (await readAll(world.baton.store.db)).length;
    const again = await seedDemo(world.baton, source());
    assert.equal(again.seeded, false);
    assert.deepEqual(again.users, result.users);
    assert.equal((await readAll(world.baton.store.db)).length, events);
    assert.deepEqual((await readDemo(world.root))?.handoffs, result.handoffs);
  });

  it('refuses a root that holds anything else', async () => {
    const world = await createWorld(place());
    await addUser(world.baton, 'Real Person', 'cro');
    await assert.rejects(seedDemo(world.baton, source()), { kind: 'conflict', message: /not the demo's/ });
    assert.equal(await readDemo(world.root), undefined);
  });
});
