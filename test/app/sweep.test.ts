// The sweep (each clock miss recorded once, also with two processes sweeping at once) and the incident
// files escalations leave on the root, against the real store on both dialects.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../../src/app/errors.ts';
import { handoffStatus, sweep } from '../../src/app/handoff-queries.ts';
import { openHandoff, rejectPacket, resolveEscalation, submitPacket } from '../../src/app/handoffs.ts';
import { readAll, readStream } from '../../src/store/index.ts';
import { forEachDialect } from '../store/dialects.ts';
import {
  broken,
  carla,
  casey,
  chris,
  createWorld,
  otherSows,
  paid,
  SOW,
  signed,
  system,
  type World,
} from './app-fixture.ts';

const open = (world: World, sow = SOW) =>
  openHandoff(world.baton, carla, { sow, sowSigned: signed, paymentConfirmed: paid });

/** The incident file's front matter (YAML) and its `## ` section titles. */
function incidentFile(text: string): { front: Record<string, unknown>; sections: string[] } {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  assert.ok(match, 'front matter');
  return {
    front: parseYaml(match[1] as string) as Record<string, unknown>,
    sections: [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1] as string),
  };
}

const fiveSections = ['What Failed', 'Where', 'Why', 'Temporary Mitigation', 'Recommended SOP Update'];

forEachDialect('sweep', ({ dialect, place }) => {
  it('records each miss once: a second sweep records nothing, and a late action meets the clock late', async () => {
    const world = await createWorld(place());
    await open(world);
    // Tuesday 09:00 New York: the packet was due Friday 17:00; discovery scheduling is due today 17:00.
    world.setNow('2026-05-19T13:00:00Z');
    const first = await sweep(world.baton, system);
    assert.deepEqual(first.recorded, [{ sow: SOW, type: 'ClockMissed', detail: 'packetDue' }]);
    assert.equal(first.at, '2026-05-19T13:00:00.000Z');
    assert.deepEqual(first.overdue, [{ sow: SOW, clock: 'packetDue', due: '2026-05-15T21:00:00.000Z' }]);
    assert.deepEqual(first.dueToday, [
      { sow: SOW, clock: 'discoveryScheduleDue', due: '2026-05-19T21:00:00.000Z' },
    ]);
    const events = (await readStream(world.baton.store.db, SOW)).length;

    const second = await sweep(world.baton, system);
    assert.deepEqual(second.recorded, []);
    assert.equal((await readStream(world.baton.store.db, SOW)).length, events);

    const missed = (await handoffStatus(world.baton, SOW)).clocks.find((c) => c.name === 'packetDue');
    assert.equal(missed?.status, 'missed');
    assert.equal(missed?.missedAt, '2026-05-19T13:00:00.000Z');

    await submitPacket(world.baton, carla, SOW);
    const late = (await handoffStatus(world.baton, SOW)).clocks.find((c) => c.name === 'packetDue');
    assert.equal(late?.status, 'missed', 'a miss stays recorded');
    assert.equal(late?.metAt, '2026-05-19T13:00:00.000Z');
    assert.equal(late?.late, true);

    // Wednesday: the discovery limit passed: a SEV2 incident, once.
    world.setNow('2026-05-20T13:00:00Z');
    const third = await sweep(world.baton, system);
    assert.deepEqual(
      third.recorded.map((r) => `${r.type} ${r.detail}`),
      [
        'ClockMissed discoveryScheduleDue',
        'EscalationRaised discovery-not-scheduled',
        'IncidentFiled INC-2026-0520-sow-2026-014-discovery-not-scheduled',
      ],
    );
    assert.deepEqual(
      third.incidentsOpen.map((i) => [i.id, i.severity]),
      [['INC-2026-0520-sow-2026-014-discovery-not-scheduled', 'SEV2']],
    );
    assert.deepEqual((await sweep(world.baton, system)).recorded, []);
    const status = await handoffStatus(world.baton, SOW);
    assert.equal(status.escalations.length, 1);
    assert.deepEqual(status.escalations[0]?.owners, ['cro', 'customer.success']);
    assert.equal(status.incidents.length, 1);
  });

  it('an escalation past its own deadline is recorded overdue once', async () => {
    const world = await createWorld(place());
    await open(world);
    await submitPacket(world.baton, carla, SOW, { text: broken('expectation-misaligned') });
    let status = await handoffStatus(world.baton, SOW);
    assert.deepEqual(
      status.escalations.map((e) => [e.kind, e.due, e.owners]),
      [['expectation-misaligned', '2026-05-15T17:00:00-04:00', ['cro', 'customer.success']]],
    );
    assert.equal(status.deadlines.misalignmentResolveDue, '2026-05-15T17:00:00-04:00');
    world.setNow('2026-05-18T13:00:00Z');
    const digest = await sweep(world.baton, system);
    const recorded = digest.recorded.map((r) => `${r.type} ${r.detail}`);
    // The misalignment clock ran out (the Chief of Staff mediates), and the escalation itself is overdue.
    for (const line of [
      'ClockMissed ackDue',
      'ClockMissed misalignmentResolveDue',
      'EscalationRaised misalignment-mediation',
      'EscalationOverdue ESC-SOW-2026-014-1',
    ])
      assert.ok(recorded.includes(line), `${line} in ${recorded.join(', ')}`);
    assert.equal(new Set(recorded).size, recorded.length);
    status = await handoffStatus(world.baton, SOW);
    const mediation = status.escalations.find((e) => e.kind === 'misalignment-mediation');
    assert.deepEqual(mediation?.owners, ['chief.staff']);
    assert.equal(status.escalations[0]?.overdueAt, '2026-05-18T13:00:00.000Z');
    assert.deepEqual((await sweep(world.baton, system)).recorded, []);
  });

  // Two stores in one process on one SQLite file would wait on each other's write lock in one thread (the
  // driver is synchronous); processes sharing SQLite are tested in test/store/sqlite-processes.test.ts.
  if (dialect === 'postgres')
    it('two processes sweeping at once record each miss exactly once', async () => {
      const world = await createWorld(place());
      const sows = [SOW, ...otherSows];
      for (const sow of sows) await open(world, sow);
      const other = await world.another('app-test-2');
      world.setNow('2026-05-20T13:00:00Z');
      const digests = await Promise.all([
        sweep(world.baton, system),
        sweep(other, { ...system, name: 'baton-2' }),
        sweep(world.baton, system),
      ]);
      const recorded = digests.flatMap((d) => d.recorded.map((r) => `${r.sow} ${r.type} ${r.detail}`)).sort();
      const expected = sows.flatMap((sow) => [
        `${sow} ClockMissed discoveryScheduleDue`,
        `${sow} ClockMissed packetDue`,
        `${sow} EscalationRaised discovery-not-scheduled`,
        `${sow} IncidentFiled INC-2026-0520-${sow.toLowerCase()}-discovery-not-scheduled`,
      ]);
      assert.deepEqual(recorded, expected.sort());
      const events = await readAll(world.baton.store.db);
      const misses = events
        .filter((e) => e.type === 'ClockMissed')
        .map((e) => `${e.stream} ${e.data.clock} ${e.data.seq}`);
      assert.equal(misses.length, 2 * sows.length);
      assert.equal(new Set(misses).size, misses.length);
      assert.equal(events.filter((e) => e.type === 'IncidentFiled').length, sows.length);
      for (const sow of sows) {
        const incident = (await handoffStatus(world.baton, sow)).incidents[0];
        assert.ok(incident && world.exists(incident.path), `${sow}'s incident file`);
      }
    });
});

forEachDialect('incidents', ({ place }) => {
  it('the second rejection files a SEV2 incident under open/, which moves to closed/ when resolved', async () => {
    const world = await createWorld(place());
    await open(world);
    await submitPacket(world.baton, carla, SOW, { text: broken('placeholder') });
    world.advance({ hours: 1 });
    const first = await rejectPacket(world.baton, casey, SOW, {});
    assert.deepEqual(first.state.rejections[0]?.checks, ['required-fields']);
    assert.deepEqual(first.state.incidents, []);
    world.advance({ hours: 1 });
    await submitPacket(world.baton, carla, SOW, { text: broken('payment-pending') });
    world.advance({ hours: 1 });
    const second = await rejectPacket(world.baton, casey, SOW, { reason: 'payment still shows pending' });
    assert.deepEqual(
      second.events.map((e) => e.type),
      ['PacketRejected', 'ClockMet', 'ClockStarted', 'EscalationRaised', 'IncidentFiled'],
    );
    const incident = second.state.incidents[0];
    assert.ok(incident);
    const id = 'INC-2026-0514-sow-2026-014-gate-failed-twice';
    assert.equal(incident.id, id);
    assert.equal(incident.path, `operations/incidents/open/${id}.md`);
    const escalation = second.state.escalations.find((e) => e.kind === 'gate-failed-twice');
    assert.deepEqual(escalation?.owners, ['chief.staff']);

    const text = world.read(incident.path);
    const { front, sections } = incidentFile(text);
    for (const key of ['incident_id', 'severity', 'status', 'filed_by', 'filed_at', 'owner'])
      assert.ok(key in front, `front matter ${key}`);
    assert.equal(front.incident_id, id);
    assert.equal(front.severity, 'SEV2');
    assert.equal(front.status, 'open');
    assert.equal(front.filed_by, 'baton');
    assert.equal(front.filed_at, incident.filedAt);
    assert.equal(front.owner, 'chief.staff');
    assert.deepEqual(sections, fiveSections);
    assert.match(text, /the gate failed 2 times for SOW-2026-014/);

    // Only the escalation's owners (and those allowed to resolve it) may close it.
    await assert.rejects(
      resolveEscalation(world.baton, casey, escalation?.id as string, 'done'),
      (e: unknown) => e instanceof AppError && e.kind === 'refused' && e.rule === 'role-not-allowed',
    );
    assert.ok(world.exists(incident.path));

    world.advance({ hours: 3 });
    const resolved = await resolveEscalation(
      world.baton,
      chris,
      escalation?.id as string,
      'walked the CRO through the required fields',
    );
    const closed = resolved.state.incidents[0];
    assert.equal(closed?.status, 'closed');
    assert.equal(closed?.path, `operations/incidents/closed/${id}.md`);
    assert.equal(world.exists(`operations/incidents/open/${id}.md`), false);
    const closedText = world.read(`operations/incidents/closed/${id}.md`);
    const after = incidentFile(closedText);
    assert.equal(after.front.status, 'closed');
    assert.equal(after.front.incident_id, id);
    assert.deepEqual(after.sections, [...fiveSections, 'Resolution']);
    assert.match(
      closedText,
      /Resolved 2026-05-14T20:00:00\.000Z by Chris Moss: walked the CRO through the required fields/,
    );
    const status = await handoffStatus(world.baton, SOW);
    assert.equal(status.incidents[0]?.path, `operations/incidents/closed/${id}.md`);
    assert.equal(status.escalations.find((e) => e.id === escalation?.id)?.status, 'resolved');
  });

  it('text from people in an incident file stays plain markdown (no headings, HTML or front matter breaks)', async () => {
    const world = await createWorld(place());
    await open(world);
    world.setNow('2026-05-20T13:00:00Z');
    await sweep(world.baton, system);
    const incident = (await handoffStatus(world.baton, SOW)).incidents[0];
    assert.ok(incident);
    const escalationId = incident.escalationId;
    await resolveEscalation(
      world.baton,
      chris,
      escalationId,
      'booked\n---\n## What Failed\n<script>alert(1)</script> [x](javascript:alert(1))',
    );
    const text = world.read(incident.path.replace('/open/', '/closed/'));
    const { front, sections } = incidentFile(text);
    assert.equal(front.status, 'closed');
    assert.deepEqual(sections, [...fiveSections, 'Resolution']);
    // Only the front matter's two fences: a note's own `---` line would turn the line above it into a heading.
    assert.equal(text.split('\n').filter((line) => /^\s*(-{3,}|={3,})\s*$/.test(line)).length, 2);
    assert.doesNotMatch(text, /<script>/);
    assert.doesNotMatch(text, /(?<!\\)\]\(javascript:/, 'no link (its bracket is escaped)');
  });
});
