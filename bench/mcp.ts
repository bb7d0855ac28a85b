// The MCP server's figures for `npm run bench` (called from bench/run.ts), one submitted handoff, SQLite:
//   in process: the `status` tool through the SDK's in-memory transport, against the same operation called
//     directly on the service layer (runOperation): what the protocol layer costs per call.
//   over HTTP: `tools/call status` POSTed to /mcp (stateless: sign-in, a fresh MCP server and transport per
//     request) against GET /api/handoffs/:sow on the same server, requests one after another over a real
//     socket: what an agent pays over a REST client for the same answer. Medians and p95 of latencies.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Temporal } from 'temporal-polyfill';
import { openBaton } from '../src/app/open-baton.ts';
import { runOperation } from '../src/app/operations.ts';
import { addUser } from '../src/app/users.ts';
import { builtInPlaybook } from '../src/domain/playbook/index.ts';
import type { ActorRef } from '../src/domain/workflow/index.ts';
import { buildServer } from '../src/interfaces/http/server.ts';
import { mcpHttpPlugin } from '../src/interfaces/mcp/http.ts';
import { createMcpServer } from '../src/interfaces/mcp/server.ts';

const project = join(import.meta.dirname, '..');
const SOW = 'SOW-2026-014';

export interface McpBenchResult {
  inProcess: { toolCallsPerSecond: number; directCallsPerSecond: number; ratioToDirect: number };
  http: {
    mcpMedianMs: number;
    mcpP95Ms: number;
    restMedianMs: number;
    restP95Ms: number;
    ratioOfMedians: number;
    requests: number;
  };
}

/** Calls per second of an async operation run one after another for `seconds` (after a warm-up). */
async function callsPerSecond(work: () => Promise<unknown>, seconds: number): Promise<number> {
  for (let i = 0; i < 100; i++) await work();
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    await work();
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};

async function timed(request: () => Promise<Response>): Promise<number> {
  const start = performance.now();
  const response = await request();
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`bench request answered ${response.status}`);
  return performance.now() - start;
}

export async function benchMcp({ progress }: { progress: (text: string) => void }): Promise<McpBenchResult> {
  const root = mkdtempSync(join(tmpdir(), 'baton-bench-mcp-'));
  cpSync(join(project, 'examples/northwind'), root, { recursive: true });
  const now = Temporal.Instant.from('2026-05-14T14:00:00Z');
  const baton = await openBaton({ env: { root, now: () => now }, playbook: builtInPlaybook() });
  const app = buildServer(baton, { plugins: [mcpHttpPlugin] });
  try {
    const cro: ActorRef = { role: 'cro', name: 'Carla Reyes', via: 'cli' };
    await runOperation(baton, cro, 'open', {
      sow: SOW,
      sowSigned: '2026-05-12',
      paymentConfirmed: '2026-05-13T15:00:00Z',
    });
    await runOperation(baton, cro, 'submit', { sow: SOW });
    const reviewer: ActorRef = { role: 'customer.success', name: 'Casey Lin', via: 'mcp' };

    progress('mcp in process: status through the in-memory transport (3 s)…');
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = createMcpServer(baton, reviewer);
    await server.connect(serverSide);
    const client = new Client({ name: 'bench', version: '1.0.0' });
    await client.connect(clientSide);
    const toolCalls = await callsPerSecond(
      () => client.callTool({ name: 'status', arguments: { sow: SOW } }),
      3,
    );
    await client.close();
    progress('mcp in process: the same operation on the service layer (3 s)…');
    const direct = await callsPerSecond(() => runOperation(baton, reviewer, 'status', { sow: SOW }), 3);

    const { token } = await addUser(baton, 'Casey Lin', 'customer.success');
    const authorization = `Bearer ${token}`;
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'status', arguments: { sow: SOW } },
    });
    const mcp = () =>
      fetch(`${base}/mcp`, {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-06-18',
        },
        body,
      });
    const rest = () => fetch(`${base}/api/handoffs/${SOW}`, { headers: { authorization } });
    const requests = 500;
    const mcpTimes: number[] = [];
    const restTimes: number[] = [];
    for (let i = 0; i < 50; i++) {
      await timed(mcp);
      await timed(rest);
    }
    for (let i = 0; i < requests; i++) {
      if (i % 100 === 0)
        progress(`mcp over HTTP: request ${i} of ${requests} (alternating with the REST API)…`);
      mcpTimes.push(await timed(mcp));
      restTimes.push(await timed(rest));
    }
    const mcpMedian = percentile(mcpTimes, 50);
    const restMedian = percentile(restTimes, 50);
    return {
      inProcess: {
        toolCallsPerSecond: Math.round(toolCalls),
        directCallsPerSecond: Math.round(direct),
        ratioToDirect: Number((toolCalls / direct).toFixed(3)),
      },
      http: {
        mcpMedianMs: Number(mcpMedian.toFixed(2)),
        mcpP95Ms: Number(percentile(mcpTimes, 95).toFixed(2)),
        restMedianMs: Number(restMedian.toFixed(2)),
        restP95Ms: Number(percentile(restTimes, 95).toFixed(2)),
        ratioOfMedians: Number((mcpMedian / restMedian).toFixed(2)),
        requests,
      },
    };
  } finally {
    await app.close();
    await baton.store.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** `node bench/mcp.ts`: this section alone. */
if (import.meta.main) {
  const result = await benchMcp({ progress: (text) => process.stderr.write(`${text}\n`) });
  console.log(JSON.stringify(result, null, 2));
}
