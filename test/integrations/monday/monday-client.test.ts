import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { IntegrationError } from '../../../src/integrations/integration-error.ts';
import { boardColumns, findItem, me, updateItem } from '../../../src/integrations/monday/monday-api.ts';
import { createMondayClient } from '../../../src/integrations/monday/monday-client.ts';
import { type MondayFake, startMondayFake } from '../fakes/monday-fake.ts';

const token = 'monday-token-abcdef123456';

async function refusal(run: () => Promise<unknown>): Promise<IntegrationError> {
  try {
    await run();
  } catch (e) {
    assert.ok(e instanceof IntegrationError, `expected an IntegrationError, got ${e}`);
    assert.ok(!e.message.includes(token));
    return e;
  }
  assert.fail('expected a refusal');
}

describe('the monday.com client against a GraphQL fake that validates every query', () => {
  let monday: MondayFake;
  before(async () => {
    monday = await startMondayFake({
      token,
      items: [
        {
          id: '8812345',
          name: 'Northwind Partners',
          boardId: '4412093',
          values: {
            status: { label: 'Closed Won' },
            people: { personsAndTeams: [{ id: 4616628, kind: 'person' }] },
          },
        },
      ],
    });
  });
  after(() => monday.close());
  beforeEach(() => {
    monday.requests.length = 0;
    monday.changes.length = 0;
  });
  const client = (o: { token?: string; apiVersion?: string; timeoutMs?: number } = {}) =>
    createMondayClient({
      token: o.token ?? token,
      apiUrl: monday.apiUrl,
      apiVersion: o.apiVersion ?? '2025-10',
      timeoutMs: o.timeoutMs ?? 2000,
    });

  it('looks an item up with its status, sending the API version', async () => {
    const item = await findItem(client(), '8812345', ['status']);
    assert.equal(item?.columns.status?.text, 'Closed Won');
    assert.equal(item?.boardId, '4412093');
    assert.equal(await findItem(client(), '999', ['status']), undefined);
    assert.deepEqual(
      monday.requests.map((r) => [r.operation, r.version, r.codes.length]),
      [
        ['BatonItem', '2025-10', 0],
        ['BatonItem', '2025-10', 0],
      ],
    );
  });

  it('sets the status and adds people to the owner column, keeping who is there; doing it again changes nothing new', async () => {
    const update = {
      boardId: '4412093',
      itemId: '8812345',
      columnValues: { status: { label: 'Handoff Initiated' } },
      addPeople: { columnId: 'people', personIds: [4616627] },
    };
    await updateItem(client(), update, 'SOW-2026-014:4:monday');
    await updateItem(client(), update, 'SOW-2026-014:4:monday');
    const item = monday.items.get('8812345');
    assert.deepEqual(item?.values.status, { label: 'Handoff Initiated' });
    assert.deepEqual(item?.values.people, {
      personsAndTeams: [
        { id: 4616628, kind: 'person' },
        { id: 4616627, kind: 'person' },
      ],
    });
    assert.equal(monday.changes.length, 2);
    assert.equal(monday.changes[0]?.effectId, 'SOW-2026-014:4:monday');
    assert.deepEqual(Object.keys(monday.changes[1]?.values ?? {}), ['status'], 'the person is there already');
  });

  it('reports what monday.com refuses as permanent, naming the code', async () => {
    const label = await refusal(() =>
      updateItem(client(), {
        boardId: '4412093',
        itemId: '8812345',
        columnValues: { status: { label: 'Handof Initiated' } },
      }),
    );
    assert.equal(label.code, 'ColumnValueException');
    assert.equal(label.retryable, false);
    const column = await refusal(() =>
      updateItem(client(), {
        boardId: '4412093',
        itemId: '8812345',
        columnValues: { stauts: { label: 'Stuck' } },
      }),
    );
    assert.equal(column.code, 'InvalidColumnIdException');
    const missing = await refusal(() =>
      updateItem(client(), { boardId: '4412093', itemId: '1', columnValues: {} }),
    );
    assert.equal(missing.code, 'item_not_found');
    const wrongBoard = await refusal(() =>
      updateItem(client(), {
        boardId: '77',
        itemId: '8812345',
        columnValues: { status: { label: 'Stuck' } },
      }),
    );
    assert.equal(wrongBoard.code, 'wrong_board');
    const auth = await refusal(() => me(client({ token: 'nope-nope-nope' })));
    assert.equal(auth.code, 'http_401');
    assert.match(auth.message, /MONDAY_API_TOKEN/);
    const version = await refusal(() => me(client({ apiVersion: '2019-01' })));
    assert.equal(version.code, 'InvalidVersionException');
    const query = await refusal(() => client().request('query { items { idd } }'));
    assert.equal(query.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.equal(query.retryable, false);
  });

  it('the fake refuses column values that are not a JSON string, as monday.com does', async () => {
    const e = await refusal(() =>
      client().request(
        'mutation ($v: JSON!) { change_multiple_column_values(board_id: 4412093, item_id: 8812345, column_values: $v) { id } }',
        {
          v: { status: { label: 'Stuck' } },
        },
      ),
    );
    assert.equal(e.code, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('reports limits with monday.com retry time, and 500s, drops and timeouts as retryable', async () => {
    monday.faults.next({ kind: 'rate-limit', retryAfterSeconds: 12 });
    const complexity = await refusal(() => me(client()));
    assert.equal(complexity.code, 'COMPLEXITY_BUDGET_EXHAUSTED');
    assert.equal(complexity.retryable, true);
    assert.equal(complexity.retryAfterMs, 12_000);
    assert.equal(monday.requests.at(-1)?.status, 200, 'monday.com says it with HTTP 200');
    monday.faults.next({ kind: 'rate-limit', retryAfterSeconds: 30 });
    const minute = await refusal(() => me(client()));
    assert.equal(minute.code, 'RATE_LIMIT_EXCEEDED');
    assert.equal(minute.retryAfterMs, 30_000);
    monday.faults.next({ kind: 'error' });
    assert.equal((await refusal(() => me(client()))).retryable, true);
    monday.faults.next({ kind: 'drop' });
    assert.equal((await refusal(() => me(client()))).code, 'request_error');
    monday.faults.next({ kind: 'slow', ms: 800 });
    const slow = await refusal(() => me(client({ timeoutMs: 150 })));
    assert.match(slow.message, /timed out/);
    assert.equal(slow.retryable, true);
  });

  it('reads me and the board columns (for baton doctor)', async () => {
    assert.equal((await me(client())).name, 'Alice Chen');
    const board = await boardColumns(client(), '4412093');
    assert.deepEqual(
      board?.columns.map((c) => `${c.id}:${c.type}`),
      ['name:name', 'status:status', 'people:people', 'date4:date'],
    );
    assert.equal(await boardColumns(client(), '1'), undefined);
  });
});
