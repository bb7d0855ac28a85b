/**
 * An MCP test world: a knowledge root holding a copy of examples/northwind, a fresh store (SQLite or
 * Postgres, from the store test helper), a clock the test moves, and MCP clients connected in process
 * (the SDK's InMemoryTransport), each acting as one baton user.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { Temporal } from 'temporal-polyfill';
import { calendarFor } from '../../../src/app/calendar-for.ts';
import type { Baton } from '../../../src/app/handoff-context.ts';
import { fileWriteHandler } from '../../../src/app/outbox-dispatcher.ts';
import { loadPlaybook } from '../../../src/app/playbook-source.ts';
import { packetContent, parsePacket } from '../../../src/domain/packet/index.ts';
import type { ActorRef } from '../../../src/domain/workflow/index.ts';
import { createMcpServer } from '../../../src/interfaces/mcp/server.ts';
import type { TestPlace } from '../../store/dialects.ts';

export const project = join(import.meta.dirname, '../../..');
export const sow = 'SOW-2026-014';
export const packetRel = `operations/handoffs/assessments/${sow}-handoff-packet.md`;
export const examplePacket = readFileSync(join(project, 'examples/northwind', packetRel), 'utf8');
/** The day after payment: the example packet is on time. */
export const start = '2026-05-14T14:00:00Z';

export interface World {
  baton: Baton;
  root: string;
  /** Sets the clock (an ISO instant). */
  setNow(instant: string): void;
  /** An MCP client acting as `ROLE:NAME`; closed by `close()`. */
  agent(role: ActorRef['role'], name?: string): Promise<Client>;
  /** Lines the servers logged (unexpected errors). */
  logs: string[];
  close(): Promise<void>;
}

export async function createWorld(place: TestPlace): Promise<World> {
  cpSync(join(project, 'examples/northwind'), place.root, { recursive: true });
  const playbook = await loadPlaybook(undefined);
  let now = Temporal.Instant.from(start);
  const baton: Baton = {
    root: place.root,
    playbook,
    calendar: calendarFor(playbook),
    store: await place.open(),
    now: () => now,
    nowEpochMilliseconds: () => now.epochMilliseconds,
    planners: [],
    handlers: { 'file.write': fileWriteHandler(place.root) },
    worker: 'mcp-test',
  };
  const clients: Client[] = [];
  const logs: string[] = [];
  return {
    baton,
    root: place.root,
    logs,
    setNow(instant) {
      now = Temporal.Instant.from(instant);
    },
    async agent(role, name = role) {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      const server = createMcpServer(baton, { role, name, via: 'mcp' }, { log: (line) => logs.push(line) });
      await server.connect(serverSide);
      const client = new Client({ name: `test-${role}`, version: '1.0.0' });
      await client.connect(clientSide);
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.splice(0).map((c) => c.close()));
    },
  };
}

export async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** Calls a tool that must succeed; returns its structured content (and checks the text carries the same JSON). */
export async function ok(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await call(client, name, args);
  assert.notEqual(result.isError, true, `${name} failed: ${JSON.stringify(result.content)}`);
  assert.ok(result.structuredContent, `${name} gave no structured content`);
  const json = result.content.at(-1);
  assert.equal(json?.type, 'text');
  assert.deepEqual(
    JSON.parse((json as { text: string }).text),
    JSON.parse(JSON.stringify(result.structuredContent)),
  );
  // biome-ignore lint/suspicious/noExplicitAny: tests read whichever fields the tool returns
  return result.structuredContent as Record<string, any>;
}

export interface ErrorContent {
  kind: string;
  message: string;
  where?: string;
  rule?: string;
  allowed?: string[];
}

/** Calls a tool that must fail; returns `structuredContent.error` (and the text the agent reads). */
export async function fails(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await call(client, name, args);
  assert.equal(
    result.isError,
    true,
    `${name} should have failed: ${JSON.stringify(result.structuredContent)}`,
  );
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  assert.doesNotMatch(text, /\n\s+at /, 'no stack trace');
  return { ...(result.structuredContent as { error: ErrorContent }).error, text };
}

/** The example packet's fields by playbook id, as an agent would fill them in for `draft_packet`. */
export function exampleFields(playbook: Baton['playbook']): Record<string, string> {
  const parsed = parsePacket(examplePacket, playbook, {});
  assert.ok(parsed.ok);
  return packetContent(parsed.packet).values;
}

export const openArgs = { sow, sowSigned: '2026-05-12', paymentConfirmed: '2026-05-13T15:00:00Z' };

/** The text of a prompt's one message. */
export function promptText(result: GetPromptResult): string {
  assert.equal(result.messages.length, 1);
  const content = result.messages[0]?.content;
  assert.equal(content?.type, 'text');
  return (content as { text: string }).text;
}
