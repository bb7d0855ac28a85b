// Migration 004: the handoff list is read in order from an index, whole or by state, on both dialects.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { forEachDialect } from './dialects.ts';

forEachDialect('the handoff list indexes', ({ dialect, open }) => {
  it('exist after migrating', async () => {
    const store = await open();
    const { rows } =
      dialect === 'sqlite'
        ? await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'index' and tbl_name = 'handoffs' order by name`.execute(
            store.db,
          )
        : await sql<{
            name: string;
          }>`select indexname as name from pg_indexes where tablename = 'handoffs' and schemaname = current_schema() order by indexname`.execute(
            store.db,
          );
    const names = rows.map((r) => r.name);
    assert.ok(names.includes('handoffs_next_due_sow'), names.join(', '));
    assert.ok(names.includes('handoffs_state_next_due_sow'), names.join(', '));
  });

  if (dialect === 'sqlite')
    it('serve the first page without sorting every handoff (SQLite plan)', async () => {
      const store = await open();
      const plan = async (query: { compile(): { sql: string; parameters: readonly unknown[] } }) => {
        const compiled = query.compile();
        const { rows } = await sql<{ detail: string }>`explain query plan ${sql.raw(compiled.sql)}`.execute(
          store.db.withoutPlugins(),
        );
        return rows.map((r) => r.detail).join(' | ');
      };
      const page = store.db
        .selectFrom('handoffs')
        .select(['sow', 'next_due'])
        .orderBy('next_due')
        .orderBy('sow')
        .limit(50);
      const whole = await plan(page);
      assert.match(whole, /handoffs_next_due_sow/);
      assert.doesNotMatch(whole, /TEMP B-TREE/);
      const byState = await plan(page.where('state', '=', sql.lit('submitted')));
      assert.match(byState, /handoffs_state_next_due_sow/);
      assert.doesNotMatch(byState, /TEMP B-TREE/);
    });
});
