// The HTTP API's figures for `npm run bench` (called from bench/run.ts):
//   status throughput: GET /api/handoffs/:sow (signed in, one submitted handoff, SQLite) against a bare
//     fastify route that answers the same document, both measured with autocannon over a real socket in
//     this run, alternating, median of 3 rounds; goal: at least 0.7x.
//   list latency: the first page of GET /api/handoffs with 100,000 handoffs in the store, requests one
//     after another over a real socket; goal: p95 at most 50 ms.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import type { Baton } from '../src/app/handoff-context.ts';
import { openBaton } from '../src/app/open-baton.ts';
import { runOperation } from '../src/app/operations.ts';
import { addUser } from '../src/app/users.ts';
import { builtInPlaybook } from '../src/domain/playbook/index.ts';
import type { ActorRef } from '../src/domain/workflow/index.ts';
import { buildServer } from '../src/interfaces/http/server.ts';
import { withTransaction } from '../src/store/index.ts';

const project = join(import.meta.dirname, '..');
const now = Temporal.Instant.from('2026-05-14T14:00:00Z');
const SOW = 'SOW-2026-014';

export interface ApiBenchResult {
  status: {
    requestsPerSecond: number;
    bareSameDocumentPerSecond: number;
    bareHelloPerSecond: number;
    ratioToBare: number;
    goalRatio: number;
    meetsGoal: boolean;
    rounds: number;
    secondsPerRound: number;
    connections: number;
  };
  list: {
    handoffs: number;
    pageSize: number;
    p50Ms: number;
    p95Ms: number;
    maxMs: number;
    smallPage: { pageSize: number; p50Ms: number; p95Ms: number };
    requests: number;
    goalP95Ms: number;
    meetsGoal: boolean;
  };
}

async function batonAt(root: string): Promise<Baton> {
  return openBaton({ env: { root, now: () => now }, playbook: builtInPlaybook() });
}

async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

async function throughput(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  connections: number,
) {
  const result = await autocannon({ url, headers, connections, duration: seconds, workers: 1 });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return result.requests.average;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};

async function statusThroughput(progress: (text: string) => void): Promise<ApiBenchResult['status']> {
  const root = mkdtempSync(join(tmpdir(), 'baton-bench-api-'));
  cpSync(join(project, 'examples/northwind'), root, { recursive: true });
  const baton = await batonAt(root);
  const servers: FastifyInstance[] = [];
  try {
    const cro: ActorRef = { role: 'cro', name: 'Carla Reyes', via: 'cli' };
    await runOperation(baton, cro, 'open', {
      sow: SOW,
      sowSigned: '2026-05-12',
      paymentConfirmed: '2026-05-13T15:00:00Z',
    });
    await runOperation(baton, cro, 'submit', { sow: SOW });
    const { token } = await addUser(baton, 'Casey Lin', 'customer.success');
    const headers = { authorization: `Bearer ${token}` };

    const app = buildServer(baton);
    servers.push(app);
    const base = await listen(app);
    const statusUrl = `${base}/api/handoffs/${SOW}`;
    const document = await (await fetch(statusUrl, { headers })).json();

    // The baseline: fastify with nothing added, answering the same document from memory.
    const bare = Fastify();
    servers.push(bare);
    bare.get('/status', async () => document);
    bare.get('/hello', async () => ({ hello: 'world' }));
    const bareBase = await listen(bare);

    const rounds = 3;
    const seconds = 3;
    const connections = 10;
    const ours: number[] = [];
    const baseline: number[] = [];
    await throughput(statusUrl, headers, 1, connections); // warm up both
    await throughput(`${bareBase}/status`, {}, 1, connections);
    for (let round = 1; round <= rounds; round++) {
      progress(`api status: round ${round} of ${rounds}, bare fastify…`);
      baseline.push(await throughput(`${bareBase}/status`, {}, seconds, connections));
      progress(`api status: round ${round} of ${rounds}, GET /api/handoffs/:sow…`);
      ours.push(await throughput(statusUrl, headers, seconds, connections));
    }
    progress('api status: bare hello-world route, for scale…');
    const hello = await throughput(`${bareBase}/hello`, {}, seconds, connections);
    const ratio = median(ours) / median(baseline);
    return {
      requestsPerSecond: Math.round(median(ours)),
      bareSameDocumentPerSecond: Math.round(median(baseline)),
      bareHelloPerSecond: Math.round(hello),
      ratioToBare: Number(ratio.toFixed(3)),
      goalRatio: 0.7,
      meetsGoal: ratio >= 0.7,
      rounds,
      secondsPerRound: seconds,
      connections,
    };
  } finally {
    for (const server of servers) await server.close();
    await baton.store.close();
    rmSync(root, { recursive: true, force: true });
  }
}

const states = ['opened', 'submitted', 'rejected', 'acknowledged', 'scheduled'] as const;

/** 100,000 rows in the handoffs projection, written directly (building them through commands takes minutes). */
async function seedHandoffs(baton: Baton, count: number, progress: (text: string) => void): Promise<void> {
  const start = Date.parse('2026-01-05T14:00:00Z');
  const batch = 500;
  await withTransaction(baton.store.db, async (trx) => {
    for (let first = 0; first < count; first += batch) {
      const rows = [];
      for (let i = first; i < Math.min(count, first + batch); i++) {
        const state = states[i % states.length] as string;
        const opened = new Date(start + (i % 5000) * 3_600_000).toISOString();
        const due =
          state === 'scheduled' ? null : new Date(start + (i % 9973) * 1_800_000 + 86_400_000).toISOString();
        rows.push({
          sow: `SOW-2026-${String(i + 1).padStart(6, '0')}`,
          state,
          version: 1 + (i % 9),
          payment: 'received',
          opened_at: opened,
          updated_at: opened,
          next_due: due,
          overdue: i % 17 === 0 ? 1 : 0,
          escalated: i % 23 === 0 ? 1 : 0,
          doc: '{}',
        });
      }
      await trx.insertInto('handoffs').values(rows).execute();
      if (first % 20_000 === 0)
        progress(`api list: seeding ${count.toLocaleString('en-US')} handoffs… ${first}`);
    }
  });
}

async function latencies(url: string, headers: Record<string, string>, requests: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < 20; i++) await (await fetch(url, { headers })).arrayBuffer();
  for (let i = 0; i < requests; i++) {
    const start = performance.now();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    out.push(performance.now() - start);
  }
  return out;
}

async function listLatency(progress: (text: string) => void): Promise<ApiBenchResult['list']> {
  const root = mkdtempSync(join(tmpdir(), 'baton-bench-list-'));
  const baton = await batonAt(root);
  let app: FastifyInstance | undefined;
  try {
    const count = 100_000;
    await seedHandoffs(baton, count, progress);
    const { token } = await addUser(baton, 'Chris Moss', 'chief.staff');
    const headers = { authorization: `Bearer ${token}` };
    app = buildServer(baton);
    const base = await listen(app);
    const requests = 200;
    progress('api list: first page (default size)…');
    const page = await latencies(`${base}/api/handoffs`, headers, requests);
    const first = (await (await fetch(`${base}/api/handoffs`, { headers })).json()) as {
      handoffs: unknown[];
    };
    progress('api list: first page of 50…');
    const small = await latencies(`${base}/api/handoffs?limit=50`, headers, requests);
    const p95 = percentile(page, 95);
    return {
      handoffs: count,
      pageSize: first.handoffs.length,
      p50Ms: Number(percentile(page, 50).toFixed(2)),
      p95Ms: Number(p95.toFixed(2)),
      maxMs: Number(Math.max(...page).toFixed(2)),
      smallPage: {
        pageSize: 50,
        p50Ms: Number(percentile(small, 50).toFixed(2)),
        p95Ms: Number(percentile(small, 95).toFixed(2)),
      },
      requests,
      goalP95Ms: 50,
      meetsGoal: p95 <= 50,
    };
  } finally {
    await app?.close();
    await baton.store.close();
    rmSync(root, { recursive: true, force: true });
  }
}

export async function benchApi(progress: (text: string) => void): Promise<ApiBenchResult> {
  const status = await statusThroughput(progress);
  const list = await listLatency(progress);
  return { status, list };
}

export function printApiBench(result: ApiBenchResult, print: (line: string) => void): void {
  const s = result.status;
  print(
    `api status        ${s.requestsPerSecond.toLocaleString('en-US')} req/s GET /api/handoffs/:sow vs ${s.bareSameDocumentPerSecond.toLocaleString('en-US')} req/s bare fastify (same document)`,
  );
  print(
    `                  ratio ${s.ratioToBare}x; goal >= ${s.goalRatio}x: ${s.meetsGoal ? 'met' : 'NOT met'} (bare hello-world ${s.bareHelloPerSecond.toLocaleString('en-US')} req/s; autocannon, ${s.connections} connections, median of ${s.rounds} x ${s.secondsPerRound} s)`,
  );
  const l = result.list;
  print(
    `api list          first page (${l.pageSize}) of ${l.handoffs.toLocaleString('en-US')} handoffs: p50 ${l.p50Ms} ms, p95 ${l.p95Ms} ms, max ${l.maxMs} ms (${l.requests} requests)`,
  );
  print(
    `                  goal p95 <= ${l.goalP95Ms} ms: ${l.meetsGoal ? 'met' : 'NOT met'}; a page of ${l.smallPage.pageSize}: p50 ${l.smallPage.p50Ms} ms, p95 ${l.smallPage.p95Ms} ms`,
  );
}

// `node bench/api.ts` runs this section alone.
if (import.meta.main) {
  const json = process.argv.includes('--json');
  const result = await benchApi((text) => {
    if (!json) process.stderr.write(`${text}\n`);
  });
  if (json) console.log(JSON.stringify(result));
  else printApiBench(result, (line) => console.log(line));
}
