// The dashboard's figure for `npm run bench` (called from bench/run.ts):
//   board latency: the board's first page (GET /, signed in: every state's first 25 cards with their open
//   clocks' business hours left) with 100,000 handoffs and 200,000 clocks in the store (SQLite), requests one
//   after another over a real socket; goal: p95 at most 50 ms. The baseline, in the same run, is a bare
//   fastify route answering the same page from memory (what the socket and HTTP cost by themselves).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import type { Baton } from '../src/app/handoff-context.ts';
import { openBaton } from '../src/app/open-baton.ts';
import { startSession } from '../src/app/sessions.ts';
import { addUser } from '../src/app/users.ts';
import { builtInPlaybook } from '../src/domain/playbook/index.ts';
import { buildServer } from '../src/interfaces/http/server.ts';
import { registerWebRoutes, sessionCookie } from '../src/interfaces/web/routes.ts';
import { withTransaction } from '../src/store/index.ts';

const now = Temporal.Instant.from('2026-05-14T14:00:00Z');
const states = ['opened', 'submitted', 'rejected', 'acknowledged', 'scheduled'] as const;

export interface DashboardBenchResult {
  board: {
    handoffs: number;
    clocks: number;
    cards: number;
    p50Ms: number;
    p95Ms: number;
    maxMs: number;
    bareSamePageP50Ms: number;
    bareSamePageP95Ms: number;
    ratioOfP95: number;
    overdueFilterP95Ms: number;
    requests: number;
    goalP95Ms: number;
    meetsGoal: boolean;
  };
}

/** Rows written straight into the projections (building 100,000 handoffs through commands takes minutes). */
async function seed(baton: Baton, count: number, progress: (text: string) => void): Promise<number> {
  const start = Date.parse('2026-05-04T14:00:00Z');
  const batch = 400;
  let clocks = 0;
  await withTransaction(baton.store.db, async (trx) => {
    for (let first = 0; first < count; first += batch) {
      const handoffs = [];
      const clockRows = [];
      for (let i = first; i < Math.min(count, first + batch); i++) {
        const sow = `SOW-2026-${String(i + 1).padStart(6, '0')}`;
        const state = states[i % states.length] as string;
        const opened = new Date(start + (i % 240) * 3_600_000).toISOString();
        const due = new Date(start + (i % 9973) * 120_000 + 4 * 86_400_000).toISOString();
        handoffs.push({
          sow,
          state,
          version: 3,
          payment: 'received',
          opened_at: opened,
          updated_at: opened,
          next_due: state === 'scheduled' ? null : due,
          overdue: i % 17 === 0 ? 1 : 0,
          escalated: 0,
          doc: '{}',
        });
        clockRows.push(
          {
            sow,
            clock: 'discoveryScheduleDue',
            seq: 1,
            started_at: '2026-05-04',
            due: new Date(start + 7 * 86_400_000).toISOString(),
            status: state === 'scheduled' ? ('met' as const) : ('open' as const),
            met_at: null,
            missed_at: null,
          },
          {
            sow,
            clock: 'ackDue',
            seq: 1,
            started_at: opened,
            due,
            status: state === 'submitted' || state === 'opened' ? ('open' as const) : ('met' as const),
            met_at: null,
            missed_at: null,
          },
        );
      }
      await trx.insertInto('handoffs').values(handoffs).execute();
      await trx.insertInto('clocks').values(clockRows).execute();
      clocks += clockRows.length;
      if (first % 20_000 === 0)
        progress(`dashboard board: seeding ${count.toLocaleString('en-US')} handoffs… ${first}`);
    }
  });
  return clocks;
}

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};

async function latencies(url: string, headers: Record<string, string>, requests: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < 20; i++) await (await fetch(url, { headers })).arrayBuffer();
  for (let i = 0; i < requests; i++) {
    const start = performance.now();
    const response = await fetch(url, { headers, redirect: 'manual' });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    out.push(performance.now() - start);
  }
  return out;
}

export async function benchDashboard(progress: (text: string) => void): Promise<DashboardBenchResult> {
  const root = mkdtempSync(join(tmpdir(), 'baton-bench-board-'));
  const baton = await openBaton({ env: { root, now: () => now }, playbook: builtInPlaybook() });
  const servers: FastifyInstance[] = [];
  try {
    const count = 100_000;
    const clocks = await seed(baton, count, progress);
    const { token } = await addUser(baton, 'Chris Moss', 'chief.staff');
    const { id } = await startSession(baton, token);
    const headers = { cookie: `${sessionCookie}=${id}` };
    const app = buildServer(baton, { plugins: [registerWebRoutes] });
    servers.push(app);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const page = await (await fetch(`${base}/`, { headers })).text();
    const cards = (page.match(/<li class="card/g) ?? []).length;
    // The baseline: fastify with nothing added, answering the same page from memory.
    const bare = Fastify();
    servers.push(bare);
    bare.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
    const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });
    const requests = 200;
    progress('dashboard board: bare fastify, same page…');
    const baseline = await latencies(`${bareBase}/`, {}, requests);
    progress('dashboard board: GET / (first page of every state)…');
    const ours = await latencies(`${base}/`, headers, requests);
    progress('dashboard board: GET /?overdue=yes…');
    const overdue = await latencies(`${base}/?overdue=yes`, headers, requests);
    const p95 = percentile(ours, 95);
    return {
      board: {
        handoffs: count,
        clocks,
        cards,
        p50Ms: Number(percentile(ours, 50).toFixed(2)),
        p95Ms: Number(p95.toFixed(2)),
        maxMs: Number(Math.max(...ours).toFixed(2)),
        bareSamePageP50Ms: Number(percentile(baseline, 50).toFixed(2)),
        bareSamePageP95Ms: Number(percentile(baseline, 95).toFixed(2)),
        ratioOfP95: Number((p95 / percentile(baseline, 95)).toFixed(1)),
        overdueFilterP95Ms: Number(percentile(overdue, 95).toFixed(2)),
        requests,
        goalP95Ms: 50,
        meetsGoal: p95 <= 50,
      },
    };
  } finally {
    for (const server of servers) await server.close();
    await baton.store.close();
    rmSync(root, { recursive: true, force: true });
  }
}

export function printDashboardBench(result: DashboardBenchResult, print: (line: string) => void): void {
  const b = result.board;
  print(
    `dashboard board   first page (${b.cards} cards) of ${b.handoffs.toLocaleString('en-US')} handoffs, ${b.clocks.toLocaleString('en-US')} clocks: p50 ${b.p50Ms} ms, p95 ${b.p95Ms} ms, max ${b.maxMs} ms (${b.requests} requests)`,
  );
  print(
    `                  goal p95 <= ${b.goalP95Ms} ms: ${b.meetsGoal ? 'met' : 'NOT met'}; ${b.ratioOfP95}x the p95 of bare fastify sending the same page (${b.bareSamePageP95Ms} ms); overdue filter p95 ${b.overdueFilterP95Ms} ms`,
  );
}

// `node bench/dashboard.ts` runs this section alone.
if (import.meta.main) {
  const json = process.argv.includes('--json');
  const result = await benchDashboard((text) => {
    if (!json) process.stderr.write(`${text}\n`);
  });
  if (json) console.log(JSON.stringify(result));
  else printDashboardBench(result, (line) => console.log(line));
}
