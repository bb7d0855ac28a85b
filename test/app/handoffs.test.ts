// The service layer's commands (src/app/handoffs.ts) against the real store on both dialects: what a
// submission freezes and writes on the root, what acknowledgement gates, conflicts, and the status contract.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { AppError } from '../../src/app/errors.ts';
import { handoffStatus } from '../../src/app/handoff-queries.ts';
import {
  acknowledgePacket,
  openHandoff,
  recordPayment,
  rejectPacket,
  scheduleDiscovery,
  submitPacket,
} from '../../src/app/handoffs.ts';
import { readStream } from '../../src/store/index.ts';
import { forEachDialect } from '../store/dialects.ts';
import {
  broken,
  cam,
  carla,
  casey,
  createWorld,
  examplePacket,
  packetFor,
  packetRel,
  packetRelOf,
  paid,
  reportRelOf,
  SOW,
  sam,
  sha256,
  signed,
  type World,
} from './app-fixture.ts';

const crmAttested = [
  { check: 'crm-item-exists' as const, reason: 'item 8812345 checked on the revenue board' },
];

/** Rejects with an AppError of this kind; returns it for more checks. */
async function failsWith(promise: Promise<unknown>, kind: AppError['kind']): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof AppError, `expected an AppError, got ${e}`);
    assert.equal(e.kind, kind, e.message);
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

async function openExample(world: World, sow = SOW, options: { paymentStatus?: string } = {}) {
  return openHandoff(world.baton, carla, {
    sow,
    sowSigned: signed,
    ...(options.paymentStatus === 'pending' ? {} : { paymentConfirmed: paid }),
    ...(options.paymentStatus ? { paymentStatus: options.paymentStatus } : {}),
  });
}

const types = async (world: World, sow = SOW) =>
  (await readStream(world.baton.store.db, sow)).map((e) => e.type);

forEachDialect('submit', ({ place }) => {
  it('freezes a copy under archive/ whose sha256 matches the content, records the gate and writes the 6C report', async () => {
    const world = await createWorld(place());
    await openExample(world);
    const result = await submitPacket(world.baton, carla, SOW);
    const submitted = result.events.find((e) => e.type === 'PacketSubmitted');
    assert.ok(submitted);
    const frozenPath = submitted.data.frozenPath as string;
    assert.match(
      frozenPath,
      /^operations\/handoffs\/assessments\/archive\/SOW-2026-014\/SOW-2026-014-handoff-packet\.v1\.[0-9a-f]{12}\.md$/,
    );
    assert.equal(submitted.data.sha256, sha256(examplePacket));
    assert.equal(sha256(world.read(frozenPath)), submitted.data.sha256);
    assert.ok(frozenPath.includes((submitted.data.sha256 as string).slice(0, 12)));
    assert.deepEqual(submitted.data.gate, {
      verdict: 'review',
      checks: [
        { id: 'required-fields', status: 'pass' },
        { id: 'sow-accessible', status: 'pass' },
        { id: 'payment-confirmed', status: 'pass' },
        { id: 'timeline-alignment', status: 'pass' },
        { id: 'scope-alignment', status: 'pass' },
        { id: 'expectation-alignment', status: 'pass' },
        { id: 'contacts-complete', status: 'pass' },
        { id: 'crm-item-exists', status: 'review' },
      ],
    });
    assert.equal(result.state.state, 'submitted');
    // The acknowledgement clock starts at the submission: 1 business day, close of business New York.
    assert.deepEqual(
      result.state.clocks.filter((c) => c.clock === 'ackDue').map((c) => [c.status, c.due]),
      [['open', '2026-05-15T17:00:00-04:00']],
    );

    const report = world.read(reportRelOf(SOW));
    assert.match(report, /^# SOW-2026-014 Handoff Report$/m);
    assert.match(report, /^\| From \| Carla Reyes \(cro\) \|$/m);
    assert.match(report, /^\| To \| customer\.success \|$/m);
    assert.match(report, /^\| Type \| Assessment Handoff Packet \|$/m);
    assert.ok(report.includes(`| File path | ${packetRel} |`));
    assert.ok(report.includes(`| SHA-256 | ${sha256(examplePacket)} |`));
    assert.ok(report.includes(`| Frozen copy | ${frozenPath} |`));
    assert.match(
      report,
      /^\| Blocking \| Yes -- discovery session scheduling blocked until acknowledged \|$/m,
    );
    assert.match(report, /^\| Acknowledged By \| {2}\|$/m);
    assert.match(report, /^\| crm-item-exists \| review \| {2}\|$/m);
    assert.match(report, /submitted version 1 \| Carla Reyes \(cro\) \| gate review/);

    await acknowledgePacket(world.baton, casey, SOW, crmAttested);
    const signedReport = world.read(reportRelOf(SOW));
    assert.match(
      signedReport,
      /^\| Acknowledged By \| Casey Lin \(customer\.success\), 2026-05-14T14:00:00\.000Z, version 1 \|$/m,
    );
    assert.match(signedReport, /^\| Blocking \| No -- /m);
    assert.match(
      signedReport,
      /^\| crm-item-exists \| review \| item 8812345 checked on the revenue board \(Casey Lin, /m,
    );
  });

  it("records sales.ops submitting on the CRO's behalf, in the event and the report", async () => {
    const world = await createWorld(place());
    await openExample(world);
    await submitPacket(world.baton, sam, SOW);
    const submitted = (await readStream(world.baton.store.db, SOW)).find((e) => e.type === 'PacketSubmitted');
    assert.deepEqual(submitted?.actor, {
      role: 'sales.ops',
      name: 'Sam Ortiz',
      via: 'cli',
      onBehalfOf: 'cro',
    });
    assert.match(world.read(reportRelOf(SOW)), /^\| From \| Sam Ortiz \(sales\.ops, for the cro\) \|$/m);
  });

  it('with text writes it to the SOP path, then freezes and gates that text', async () => {
    const world = await createWorld(place());
    const sow = 'SOW-2026-015';
    await openExample(world, sow);
    assert.equal(world.exists(packetRelOf(sow)), false);
    const text = packetFor(sow);
    const result = await submitPacket(world.baton, carla, sow, { text });
    assert.equal(world.read(packetRelOf(sow)), text);
    const submission = result.state.submissions[0];
    assert.ok(submission);
    assert.equal(submission.packetPath, packetRelOf(sow));
    assert.equal(submission.sha256, sha256(text));
    assert.equal(world.read(submission.frozenPath), text);
    assert.equal(submission.gate.verdict, 'review');
  });

  it('refuses text that is the packet of another SOW, writing nothing', async () => {
    const world = await createWorld(place());
    const sow = 'SOW-2026-015';
    await openExample(world, sow);
    const before = world.snapshot();
    const error = await failsWith(
      submitPacket(world.baton, carla, sow, { text: examplePacket }),
      'bad-input',
    );
    assert.equal(error.where, 'file');
    assert.match(error.message, /SOW-2026-014, not SOW-2026-015/);
    assert.deepEqual(world.snapshot(), before);
    assert.deepEqual(await types(world, sow), ['HandoffOpened', 'ClockStarted', 'ClockStarted']);
  });

  it('refused while payment is pending: the root is left as it was, and `payment` unblocks it', async () => {
    const world = await createWorld(place());
    await openExample(world, SOW, { paymentStatus: 'pending' });
    const before = world.snapshot();
    const refusal = await failsWith(
      submitPacket(world.baton, carla, SOW, { text: broken('placeholder') }),
      'refused',
    );
    assert.equal(refusal.rule, 'payment-not-confirmed');
    assert.equal(refusal.where, 'payment');
    assert.ok(refusal.allowed?.includes('payment'));
    assert.ok(!refusal.allowed?.includes('submit'));
    assert.deepEqual(world.snapshot(), before, 'no packet, frozen copy or report written');
    assert.equal(world.read(packetRel), examplePacket);

    await recordPayment(world.baton, carla, SOW, { status: 'received', confirmedAt: paid });
    const result = await submitPacket(world.baton, carla, SOW);
    assert.equal(result.state.state, 'submitted');
  });

  it("refused for customer.success (and a reviewer's text never reaches the root)", async () => {
    const world = await createWorld(place());
    await openExample(world);
    const before = world.snapshot();
    const refusal = await failsWith(
      submitPacket(world.baton, casey, SOW, { text: broken('placeholder') }),
      'refused',
    );
    assert.equal(refusal.rule, 'role-not-allowed');
    assert.deepEqual(world.snapshot(), before);
    assert.equal((await handoffStatus(world.baton, SOW)).state, 'opened');
  });
});

// Postgres only, as the acknowledgements below: two stores in one process on one SQLite file would wait on
// each other's write lock in one thread.
forEachDialect('submit at once', ({ dialect, place }) => {
  if (dialect === 'postgres')
    it('two submissions with their own text at once: the SOP path ends with the recorded one', async () => {
      const world = await createWorld(place());
      await openExample(world);
      const other = await world.another('app-test-2');
      const texts = [examplePacket, broken('placeholder')];
      const outcomes = await Promise.allSettled([
        submitPacket(world.baton, carla, SOW, { text: texts[0] }),
        submitPacket(other, carla, SOW, { text: texts[1] }),
      ]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      assert.equal(won.length, 1, JSON.stringify(outcomes.map((o) => o.status)));
      const recorded = (await readStream(world.baton.store.db, SOW)).filter(
        (e) => e.type === 'PacketSubmitted',
      );
      assert.equal(recorded.length, 1);
      const winner = outcomes[0]?.status === 'fulfilled' ? texts[0] : texts[1];
      assert.equal(world.read(packetRel), winner);
      assert.equal(createHash('sha256').update(winner!).digest('hex'), recorded[0]?.data.sha256);
    });
});

forEachDialect('acknowledge', ({ dialect, place }) => {
  it('gates the frozen copy: a later edit of the packet file changes nothing', async () => {
    const world = await createWorld(place());
    await openExample(world);
    const submitted = await submitPacket(world.baton, carla, SOW);
    // The seller edits the file after submitting: the gate would now fail it, but it is not what was submitted.
    writeFileSync(join(world.root, packetRel), broken('payment-pending'));
    world.advance({ hours: 2 });
    const result = await acknowledgePacket(world.baton, casey, SOW, crmAttested);
    assert.equal(result.state.state, 'acknowledged');
    const ack = result.events.find((e) => e.type === 'PacketAcknowledged');
    assert.equal(ack?.data.sha256, submitted.state.submissions[0]?.sha256);
    assert.equal(ack?.data.sha256, sha256(examplePacket));
  });

  it('and the other way round: fixing the file without resubmitting does not make a failed version pass', async () => {
    const world = await createWorld(place());
    await openExample(world);
    await submitPacket(world.baton, carla, SOW, { text: broken('placeholder') });
    writeFileSync(join(world.root, packetRel), examplePacket);
    const refusal = await failsWith(acknowledgePacket(world.baton, casey, SOW, crmAttested), 'refused');
    assert.equal(refusal.rule, 'gate-failed');
    assert.equal(refusal.where, 'required-fields');
    assert.match(refusal.message, /required-fields/);
    // Reject, resubmit the fixed file: now it passes.
    await rejectPacket(world.baton, casey, SOW, {});
    await submitPacket(world.baton, carla, SOW);
    const result = await acknowledgePacket(world.baton, casey, SOW, crmAttested);
    assert.equal(result.state.acknowledgement?.submission, 2);
  });

  it('a tampered frozen copy makes ack a conflict, and nothing is recorded', async () => {
    const world = await createWorld(place());
    await openExample(world);
    const { state } = await submitPacket(world.baton, carla, SOW);
    const frozenPath = state.submissions[0]?.frozenPath as string;
    writeFileSync(join(world.root, frozenPath), examplePacket.replace('82/100', '95/100'));
    const error = await failsWith(acknowledgePacket(world.baton, casey, SOW, crmAttested), 'conflict');
    assert.equal(error.where, 'file');
    assert.ok(error.message.includes(frozenPath), error.message);
    assert.match(error.message, /sha256/);
    assert.equal((await handoffStatus(world.baton, SOW)).version, state.version);
    // A missing frozen copy is not a pass either.
    rmSync(join(world.root, frozenPath));
    await failsWith(acknowledgePacket(world.baton, casey, SOW, crmAttested), 'bad-input');
    assert.equal((await handoffStatus(world.baton, SOW)).state, 'submitted');
  });

  it('a stale expectedVersion is a conflict: two people acknowledging what they saw, one after the other', async () => {
    const world = await createWorld(place());
    await openExample(world);
    const { state } = await submitPacket(world.baton, carla, SOW);
    const seen = state.version;
    await acknowledgePacket(world.baton, casey, SOW, crmAttested, { expectedVersion: seen });
    const error = await failsWith(
      acknowledgePacket(world.baton, cam, SOW, crmAttested, { expectedVersion: seen }),
      'conflict',
    );
    assert.equal(error.where, 'version');
    const acks = (await types(world)).filter((t) => t === 'PacketAcknowledged');
    assert.equal(acks.length, 1);
    assert.equal((await handoffStatus(world.baton, SOW)).acknowledgement?.by.name, 'Casey Lin');
  });

  // Postgres only: two stores in one process on one SQLite file would wait on each other's write lock in
  // one thread (node:sqlite is synchronous); SQLite's conflict is the stale expectedVersion above.
  if (dialect === 'postgres')
    it('two acknowledgements at once from two processes: one wins, the other is a conflict', async () => {
      const world = await createWorld(place());
      await openExample(world);
      await submitPacket(world.baton, carla, SOW);
      const other = await world.another('app-test-2');
      const outcomes = await Promise.allSettled([
        acknowledgePacket(world.baton, casey, SOW, crmAttested),
        acknowledgePacket(other, cam, SOW, crmAttested),
      ]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      assert.equal(won.length, 1, JSON.stringify(outcomes.map((o) => o.status)));
      assert.equal(lost.length, 1);
      const loser: unknown = lost[0]?.reason;
      assert.ok(loser instanceof AppError, String(loser));
      assert.equal(loser.kind, 'conflict');
      const events = await readStream(world.baton.store.db, SOW);
      assert.equal(events.filter((e) => e.type === 'PacketAcknowledged').length, 1);
      assert.equal(events.filter((e) => e.type === 'ReviewAttested').length, 1);
      assert.deepEqual(
        events.map((e) => e.version),
        events.map((_, i) => i + 1),
      );
    });

  it('the submitter, whoever they act as, and any cro can never acknowledge', async () => {
    const world = await createWorld(place());
    await openExample(world);
    await submitPacket(world.baton, sam, SOW);
    for (const who of [
      { ...casey, name: 'Sam Ortiz' },
      { ...casey, name: '  sam   ORTIZ ' },
      { ...casey, name: 'Carla Reyes' },
      { ...carla, name: 'Someone Else' },
    ]) {
      const refusal = await failsWith(acknowledgePacket(world.baton, who, SOW, crmAttested), 'refused');
      assert.equal(refusal.rule, 'separation-of-duties', who.name);
    }
    assert.equal((await handoffStatus(world.baton, SOW)).state, 'submitted');
  });
});

const offsetInstant = /^\d{4}-\d{2}-\d{2}T17:00:00-0[45]:00$/;

forEachDialect('handoffStatus (the status --json contract)', ({ place }) => {
  it('gives sow, state, payment, submissions, rejections, deadlines, clocks, escalations, incidents, files', async () => {
    const world = await createWorld(place());
    await openExample(world);
    let status = await handoffStatus(world.baton, SOW);
    assert.equal(status.sow, SOW);
    assert.equal(status.state, 'opened');
    assert.deepEqual(status.payment, { status: 'received', confirmedAt: paid });
    assert.deepEqual(status.submissions, []);
    assert.deepEqual(status.rejections, []);
    assert.deepEqual(status.deadlines, {
      packetDue: '2026-05-15T17:00:00-04:00',
      ackDue: null,
      remediationDue: null,
      kickoffDue: null,
      discoveryScheduleDue: '2026-05-19T17:00:00-04:00',
      misalignmentResolveDue: null,
    });
    assert.deepEqual(
      status.clocks.map((c) => ({ name: c.name, due: c.due, status: c.status, metAt: c.metAt })),
      [
        { name: 'discoveryScheduleDue', due: '2026-05-19T17:00:00-04:00', status: 'open', metAt: null },
        { name: 'packetDue', due: '2026-05-15T17:00:00-04:00', status: 'open', metAt: null },
      ],
    );
    assert.deepEqual(status.escalations, []);
    assert.deepEqual(status.incidents, []);
    assert.deepEqual(status.files, { packet: packetRel, report: reportRelOf(SOW), frozen: [] });

    await submitPacket(world.baton, carla, SOW); // Thursday 14:00Z
    world.advance({ hours: 2 });
    await rejectPacket(world.baton, casey, SOW, { reason: 'the CRM item is on the wrong board' });
    world.advance({ hours: 1 });
    await submitPacket(world.baton, carla, SOW);
    world.advance({ hours: 1 });
    await acknowledgePacket(world.baton, casey, SOW, crmAttested); // Thursday 18:00Z
    world.advance({ hours: 1 });
    await scheduleDiscovery(world.baton, casey, SOW, '2026-05-18T15:00:00-04:00');

    status = await handoffStatus(world.baton, SOW);
    assert.equal(status.state, 'scheduled');
    assert.equal(status.submissions.length, 2);
    assert.equal(status.rejections.length, 1);
    assert.equal(status.rejections[0]?.reason, 'the CRM item is on the wrong board');
    assert.deepEqual(status.deadlines, {
      packetDue: '2026-05-15T17:00:00-04:00',
      ackDue: '2026-05-15T17:00:00-04:00',
      remediationDue: '2026-05-15T17:00:00-04:00',
      kickoffDue: '2026-05-18T17:00:00-04:00',
      discoveryScheduleDue: '2026-05-19T17:00:00-04:00',
      misalignmentResolveDue: null,
    });
    for (const [name, due] of Object.entries(status.deadlines))
      if (due !== null) assert.match(due, offsetInstant, name);
    assert.deepEqual(
      status.clocks.map((c) => [c.name, c.seq, c.status, c.metAt]),
      [
        ['discoveryScheduleDue', 1, 'met', '2026-05-14T19:00:00.000Z'],
        ['packetDue', 1, 'met', '2026-05-14T14:00:00.000Z'],
        ['ackDue', 1, 'met', '2026-05-14T16:00:00.000Z'],
        ['remediationDue', 1, 'met', '2026-05-14T17:00:00.000Z'],
        ['ackDue', 2, 'met', '2026-05-14T18:00:00.000Z'],
        ['kickoffDue', 1, 'met', '2026-05-14T19:00:00.000Z'],
      ],
    );
    assert.equal(status.files.frozen.length, 2);
    assert.deepEqual(
      status.files.frozen,
      status.submissions.map((s) => s.frozenPath),
    );
    for (const path of status.files.frozen) assert.equal(world.read(path), examplePacket);
    // The JSON an interface prints is the same object (no Temporal or class instances inside).
    assert.deepEqual(JSON.parse(JSON.stringify(status)), status);
  });

  it('shows deadlines in winter with the -05:00 offset', async () => {
    const world = await createWorld(place());
    await openHandoff(world.baton, carla, {
      sow: 'SOW-2026-015',
      sowSigned: '2026-02-02',
      paymentConfirmed: '2026-02-03T15:00:00Z',
    });
    const status = await handoffStatus(world.baton, 'sow-2026-015');
    assert.equal(status.deadlines.packetDue, '2026-02-05T17:00:00-05:00');
    assert.equal(status.deadlines.discoveryScheduleDue, '2026-02-09T17:00:00-05:00');
    assert.equal(status.deadlines.ackDue, null);
  });

  it('lists what the asking actor may do, and an unknown SOW is not-found', async () => {
    const world = await createWorld(place());
    await openExample(world);
    await submitPacket(world.baton, carla, SOW);
    assert.deepEqual((await handoffStatus(world.baton, SOW, casey)).allowed, [
      'attest',
      'ack',
      'reject',
      'sweep',
    ]);
    assert.ok(!(await handoffStatus(world.baton, SOW, carla)).allowed?.includes('ack'));
    const error = await failsWith(handoffStatus(world.baton, 'SOW-2026-099'), 'not-found');
    assert.match(error.message, /baton open SOW-2026-099/);
  });
});
