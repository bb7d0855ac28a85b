/**
 * A server in process on a fresh store (SQLite by default, Postgres when asked), with the northwind example
 * root copied in, one signed-in user per role (two customer.success members), and a clock the test moves.
 *
 *   const t = await startServer();              // after(() => t.close())
 *   const r = await t.call('cro', 'POST', '/api/handoffs', { sow: ... });
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import type { Baton } from '../../../src/app/handoff-context.ts';
import { openBaton } from '../../../src/app/open-baton.ts';
import { addUser } from '../../../src/app/users.ts';
import { builtInPlaybook } from '../../../src/domain/playbook/index.ts';
import { buildServer, type ServerOptions } from '../../../src/interfaces/http/server.ts';
import { createTestPlace, type TestDialect, testDatabaseUrl } from '../../store/dialects.ts';

const project = join(import.meta.dirname, '../../..');
export const SOW = 'SOW-2026-014';
export const packetRel = 'operations/handoffs/assessments/SOW-2026-014-handoff-packet.md';
export const examplePacket = (): string =>
  readFileSync(join(project, 'examples/northwind', packetRel), 'utf8');

/** The people signed in, by the name tests use. */
export const people = {
  cro: { name: 'Carla Reyes', role: 'cro' },
  salesOps: { name: 'Sam Ortiz', role: 'sales.ops' },
  cs: { name: 'Casey Lin', role: 'customer.success' },
  cs2: { name: 'Cam Diallo', role: 'customer.success' },
  chief: { name: 'Chris Moss', role: 'chief.staff' },
  ceo: { name: 'Dana Park', role: 'ceo' },
} as const;
export type Person = keyof typeof people;

export interface TestServer {
  app: FastifyInstance;
  baton: Baton;
  root: string;
  tokens: Record<Person, string>;
  /** Moves the clock. */
  setNow(instant: string): void;
  /** A request as a person (or anonymous with `null`); JSON body when given. */
  call(
    who: Person | null,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startServer(
  options: { dialect?: TestDialect; server?: ServerOptions; now?: string } = {},
): Promise<TestServer> {
  const place = createTestPlace(options.dialect ?? 'sqlite');
  cpSync(join(project, 'examples/northwind'), place.root, { recursive: true });
  let now = Temporal.Instant.from(options.now ?? '2026-05-14T14:00:00Z');
  const baton = await openBaton({
    env: { root: place.root, now: () => now },
    playbook: builtInPlaybook(),
    ...(place.schema ? { databaseUrl: testDatabaseUrl, schema: place.schema } : {}),
  });
  const tokens = {} as Record<Person, string>;
  for (const [key, person] of Object.entries(people))
    tokens[key as Person] = (await addUser(baton, person.name, person.role)).token;
  const app = buildServer(baton, options.server ?? {});
  await app.ready();
  return {
    app,
    baton,
    root: place.root,
    tokens,
    setNow: (instant) => {
      now = Temporal.Instant.from(instant);
    },
    call: (who, method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: {
          ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      }),
    close: async () => {
      await app.close();
      await baton.store.close();
      await place.cleanup();
    },
  };
}

/** The handoff opened, as the CRO would: signed 2026-05-12, paid 2026-05-13. */
export const openBody = {
  sow: SOW,
  sowSigned: '2026-05-12',
  paymentConfirmed: '2026-05-13T15:00:00Z',
  paymentStatus: 'received',
};

/** Opens and submits the example packet (as the CRO); the gate says review (crm-item-exists). */
export async function openAndSubmit(t: TestServer): Promise<void> {
  const opened = await t.call('cro', 'POST', '/api/handoffs', openBody);
  if (opened.statusCode !== 201) throw new Error(`open: ${opened.statusCode} ${opened.body}`);
  const submitted = await t.call('cro', 'POST', `/api/handoffs/${SOW}/submit`, {});
  if (submitted.statusCode !== 200) throw new Error(`submit: ${submitted.statusCode} ${submitted.body}`);
}
