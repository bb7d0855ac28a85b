// npm run bench: figures measured in one run, each as a ratio to a baseline measured beside it.
//   gate throughput: parse + 8 checks in process, packets/s (goal >= 10,000), against a bare markdown parse
//     measured in alternating slices (the machine's speed changes from second to second)
//   cold start: `baton gate FILE --json` against `node -e 0` (goal <= 2x)
//   event append with outbox (SQLite, durable): against a plain durable insert (goal >= 0.5x), see append.ts
//   MCP: a tool call in process against the service call, /mcp against the REST API (no goal), see mcp.ts
//   API: one handoff's status against a bare fastify route (goal >= 0.7x), the list's first page with
//     100,000 handoffs (goal p95 <= 50 ms), see api.ts
//   governance: one week's metrics and the 8-week series over 5,000 handoffs, against replaying them
//     all (no goal), see governance.ts
//   dashboard: the board's first page with 100,000 handoffs (goal p95 <= 50 ms), against bare fastify sending
//     the same page, see dashboard.ts
//   integrations: Slack posts through the outbox against posting directly (fake Slack), a submission with
//     the notification planner against one without (no goal), see integrations.ts
// Progress goes to stderr on a terminal; --json prints one object and nothing else.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import MarkdownIt from 'markdown-it';
import { Temporal } from 'temporal-polyfill';
import { gatePacketText } from '../src/app/gate-packet.ts';
import { builtInPlaybook } from '../src/domain/playbook/index.ts';
import { benchApi, printApiBench } from './api.ts';
import { benchAppend } from './append.ts';
import { benchDashboard, printDashboardBench } from './dashboard.ts';
import { benchGovernance, printGovernanceBench } from './governance.ts';
import { benchIntegrations, printIntegrationsBench } from './integrations.ts';
import { benchMcp } from './mcp.ts';

const json = process.argv.includes('--json');
const progress = (text: string) => {
  if (!json && process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
  else if (!json) process.stderr.write(`${text}\n`);
};
const project = join(import.meta.dirname, '..');
const root = join(project, 'examples/northwind');
const file = join(root, 'operations/handoffs/assessments/SOW-2026-014-handoff-packet.md');
const example = readFileSync(file, 'utf8');

// A few packets that exercise different paths: the example, a failing one, a bullet-layout one.
const packets = [
  example,
  example
    .replace('2026-05-13; received; ACH', '2026-05-13; pending; ACH')
    .replace('Dana Reyes;', 'John Doe;'),
  example
    .replace(/^\| ([^|]+?) \| (.*?) \|$/gm, (_m, label: string, value: string) =>
      label === 'Field' ? '' : `- **${label}:** ${value}`,
    )
    .replace(/^\| --- \| --- \|$/gm, ''),
];

/**
 * The rates of two workloads measured in alternating slices of 50 calls each. This machine's speed can
 * change from one second to the next; measured one after the other, the two rates could come from
 * different speeds, and it is their ratio that is compared.
 */
function alternatingRates(a: () => void, b: () => void, seconds: number): [number, number] {
  for (let i = 0; i < 200; i++) {
    a();
    b();
  }
  let countA = 0;
  let countB = 0;
  let msA = 0;
  let msB = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    let start = performance.now();
    for (let i = 0; i < 50; i++) a();
    msA += performance.now() - start;
    countA += 50;
    start = performance.now();
    for (let i = 0; i < 50; i++) b();
    msB += performance.now() - start;
    countB += 50;
  }
  return [countA / (msA / 1000), countB / (msB / 1000)];
}

const playbook = builtInPlaybook();
const submittedAt = Temporal.Instant.from('2026-05-14T14:00:00Z');
// The same parser configuration as src/domain/packet/parse.ts: CommonMark + tables, block level.
const markdown = new MarkdownIt('commonmark', { html: true }).enable('table');
markdown.core.ruler.disable(['inline', 'text_join']);
let k = 0;
let j = 0;
progress('gate throughput: parse + 8 checks, alternating with the bare markdown parse baseline (5 s)…');
const [gatePerSecond, parsePerSecond] = alternatingRates(
  () => {
    gatePacketText(packets[k++ % packets.length]!, file, { playbook, root, submittedAt });
  },
  () => {
    markdown.parse(packets[j++ % packets.length]!, {});
  },
  5,
);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function timeOnce(args: string[]): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: project,
    env: { ...process.env, BATON_NOW: '2026-05-14T14:00:00Z' },
    stdio: 'ignore',
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return performance.now() - start;
}
const runs = 25;
const nodeTimes: number[] = [];
const batonTimes: number[] = [];
const batonArgs = [join(project, 'bin/baton.js'), 'gate', file, '--json', '--root', root];
timeOnce(['-e', '0']);
timeOnce(batonArgs);
for (let i = 0; i < runs; i++) {
  progress(`cold start: run ${i + 1} of ${runs}…`);
  nodeTimes.push(timeOnce(['-e', '0']));
  batonTimes.push(timeOnce(batonArgs));
}
const append = await benchAppend({ progress });
const mcp = await benchMcp({ progress });
const api = await benchApi(progress);
const governance = await benchGovernance({ progress });
const dashboard = await benchDashboard(progress);
const integrations = await benchIntegrations({ progress });
if (!json && process.stderr.isTTY) process.stderr.write('\r\x1b[K');

const result = {
  gate: {
    packetsPerSecond: Math.round(gatePerSecond),
    bareMarkdownParsesPerSecond: Math.round(parsePerSecond),
    ratioToBareParse: Number((gatePerSecond / parsePerSecond).toFixed(3)),
    goalPacketsPerSecond: 10000,
    meetsGoal: gatePerSecond >= 10000,
  },
  coldStart: {
    batonGateMedianMs: Number(median(batonTimes).toFixed(1)),
    nodeEmptyMedianMs: Number(median(nodeTimes).toFixed(1)),
    ratio: Number((median(batonTimes) / median(nodeTimes)).toFixed(2)),
    goalRatio: 2,
    meetsGoal: median(batonTimes) / median(nodeTimes) <= 2,
    runs,
  },
  append,
  mcp,
  api,
  governance,
  dashboard,
  integrations,
};
if (json) console.log(JSON.stringify(result));
else {
  console.log(
    `gate throughput   ${result.gate.packetsPerSecond.toLocaleString('en-US')} packets/s (parse + 8 checks)`,
  );
  console.log(
    `                  ${result.gate.ratioToBareParse}x a bare markdown parse (${result.gate.bareMarkdownParsesPerSecond.toLocaleString('en-US')}/s); goal >= 10,000/s: ${result.gate.meetsGoal ? 'met' : 'NOT met'}`,
  );
  console.log(
    `cold start        baton gate ${result.coldStart.batonGateMedianMs} ms vs node -e 0 ${result.coldStart.nodeEmptyMedianMs} ms (median of ${runs})`,
  );
  console.log(
    `                  ratio ${result.coldStart.ratio}x; goal <= 2x: ${result.coldStart.meetsGoal ? 'met' : 'NOT met'}`,
  );
  console.log(
    `event append      ${append.batonEventsPerSecond.toLocaleString('en-US')} events/s (event + outbox effect, one per transaction, SQLite durable)`,
  );
  console.log(
    `                  ${append.ratioToPlainInsert}x a plain durable insert (${append.plainInsertsPerSecond.toLocaleString('en-US')}/s); goal >= ${append.goalRatio}x: ${append.meetsGoal ? 'met' : 'NOT met'}`,
  );
  console.log(
    `mcp in process    ${mcp.inProcess.toolCallsPerSecond.toLocaleString('en-US')} status tool calls/s (in-memory transport), ${mcp.inProcess.ratioToDirect}x the service call (${mcp.inProcess.directCallsPerSecond.toLocaleString('en-US')}/s)`,
  );
  console.log(
    `mcp over HTTP     status ${mcp.http.mcpMedianMs} ms median, ${mcp.http.mcpP95Ms} ms p95 (stateless /mcp) vs REST ${mcp.http.restMedianMs} ms / ${mcp.http.restP95Ms} ms: ${mcp.http.ratioOfMedians}x`,
  );
  printApiBench(api, (line) => console.log(line));
  printGovernanceBench(governance, (line) => console.log(line));
  printDashboardBench(dashboard, (line) => console.log(line));
  printIntegrationsBench(integrations, (line) => console.log(line));
}
