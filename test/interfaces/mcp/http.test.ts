/**
 * MCP over Streamable HTTP: the /mcp plugin on a plain fastify listening on 127.0.0.1, driven by the SDK's
 * client and by raw requests; every request signs in with the user's API token.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import Fastify, { type FastifyInstance } from 'fastify';
import { addUser } from '../../../src/app/users.ts';
import { mcpHttpPlugin } from '../../../src/interfaces/mcp/http.ts';
import { readStream } from '../../../src/store/index.ts';
import { forEachDialect } from '../../store/dialects.ts';
import { createWorld, openArgs, sow, type World } from './mcp-fixture.ts';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

forEachDialect('MCP over Streamable HTTP', ({ place }) => {
  let world: World;
  let app: FastifyInstance;
  let url: URL;
  const clients: Client[] = [];
  const errors: string[] = [];

  beforeEach(async () => {
    world = await createWorld(place());
    app = Fastify({
      logger: { level: 'error', stream: { write: (line: string) => errors.push(line) } },
    });
    await app.register(async (scope) => mcpHttpPlugin(scope, { baton: world.baton }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    url = new URL(`http://127.0.0.1:${address.port}/mcp`);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await app.close();
    await world.close();
    assert.deepEqual(errors.splice(0), []);
  });

  async function connect(token: string): Promise<Client> {
    const client = new Client({ name: 'http-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    clients.push(client);
    return client;
  }

  const post = (body: string, headers: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body,
    });

  it('each token acts as its own user: the CRO opens and submits, may not acknowledge; customer.success does', async () => {
    const { token: croToken } = await addUser(world.baton, 'Casey', 'cro');
    const { token: csToken } = await addUser(world.baton, 'Robin', 'customer.success');
    const cro = await connect(croToken);
    assert.match(cro.getInstructions() ?? '', /as cro "Casey"/);
    assert.equal((await cro.listTools()).tools.length, 18);

    const opened = (await cro.callTool({ name: 'open', arguments: openArgs })) as CallToolResult;
    assert.equal((opened.structuredContent as { state: string }).state, 'opened');
    await cro.callTool({ name: 'submit', arguments: { sow } });
    const refused = (await cro.callTool({ name: 'ack', arguments: { sow } })) as CallToolResult;
    assert.equal(refused.isError, true);
    assert.equal(
      (refused.structuredContent as { error: { rule: string } }).error.rule,
      'separation-of-duties',
    );

    const cs = await connect(csToken);
    const acked = (await cs.callTool({
      name: 'ack',
      arguments: { sow, attestations: [{ check: 'crm-item-exists', reason: 'checked in Monday.com' }] },
    })) as CallToolResult;
    assert.notEqual(acked.isError, true, JSON.stringify(acked.content));
    assert.equal((acked.structuredContent as { state: string }).state, 'acknowledged');

    const packet = await cs.readResource({ uri: `baton://handoffs/${sow}/packet` });
    assert.match((packet.contents[0] as { text: string }).text, /Northwind Partners/);

    const history = (await cs.callTool({ name: 'history', arguments: { sow } })) as CallToolResult;
    const actors = (history.structuredContent as { events: { type: string; actor: unknown }[] }).events
      .filter((e) => ['HandoffOpened', 'PacketAcknowledged'].includes(e.type))
      .map((e) => e.actor);
    assert.deepEqual(actors, [
      { role: 'cro', name: 'Casey', via: 'mcp' },
      { role: 'customer.success', name: 'Robin', via: 'mcp' },
    ]);
  });

  it('answers 401 with WWW-Authenticate without a token or with a bad one, and runs nothing', async () => {
    const none = await post(JSON.stringify(initialize), {});
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="baton"');
    assert.match(none.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(((await none.json()) as { kind: string }).kind, 'unauthenticated');

    const bad = await post(JSON.stringify(initialize), { authorization: 'Bearer baton_not-a-token' });
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate') ?? '', /invalid_token/);
    const body = await bad.text();
    assert.doesNotMatch(body, /baton_not-a-token/, 'the token is not echoed');

    const malformed = await post(JSON.stringify(initialize), { authorization: 'Basic Y2FzZXk6cHc=' });
    assert.equal(malformed.status, 401);

    await assert.rejects(connect('baton_wrong'), /401/);
    const call = await post(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'open', arguments: openArgs },
      }),
      {},
    );
    assert.equal(call.status, 401);
    assert.deepEqual(await readStream(world.baton.store.db, sow), [], 'nothing was recorded');
  });

  it('signs in on every request: a disabled user is refused on the next call', async () => {
    const { token } = await addUser(world.baton, 'Casey', 'cro');
    const cro = await connect(token);
    await cro.callTool({ name: 'list', arguments: {} });
    await world.baton.store.db
      .updateTable('users')
      .set({ disabled_at: '2026-05-14T14:00:00.000Z' })
      .where('name', '=', 'Casey')
      .execute();
    await assert.rejects(cro.callTool({ name: 'list', arguments: {} }), /401/);
  });

  it('is stateless: GET and DELETE answer 405 (after sign-in); no session id is handed out', async () => {
    const { token } = await addUser(world.baton, 'Casey', 'cro');
    const authorization = `Bearer ${token}`;
    const get = await fetch(url, { headers: { authorization, accept: 'text/event-stream' } });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.equal((await fetch(url, { method: 'DELETE', headers: { authorization } })).status, 405);
    assert.equal((await fetch(url, { headers: { accept: 'text/event-stream' } })).status, 401);

    const init = await post(JSON.stringify(initialize), { authorization });
    assert.equal(init.status, 200);
    assert.equal(init.headers.get('mcp-session-id'), null);
    const answer = (await init.json()) as { result: { serverInfo: { name: string } } };
    assert.equal(answer.result.serverInfo.name, 'baton');
  });

  it('answers malformed JSON with JSON-RPC’s parse error, and a wrong media type with 415', async () => {
    const { token } = await addUser(world.baton, 'Casey', 'cro');
    const authorization = `Bearer ${token}`;
    const broken = await post('{"jsonrpc": "2.0", "id": 1, "method": ', { authorization });
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as { error: { code: number } }).error.code, -32700);
    const text = await fetch(url, {
      method: 'POST',
      headers: { authorization, 'content-type': 'text/plain', accept: 'application/json, text/event-stream' },
      body: 'hello',
    });
    assert.equal(text.status, 415);
  });
});
