/**
 * On SQLite, appendEvents and enqueueEffects run prepared statements directly on the transaction's
 * connection; a kysely instance with a plugin (and every Postgres one) goes through kysely's query builder
 * instead. Both must write the same rows, keep one chain, and fail and roll back the same way.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import {
  appendEvents,
  enqueueEffects,
  listEffects,
  readStream,
  type Store,
  streamVersion,
  type Trx,
  VersionConflict,
  verifyChain,
  withTransaction,
} from '../../src/store/index.ts';
import { NodeSqliteConnection } from '../../src/store/sqlite/node-sqlite.ts';
import { forEachDialect } from './dialects.ts';
import { minute, sampleEffect, sampleEvent } from './samples.ts';

/** Counts the queries kysely builds; a transaction carrying it takes the query-builder path. */
function countingPlugin(): KyselyPlugin & { queries: number } {
  return {
    queries: 0,
    transformQuery(args) {
      this.queries += 1;
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
}

/** Counts statements the store runs directly on the SQLite connection. */
let directStatements = 0;
const prepared = NodeSqliteConnection.prototype.statement;
beforeEach(() => {
  directStatements = 0;
  NodeSqliteConnection.prototype.statement = function (this: NodeSqliteConnection, text: string) {
    directStatements += 1;
    return prepared.call(this, text);
  };
});
afterEach(() => {
  NodeSqliteConnection.prototype.statement = prepared;
});

async function rows(store: Store, stream: string) {
  return store.db.selectFrom('events').selectAll().where('stream', '=', stream).orderBy('version').execute();
}

forEachDialect('append paths', ({ dialect, open }) => {
  it('writes the same rows either way, and one chain runs on across both', async () => {
    const store = await open();
    const plugin = countingPlugin();
    const viaKysely = (trx: Trx) => trx.withPlugin(plugin);
    const appendBoth = async (version: number, events = [sampleEvent(version)]) => {
      const direct = await withTransaction(store.db, (trx) =>
        appendEvents(trx, 'SOW-DIRECT', version - 1, events),
      );
      const built = await withTransaction(store.db, (trx) =>
        appendEvents(viaKysely(trx), 'SOW-BUILT', version - 1, events),
      );
      return { direct, built };
    };
    await appendBoth(1);
    await appendBoth(2, [
      sampleEvent(2, { personal: undefined }),
      sampleEvent(3, { actor: { role: 'cro', name: 'Ana', via: 'web' } }),
    ]);
    const queriesBefore = plugin.queries;
    const directBefore = directStatements;
    await appendBoth(4);
    assert.ok(plugin.queries > queriesBefore, 'the plugin transaction went through kysely');
    if (dialect === 'sqlite') assert.ok(directStatements > directBefore, 'SQLite appended directly');
    else assert.equal(directStatements, directBefore, 'Postgres never runs SQLite statements');

    const [direct, built] = [await rows(store, 'SOW-DIRECT'), await rows(store, 'SOW-BUILT')];
    assert.equal(direct.length, 4);
    // Identical but for the stream (which is hashed, so the hashes differ) and the log position.
    const comparable = ({ position, stream, hash, prev_hash, ...rest }: (typeof direct)[number]) => rest;
    assert.deepEqual(direct.map(comparable), built.map(comparable));
    assert.deepEqual(await verifyChain(store.db), { ok: true, events: 8 });

    // One stream, alternating paths, also within one transaction.
    await withTransaction(store.db, (trx) => appendEvents(trx, 'SOW-MIXED', 0, [sampleEvent(1)]));
    await withTransaction(store.db, (trx) => appendEvents(viaKysely(trx), 'SOW-MIXED', 1, [sampleEvent(2)]));
    await withTransaction(store.db, async (trx) => {
      await appendEvents(trx, 'SOW-MIXED', 2, [sampleEvent(3)]);
      await enqueueEffects(viaKysely(trx), 'SOW-MIXED', [sampleEffect('SOW-MIXED', 3)], minute(3));
      await appendEvents(viaKysely(trx), 'SOW-MIXED', 3, [sampleEvent(4)]);
      await enqueueEffects(trx, 'SOW-MIXED', [sampleEffect('SOW-MIXED', 4)], minute(4));
      await appendEvents(trx, 'SOW-MIXED', 4, [sampleEvent(5)]);
    });
    const mixed = await readStream(store.db, 'SOW-MIXED');
    assert.deepEqual(
      mixed.map((e) => e.version),
      [1, 2, 3, 4, 5],
    );
    for (let i = 1; i < mixed.length; i++) assert.equal(mixed[i]!.prevHash, mixed[i - 1]!.hash);
    assert.deepEqual(await verifyChain(store.db), { ok: true, events: 13 });
    assert.deepEqual(
      (await listEffects(store.db, { stream: 'SOW-MIXED' })).map((e) => e.id),
      ['SOW-MIXED:3:slack', 'SOW-MIXED:4:slack'],
    );
  });

  it('returns what it stored, and enqueues idempotently, on either path', async () => {
    const store = await open();
    const written = await withTransaction(store.db, (trx) =>
      appendEvents(trx, 'SOW-R', 0, [sampleEvent(1), sampleEvent(2, { personal: undefined })]),
    );
    assert.deepEqual(await readStream(store.db, 'SOW-R'), written);
    for (const viaKysely of [false, true]) {
      const counts = await withTransaction(store.db, async (trx) => {
        const db = viaKysely ? trx.withPlugin(countingPlugin()) : trx;
        return [
          await enqueueEffects(db, 'SOW-R', [sampleEffect('SOW-R', 1), sampleEffect('SOW-R', 2)], minute(1)),
          await enqueueEffects(db, 'SOW-R', [sampleEffect('SOW-R', 2), sampleEffect('SOW-R', 3)], minute(2)),
        ];
      });
      assert.deepEqual(counts, viaKysely ? [0, 0] : [2, 1]);
    }
    const effects = await listEffects(store.db);
    assert.deepEqual(
      effects.map((e) => [e.id, e.status, e.attempts, e.nextAttemptAt, e.createdAt]),
      [
        ['SOW-R:1:slack', 'pending', 0, minute(1), minute(1)],
        ['SOW-R:2:slack', 'pending', 0, minute(1), minute(1)],
        ['SOW-R:3:slack', 'pending', 0, minute(2), minute(2)],
      ],
    );
    assert.deepEqual(effects[0]!.payload, sampleEffect('SOW-R', 1).payload);
  });

  it('refuses a version another connection has just taken, and leaves nothing of the loser', async () => {
    const first = await open();
    const second = await open();
    await withTransaction(first.db, (trx) => appendEvents(trx, 'SOW-C', 0, [sampleEvent(1)]));
    // Both saw version 1; the first appends version 2 and commits.
    await withTransaction(first.db, async (trx) => {
      await appendEvents(trx, 'SOW-C', 1, [sampleEvent(2)]);
      await enqueueEffects(trx, 'SOW-C', [sampleEffect('SOW-C', 2)], minute(2));
    });
    await assert.rejects(
      withTransaction(second.db, async (trx) => {
        await enqueueEffects(trx, 'SOW-C', [sampleEffect('SOW-C', 20)], minute(2));
        await appendEvents(trx, 'SOW-OTHER', 0, [sampleEvent(1)]);
        return appendEvents(trx, 'SOW-C', 1, [sampleEvent(2), sampleEvent(3)]);
      }),
      (error: unknown) =>
        error instanceof VersionConflict &&
        error.stream === 'SOW-C' &&
        error.expected === 1 &&
        error.actual === 2,
    );
    assert.equal(await streamVersion(second.db, 'SOW-C'), 2);
    assert.equal(await streamVersion(second.db, 'SOW-OTHER'), 0);
    assert.deepEqual(
      (await listEffects(second.db)).map((e) => e.id),
      ['SOW-C:2:slack'],
    );
    assert.deepEqual(await verifyChain(second.db), { ok: true, events: 2 });
  });

  it('rolls back events and effects written on both paths when the transaction throws', async () => {
    const store = await open();
    await assert.rejects(
      withTransaction(store.db, async (trx) => {
        await appendEvents(trx, 'SOW-D', 0, [sampleEvent(1)]);
        await enqueueEffects(trx, 'SOW-D', [sampleEffect('SOW-D', 1)], minute(1));
        await appendEvents(trx.withPlugin(countingPlugin()), 'SOW-D', 1, [sampleEvent(2)]);
        await appendEvents(trx, 'SOW-D', 2, [sampleEvent(3)]);
        throw new Error('projection failed');
      }),
      /projection failed/,
    );
    assert.equal(await streamVersion(store.db, 'SOW-D'), 0);
    assert.deepEqual(await listEffects(store.db), []);
    // The stream then starts afresh at the genesis hash.
    await withTransaction(store.db, (trx) => appendEvents(trx, 'SOW-D', 0, [sampleEvent(1)]));
    assert.deepEqual(await verifyChain(store.db), { ok: true, events: 1 });
  });

  it('leaves none of a batch whose insert fails part-way, even when the caller carries on', async () => {
    const store = await open();
    // The second row breaks actor_name's NOT NULL after the first was inserted.
    const bad = sampleEvent(2, { actor: { role: 'sales.ops', name: null as unknown as string, via: 'cli' } });
    const carryOn = withTransaction(store.db, async (trx) => {
      await assert.rejects(appendEvents(trx, 'SOW-E', 0, [sampleEvent(1), bad]));
      if (dialect === 'sqlite') await appendEvents(trx, 'SOW-E2', 0, [sampleEvent(1)]);
    });
    if (dialect === 'sqlite') {
      await carryOn;
      assert.equal(await streamVersion(store.db, 'SOW-E2'), 1);
    } else {
      // Postgres aborts the whole transaction at the failed statement.
      await assert.rejects(carryOn, /rolled back/);
    }
    assert.equal(await streamVersion(store.db, 'SOW-E'), 0);
    assert.deepEqual(await verifyChain(store.db), { ok: true, events: dialect === 'sqlite' ? 1 : 0 });
  });

  it('refuses a transaction that has already ended', async () => {
    const store = await open();
    const ended = await withTransaction(store.db, async (trx) => trx);
    await assert.rejects(appendEvents(ended, 'SOW-F', 0, [sampleEvent(1)]), /committed/);
    await assert.rejects(enqueueEffects(ended, 'SOW-F', [sampleEffect('SOW-F', 1)], minute(1)), /committed/);
    assert.equal(await streamVersion(store.db, 'SOW-F'), 0);
    assert.deepEqual(await listEffects(store.db), []);
  });
});
