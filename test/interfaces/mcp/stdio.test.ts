/**
 * `baton mcp` as a real process on stdio: the SDK's stdio client drives it, a raw pipe checks that stdout
 * carries nothing but protocol messages and that requests read before stdin closes are all answered.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { readStream } from '../../../src/store/index.ts';
import { createTestPlace, type TestPlace } from '../../store/dialects.ts';
import { openArgs, project, sow, start } from './mcp-fixture.ts';

const bin = join(project, 'bin/baton.js');

function environment(root: string, actor?: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    BATON_ROOT: root,
    BATON_NOW: start,
    ...(actor ? { BATON_ACTOR: actor } : {}),
  };
}

/** Runs `baton mcp`, writes `lines` to its stdin and closes it; resolves with what it printed and its exit code. */
function pipe(env: Record<string, string>, lines: unknown[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'mcp'], { cwd: project, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  });
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '1' } },
};
const toolCall = (id: number, name: string, args: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});

describe('baton mcp (a real process on stdio)', () => {
  let place: TestPlace;
  beforeEach(() => {
    place = createTestPlace('sqlite');
    cpSync(join(project, 'examples/northwind'), place.root, { recursive: true });
  });
  afterEach(() => place.cleanup());

  it('serves the SDK’s stdio client as the user in BATON_ACTOR, recording what it does via mcp', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, 'mcp'],
      cwd: project,
      env: environment(place.root, 'cro:Casey'),
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      assert.equal(client.getServerVersion()?.name, 'baton');
      assert.match(client.getInstructions() ?? '', /as cro "Casey"/);
      const { tools } = await client.listTools();
      assert.ok(tools.some((t) => t.name === 'draft_packet'));

      const opened = (await client.callTool({ name: 'open', arguments: openArgs })) as CallToolResult;
      assert.notEqual(opened.isError, true, JSON.stringify(opened.content));
      assert.equal((opened.structuredContent as { state: string }).state, 'opened');
      const submitted = (await client.callTool({ name: 'submit', arguments: { sow } })) as CallToolResult;
      assert.equal((submitted.structuredContent as { state: string }).state, 'submitted');

      const refused = (await client.callTool({ name: 'ack', arguments: { sow } })) as CallToolResult;
      assert.equal(refused.isError, true);
      const error = (refused.structuredContent as { error: { rule: string; allowed: string[] } }).error;
      assert.equal(error.rule, 'separation-of-duties');
      assert.deepEqual(error.allowed, ['payment', 'intro', 'sweep']);

      const packet = await client.readResource({ uri: `baton://handoffs/${sow}/packet` });
      assert.match(
        (packet.contents[0] as { text: string }).text,
        /^# Assessment Handoff Packet: SOW-2026-014/,
      );
    } finally {
      await client.close();
    }
    assert.equal(stderr, '', 'nothing logged');

    const store = await place.open();
    const events = await readStream(store.db, sow);
    assert.deepEqual(
      [...new Set(events.map((e) => `${e.actor.role}:${e.actor.name}:${e.actor.via}`))],
      ['cro:Casey:mcp'],
    );
    assert.ok(events.some((e) => e.type === 'PacketSubmitted'));
  });

  it('prints only protocol messages on stdout and answers every request read before stdin closed', async () => {
    const { code, stdout, stderr } = await pipe(environment(place.root, 'cro:Casey'), [
      initialize,
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      toolCall(2, 'open', openArgs),
      toolCall(3, 'ack', { sow }),
      toolCall(4, 'open', { ...openArgs, sowSigned: 'yesterday' }),
    ]);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    const lines = stdout.split('\n').filter((l) => l !== '');
    const messages = lines.map(
      (l) => JSON.parse(l) as { jsonrpc: string; id: number; result: CallToolResult },
    );
    assert.ok(messages.every((m) => m.jsonrpc === '2.0'));
    assert.deepEqual(messages.map((m) => m.id).sort(), [1, 2, 3, 4]);
    const structured = (id: number) => {
      const result = messages.find((m) => m.id === id)?.result;
      assert.ok(result, `an answer to request ${id}`);
      // biome-ignore lint/suspicious/noExplicitAny: the answers' shapes differ by tool
      return result.structuredContent as Record<string, any>;
    };
    assert.equal(structured(2).state, 'opened');
    assert.equal(structured(3).error.rule, 'separation-of-duties');
    assert.equal(structured(4).error.where, 'sowSigned');
  });

  it('refuses to start without an actor, saying how on stderr and leaving stdout empty', async () => {
    const { code, stdout, stderr } = await pipe(environment(place.root), [initialize]);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /BATON_ACTOR/);
    const unknownRole = await pipe(environment(place.root, 'intern'), [initialize]);
    assert.equal(unknownRole.code, 2);
    assert.equal(unknownRole.stdout, '');
    assert.match(unknownRole.stderr, /unknown role "intern"/);
  });
});
