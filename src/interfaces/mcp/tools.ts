/**
 * The MCP tools: one per operation of the service layer's table (every workflow command and query, the
 * gate), plus `draft_packet` and `metrics`. Each runs as the server's one actor, through the same service functions as the CLI and
 * the API, so every rule (roles, separation of duties, states, clocks) holds for an agent as for a person.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { HandoffGateReport } from '../../app/gate-queries.ts';
import type { Baton } from '../../app/handoff-context.ts';
import type { HistoryEntry, ListRow, StatusView, SweepDigest } from '../../app/handoff-queries.ts';
import type { CommandResult } from '../../app/handoffs.ts';
import { metricsInputSchema, metricsQuery } from '../../app/metrics-query.ts';
import { type OperationName, operations, runOperation } from '../../app/operations.ts';
import { type DraftResult, draftPacket, draftPacketSchema } from '../../app/packet-drafts.ts';
import type { HandoffMetrics } from '../../domain/metrics/index.ts';
import { type ActorRef, allowedCommands } from '../../domain/workflow/index.ts';
import { failure, type Log, success, toolName } from './results.ts';

const titles: Partial<Record<OperationName, string>> = {
  open: 'Open a handoff',
  payment: 'Record payment',
  submit: 'Submit the packet',
  attest: 'Attest a review check',
  ack: 'Acknowledge the packet',
  reject: 'Reject the packet',
  schedule: 'Schedule discovery',
  intro: 'Send the warm introduction',
  approveDeviation: 'Approve a scope deviation',
  flag: 'Flag a quality concern',
  resolve: 'Resolve an escalation',
  sweep: 'Daily sweep',
  status: 'Handoff status',
  list: 'List handoffs',
  history: 'Handoff history',
  gate: 'Run the quality gate',
};

const described = new WeakMap<z.ZodType, z.ZodType>();

/**
 * The schema a tool is registered with: it advertises exactly the operation's JSON Schema (generated from
 * its zod schema) but accepts any object, so that validation happens once, in the service layer, and a bad
 * field comes back as the same `bad-input` error (naming the field) as from the CLI and the API.
 */
function describedBy(schema: z.ZodType): z.ZodType {
  let wrapper = described.get(schema);
  if (!wrapper) {
    const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, { io: 'input', target: 'draft-7' });
    wrapper = z.object({}).catchall(z.unknown()).meta(jsonSchema);
    described.set(schema, wrapper);
  }
  return wrapper;
}

const queryHints: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
const commandHints: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};

interface Presented {
  summary: string;
  structured: Record<string, unknown>;
}

/** What an actor may do now, as tool names. */
function nextTools(allowed: string[]): string {
  return allowed.length > 0 ? allowed.map(toolName).join(', ') : 'nothing on this handoff';
}

function presentCommand(result: CommandResult, actor: ActorRef): Presented {
  const allowed = allowedCommands(result.state, actor).map(toolName);
  const recorded =
    result.events.length > 0
      ? `recorded ${result.events.map((e) => e.type).join(', ')}`
      : 'nothing to record';
  return {
    summary: `${result.sow} is ${result.state.state} (version ${result.state.version}): ${recorded}.${result.state.warnings.length > 0 ? `\nwarnings: ${result.state.warnings.join('; ')}` : ''}\nyou may now: ${nextTools(allowed)}`,
    structured: {
      sow: result.sow,
      state: result.state.state,
      version: result.state.version,
      events: result.events,
      warnings: result.state.warnings,
      allowed,
    },
  };
}

function presentGate(report: HandoffGateReport): string {
  const lines = [`gate ${report.verdict} for ${report.sow} (${report.source}, ${report.file})`];
  for (const check of report.checks) {
    lines.push(`${check.status.padEnd(6)} ${check.id}`);
    for (const f of check.findings) lines.push(`       ${f.field} (line ${f.line}): ${f.message}`);
  }
  return lines.join('\n');
}

const percent = (rate: number | null): string => (rate === null ? 'n/a' : `${Math.round(rate * 100)}%`);
const hours = (h: number | null): string => (h === null ? 'n/a' : `${h.toFixed(1)} h`);

function summarizeMetrics(m: HandoffMetrics): string {
  return [
    `metrics for ${m.period.label}: ${m.handoffs.opened} opened, ${m.handoffs.submitted} submitted, ${m.reviews.total} reviewed`,
    `first-pass pass rate ${percent(m.passRate.firstPass.rate)} (${m.passRate.firstPass.passed} of ${m.passRate.firstPass.of}), overall ${percent(m.passRate.overall.rate)}`,
    `time to acknowledge: median ${hours(m.timeToAcknowledge.businessHours.median)}, p90 ${hours(m.timeToAcknowledge.businessHours.p90)} (business hours)`,
    `failing most: ${m.failingChecks.map((c) => `${c.check} (${c.failures})`).join(', ') || 'none'}`,
  ].join('\n');
}

/** The structured content and text of an operation's result. */
function presentOperation(name: OperationName, value: unknown, actor: ActorRef): Presented {
  switch (name) {
    case 'status': {
      const view = value as StatusView;
      const allowed = (view.allowed ?? []).map(toolName);
      return {
        summary: `${view.sow} is ${view.state} (version ${view.version}); next deadlines: ${
          view.clocks
            .filter((c) => c.status === 'open')
            .map((c) => `${c.name} ${c.due}${c.overdue ? ' OVERDUE' : ''}`)
            .join(', ') || 'none open'
        }\nyou may now: ${nextTools(allowed)}`,
        structured: { ...view, allowed },
      };
    }
    case 'list': {
      const rows = value as ListRow[];
      return {
        summary: `${rows.length} handoff${rows.length === 1 ? '' : 's'}${rows.map((r) => `\n${r.sow} ${r.state} next due ${r.nextDue ?? '-'}${r.overdue ? ' OVERDUE' : ''}${r.escalated ? ' ESCALATED' : ''}`).join('')}`,
        structured: { handoffs: rows },
      };
    }
    case 'history': {
      const events = value as HistoryEntry[];
      return {
        summary: `${events.length} event${events.length === 1 ? '' : 's'}${events.map((e) => `\nv${e.version} ${e.at} ${e.type} by ${e.actor.role}:${e.actor.name} via ${e.actor.via}`).join('')}`,
        structured: { events },
      };
    }
    case 'sweep': {
      const digest = value as SweepDigest;
      return {
        summary: `sweep at ${digest.at}: ${digest.recorded.length} new record(s), ${digest.dueToday.length} due today, ${digest.overdue.length} overdue, ${digest.escalationsOpen.length} escalation(s) and ${digest.incidentsOpen.length} incident(s) open`,
        structured: { ...digest },
      };
    }
    case 'gate': {
      const report = value as HandoffGateReport;
      return { summary: presentGate(report), structured: { ...report } };
    }
    default:
      if (isCommandResult(value)) return presentCommand(value, actor);
      // An operation added to the table later, before it has a presentation of its own.
      return {
        summary: `${toolName(name)}: done`,
        structured: Array.isArray(value) ? { items: value } : { ...(value as Record<string, unknown>) },
      };
  }
}

function isCommandResult(value: unknown): value is CommandResult {
  const v = value as Partial<CommandResult> | null;
  return typeof v?.sow === 'string' && Array.isArray(v.events) && typeof v.state?.version === 'number';
}

/** Runs a tool's work and maps what it throws, so no call ever ends in a protocol error or a stack trace. */
async function answer(tool: string, log: Log, work: () => Promise<Presented>): Promise<CallToolResult> {
  try {
    const { summary, structured } = await work();
    return success(summary, structured);
  } catch (e) {
    return failure(e, tool, log);
  }
}

export function registerTools(server: McpServer, baton: Baton, actor: ActorRef, log: Log): void {
  for (const operation of Object.values(operations)) {
    const name = toolName(operation.name);
    server.registerTool(
      name,
      {
        title: titles[operation.name] ?? name,
        description: operation.summary,
        inputSchema: describedBy(operation.schema),
        annotations: operation.kind === 'query' ? queryHints : commandHints,
      },
      (args: unknown) =>
        answer(name, log, async () =>
          presentOperation(operation.name, await runOperation(baton, actor, operation.name, args), actor),
        ),
    );
  }

  server.registerTool(
    'draft_packet',
    {
      title: 'Draft the packet',
      description:
        "Write the handoff packet at the SOP path from the playbook's fields (cro, sales.ops), then run the gate on it and return its findings. Refuses to replace an existing packet unless overwrite is true. Fix what the gate finds and draft again, then submit.",
      inputSchema: describedBy(draftPacketSchema(baton.playbook)),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args: unknown) =>
      answer('draft_packet', log, async () => {
        const draft: DraftResult = await draftPacket(baton, actor, args);
        return {
          summary: `${draft.overwritten ? 'replaced' : 'wrote'} ${draft.file} (${draft.filled.length} fields filled)\n${presentGate(draft.gate)}`,
          structured: { ...draft },
        };
      }),
  );

  // Until the operations table has metrics of its own (then the loop above registers it).
  if (!Object.hasOwn(operations, 'metrics'))
    server.registerTool(
      'metrics',
      {
        title: 'Handoff quality metrics',
        description:
          "The Chief of Staff's metrics for an ISO week (default: this week) or a range of dates, from the event log: handoffs opened and submitted, first-pass and overall pass rates, rejections per handoff, time to acknowledge (median, p90; wall-clock and business hours), clocks met and missed, escalations and incidents by kind, the checks that fail most.",
        inputSchema: describedBy(metricsInputSchema),
        annotations: queryHints,
      },
      (args: unknown) =>
        answer('metrics', log, async () => {
          const m = await metricsQuery(baton, args);
          return { summary: summarizeMetrics(m), structured: { ...m } };
        }),
    );
}
