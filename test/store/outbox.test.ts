import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  claimEffects,
  completeEffect,
  effectById,
  enqueueEffects,
  failEffect,
  listEffects,
  type NewEffect,
  retryEffect,
  type Store,
  withTransaction,
} from '../../src/store/index.ts';
import { forEachDialect } from './dialects.ts';
import { minute, sampleEffect } from './samples.ts';

async function enqueue(store: Store, stream: string, effects: NewEffect[], now = minute(0)): Promise<number> {
  return withTransaction(store.db, (trx) => enqueueEffects(trx, stream, effects, now));
}

function claim(store: Store, worker: string, now = minute(1), limit = 10, leaseMs = 600_000) {
  return claimEffects(store.db, { now, limit, worker, leaseMs });
}

const ids = (effects: { id: string }[]) => effects.map((e) => e.id);

forEachDialect('outbox', ({ dialect, open }) => {
  it('enqueues idempotently: an id already there is skipped', async () => {
    const store = await open();
    assert.equal(await enqueue(store, 'S', [sampleEffect('S', 1), sampleEffect('S', 1, 'email')]), 2);
    assert.equal(await enqueue(store, 'S', [sampleEffect('S', 1), sampleEffect('S', 2)], minute(5)), 1);
    const all = await listEffects(store.db);
    assert.deepEqual(ids(all), ['S:1:slack', 'S:1:email', 'S:2:slack']);
    assert.deepEqual(all[0], {
      id: 'S:1:slack',
      kind: 'slack',
      payload: { stream: 'S', version: 1, text: 'step 1' },
      stream: 'S',
      seq: all[0]!.seq,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: minute(0),
      lastError: null,
      createdAt: minute(0),
      doneAt: null,
      claimedBy: null,
      claimedUntil: null,
    });
    assert.ok(all[0]!.seq < all[1]!.seq && all[1]!.seq < all[2]!.seq);
  });

  it('claims only the oldest unfinished effect of each stream', async () => {
    const store = await open();
    await enqueue(store, 'A', [sampleEffect('A', 1), sampleEffect('A', 2)]);
    await enqueue(store, 'B', [sampleEffect('B', 1)]);
    await enqueue(store, 'A', [sampleEffect('A', 3)]);
    const first = await claim(store, 'w1');
    assert.deepEqual(ids(first), ['A:1:slack', 'B:1:slack']);
    assert.equal(first[0]!.claimedBy, 'w1');
    assert.equal(first[0]!.claimedUntil, new Date(Date.parse(minute(1)) + 600_000).toISOString());
    // A:2 waits while A:1 is claimed, even for another worker.
    assert.deepEqual(await claim(store, 'w2'), []);
    assert.equal(await completeEffect(store.db, 'A:1:slack', 'w1', minute(2)), true);
    assert.deepEqual(ids(await claim(store, 'w2', minute(2))), ['A:2:slack']);
    assert.equal(await completeEffect(store.db, 'A:2:slack', 'w2', minute(3)), true);
    assert.deepEqual(ids(await claim(store, 'w2', minute(3))), ['A:3:slack']);
    const done = await effectById(store.db, 'A:1:slack');
    assert.equal(done?.status, 'done');
    assert.equal(done?.doneAt, minute(2));
    assert.equal(await effectById(store.db, 'nope'), undefined);
  });

  it('keeps order per stream and kind: a stuck Slack effect does not hold back file writes', async () => {
    const store = await open();
    await enqueue(store, 'A', [
      sampleEffect('A', 1),
      sampleEffect('A', 1, 'file'),
      sampleEffect('A', 2, 'file'),
    ]);
    // A:1:slack fails and waits for its retry; the file effects of A go on in their own line.
    const first = await claim(store, 'w');
    assert.deepEqual(ids(first), ['A:1:slack', 'A:1:file']);
    assert.equal(
      await failEffect(store.db, 'A:1:slack', 'w', { error: 'down', nextAttemptAt: minute(30) }),
      true,
    );
    assert.equal(await completeEffect(store.db, 'A:1:file', 'w', minute(2)), true);
    assert.deepEqual(ids(await claim(store, 'w', minute(2))), ['A:2:file']);
  });

  it('claims only the kinds asked for', async () => {
    const store = await open();
    await enqueue(store, 'A', [sampleEffect('A', 1), sampleEffect('A', 1, 'file')]);
    assert.deepEqual(
      ids(
        await claimEffects(store.db, {
          now: minute(1),
          limit: 10,
          worker: 'w',
          leaseMs: 1000,
          kinds: ['file'],
        }),
      ),
      ['A:1:file'],
    );
    assert.deepEqual(
      await claimEffects(store.db, { now: minute(1), limit: 10, worker: 'w', leaseMs: 1000, kinds: [] }),
      [],
    );
  });

  it('honours limit and the next attempt time', async () => {
    const store = await open();
    for (const stream of ['A', 'B', 'C']) await enqueue(store, stream, [sampleEffect(stream, 1)], minute(5));
    assert.deepEqual(await claim(store, 'w', minute(4)), []);
    assert.deepEqual(ids(await claim(store, 'w', minute(5), 2)), ['A:1:slack', 'B:1:slack']);
  });

  it('lets another worker take an effect over once the lease has run out', async () => {
    const store = await open();
    await enqueue(store, 'A', [sampleEffect('A', 1)]);
    assert.equal((await claim(store, 'w1', minute(1), 10, 30_000)).length, 1);
    assert.deepEqual(await claim(store, 'w2', new Date(Date.parse(minute(1)) + 29_999).toISOString()), []);
    const takenOver = await claim(store, 'w2', new Date(Date.parse(minute(1)) + 30_000).toISOString());
    assert.deepEqual(ids(takenOver), ['A:1:slack']);
    // The first worker finishing late is refused; the new holder is not.
    assert.equal(await completeEffect(store.db, 'A:1:slack', 'w1', minute(2)), false);
    assert.equal(await failEffect(store.db, 'A:1:slack', 'w1', { error: 'late', dead: true }), false);
    assert.equal(await completeEffect(store.db, 'A:1:slack', 'w2', minute(2)), true);
    assert.equal(await completeEffect(store.db, 'A:1:slack', 'w2', minute(2)), false);
  });

  it('retries a failure later, still holding back the rest of its stream', async () => {
    const store = await open();
    await enqueue(store, 'A', [sampleEffect('A', 1), sampleEffect('A', 2)]);
    await claim(store, 'w1');
    assert.equal(
      await failEffect(store.db, 'A:1:slack', 'w1', { error: 'slack 503', nextAttemptAt: minute(10) }),
      true,
    );
    const failed = await effectById(store.db, 'A:1:slack');
    assert.deepEqual(
      [failed?.status, failed?.attempts, failed?.lastError, failed?.nextAttemptAt, failed?.claimedBy],
      ['pending', 1, 'slack 503', minute(10), null],
    );
    assert.deepEqual(await claim(store, 'w2', minute(9)), []);
    assert.deepEqual(ids(await claim(store, 'w2', minute(10))), ['A:1:slack']);
  });

  it('gives up on a dead effect without blocking its stream, and retries it on request', async () => {
    const store = await open();
    await enqueue(store, 'A', [sampleEffect('A', 1), sampleEffect('A', 2)]);
    await claim(store, 'w1');
    await failEffect(store.db, 'A:1:slack', 'w1', { error: 'first', nextAttemptAt: minute(1) });
    await claim(store, 'w1');
    assert.equal(await failEffect(store.db, 'A:1:slack', 'w1', { error: 'bad token', dead: true }), true);
    const dead = await effectById(store.db, 'A:1:slack');
    assert.deepEqual([dead?.status, dead?.attempts, dead?.lastError], ['dead', 2, 'bad token']);
    assert.deepEqual(ids(await listEffects(store.db, { status: 'dead' })), ['A:1:slack']);
    assert.deepEqual(ids(await claim(store, 'w1', minute(2))), ['A:2:slack']);

    assert.equal(await retryEffect(store.db, 'A:2:slack', minute(3)), false, 'only a dead effect is retried');
    assert.equal(await retryEffect(store.db, 'A:1:slack', minute(3)), true);
    const retried = await effectById(store.db, 'A:1:slack');
    assert.deepEqual([retried?.status, retried?.attempts, retried?.nextAttemptAt], ['pending', 2, minute(3)]);
    assert.equal(await completeEffect(store.db, 'A:2:slack', 'w1', minute(4)), true);
    assert.deepEqual(ids(await claim(store, 'w3', minute(4))), ['A:1:slack']);
  });

  it('lists by status and by stream', async () => {
    const store = await open();
    await enqueue(store, 'A', [sampleEffect('A', 1), sampleEffect('A', 2)]);
    await enqueue(store, 'B', [sampleEffect('B', 1)]);
    await claim(store, 'w');
    await completeEffect(store.db, 'B:1:slack', 'w', minute(2));
    assert.deepEqual(ids(await listEffects(store.db, { stream: 'A' })), ['A:1:slack', 'A:2:slack']);
    assert.deepEqual(ids(await listEffects(store.db, { status: 'done' })), ['B:1:slack']);
    assert.deepEqual(ids(await listEffects(store.db, { status: 'pending', limit: 1 })), ['A:1:slack']);
  });

  it('never gives one effect to two concurrent claimers, and keeps each stream in order', async () => {
    // Postgres: two pools, as two dispatcher processes would have. SQLite: one store per process (its
    // write transactions already exclude each other; two processes are covered by the process test).
    const first = await open();
    const second = dialect === 'postgres' ? await open() : first;
    const streams = 20;
    const perStream = 5;
    for (let v = 1; v <= perStream; v++) {
      for (let s = 0; s < streams; s++) await enqueue(first, `S${s}`, [sampleEffect(`S${s}`, v)]);
    }
    const claimedBy = new Map<string, string>();
    const doneVersion = new Map<string, number>();
    let rounds = 0;
    while (claimedBy.size < streams * perStream) {
      assert.ok(++rounds < 200, 'claiming made no progress');
      const now = minute(1);
      const [a, b] = await Promise.all([
        claimEffects(first.db, { now, limit: 3, worker: 'A', leaseMs: 600_000 }),
        claimEffects(second.db, { now, limit: 3, worker: 'B', leaseMs: 600_000 }),
      ]);
      for (const [worker, effects] of [
        ['A', a],
        ['B', b],
      ] as const) {
        for (const effect of effects) {
          assert.ok(
            !claimedBy.has(effect.id),
            `${effect.id} claimed by ${claimedBy.get(effect.id)} and ${worker}`,
          );
          claimedBy.set(effect.id, worker);
          const version = (effect.payload as { version: number }).version;
          assert.equal(version, (doneVersion.get(effect.stream) ?? 0) + 1, `${effect.id} out of order`);
        }
      }
      await Promise.all(
        [...a.map((e) => ['A', e] as const), ...b.map((e) => ['B', e] as const)].map(
          async ([worker, effect]) => {
            assert.equal(
              await completeEffect((worker === 'A' ? first : second).db, effect.id, worker, now),
              true,
            );
            doneVersion.set(effect.stream, (effect.payload as { version: number }).version);
          },
        ),
      );
    }
    assert.equal((await listEffects(first.db, { status: 'done' })).length, streams * perStream);
  });
});
