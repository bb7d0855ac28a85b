// The store's change mark (the WAL index header on SQLite): it changes with every commit by any connection
// or process, stays put while nothing is committed, and is absent where there is no such mark (Postgres).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { sql } from 'kysely';
import { type Store, sqliteChangeMark } from '../../src/store/index.ts';
import { forEachDialect } from './dialects.ts';

const project = join(import.meta.dirname, '../..');

/** A commit: a row in a scratch table of the test's own. */
async function commitRow(store: Store, n: number): Promise<void> {
  await sql`create table if not exists scratch (n integer)`.execute(store.db);
  await sql`insert into scratch values (${n})`.execute(store.db);
}

forEachDialect('sqliteChangeMark', ({ dialect, open, place }) => {
  if (dialect === 'postgres') {
    it('is absent on Postgres (the status cache asks the database)', async () => {
      assert.equal(sqliteChangeMark((await open()).db), undefined);
    });
    return;
  }

  it('changes with each commit, by this connection, another one or another process, and not with reads', async () => {
    const store = await open();
    const first = sqliteChangeMark(store.db);
    assert.ok(first, 'a SQLite store in WAL mode has a mark');
    await store.db.selectFrom('handoffs').selectAll().execute();
    assert.deepEqual(sqliteChangeMark(store.db), first, 'a read changes nothing');

    await commitRow(store, 1);
    const second = sqliteChangeMark(store.db);
    assert.notDeepEqual(second, first);

    const other = await open();
    await commitRow(other, 2);
    const third = sqliteChangeMark(store.db);
    assert.notDeepEqual(third, second);

    const script = `
      const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
      const db = new DatabaseSync(process.argv[1]);
      db.exec('pragma busy_timeout = 5000');
      db.exec('insert into scratch values (3)');
      db.close();`;
    const child = spawnSync(process.execPath, ['-e', script, join(place().root, '.baton/baton.db')], {
      cwd: project,
      encoding: 'utf8',
    });
    assert.equal(child.status, 0, child.stderr);
    assert.notDeepEqual(sqliteChangeMark(store.db), third);
  });
});
