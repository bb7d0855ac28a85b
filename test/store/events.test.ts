import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import {
  appendEvents,
  enqueueEffects,
  genesisHash,
  listEffects,
  listStreams,
  purgePersonal,
  readAll,
  readStream,
  type Store,
  streamVersion,
  VersionConflict,
  verifyChain,
  withTransaction,
} from '../../src/store/index.ts';
import { forEachDialect } from './dialects.ts';
import { minute, salesOps, sampleEffect, sampleEvent } from './samples.ts';

/** Appends events 1..n to a new stream, one transaction each, as the workflow does. */
async function seed(store: Store, stream: string, n: number): Promise<void> {
  for (let v = 1; v <= n; v++) {
    await withTransaction(store.db, (trx) => appendEvents(trx, stream, v - 1, [sampleEvent(v)]));
  }
}

forEachDialect('event log', ({ dialect, open }) => {
  it('appends and reads back what was written, with versions, positions and a chain', async () => {
    const store = await open();
    const written = await withTransaction(store.db, (trx) =>
      appendEvents(trx, 'SOW-2026-014', 0, [
        sampleEvent(1),
        sampleEvent(2, { personal: undefined, actor: { role: 'cro', name: 'Ana', via: 'web' } }),
      ]),
    );
    assert.deepEqual(
      written.map((e) => e.version),
      [1, 2],
    );
    assert.equal(written[0]!.prevHash, genesisHash);
    assert.equal(written[1]!.prevHash, written[0]!.hash);
    assert.ok(written[0]!.position < written[1]!.position);
    assert.equal(typeof written[0]!.position, 'number');

    const read = await readStream(store.db, 'SOW-2026-014');
    assert.deepEqual(read, written);
    assert.deepEqual(read[0]!.data, sampleEvent(1).data);
    assert.deepEqual(read[0]!.personal, sampleEvent(1).personal);
    assert.deepEqual(read[0]!.actor, salesOps);
    assert.equal(read[1]!.personal, undefined);
    assert.deepEqual(read[1]!.actor, { role: 'cro', name: 'Ana', via: 'web' });
    assert.match(read[0]!.hash, /^[0-9a-f]{64}$/);
    assert.match(read[0]!.personalDigest!, /^[0-9a-f]{64}$/);
  });

  it('hashes the documented canonical form (so both dialects and any outside verifier agree)', async () => {
    const store = await open();
    const [event] = await withTransaction(store.db, (trx) => appendEvents(trx, 'SOW-X', 0, [sampleEvent(1)]));
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const personalDigest = sha256(
      '{"actorName":"Dana Reyes","personal":{"contact":"Jordan Smith","email":"jordan@example.com"}}',
    );
    const hashed =
      '{"actor":{"onBehalfOf":"cro","role":"sales.ops","via":"cli"},"at":"2026-05-14T14:01:00.000Z",' +
      '"data":{"checks":{"failed":0,"passed":8},"due":"2026-05-14T15:01:00.000Z","state":"state-1","step":1},' +
      `"personalDigest":"${personalDigest}","prevHash":"${genesisHash}","stream":"SOW-X","type":"handoff.opened","version":1}`;
    assert.equal(event!.personalDigest, personalDigest);
    assert.equal(event!.hash, sha256(hashed));
    assert.equal(event!.hash, '8ce985d36b5d97dd4e6450c9b4d89ca67931991ea4acd689f877c3f90908e1aa');
  });

  it('pages through the whole log by position, and lists streams with their versions', async () => {
    const store = await open();
    await seed(store, 'SOW-A', 3);
    await seed(store, 'SOW-B', 2);
    const all = await readAll(store.db);
    assert.equal(all.length, 5);
    const page = await readAll(store.db, { after: all[1]!.position, limit: 2 });
    assert.deepEqual(
      page.map((e) => e.position),
      [all[2]!.position, all[3]!.position],
    );
    assert.equal(await streamVersion(store.db, 'SOW-A'), 3);
    assert.equal(await streamVersion(store.db, 'SOW-none'), 0);
    assert.deepEqual(await listStreams(store.db), [
      { stream: 'SOW-A', version: 3 },
      { stream: 'SOW-B', version: 2 },
    ]);
  });

  it('refuses a stale expected version with VersionConflict', async () => {
    const store = await open();
    await seed(store, 'SOW-C', 2);
    for (const expected of [0, 1, 3]) {
      await assert.rejects(
        withTransaction(store.db, (trx) => appendEvents(trx, 'SOW-C', expected, [sampleEvent(9)])),
        (error: unknown) =>
          error instanceof VersionConflict &&
          error.stream === 'SOW-C' &&
          error.expected === expected &&
          error.actual === 2,
      );
    }
    assert.equal(await streamVersion(store.db, 'SOW-C'), 2);
  });

  it('rolls back the events and the effects of a transaction that throws', async () => {
    const store = await open();
    await assert.rejects(
      withTransaction(store.db, async (trx) => {
        await appendEvents(trx, 'SOW-D', 0, [sampleEvent(1)]);
        await enqueueEffects(trx, 'SOW-D', [sampleEffect('SOW-D', 1)], minute(1));
        throw new Error('projection failed');
      }),
      /projection failed/,
    );
    assert.equal(await streamVersion(store.db, 'SOW-D'), 0);
    assert.deepEqual(await listEffects(store.db), []);
  });

  it('wants timestamps in the exact ISO format', async () => {
    const store = await open();
    await assert.rejects(
      withTransaction(store.db, (trx) =>
        appendEvents(trx, 'SOW-E', 0, [sampleEvent(1, { at: '2026-05-14T14:00:00Z' })]),
      ),
      RangeError,
    );
  });

  it('verifies an untouched chain', async () => {
    const store = await open();
    await seed(store, 'SOW-A', 4);
    await seed(store, 'SOW-B', 3);
    assert.deepEqual(await verifyChain(store.db), { ok: true, events: 7 });
    assert.deepEqual(await verifyChain(store.db, { pageSize: 2 }), { ok: true, events: 7 });
  });

  it('names the first event whose data was changed behind its back', async () => {
    const store = await open();
    await seed(store, 'SOW-A', 4);
    const [, second] = await readStream(store.db, 'SOW-A');
    await sql`update events set data = ${'{"step":2,"state":"approved"}'} where stream = ${'SOW-A'} and version = 2`.execute(
      store.db,
    );
    assert.deepEqual(await verifyChain(store.db), {
      ok: false,
      events: 2,
      firstBad: { stream: 'SOW-A', version: 2, position: second!.position, reason: 'hash mismatch' },
    });
  });

  it('notices changed personal data and a changed actor name', async () => {
    const store = await open();
    await seed(store, 'SOW-A', 3);
    await sql`update events set personal = ${'{"contact":"Someone Else"}'} where stream = 'SOW-A' and version = 3`.execute(
      store.db,
    );
    const check = await verifyChain(store.db);
    assert.equal(check.ok, false);
    assert.deepEqual(!check.ok && [check.firstBad.version, check.firstBad.reason], [
      3,
      'personal data altered',
    ]);

    await sql`update events set actor_name = ${'Mallory'} where stream = 'SOW-A' and version = 1`.execute(
      store.db,
    );
    const again = await verifyChain(store.db);
    assert.deepEqual(!again.ok && [again.firstBad.version, again.firstBad.reason], [
      1,
      'personal data altered',
    ]);
  });

  it('notices a deleted middle event and a rewritten prev link', async () => {
    const store = await open();
    await seed(store, 'SOW-A', 4);
    await seed(store, 'SOW-B', 2);
    await sql`update events set prev_hash = ${genesisHash} where stream = 'SOW-B' and version = 2`.execute(
      store.db,
    );
    await sql`delete from events where stream = 'SOW-A' and version = 2`.execute(store.db);
    const check = await verifyChain(store.db);
    assert.equal(check.ok, false);
    assert.deepEqual(!check.ok && check.firstBad, {
      stream: 'SOW-A',
      version: 3,
      position: (await readStream(store.db, 'SOW-A'))[1]!.position,
      reason: 'version gap',
    });
    await sql`delete from events where stream = 'SOW-A'`.execute(store.db);
    const next = await verifyChain(store.db);
    assert.deepEqual(!next.ok && [next.firstBad.stream, next.firstBad.reason], ['SOW-B', 'broken prev link']);
  });

  it('purges personal data and keeps the chain valid', async () => {
    const store = await open();
    await seed(store, 'SOW-A', 3);
    await seed(store, 'SOW-B', 1);
    const before = await readStream(store.db, 'SOW-A');
    const purged = await withTransaction(store.db, (trx) => purgePersonal(trx, 'SOW-A', { at: minute(30) }));
    assert.equal(purged, 3);
    const after = await readStream(store.db, 'SOW-A');
    for (const [i, event] of after.entries()) {
      assert.equal(event.personal, undefined);
      assert.equal(event.actor.name, '(purged)');
      assert.equal(event.actor.role, salesOps.role);
      assert.deepEqual(event.data, before[i]!.data);
      assert.equal(event.personalDigest, before[i]!.personalDigest);
      assert.equal(event.hash, before[i]!.hash);
    }
    assert.equal((await readStream(store.db, 'SOW-B'))[0]!.actor.name, salesOps.name);
    assert.deepEqual(await verifyChain(store.db), { ok: true, events: 4 });
    assert.equal(
      await withTransaction(store.db, (trx) => purgePersonal(trx, 'SOW-A', { at: minute(31) })),
      0,
    );
    // The stream goes on after a purge.
    await withTransaction(store.db, (trx) => appendEvents(trx, 'SOW-A', 3, [sampleEvent(4)]));
    assert.deepEqual(await verifyChain(store.db), { ok: true, events: 5 });
  });

  if (dialect === 'postgres') {
    it('maps the unique (stream, version) race to VersionConflict (second writer blocked on the first)', async () => {
      const first = await open();
      const second = await open();
      let appended!: () => void;
      const firstHasAppended = new Promise<void>((resolve) => {
        appended = resolve;
      });
      let commit!: () => void;
      const firstMayCommit = new Promise<void>((resolve) => {
        commit = resolve;
      });
      const winner = withTransaction(first.db, async (trx) => {
        const events = await appendEvents(trx, 'SOW-RACE', 0, [sampleEvent(1)]);
        appended();
        await firstMayCommit;
        return events;
      });
      await firstHasAppended;
      let secondPid: number | undefined;
      const loser = withTransaction(second.db, async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        secondPid = rows[0]!.pid;
        // Sees version 0 (the first is not committed) and waits on the unique index.
        return appendEvents(trx, 'SOW-RACE', 0, [sampleEvent(1)]);
      });
      for (let waited = 0; ; waited += 10) {
        assert.ok(waited < 10_000, 'the second append never waited on the first');
        if (secondPid !== undefined) {
          const { rows } = await sql<{ wait: string | null }>`
            select wait_event_type as wait from pg_stat_activity where pid = ${secondPid}`.execute(second.db);
          if (rows[0]?.wait === 'Lock') break;
        }
        await sleep(10);
      }
      commit();
      assert.equal((await winner).length, 1);
      await assert.rejects(loser, VersionConflict);
      assert.equal(await streamVersion(first.db, 'SOW-RACE'), 1);
    });

    it('lets exactly one of two concurrent appends on the same version win (separate connections)', async () => {
      const first = await open();
      const second = await open();
      for (let round = 0; round < 25; round++) {
        const stream = `SOW-R${round}`;
        const outcomes = await Promise.allSettled(
          [first, second].map((store) =>
            withTransaction(store.db, (trx) => appendEvents(trx, stream, 0, [sampleEvent(1)])),
          ),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o) => o.status === 'rejected');
        assert.equal(won.length, 1, `round ${round}`);
        assert.ok(lost[0]!.reason instanceof VersionConflict, String(lost[0]!.reason));
        assert.equal(await streamVersion(first.db, stream), 1);
      }
      assert.deepEqual(await verifyChain(first.db), { ok: true, events: 25 });
    });
  }
});
