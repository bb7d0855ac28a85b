/**
 * Runs storage tests against both dialects. Each test gets a place of its own, removed afterwards:
 * SQLite a temp folder, Postgres a fresh schema `baton_test_<random>` (dropped with CASCADE).
 *
 *   forEachDialect('outbox', ({ dialect, open }) => {
 *     it('claims in order', async () => {
 *       const store = await open();        // migrated; closed for you after the test
 *       const other = await open();        // a second connection to the same place
 *     });
 *   });
 *
 * Outside describe/it: `const { store, cleanup } = await openTestStore('postgres')`.
 * Postgres: BATON_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); set it to `off`
 * to run the SQLite half only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe } from 'node:test';
import pg from 'pg';
import { openStore, postgresMigrationLock, type Store } from '../../src/store/index.ts';

export const dialects = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof dialects)[number];

export const testDatabaseUrl =
  process.env.BATON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const postgresEnabled = testDatabaseUrl !== 'off';

/** One test's data: open() may be called again for another connection to the same data. */
export interface TestPlace {
  dialect: TestDialect;
  /** The knowledge root (SQLite keeps its file under it). */
  root: string;
  /** Postgres only. */
  schema?: string;
  open(): Promise<Store>;
  /** Closes every store opened here, then removes the folder or drops the schema. */
  cleanup(): Promise<void>;
}

export function createTestPlace(dialect: TestDialect): TestPlace {
  const root = mkdtempSync(join(tmpdir(), 'baton-store-test-'));
  const schema = dialect === 'postgres' ? `baton_test_${randomBytes(6).toString('hex')}` : undefined;
  const opened: Store[] = [];
  return {
    dialect,
    root,
    schema,
    async open() {
      const store = await openStore(
        dialect === 'postgres' ? { root, databaseUrl: testDatabaseUrl, schema } : { root },
      );
      opened.push(store);
      return store;
    },
    async cleanup() {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      rmSync(root, { recursive: true, force: true });
      if (schema) await dropSchema(schema);
    },
  };
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    // Under the store's migration lock: a schema vanishing mid-migration breaks kysely's table listing.
    await client.query('select pg_advisory_lock(hashtext($1))', [postgresMigrationLock]);
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** A migrated store in a place of its own, for use outside forEachDialect. */
export async function openTestStore(
  dialect: TestDialect,
): Promise<{ store: Store; place: TestPlace; cleanup: () => Promise<void> }> {
  const place = createTestPlace(dialect);
  try {
    return { store: await place.open(), place, cleanup: () => place.cleanup() };
  } catch (error) {
    await place.cleanup();
    throw error;
  }
}

export interface DialectContext {
  dialect: TestDialect;
  /** A store on this test's place (opened and migrated; closed after the test). */
  open(): Promise<Store>;
  /** This test's place (valid inside a test). */
  place(): TestPlace;
}

/** `describe(`${name} [sqlite]`)` and `describe(`${name} [postgres]`)` with the same body. */
export function forEachDialect(name: string, body: (context: DialectContext) => void): void {
  for (const dialect of dialects) {
    const skip = dialect === 'postgres' && !postgresEnabled ? 'BATON_TEST_DATABASE_URL=off' : false;
    describe(`${name} [${dialect}]`, { skip }, () => {
      let current: TestPlace | undefined;
      const place = (): TestPlace => {
        if (!current) throw new Error('a test place exists only while a test runs');
        return current;
      };
      beforeEach(() => {
        current = createTestPlace(dialect);
      });
      afterEach(async () => {
        await current?.cleanup();
        current = undefined;
      });
      body({ dialect, open: () => place().open(), place });
    });
  }
}
