/**
 * baton as a Model Context Protocol server: an AI agent runs the handoff as one baton user, through the
 * same service layer (and so the same rules) as people on the CLI, the API and the dashboard.
 * Transports: stdio (`baton mcp`, ./stdio.ts) and Streamable HTTP at /mcp (./http.ts).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import packageJson from '../../../package.json' with { type: 'json' };
import type { Baton } from '../../app/handoff-context.ts';
import type { ActorRef } from '../../domain/workflow/index.ts';
import { registerPrompts } from './prompts.ts';
import { registerResources } from './resources.ts';
import { type Log, stderrLog } from './results.ts';
import { registerTools } from './tools.ts';

export interface McpServerOptions {
  /** Diagnostics (unexpected errors); default stderr. Never stdout: over stdio it carries the protocol. */
  log?: Log;
}

function instructions(actor: ActorRef): string {
  return [
    `You act in baton as ${actor.role} "${actor.name}": every tool call is recorded under that name and checked against the handoff rules exactly as a person's would be.`,
    'A refused call returns isError with structuredContent.error: kind, message, rule, the field (where) and `allowed`, the tools you may call on that handoff now. Read it and change course; do not retry the same call.',
    'status tells you the state, the clocks and what you may do; the packet, report, submitted versions, incidents and the playbook are resources (baton://...). The assemble_packet prompt walks through writing a packet from deal notes.',
  ].join('\n');
}

/** An MCP server acting as `actor`, not yet connected to a transport. */
export function createMcpServer(baton: Baton, actor: ActorRef, options: McpServerOptions = {}): McpServer {
  const log = options.log ?? stderrLog;
  const server = new McpServer(
    { name: 'baton', title: 'baton: the sales-to-delivery handoff', version: packageJson.version },
    { instructions: instructions(actor) },
  );
  registerTools(server, baton, actor, log);
  registerResources(server, baton, log);
  registerPrompts(server, baton, actor);
  return server;
}
