import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import {
  clearProjections,
  isPostgresUrl,
  maskDatabaseUrl,
  migrate,
  migrations,
  openStore,
  postgresMigrationLock,
  withTransaction,
} from '../../src/store/index.ts';
import { forEachDialect, testDatabaseUrl } from './dialects.ts';
import { minute } from './samples.ts';

const initialTables = ['clocks', 'escalations', 'events', 'handoffs', 'incidents', 'outbox', 'users'];

forEachDialect('opening and migrating', ({ dialect, open, place }) => {
  it('creates every table on open, and migrating again applies nothing', async () => {
    const store = await open();
    assert.equal(store.dialect, dialect);
    // On Postgres only this test's schema is listed: kysely's introspection walks every schema's columns,
    // and fails when another test drops its schema at that moment.
    const names =
      dialect === 'sqlite'
        ? (await store.db.introspection.getTables()).map((t) => t.name)
        : (
            await sql<{
              name: string;
            }>`select tablename as name from pg_catalog.pg_tables where schemaname = ${place().schema}`.execute(
              store.db,
            )
          ).rows.map((r) => r.name);
    // Later migrations add tables; these are the initial ones.
    for (const table of initialTables) assert.ok(names.includes(table), `${table} is missing`);
    assert.deepEqual(await migrate(store.db, dialect), { applied: [] });
    assert.deepEqual(await migrate(store.db, dialect), { applied: [] });
    const reopened = await open();
    assert.deepEqual(await migrate(reopened.db, dialect), { applied: [] });
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      store.db,
    );
    assert.deepEqual(
      rows.map((r) => r.name),
      migrations.map((m) => m.name),
    );
  });

  it('survives several openers migrating the same fresh place at once', async () => {
    // Postgres: separate pools, so the advisory lock is what serialises them. SQLite: see the
    // two-process test; in one process the openers share nothing but the file.
    const count = dialect === 'postgres' ? 4 : 1;
    const stores = await Promise.all(Array.from({ length: count }, () => open()));
    const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(
      stores[0]!.db,
    );
    assert.equal(Number(rows[0]!.n), migrations.length);
  });

  it('says where it is, without a password', async () => {
    const store = await open();
    if (dialect === 'sqlite') {
      assert.equal(store.location, join(place().root, '.baton', 'baton.db'));
      assert.ok(existsSync(store.location));
    } else {
      assert.match(store.location, /^postgres:\/\/.*\(schema baton_test_[0-9a-f]+\)$/);
    }
  });

  it('clears the projections for a rebuild and leaves users, events and the outbox', async () => {
    const store = await open();
    await withTransaction(store.db, async (trx) => {
      await trx
        .insertInto('handoffs')
        .values({
          sow: 'SOW-1',
          state: 'open',
          version: 1,
          payment: null,
          opened_at: minute(1),
          updated_at: minute(1),
          next_due: minute(60),
          overdue: 0,
          escalated: 0,
          doc: '{}',
        })
        .execute();
      await trx
        .insertInto('clocks')
        .values({
          sow: 'SOW-1',
          clock: 'kickoff',
          seq: 1,
          started_at: minute(1),
          due: minute(60),
          status: 'open',
        })
        .execute();
      await trx
        .insertInto('users')
        .values({ name: 'dana', role: 'sales.ops', token_hash: 'abc', created_at: minute(1) })
        .execute();
    });
    await withTransaction(store.db, (trx) => clearProjections(trx));
    assert.equal((await store.db.selectFrom('handoffs').selectAll().execute()).length, 0);
    assert.equal((await store.db.selectFrom('clocks').selectAll().execute()).length, 0);
    assert.equal((await store.db.selectFrom('users').selectAll().execute()).length, 1);
  });

  it('refuses a status outside the documented ones', async () => {
    const store = await open();
    await assert.rejects(
      sql`insert into clocks (sow, clock, seq, started_at, due, status)
          values ('S', 'c', 1, ${minute(1)}, ${minute(2)}, 'late')`.execute(store.db),
    );
  });
});

describe('database URLs', () => {
  it('picks Postgres only for postgres:// and postgresql://', () => {
    assert.equal(isPostgresUrl('postgres://h/db'), true);
    assert.equal(isPostgresUrl('postgresql://h/db'), true);
    assert.equal(isPostgresUrl('mysql://h/db'), false);
    assert.equal(isPostgresUrl(undefined), false);
  });

  it('masks passwords in the user part and in query parameters', () => {
    const masked = maskDatabaseUrl(
      'postgres://baton:s3cr3t@db.example.com:5432/baton?sslmode=require&password=p2',
    );
    assert.ok(!masked.includes('s3cr3t') && !masked.includes('p2'), masked);
    assert.match(masked, /^postgres:\/\/baton:\*\*\*@db\.example\.com:5432\/baton\?/);
    assert.equal(maskDatabaseUrl('postgres://h/db'), 'postgres://h/db');
    assert.ok(!maskDatabaseUrl('postgres://u:p@[bad').includes(':p@'));
  });

  it('never puts the password in location', { skip: testDatabaseUrl === 'off' }, async () => {
    // Uses the configured password if there is one; otherwise any password (trust auth ignores it).
    const url = new URL(testDatabaseUrl);
    if (!url.password) url.password = 'not-shown-anywhere';
    const password = decodeURIComponent(url.password);
    const schema = `baton_test_mask_${process.pid}`;
    const store = await openStore({ root: '.', databaseUrl: url.toString(), schema });
    try {
      assert.ok(!store.location.includes(password), store.location);
    } finally {
      await store.db.connection().execute(async (connection) => {
        await sql`select pg_advisory_lock(hashtext(${postgresMigrationLock}))`.execute(connection);
        await sql`drop schema ${sql.id(schema)} cascade`.execute(connection);
        await sql`select pg_advisory_unlock(hashtext(${postgresMigrationLock}))`.execute(connection);
      });
      await store.close();
    }
  });
});
