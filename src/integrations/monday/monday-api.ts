/** The few monday.com operations baton uses: look an item up, change its columns, who am I, a board's columns. */
import { IntegrationError } from '../integration-error.ts';
import type { MondayClient } from './monday-client.ts';

interface ColumnValue {
  id: string;
  type: string;
  text: string | null;
  value: string | null;
}

interface ItemsData {
  items: { id: string; name: string; board: { id: string } | null; column_values: ColumnValue[] }[];
}

const itemQuery = `query BatonItem($ids: [ID!], $columns: [String!]) {
  items(ids: $ids) {
    id
    name
    board { id }
    column_values(ids: $columns) { id type text value }
  }
}`;

const updateMutation = `mutation BatonUpdateItem($board: ID!, $item: ID, $values: JSON!) {
  change_multiple_column_values(board_id: $board, item_id: $item, column_values: $values) { id }
}`;

const meQuery = `query BatonMe {
  me { id name email account { id name } }
}`;

const boardQuery = `query BatonBoard($ids: [ID!]) {
  boards(ids: $ids) { id name columns { id title type } }
}`;

export interface MondayItem {
  id: string;
  name: string;
  boardId: string | undefined;
  columns: Record<string, { type: string; text: string | null; value: string | null }>;
}

/** The item with the given columns, or undefined when monday.com has no such item (or it was deleted). */
export async function findItem(
  client: MondayClient,
  itemId: string,
  columnIds: readonly string[],
  effectId?: string,
): Promise<MondayItem | undefined> {
  const data = await client.request<ItemsData>(
    itemQuery,
    { ids: [itemId], columns: [...columnIds] },
    effectId,
  );
  const item = data.items?.[0];
  if (!item) return undefined;
  return {
    id: item.id,
    name: item.name,
    boardId: item.board?.id,
    columns: Object.fromEntries(
      item.column_values.map((c) => [c.id, { type: c.type, text: c.text, value: c.value }]),
    ),
  };
}

/** Person ids in a people column's value JSON (`{"personsAndTeams":[{"id":1,"kind":"person"}]}`). */
export function peopleIn(value: string | null | undefined): { id: number; kind: string }[] {
  if (!value) return [];
  try {
    const parsed = JSON.parse(value) as { personsAndTeams?: { id: number | string; kind?: string }[] };
    return (parsed.personsAndTeams ?? []).map((p) => ({ id: Number(p.id), kind: p.kind ?? 'person' }));
  } catch {
    return [];
  }
}

export interface ItemUpdate {
  boardId: string;
  itemId: string;
  /** Column id to monday.com column value (`{"label": "Handoff Initiated"}`, `{"date": "2026-05-19"}`). */
  columnValues: Record<string, unknown>;
  /** People to add to a people column, keeping whoever is there. */
  addPeople?: { columnId: string; personIds: number[] };
}

/**
 * Sets column values on an item in one mutation. Adding people reads the column first and writes the union,
 * so doing it again changes nothing: every update baton makes is idempotent.
 */
export async function updateItem(client: MondayClient, update: ItemUpdate, effectId?: string): Promise<void> {
  const values: Record<string, unknown> = { ...update.columnValues };
  const columns = update.addPeople ? [update.addPeople.columnId] : [];
  const item = await findItem(client, update.itemId, columns, effectId);
  if (!item)
    throw new IntegrationError(
      'monday',
      `monday.com has no item ${update.itemId}; check the packet deal ID`,
      {
        retryable: false,
        code: 'item_not_found',
      },
    );
  if (item.boardId && item.boardId !== update.boardId)
    throw new IntegrationError(
      'monday',
      `monday.com item ${update.itemId} is on board ${item.boardId}, not the configured board ${update.boardId}`,
      { retryable: false, code: 'wrong_board' },
    );
  if (update.addPeople && update.addPeople.personIds.length > 0) {
    const current = peopleIn(item.columns[update.addPeople.columnId]?.value);
    const ids = new Set(current.filter((p) => p.kind === 'person').map((p) => p.id));
    const added = update.addPeople.personIds.filter((id) => !ids.has(id));
    if (added.length > 0)
      values[update.addPeople.columnId] = {
        personsAndTeams: [...current, ...added.map((id) => ({ id, kind: 'person' }))],
      };
  }
  if (Object.keys(values).length === 0) return;
  await client.request(
    updateMutation,
    { board: update.boardId, item: update.itemId, values: JSON.stringify(values) },
    effectId,
  );
}

export async function me(
  client: MondayClient,
): Promise<{ id: string; name: string; email: string; account: { id: string; name: string } | null }> {
  const data = await client.request<{
    me: { id: string; name: string; email: string; account: { id: string; name: string } | null } | null;
  }>(meQuery);
  if (!data.me) throw new IntegrationError('monday', 'monday.com: me is empty', { retryable: false });
  return data.me;
}

export async function boardColumns(
  client: MondayClient,
  boardId: string,
): Promise<{ name: string; columns: { id: string; title: string; type: string }[] } | undefined> {
  const data = await client.request<{
    boards: { id: string; name: string; columns: { id: string; title: string; type: string }[] }[];
  }>(boardQuery, { ids: [boardId] });
  const board = data.boards?.[0];
  return board ? { name: board.name, columns: board.columns } : undefined;
}
