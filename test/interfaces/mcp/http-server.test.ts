/**
 * /mcp mounted on baton's own server (`buildServer`, as `baton serve` runs it): its token sign-in, its
 * problem+json errors and its security headers apply to MCP as to the rest of the API.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance } from 'fastify';
import { addUser } from '../../../src/app/users.ts';
import { buildServer } from '../../../src/interfaces/http/server.ts';
import { mcpHttpPlugin } from '../../../src/interfaces/mcp/http.ts';
import { forEachDialect } from '../../store/dialects.ts';
import { createWorld, openArgs, sow, type World } from './mcp-fixture.ts';

forEachDialect('MCP on baton’s server', ({ place }) => {
  let world: World;
  let app: FastifyInstance;
  let url: URL;

  beforeEach(async () => {
    world = await createWorld(place());
    app = buildServer(world.baton, { plugins: [mcpHttpPlugin], tokenCacheMs: 0 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    url = new URL(`http://127.0.0.1:${address.port}/mcp`);
  });
  afterEach(async () => {
    await app.close();
    await world.close();
  });

  it('serves the SDK client as the token’s user, with the server’s security headers', async () => {
    const { token } = await addUser(world.baton, 'Casey', 'cro');
    const seen: Headers[] = [];
    const client = new Client({ name: 'server-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          seen.push(response.headers);
          return response;
        },
      }),
    );
    try {
      const opened = (await client.callTool({ name: 'open', arguments: openArgs })) as CallToolResult;
      assert.equal((opened.structuredContent as { state: string }).state, 'opened');
      const status = (await client.callTool({ name: 'status', arguments: { sow } })) as CallToolResult;
      assert.ok((status.structuredContent as { allowed: string[] }).allowed.includes('submit'));
    } finally {
      await client.close();
    }
    assert.ok(seen.length >= 3);
    for (const headers of seen) {
      assert.ok(headers.get('x-request-id'));
      assert.equal(headers.get('content-security-policy'), "default-src 'none';frame-ancestors 'none'");
      assert.equal(headers.get('x-content-type-options'), 'nosniff');
    }
  });

  it('answers a missing token with the server’s problem+json 401', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
    const problem = (await response.json()) as { kind: string; status: number };
    assert.equal(problem.kind, 'unauthenticated');
    assert.equal(problem.status, 401);
  });
});
