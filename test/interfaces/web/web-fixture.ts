/**
 * The dashboard in process: a server (buildServer with the web plugin) on a fresh SQLite store and a temp
 * knowledge root holding the northwind example, one user per role (two customer.success members), a clock
 * the test moves, and browsers signed in through the real sign-in form (cookie + CSRF token).
 *
 *   const t = await startDashboard();                  // after(() => t.close())
 *   const cro = await t.signIn('cro');
 *   const page = await cro.get('/handoffs/SOW-2026-014');
 *   await cro.post('/handoffs/SOW-2026-014/ack', { expectedVersion: '3' });
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import type { Baton } from '../../../src/app/handoff-context.ts';
import { openHandoff, submitPacket } from '../../../src/app/handoffs.ts';
import { openBaton } from '../../../src/app/open-baton.ts';
import { addUser } from '../../../src/app/users.ts';
import { builtInPlaybook } from '../../../src/domain/playbook/index.ts';
import type { ActorRef, Role } from '../../../src/domain/workflow/index.ts';
import { buildServer } from '../../../src/interfaces/http/server.ts';
import { registerWebRoutes, sessionCookie } from '../../../src/interfaces/web/routes.ts';
import { createTestPlace } from '../../store/dialects.ts';

const project = join(import.meta.dirname, '../../..');
export const SOW = 'SOW-2026-014';
export const packetRel = 'operations/handoffs/assessments/SOW-2026-014-handoff-packet.md';
export const examplePacket = (): string =>
  readFileSync(join(project, 'examples/northwind', packetRel), 'utf8');

export const people = {
  cro: { name: 'Carla Reyes', role: 'cro' },
  salesOps: { name: 'Sam Ortiz', role: 'sales.ops' },
  cs: { name: 'Casey Lin', role: 'customer.success' },
  cs2: { name: 'Cam Diallo', role: 'customer.success' },
  chief: { name: 'Chris Moss', role: 'chief.staff' },
  ceo: { name: 'Dana Park', role: 'ceo' },
} as const satisfies Record<string, { name: string; role: Role }>;
export type Person = keyof typeof people;

export const actorOf = (who: Person): ActorRef => ({ ...people[who], via: 'cli' });

/** A signed-in browser: its session cookie and the CSRF token its pages carry. */
export interface Browser {
  cookie: string;
  csrf: string;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** A form post; the session's CSRF token is added unless `_csrf` is given (or null to leave it out). */
  post(
    url: string,
    form?: Record<string, string | string[] | null>,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export interface Dashboard {
  app: FastifyInstance;
  baton: Baton;
  root: string;
  tokens: Record<Person, string>;
  setNow(instant: string): void;
  signIn(who: Person): Promise<Browser>;
  /** Opens SOW-2026-014 as the CRO (signed 12 May, paid 13 May), through the service layer. */
  openExample(sow?: string): Promise<void>;
  /** Opens SOW-2026-014 and submits `packet` (default: the example, whose gate says review) as the CRO. */
  openAndSubmit(packet?: string): Promise<void>;
  close(): Promise<void>;
}

export function formBody(form: Record<string, string | string[] | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) {
    if (v === null) continue;
    for (const value of [v].flat()) params.append(k, value);
  }
  return params.toString();
}

/** The value of a hidden `_csrf` field in a page. */
export function csrfIn(page: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
}

function cookieValue(response: LightMyRequestResponse, name: string): string | undefined {
  const header = response.headers['set-cookie'];
  for (const line of [header ?? []].flat()) {
    const match = new RegExp(`^${name}=([^;]*)`).exec(line);
    if (match) return match[1];
  }
  return undefined;
}

export async function startDashboard(options: { now?: string } = {}): Promise<Dashboard> {
  const place = createTestPlace('sqlite');
  cpSync(join(project, 'examples/northwind'), place.root, { recursive: true });
  let now = Temporal.Instant.from(options.now ?? '2026-05-14T14:00:00Z');
  const baton = await openBaton({ env: { root: place.root, now: () => now }, playbook: builtInPlaybook() });
  const tokens = {} as Record<Person, string>;
  for (const [key, person] of Object.entries(people))
    tokens[key as Person] = (await addUser(baton, person.name, person.role)).token;
  const app = buildServer(baton, { plugins: [registerWebRoutes] });
  await app.ready();
  const browser = (cookie: string, csrf: string): Browser => ({
    cookie,
    csrf,
    get: (url, headers = {}) => app.inject({ method: 'GET', url, headers: { cookie, ...headers } }),
    post: (url, form = {}, headers = {}) =>
      app.inject({
        method: 'POST',
        url,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: formBody({ _csrf: csrf, ...form }),
      }),
  });
  const dashboard: Dashboard = {
    app,
    baton,
    root: place.root,
    tokens,
    setNow: (instant) => {
      now = Temporal.Instant.from(instant);
    },
    async signIn(who) {
      const form = await app.inject({ method: 'GET', url: '/sign-in' });
      const signInCsrf = csrfIn(form.body);
      const pre = cookieValue(form, 'baton_signin');
      if (!signInCsrf || !pre) throw new Error(`the sign-in page gave no CSRF token: ${form.statusCode}`);
      const signed = await app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { cookie: `baton_signin=${pre}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ _csrf: signInCsrf, token: tokens[who], next: '/' }),
      });
      const session = cookieValue(signed, sessionCookie);
      if (signed.statusCode !== 303 || !session)
        throw new Error(`sign-in as ${who} failed: ${signed.statusCode} ${signed.body.slice(0, 300)}`);
      const cookie = `${sessionCookie}=${session}`;
      const board = await app.inject({ method: 'GET', url: '/', headers: { cookie } });
      const csrf = csrfIn(board.body);
      if (!csrf) throw new Error('the board carries no CSRF token');
      return browser(cookie, csrf);
    },
    async openExample(sow = SOW) {
      await openHandoff(baton, actorOf('cro'), {
        sow,
        sowSigned: '2026-05-12',
        paymentConfirmed: '2026-05-13T15:00:00Z',
      });
    },
    async openAndSubmit(packet = examplePacket()) {
      await dashboard.openExample();
      await submitPacket(baton, actorOf('cro'), SOW, { text: packet });
    },
    async close() {
      await app.close();
      await place.cleanup();
    },
  };
  return dashboard;
}
