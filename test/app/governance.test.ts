// Governance on the service layer against the real store (both dialects) and a real knowledge root:
// metrics from the log, the weekly summary files and its Slack effect, SOP Delta drafts after rejections
// and sweeps, report versions archived with their hashes, relationship ends, legal holds and the purge.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { AppError } from '../../src/app/errors.ts';
import {
  governanceMetrics,
  purgeArchives,
  recordRelationshipEnded,
  releaseLegalHold,
  setLegalHold,
  weeklySummary,
} from '../../src/app/governance.ts';
import { rebuildProjections, sweep, verifyStore } from '../../src/app/handoff-queries.ts';
import { acknowledgePacket, openHandoff, rejectPacket, submitPacket } from '../../src/app/handoffs.ts';
import { draftSopDeltas, listSopDeltas } from '../../src/app/sop-deltas.ts';
import { listEffects, listNotifications, logNotification, readStream } from '../../src/store/index.ts';
import { forEachDialect } from '../store/dialects.ts';
import {
  broken,
  carla,
  casey,
  chris,
  createWorld,
  dana,
  examplePacket,
  packetFor,
  packetRelOf,
  paid,
  reportRelOf,
  sha256,
  signed,
  type World,
} from './app-fixture.ts';

const crm = [{ check: 'crm-item-exists' as const, reason: 'item 8812345 checked on the revenue board' }];
const A = 'SOW-2026-014';
const B = 'SOW-2026-015';
const C = 'SOW-2026-016';
const archive = (sow: string) => `operations/handoffs/assessments/archive/${sow}`;

async function failsWith(
  promise: Promise<unknown>,
  kind: AppError['kind'],
  rule?: string,
): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof AppError, `expected an AppError, got ${e}`);
    assert.equal(e.kind, kind, e.message);
    if (rule) assert.equal(e.rule, rule, e.message);
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

async function at<T>(world: World, instant: string, run: () => Promise<T>): Promise<T> {
  world.setNow(instant);
  return run();
}

const open = (world: World, sow: string, sowSigned = signed) =>
  at(world, '2026-05-14T13:00:00Z', () =>
    openHandoff(world.baton, carla, { sow, sowSigned, paymentConfirmed: paid }),
  );
const submit = (world: World, sow: string, when: string, text = packetFor(sow)) =>
  at(world, when, () => submitPacket(world.baton, carla, sow, { text }));
const ack = (world: World, sow: string, when: string) =>
  at(world, when, () => acknowledgePacket(world.baton, casey, sow, crm));
const reject = (world: World, sow: string, when: string) =>
  at(world, when, () => rejectPacket(world.baton, casey, sow, {}));

/**
 * A: submitted Thu May 14 10:00 New York, acknowledged 14:00 (4 h, 4 business h).
 * B: v1 with a placeholder at 10:00, rejected 11:00; v2 at 12:00, acknowledged Fri 9:00 (21 h; 5 business h).
 */
async function twoDeals(world: World): Promise<void> {
  await open(world, A);
  await open(world, B);
  await submit(world, A, '2026-05-14T14:00:00Z');
  await ack(world, A, '2026-05-14T18:00:00Z');
  await submit(world, B, '2026-05-14T14:00:00Z', packetFor(B, broken('placeholder')));
  await reject(world, B, '2026-05-14T15:00:00Z');
  await submit(world, B, '2026-05-14T16:00:00Z');
  await ack(world, B, '2026-05-15T13:00:00Z');
}

forEachDialect('governance metrics and the weekly summary', ({ place }) => {
  it('computes the week from the event log, as computed by hand', async () => {
    const world = await createWorld(place());
    await twoDeals(world);
    world.setNow('2026-05-15T20:00:00Z');
    const m = await governanceMetrics(world.baton, { week: '2026-W20' });
    assert.deepEqual(m.handoffs, { active: [A, B], opened: 2, submitted: 2, acknowledged: 2, scheduled: 0 });
    assert.deepEqual(m.passRate.firstPass, { passed: 1, of: 2, rate: 0.5 });
    assert.deepEqual(m.passRate.overall, { passed: 2, of: 3, rate: 2 / 3 });
    assert.deepEqual(m.timeToAcknowledge.wallClockHours, { median: 12.5, p90: 19.3 });
    assert.deepEqual(m.timeToAcknowledge.businessHours, { median: 4.5, p90: 4.9 });
    assert.deepEqual(m.failingChecks, [{ check: 'required-fields', failures: 1, handoffs: [B] }]);
    // The default period is the current week.
    assert.equal((await governanceMetrics(world.baton)).period.label, '2026-W20');
  });

  it('refuses a bad period naming the option', async () => {
    const world = await createWorld(place());
    assert.equal(
      (await failsWith(governanceMetrics(world.baton, { week: '2026-20' }), 'bad-input')).where,
      'week',
    );
    assert.equal(
      (await failsWith(governanceMetrics(world.baton, { from: '2026-05-01' }), 'bad-input')).where,
      'to',
    );
    await failsWith(
      governanceMetrics(world.baton, { week: '2026-W20', from: '2026-05-01', to: '2026-05-02' }),
      'bad-input',
    );
  });

  it('writes the section and the chart beside it when deals were active, and queues one Slack post per week', async () => {
    const world = await createWorld(place());
    await twoDeals(world);
    world.setNow('2026-05-15T20:00:00Z');
    const r = await weeklySummary(world.baton, { post: true, channel: '#ceo-weekly' });
    assert.equal(r.written, true);
    assert.deepEqual(r.files, {
      markdown: 'operations/governance/weekly/handoff-quality-2026-W20.md',
      chart: 'operations/governance/weekly/handoff-quality-2026-W20.svg',
    });
    const md = world.read(r.files?.markdown ?? '');
    assert.match(md, /\| First-pass gate pass rate \| 50% \(1 of 2\) \| no reviews \|/);
    assert.match(md, /\(handoff-quality-2026-W20\.svg\)/);
    assert.match(world.read(r.files?.chart ?? ''), /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg /);
    assert.equal(r.series.length, 8);
    assert.equal(r.posted, 'queued');
    const slack = (await listEffects(world.baton.store.db)).filter((e) => e.kind === 'slack.post');
    assert.equal(slack.length, 1);
    assert.equal(slack[0]?.status, 'pending');
    assert.deepEqual(Object.keys(slack[0]?.payload ?? {}).sort(), ['channel', 'text']);
    assert.equal(slack[0]?.payload.channel, '#ceo-weekly');
    assert.match(String(slack[0]?.payload.text), /First-pass gate pass rate: 50% \(1 of 2\)/);
    assert.equal((await weeklySummary(world.baton, { post: true })).posted, 'already-queued');
    const out = await weeklySummary(world.baton, { out: 'reports/ceo' });
    assert.ok(world.exists('reports/ceo/handoff-quality-2026-W20.md'));
    assert.equal(out.posted, undefined);
  });

  it('writes nothing for a week without active deals, and nothing outside the root', async () => {
    const world = await createWorld(place());
    const before = world.snapshot();
    const r = await weeklySummary(world.baton, { week: '2026-W19', post: true });
    assert.equal(r.written, false);
    assert.match(r.reason ?? '', /no assessment deal was active in 2026-W19/);
    assert.deepEqual(world.snapshot(), before);
    assert.deepEqual(await listEffects(world.baton.store.db), []);
    await twoDeals(world);
    const e = await failsWith(
      weeklySummary(world.baton, { week: '2026-W20', out: '../elsewhere' }),
      'bad-input',
    );
    assert.equal(e.where, '--out');
    await failsWith(weeklySummary(world.baton, { week: '2026-W20', out: '/tmp' }), 'bad-input');
  });
});

forEachDialect('the archive', ({ place }) => {
  it('keeps every submitted version and every report version, each with its sha256', async () => {
    const world = await createWorld(place());
    await twoDeals(world);
    const files = readdirSync(join(world.root, archive(B))).sort();
    const packets = files.filter((f) => f.includes('-handoff-packet.'));
    const reports = files.filter((f) => /-handoff-report\.v\d+\.[0-9a-f]{12}\.md$/.test(f));
    assert.equal(packets.length, 2);
    // Submission, rejection, resubmission, acknowledgement (with its attestation): four report versions.
    assert.equal(reports.length, 4);
    for (const name of reports) {
      const content = world.read(`${archive(B)}/${name}`);
      const [hash, file] = world
        .read(`${archive(B)}/${name}.sha256`)
        .trim()
        .split('  ');
      assert.equal(hash, sha256(content));
      assert.equal(file, name);
      assert.ok(name.includes(`.${sha256(content).slice(0, 12)}.md`));
    }
    // The newest archived version is the report in force.
    const versionOf = (name: string) => Number(/\.v(\d+)\./.exec(name)?.[1]);
    const newest = reports.sort((a, b) => versionOf(a) - versionOf(b)).at(-1) ?? '';
    assert.equal(world.read(`${archive(B)}/${newest}`), world.read(reportRelOf(B)));
  });
});

forEachDialect('SOP Delta drafts', ({ place }) => {
  it('the third handoff rejected for the same check drafts one proposal, never twice; verify and rebuild still pass', async () => {
    const world = await createWorld(place());
    for (const [i, sow] of [A, B, C].entries()) {
      await open(world, sow);
      await submit(world, sow, `2026-05-14T1${4 + i}:00:00Z`, packetFor(sow, broken('placeholder')));
      await reject(world, sow, `2026-05-14T1${4 + i}:30:00Z`);
      assert.equal((await listSopDeltas(world.baton)).length, i === 2 ? 1 : 0, `after ${sow}`);
    }
    const [delta] = await listSopDeltas(world.baton);
    assert.equal(delta?.id, 'DELTA-2026-0514-check-required-fields');
    assert.equal(delta?.path, 'operations/sop-deltas/DELTA-2026-0514-check-required-fields.md');
    assert.deepEqual(delta?.handoffs, [C, B, A]);
    assert.equal(delta?.trigger, `after the rejection of ${C}`);
    const md = world.read(delta?.path ?? '');
    assert.equal(sha256(md), delta?.sha256);
    assert.match(md, /failed in 3 of the last 3 handoffs/);
    assert.match(md, new RegExp(`\\| ${A} \\| 1 \\| .* \\| fail \\| yes \\| Industry \\(line \\d+\\) \\|`));
    // Again: on demand, after another rejection of one of them, after the file is deleted.
    await submit(world, A, '2026-05-14T18:00:00Z', packetFor(A, broken('placeholder')));
    await reject(world, A, '2026-05-14T18:30:00Z');
    const { rmSync } = await import('node:fs');
    rmSync(join(world.root, delta?.path ?? ''));
    const run = await draftSopDeltas(world.baton, 'baton deltas');
    assert.deepEqual(run.drafted, []);
    assert.deepEqual(
      run.patterns.map((p) => `${p.subject} ${p.handoffs.length}/${p.of}`),
      ['required-fields 3/3'],
    );
    assert.equal((await listSopDeltas(world.baton)).length, 1);
    assert.deepEqual(await verifyStore(world.baton), {
      ok: true,
      events: await countEvents(world),
      handoffs: 3,
    });
    assert.deepEqual((await rebuildProjections(world.baton)).handoffs, 3);
  });

  it('a sweep that records the same clock missed in three handoffs drafts a clock proposal', async () => {
    const world = await createWorld(place());
    for (const sow of [A, B, C]) {
      await open(world, sow);
      await submit(world, sow, '2026-05-14T14:00:00Z');
    }
    // Nobody acknowledged: the clocks ran out on Friday 17:00 New York.
    world.setNow('2026-05-18T13:00:00Z');
    const digest = await sweep(world.baton, chris);
    assert.deepEqual(digest.sopDeltas, [
      { id: 'DELTA-2026-0518-clock-ack-due', path: 'operations/sop-deltas/DELTA-2026-0518-clock-ack-due.md' },
    ]);
    assert.match(
      world.read('operations/sop-deltas/DELTA-2026-0518-clock-ack-due.md'),
      /The clock `ackDue` \(acknowledgement due\) was missed in 3 of the last 3 handoffs/,
    );
    assert.equal((await sweep(world.baton, chris)).sopDeltas, undefined);
  });
});

async function countEvents(world: World): Promise<number> {
  let n = 0;
  for (const s of [A, B, C, 'GOVERNANCE']) n += (await readStream(world.baton.store.db, s)).length;
  return n;
}

forEachDialect('relationship end and legal hold', ({ place }) => {
  it('by company: every handoff whose packet names it, in one transaction; by SOW: that one', async () => {
    const world = await createWorld(place());
    await twoDeals(world);
    await open(world, C);
    await submit(
      world,
      C,
      '2026-05-14T17:00:00Z',
      packetFor(C).replace('| Company name | Northwind Partners, Inc. |', '| Company name | Contoso Ltd |'),
    );
    world.setNow('2026-06-02T14:00:00Z');
    const r = await recordRelationshipEnded(world.baton, chris, '  northwind partners, INC ', '2026-06-01');
    assert.equal(r.company, 'Northwind Partners, Inc.');
    assert.deepEqual(
      r.handoffs.map((h) => [h.sow, h.events.map((e) => e.type).join()]),
      [
        [A, 'RelationshipEnded'],
        [B, 'RelationshipEnded'],
      ],
    );
    const last = (await readStream(world.baton.store.db, A)).at(-1);
    assert.deepEqual(last?.data, { endedOn: '2026-06-01' });
    assert.deepEqual(last?.personal, { company: 'Northwind Partners, Inc.' });
    assert.equal((await readStream(world.baton.store.db, C)).at(-1)?.type !== 'RelationshipEnded', true);
    const one = await recordRelationshipEnded(world.baton, carla, 'sow-2026-016', '2026-05-31');
    assert.equal(one.handoffs[0]?.sow, C);
    const notFound = await failsWith(
      recordRelationshipEnded(world.baton, chris, 'Northwind', '2026-06-01'),
      'not-found',
    );
    assert.match(
      notFound.message,
      /did you mean "Northwind Partners, Inc\." \(SOW-2026-014\), "Northwind Partners, Inc\." \(SOW-2026-015\)/,
    );
    await failsWith(
      recordRelationshipEnded(world.baton, casey, 'Contoso Ltd', '2026-06-01'),
      'refused',
      'role-not-allowed',
    );
  });

  it('all or nothing: a date one handoff refuses records the end on none', async () => {
    const world = await createWorld(place());
    await open(world, A, '2026-05-12');
    await submit(world, A, '2026-05-14T14:00:00Z');
    await open(world, B, '2026-05-13');
    await submit(world, B, '2026-05-14T14:00:00Z');
    const versions = async () => [
      (await readStream(world.baton.store.db, A)).length,
      (await readStream(world.baton.store.db, B)).length,
    ];
    const before = await versions();
    const e = await failsWith(
      recordRelationshipEnded(world.baton, chris, 'Northwind Partners, Inc.', '2026-05-12'),
      'bad-input',
    );
    assert.equal(e.where, 'date');
    assert.deepEqual(await versions(), before);
  });

  it('hold and release: chief.staff or ceo only, refusals by rule', async () => {
    const world = await createWorld(place());
    await open(world, A);
    await failsWith(setLegalHold(world.baton, carla, A, 'litigation'), 'refused', 'role-not-allowed');
    await failsWith(setLegalHold(world.baton, casey, A, 'litigation'), 'refused', 'role-not-allowed');
    await setLegalHold(world.baton, chris, A, 'litigation');
    const again = await failsWith(setLegalHold(world.baton, dana, A, 'again'), 'refused', 'already-on-hold');
    assert.ok(again.allowed?.includes('release'));
    await releaseLegalHold(world.baton, dana, A, 'settled');
    await failsWith(releaseLegalHold(world.baton, dana, A), 'refused', 'not-on-hold');
    await failsWith(setLegalHold(world.baton, chris, 'SOW-2026-099', 'x'), 'refused', 'not-open');
    await failsWith(setLegalHold(world.baton, chris, 'nonsense', 'x'), 'bad-input');
  });
});

forEachDialect('the retention purge', ({ place }) => {
  /** P past retention (its gate failed twice: an incident file too), H past retention but on hold, R within retention, N never ended. */
  async function fourDeals(world: World) {
    const P = 'SOW-2026-014';
    const H = 'SOW-2026-015';
    const R = 'SOW-2026-016';
    const N = 'SOW-2026-017';
    for (const sow of [P, H, R, N]) await open(world, sow);
    await submit(world, P, '2026-05-14T14:00:00Z', packetFor(P, broken('placeholder')));
    await reject(world, P, '2026-05-14T14:10:00Z');
    await submit(world, P, '2026-05-14T14:20:00Z', packetFor(P, broken('placeholder')));
    await reject(world, P, '2026-05-14T14:30:00Z');
    await submit(world, P, '2026-05-14T14:40:00Z');
    await ack(world, P, '2026-05-14T15:00:00Z');
    for (const sow of [H, R, N]) {
      await submit(world, sow, '2026-05-14T15:00:00Z');
      await ack(world, sow, '2026-05-14T16:00:00Z');
    }
    world.setNow('2026-06-02T14:00:00Z');
    await recordRelationshipEnded(world.baton, chris, P, '2026-06-01');
    await recordRelationshipEnded(world.baton, chris, H, '2026-06-01');
    await setLegalHold(world.baton, dana, H, 'litigation hold: Northwind v. Acme');
    world.setNow('2027-01-05T14:00:00Z');
    await recordRelationshipEnded(world.baton, chris, R, '2027-01-04');
    return { P, H, R, N };
  }

  it('--dry-run changes nothing and says what a purge would do', async () => {
    const world = await createWorld(place());
    const { P, H, R, N } = await fourDeals(world);
    world.setNow('2028-06-02T14:00:00Z');
    const files = world.snapshot();
    const events = await countAll(world, [P, H, R, N]);
    const plan = await purgeArchives(world.baton, chris, { dryRun: true });
    assert.deepEqual(
      plan.handoffs.map((h) => [h.sow, h.status, h.action]),
      [
        [P, 'due', 'purge'],
        [H, 'on-hold', 'keep'],
        [R, 'retained', 'keep'],
        [N, 'relationship-active', 'keep'],
      ],
    );
    const p = plan.handoffs[0];
    assert.ok(p?.files.includes(packetRelOf(P)) && p.files.includes(reportRelOf(P)));
    assert.ok(p?.files.some((f) => f.startsWith('operations/incidents/open/INC-')));
    assert.equal(p?.files.filter((f) => f.startsWith(`${archive(P)}/`)).length, 3 + 2 * 6);
    assert.deepEqual(world.snapshot(), files);
    assert.deepEqual(await countAll(world, [P, H, R, N]), events);
  });

  it('purges only what is past retention and not on hold; the chain still verifies', async () => {
    const world = await createWorld(place());
    const { P, H, R, N } = await fourDeals(world);
    world.setNow('2028-06-02T14:00:00Z');
    const kept = Object.fromEntries(
      Object.entries(world.snapshot()).filter(([f]) => !f.includes(P) && !f.includes('sow-2026-014')),
    );
    const keptEvents = await Promise.all([H, R, N].map((s) => readStream(world.baton.store.db, s)));
    // The notification log quotes contacts (the intro email's addresses).
    for (const sow of [P, H])
      await logNotification(
        world.baton.store.db,
        {
          id: `${sow}:9:email`,
          stream: sow,
          integration: 'email',
          kind: 'email.send',
          summary: 'intro',
          payload: { to: 'dana@northwind.example' },
        },
        '2028-06-01T14:00:00.000Z',
      );
    const progress: string[] = [];
    const report = await purgeArchives(world.baton, dana, {
      progress: (done, total, sow) => progress.push(`${done}/${total} ${sow}`),
    });
    assert.deepEqual(report.purged, [P]);
    assert.deepEqual(progress, [`0/1 ${P}`, `1/1 ${P}`]);
    assert.equal(report.filesRemoved, report.handoffs[0]?.files.length);
    // P's files are gone, folder and all; everything else is as it was (the executed SOW is a contract,
    // not part of the handoff archive: it stays).
    const after = world.snapshot();
    assert.deepEqual(
      Object.keys(after).filter((f) => f.includes(P) || f.includes('sow-2026-014')),
      [`legal/sow/${P}-executed.pdf`],
    );
    assert.equal(world.exists(archive(P)), false);
    assert.deepEqual(Object.fromEntries(Object.entries(after).filter(([f]) => f in kept)), kept);
    assert.deepEqual(
      Object.keys(kept).filter((f) => !(f in after)),
      [],
    );
    // P's personal data is blanked; the purge's own record keeps who ran it.
    const stream = await readStream(world.baton.store.db, P);
    const purge = stream.at(-1);
    assert.equal(purge?.type, 'PersonalDataPurged');
    assert.equal(purge?.actor.name, 'Dana Park');
    assert.deepEqual(purge?.data.files, report.handoffs[0]?.files);
    for (const e of stream.slice(0, -1)) {
      assert.equal(e.personal, undefined, `${e.type} v${e.version}`);
      assert.equal(e.actor.name, '(purged)');
    }
    const outbox = await listEffects(world.baton.store.db);
    const ofP = outbox.filter((e) => e.stream === P);
    assert.ok(ofP.length > 0);
    assert.ok(!JSON.stringify(ofP).includes('Carla Reyes'), "P's outbox payloads are blanked");
    assert.ok(JSON.stringify(outbox.filter((e) => e.stream === H)).includes('Carla Reyes'), "H's are not");
    // H, R, N: not one event changed.
    assert.deepEqual(
      await Promise.all([H, R, N].map((s) => readStream(world.baton.store.db, s))),
      keptEvents,
    );
    assert.deepEqual(await listNotifications(world.baton.store.db, { stream: P }), []);
    assert.equal((await listNotifications(world.baton.store.db, { stream: H })).length, 1);
    const verify = await verifyStore(world.baton);
    assert.equal(verify.ok, true, JSON.stringify(verify));
    // A second run finds nothing to do.
    const again = await purgeArchives(world.baton, chris);
    assert.deepEqual(again.purged, []);
    assert.equal(again.filesRemoved, 0);
    assert.equal(again.handoffs[0]?.status, 'purged');
  });

  it('a hold set after the plan was made still wins, and only chief.staff or ceo may purge', async () => {
    const world = await createWorld(place());
    const { H } = await fourDeals(world);
    world.setNow('2028-06-02T14:00:00Z');
    await releaseLegalHold(world.baton, chris, H);
    await failsWith(purgeArchives(world.baton, carla), 'refused', 'role-not-allowed');
    await failsWith(purgeArchives(world.baton, casey, { dryRun: true }), 'refused', 'role-not-allowed');
    const report = await purgeArchives(world.baton, chris);
    assert.deepEqual(report.purged.sort(), ['SOW-2026-014', H]);
  });
});

async function countAll(world: World, sows: string[]): Promise<number[]> {
  return Promise.all(sows.map(async (s) => (await readStream(world.baton.store.db, s)).length));
}

it('the example packet names Northwind Partners, Inc. (the company the tests end relationships with)', () => {
  assert.match(examplePacket, /\| Company name \| Northwind Partners, Inc\. \|/);
});
