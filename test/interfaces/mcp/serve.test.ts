/**
 * MCP over HTTP from the real `baton serve`: a user created with `baton user add` signs the SDK's
 * Streamable HTTP client in with the printed token and works the handoff as that user.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createTestPlace, type TestPlace } from '../../store/dialects.ts';
import { openArgs, project, sow, start } from './mcp-fixture.ts';

const bin = join(project, 'bin/baton.js');

describe('MCP on `baton serve` (the real binary)', () => {
  let place: TestPlace;
  let env: Record<string, string>;
  beforeEach(() => {
    place = createTestPlace('sqlite');
    cpSync(join(project, 'examples/northwind'), place.root, { recursive: true });
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      BATON_NOW: start,
      BATON_ROOT: place.root,
    };
  });
  afterEach(() => place.cleanup());

  function addUser(name: string, role: string): string {
    const r = spawnSync(process.execPath, [bin, 'user', 'add', name, '--role', role, '--json'], {
      cwd: project,
      env,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { token: string }).token;
  }

  function serve(): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--log-level', 'silent'], {
      cwd: project,
      env,
      stdio: 'pipe',
    });
    let out = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 20_000);
      child.stdout?.on('data', (chunk) => {
        out += chunk;
        const match = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve({ child, url: match[1] });
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited ${code}:\n${out}`));
      });
    });
  }

  it('signs in with the token `baton user add` printed and acts as that user', async () => {
    const token = addUser('Carla Reyes', 'cro');
    const { child, url } = await serve();
    const client = new Client({ name: 'serve-test', version: '1.0.0' });
    try {
      await client.connect(
        new StreamableHTTPClientTransport(new URL('/mcp', url), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      assert.match(client.getInstructions() ?? '', /as cro "Carla Reyes"/);
      const opened = (await client.callTool({ name: 'open', arguments: openArgs })) as CallToolResult;
      assert.equal((opened.structuredContent as { state: string }).state, 'opened');
      const history = (await client.callTool({ name: 'history', arguments: { sow } })) as CallToolResult;
      const [first] = (history.structuredContent as { events: { actor: unknown }[] }).events;
      assert.deepEqual(first?.actor, { role: 'cro', name: 'Carla Reyes', via: 'mcp' });
      const unauthenticated = await fetch(new URL('/mcp', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      assert.equal(unauthenticated.status, 401);
    } finally {
      await client.close();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });
});
