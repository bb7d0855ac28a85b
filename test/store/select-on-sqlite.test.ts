// The at-once read of a compiled select on SQLite (hot read paths): the rows kysely would read, and
// nothing when it could differ (Postgres, inside a transaction, a transaction open on the connection,
// not a select), so that the caller runs the query through kysely.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type Store, selectOnSqlite, withTransaction } from '../../src/store/index.ts';
import { forEachDialect } from './dialects.ts';

const SOW = 'SOW-2026-014';

async function seed(store: Store): Promise<void> {
  await store.db
    .insertInto('handoffs')
    .values({
      sow: SOW,
      state: 'opened',
      version: 1,
      payment: 'received',
      opened_at: '2026-05-14T14:00:00.000Z',
      updated_at: '2026-05-14T14:00:00.000Z',
      next_due: null,
      overdue: 0,
      escalated: 0,
      doc: '{}',
    })
    .execute();
}

/** node:sqlite's rows have no prototype; plain objects to compare. */
const plain = (rows: readonly unknown[] | undefined) => rows?.map((row) => ({ ...(row as object) }));

const versionQuery = (store: Store) =>
  store.db.selectFrom('handoffs').select('version').where('sow', '=', '').compile();

forEachDialect('selectOnSqlite', ({ dialect, open }) => {
  it('reads what kysely reads on SQLite, with the parameters given; nothing on Postgres', async () => {
    const store = await open();
    await seed(store);
    const query = versionQuery(store);
    const direct = selectOnSqlite(store.db, query, [SOW]);
    if (dialect === 'postgres') return assert.equal(direct, undefined);
    assert.deepEqual(
      plain(direct),
      plain((await store.db.executeQuery({ ...query, parameters: [SOW] })).rows),
    );
    assert.deepEqual(plain(direct), [{ version: 1 }]);
    assert.deepEqual(selectOnSqlite(store.db, query, ['SOW-2026-999']), []);
    const update = store.db.updateTable('handoffs').set({ version: 5 }).where('sow', '=', SOW).compile();
    assert.equal(selectOnSqlite(store.db, update), undefined, 'not a select');
  });

  it('leaves the read to kysely while a transaction is open, and shows it once committed', async () => {
    const store = await open();
    await seed(store);
    const query = versionQuery(store);
    await withTransaction(store.db, async (trx) => {
      await trx.updateTable('handoffs').set({ version: 2 }).where('sow', '=', SOW).execute();
      assert.equal(selectOnSqlite(trx, query, [SOW]), undefined, 'the transaction itself');
      assert.equal(selectOnSqlite(store.db, query, [SOW]), undefined, 'its uncommitted write');
    });
    if (dialect === 'sqlite')
      assert.deepEqual(plain(selectOnSqlite(store.db, query, [SOW])), [{ version: 2 }]);
  });

  it('shows a change committed through another connection at once', async () => {
    const store = await open();
    await seed(store);
    const query = versionQuery(store);
    if (dialect === 'sqlite')
      assert.deepEqual(plain(selectOnSqlite(store.db, query, [SOW])), [{ version: 1 }]);
    const other = await open();
    await other.db.updateTable('handoffs').set({ version: 3 }).where('sow', '=', SOW).execute();
    if (dialect === 'sqlite')
      assert.deepEqual(plain(selectOnSqlite(store.db, query, [SOW])), [{ version: 3 }]);
  });
});
