/**
 * A monday.com GraphQL API on 127.0.0.1 that parses and validates every request against a schema (the
 * subset of monday.com's schema baton uses: items, boards, me, change_multiple_column_values,
 * change_column_value) with the `graphql` package, and answers the way monday.com does: application
 * errors with HTTP 200 and an `errors` array (with `extensions.code`), the complexity budget with
 * `retry_in_seconds`, the minute limit with HTTP 429 and Retry-After, a bad token with HTTP 401. It checks
 * the `API-Version` header, that column values arrive as a JSON string, that each value fits its column
 * (status labels that exist, people who exist, dates), and records every change in order.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, type GraphQLScalarType, graphql, Kind, parse, validate } from 'graphql';
import { delay, Faults } from './faults.ts';

const sdl = /* GraphQL */ `
  scalar JSON

  enum ColumnType { name status people date text numbers long_text }

  type Query {
    me: User
    items(ids: [ID!], limit: Int, page: Int): [Item]
    boards(ids: [ID!], limit: Int, page: Int): [Board]
    complexity: Complexity
  }

  type Mutation {
    change_multiple_column_values(item_id: ID, board_id: ID!, column_values: JSON!, create_labels_if_missing: Boolean): Item
    change_column_value(item_id: ID, board_id: ID!, column_id: String!, value: JSON!, create_labels_if_missing: Boolean): Item
    complexity: Complexity
  }

  type Complexity { before: Int! query: Int! after: Int! reset_in_x_seconds: Int! }
  type Account { id: ID! name: String! }
  type User { id: ID! name: String! email: String! account: Account! }
  type Column { id: ID! title: String! type: ColumnType! settings_str: String! }
  type Board { id: ID! name: String! columns(ids: [String], types: [ColumnType!]): [Column] }

  interface ColumnValue { id: ID! type: ColumnType! text: String value: JSON column: Column! }
  type StatusValue implements ColumnValue { id: ID! type: ColumnType! text: String value: JSON column: Column! label: String index: Int }
  type PeopleValue implements ColumnValue { id: ID! type: ColumnType! text: String value: JSON column: Column! persons_and_teams: [PeopleEntity] }
  type DateValue implements ColumnValue { id: ID! type: ColumnType! text: String value: JSON column: Column! date: String time: String }
  type TextValue implements ColumnValue { id: ID! type: ColumnType! text: String value: JSON column: Column! }
  type PeopleEntity { id: ID! kind: String }

  type Item { id: ID! name: String! board: Board column_values(ids: [String!], types: [ColumnType!]): [ColumnValue!]! }
`;

export interface FakeColumn {
  id: string;
  title: string;
  type: 'name' | 'status' | 'people' | 'date' | 'text';
  /** Status columns: the labels that exist. */
  labels?: string[];
}

export interface FakeItem {
  id: string;
  name: string;
  boardId: string;
  /** Column id -> stored value JSON (as monday.com keeps it). */
  values: Record<string, Record<string, unknown>>;
}

export interface MondayChange {
  itemId: string;
  boardId: string;
  values: Record<string, unknown>;
  effectId: string | undefined;
  at: number;
}

export interface MondayFakeOptions {
  token: string;
  versions?: string[];
  users?: { id: number; name: string; email: string }[];
  boards?: { id: string; name: string; columns: FakeColumn[] }[];
  items?: FakeItem[];
}

export interface MondayFake {
  apiUrl: string;
  items: Map<string, FakeItem>;
  changes: MondayChange[];
  /** Every request: operation name, API version, error codes answered. */
  requests: { operation: string | undefined; version: string | undefined; codes: string[]; status: number }[];
  faults: Faults;
  close(): Promise<void>;
}

class MondayError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export const defaultBoard = {
  id: '4412093',
  name: 'Revenue board',
  columns: [
    { id: 'name', title: 'Name', type: 'name' },
    {
      id: 'status',
      title: 'Deal status',
      type: 'status',
      labels: ['Working on it', 'Closed Won', 'Handoff Initiated', 'Stuck'],
    },
    { id: 'people', title: 'Owner', type: 'people' },
    { id: 'date4', title: 'Discovery session', type: 'date' },
  ] as FakeColumn[],
};

export async function startMondayFake(options: MondayFakeOptions): Promise<MondayFake> {
  const versions = options.versions ?? ['2025-01', '2025-04', '2025-07', '2025-10', '2026-01'];
  const users = options.users ?? [
    { id: 4616627, name: 'Alice Chen', email: 'alice@ecomonetize.example' },
    { id: 4616628, name: 'Sam Ruiz', email: 'sam@ecomonetize.example' },
  ];
  const boards = options.boards ?? [defaultBoard];
  const items = new Map((options.items ?? []).map((i) => [i.id, structuredClone(i)]));
  const changes: MondayChange[] = [];
  const requests: MondayFake['requests'] = [];
  const faults = new Faults();

  const schema = buildSchema(sdl);
  const json = schema.getType('JSON') as GraphQLScalarType;
  // monday.com takes JSON arguments as strings holding JSON (and answers `value` the same way).
  const coerceIn = (value: unknown) => {
    if (typeof value !== 'string') throw new TypeError('JSON values must be strings holding JSON');
    try {
      return JSON.parse(value);
    } catch {
      throw new TypeError('not valid JSON');
    }
  };
  Object.assign(json, {
    coerceInputValue: coerceIn,
    parseValue: coerceIn,
    coerceInputLiteral: (node: { kind: string; value?: string }) =>
      node.kind === Kind.STRING ? coerceIn(node.value) : undefined,
    coerceOutputValue: (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)),
    serialize: (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)),
  });

  const boardOf = (id: string) => boards.find((b) => b.id === String(id));
  const columnObject = (c: FakeColumn) => ({
    id: c.id,
    title: c.title,
    type: c.type,
    settings_str: JSON.stringify(
      c.labels ? { labels: Object.fromEntries(c.labels.map((l, i) => [i, l])) } : {},
    ),
  });
  const boardObject = (b: (typeof boards)[number]) => ({
    id: b.id,
    name: b.name,
    columns: (args: { ids?: string[] }) =>
      b.columns.filter((c) => !args.ids || args.ids.includes(c.id)).map(columnObject),
  });
  const valueText = (column: FakeColumn, value: Record<string, unknown> | undefined): string | null => {
    if (!value) return null;
    if (column.type === 'status') return String(value.label ?? '');
    if (column.type === 'people')
      return ((value.personsAndTeams as { id: number }[]) ?? [])
        .map((p) => users.find((u) => u.id === p.id)?.name ?? String(p.id))
        .join(', ');
    if (column.type === 'date') return [value.date, value.time].filter(Boolean).join(' ');
    return String(value.text ?? '');
  };
  const itemObject = (item: FakeItem) => {
    const board = boardOf(item.boardId);
    return {
      id: item.id,
      name: item.name,
      board: board ? boardObject(board) : null,
      column_values: (args: { ids?: string[] }) =>
        (board?.columns ?? [])
          .filter((c) => c.type !== 'name' && (!args.ids || args.ids.includes(c.id)))
          .map((c) => {
            const value = item.values[c.id];
            const typename =
              { status: 'StatusValue', people: 'PeopleValue', date: 'DateValue' }[c.type as string] ??
              'TextValue';
            return {
              __typename: typename,
              id: c.id,
              type: c.type,
              text: valueText(c, value),
              value: value ? JSON.stringify(value) : null,
              column: columnObject(c),
              label: value?.label ?? null,
              persons_and_teams: (value?.personsAndTeams as unknown[]) ?? [],
              date: value?.date ?? null,
              time: value?.time ?? null,
            };
          }),
    };
  };

  const checkValue = (column: FakeColumn, value: unknown, createLabels: boolean): Record<string, unknown> => {
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new MondayError('ColumnValueException', `invalid value for column ${column.id}`);
    const v = value as Record<string, unknown>;
    switch (column.type) {
      case 'status': {
        if (typeof v.label !== 'string')
          throw new MondayError('ColumnValueException', 'status needs a label');
        if (!createLabels && !column.labels?.includes(v.label))
          throw new MondayError(
            'ColumnValueException',
            `This status label doesn't exist, possible statuses are: ${column.labels?.join(', ')}`,
          );
        return { label: v.label };
      }
      case 'people': {
        const list = v.personsAndTeams;
        if (!Array.isArray(list))
          throw new MondayError('ColumnValueException', 'people needs personsAndTeams');
        for (const p of list as { id: unknown; kind: unknown }[]) {
          if (typeof p.id !== 'number' || (p.kind !== 'person' && p.kind !== 'team'))
            throw new MondayError('ColumnValueException', 'each person needs a numeric id and a kind');
          if (p.kind === 'person' && !users.some((u) => u.id === p.id))
            throw new MondayError('ColumnValueException', `no user ${p.id}`);
        }
        return { personsAndTeams: list };
      }
      case 'date': {
        if (typeof v.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v.date))
          throw new MondayError('ColumnValueException', 'date must be YYYY-MM-DD');
        if (v.time !== undefined && (typeof v.time !== 'string' || !/^\d{2}:\d{2}:\d{2}$/.test(v.time)))
          throw new MondayError('ColumnValueException', 'time must be HH:MM:SS');
        return { date: v.date, ...(v.time ? { time: v.time } : {}) };
      }
      default:
        return v;
    }
  };

  const change = (
    args: { item_id?: string; board_id: string; create_labels_if_missing?: boolean },
    values: Record<string, unknown>,
    effectId: string | undefined,
  ) => {
    const board = boardOf(args.board_id);
    if (!board) throw new MondayError('InvalidBoardIdException', `Board not found: ${args.board_id}`);
    const item = args.item_id ? items.get(String(args.item_id)) : undefined;
    if (!item || item.boardId !== board.id)
      throw new MondayError('InvalidItemIdException', 'Item not found in board');
    const next: Record<string, Record<string, unknown>> = {};
    for (const [id, value] of Object.entries(values)) {
      const column = board.columns.find((c) => c.id === id);
      if (!column)
        throw new MondayError(
          'InvalidColumnIdException',
          `This column ID doesn't exist for the board: ${id}`,
        );
      next[id] = checkValue(column, value, !!args.create_labels_if_missing);
    }
    Object.assign(item.values, next);
    changes.push({ itemId: item.id, boardId: board.id, values: next, effectId, at: Date.now() });
    return itemObject(item);
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const version = req.headers['api-version'] as string | undefined;
    const effectId = req.headers['x-baton-effect-id'] as string | undefined;
    const record = {
      operation: undefined as string | undefined,
      version,
      codes: [] as string[],
      status: 200,
    };
    requests.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    const { fault, delayMs } = faults.take();
    if (delayMs) await delay(delayMs);
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'error')
      return send(500, { error_message: 'Internal server error', status_code: 500 });
    if (fault?.kind === 'rate-limit') {
      // Every other time the complexity budget (HTTP 200, retry_in_seconds), else the minute limit (429).
      if (faults.served.filter((f) => f.kind === 'rate-limit').length % 2 === 1) {
        record.codes.push('COMPLEXITY_BUDGET_EXHAUSTED');
        return send(200, {
          errors: [
            {
              message: 'Complexity budget exhausted',
              extensions: {
                code: 'COMPLEXITY_BUDGET_EXHAUSTED',
                complexity: 1000,
                complexity_budget_left: 10,
                complexity_budget_limit: 5000000,
                retry_in_seconds: fault.retryAfterSeconds,
                status_code: 429,
              },
            },
          ],
          account_id: 1,
        });
      }
      record.codes.push('RATE_LIMIT_EXCEEDED');
      return send(
        429,
        {
          error_code: 'RATE_LIMIT_EXCEEDED',
          error_message: 'Rate Limit Exceeded',
          status_code: 429,
          error_data: { retry_in_seconds: fault.retryAfterSeconds },
        },
        { 'retry-after': String(fault.retryAfterSeconds) },
      );
    }
    if (req.method !== 'POST' || !(req.headers['content-type'] ?? '').startsWith('application/json'))
      return send(400, { error_message: 'POST application/json only', status_code: 400 });
    const auth = req.headers.authorization?.replace(/^Bearer /, '');
    if (auth !== options.token) return send(401, { error_message: 'Not Authenticated', status_code: 401 });
    if (!version || !versions.includes(version)) {
      record.codes.push('InvalidVersionException');
      return send(200, {
        errors: [
          {
            message: `API-Version ${version ?? '(none)'} is not supported`,
            extensions: { code: 'InvalidVersionException', status_code: 400 },
          },
        ],
      });
    }
    let request: { query?: unknown; variables?: Record<string, unknown>; operationName?: string };
    try {
      request = JSON.parse(body);
    } catch {
      return send(400, { error_message: 'Body is not JSON', status_code: 400 });
    }
    if (typeof request.query !== 'string')
      return send(200, {
        errors: [{ message: 'No query string was present', extensions: { code: 'BadRequest' } }],
      });
    let document: ReturnType<typeof parse>;
    try {
      document = parse(request.query);
    } catch (e) {
      record.codes.push('GRAPHQL_PARSE_FAILED');
      return send(200, {
        errors: [
          { message: (e as Error).message, extensions: { code: 'GRAPHQL_PARSE_FAILED', status_code: 400 } },
        ],
      });
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) {
      record.codes.push('GRAPHQL_VALIDATION_FAILED');
      return send(200, {
        errors: invalid.map((e) => ({
          message: e.message,
          locations: e.locations,
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', status_code: 400 },
        })),
      });
    }
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    record.operation = operation && 'name' in operation ? operation.name?.value : undefined;
    const rootValue = {
      me: () => ({ ...users[0], account: { id: '1', name: 'Ecomonetize' } }),
      items: (args: { ids?: string[] }) =>
        (args.ids ?? []).flatMap((id) => (items.has(String(id)) ? [itemObject(items.get(String(id))!)] : [])),
      boards: (args: { ids?: string[] }) =>
        boards.filter((b) => !args.ids || args.ids.map(String).includes(b.id)).map(boardObject),
      complexity: () => ({ before: 5000000, query: 100, after: 4999900, reset_in_x_seconds: 60 }),
      change_multiple_column_values: (args: {
        item_id?: string;
        board_id: string;
        column_values: Record<string, unknown>;
        create_labels_if_missing?: boolean;
      }) => change(args, args.column_values, effectId),
      change_column_value: (args: {
        item_id?: string;
        board_id: string;
        column_id: string;
        value: unknown;
        create_labels_if_missing?: boolean;
      }) => change(args, { [args.column_id]: args.value }, effectId),
    };
    const result = await graphql({
      schema,
      source: request.query,
      rootValue,
      variableValues: request.variables ?? {},
    });
    const errors = (result.errors ?? []).map((e) => {
      const code =
        e.originalError instanceof MondayError ? e.originalError.code : 'GRAPHQL_VALIDATION_FAILED';
      record.codes.push(code);
      return {
        message: e.message,
        locations: e.locations,
        path: e.path,
        extensions: { code, error_data: {}, status_code: 200 },
      };
    });
    if (fault?.kind === 'drop-after') {
      req.socket.destroy();
      return;
    }
    send(200, {
      ...(result.data !== undefined ? { data: result.data } : {}),
      ...(errors.length > 0 ? { errors } : {}),
      account_id: 1,
      extensions: { request_id: `req-${requests.length}` },
    });
  };
  const server = createServer((req, res) => {
    serve(req, res).catch(() => req.socket.destroy());
  });
  // A client killed mid-request resets its connection; a real server shrugs that off.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/v2`,
    items,
    changes,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
