// The server around the routes: security headers, request ids, errors as problem+json from one mapping,
// body limits, logs without secrets, plugins mounted in their own scope, and the token cache's expiry.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../../src/app/errors.ts';
import { type ServerPlugin, securityHeaders } from '../../../src/interfaces/http/server.ts';
import { openAndSubmit, SOW, startServer, type TestServer } from './http-fixture.ts';

describe('security headers and request ids', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.close());

  for (const [what, url, who] of [
    ['an API answer', '/api/me', 'cro'],
    ['an API error', '/api/me', null],
    ['an unknown API path', '/api/nowhere', null],
    ['the OpenAPI document', '/openapi.json', null],
  ] as const)
    it(`${what} carries the machine headers: a CSP that allows nothing, nosniff, no framing, same-origin`, async () => {
      const r = await t.call(who, 'GET', url);
      assert.equal(r.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'");
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
      assert.equal(r.headers['x-frame-options'], 'DENY');
      assert.equal(r.headers['cross-origin-resource-policy'], 'same-origin');
      // Over plain HTTP, no HSTS (RFC 6797, 7.2); see the HTTPS case below.
      assert.equal(r.headers['strict-transport-security'], undefined);
      assert.equal(r.headers['x-powered-by'], undefined);
      assert.match(String(r.headers['content-type']), /json/);
    });

  for (const [what, url, who] of [['an unknown page', '/nowhere', null]] as const)
    it(`${what} carries a strict CSP, nosniff, a referrer policy and no framing`, async () => {
      const r = await t.call(who, 'GET', url);
      const csp = String(r.headers['content-security-policy']);
      assert.match(csp, /(^|;)default-src 'self'(;|$)/);
      assert.match(csp, /(^|;)script-src 'self'(;|$)/);
      assert.match(csp, /(^|;)frame-ancestors 'none'(;|$)/);
      assert.match(csp, /(^|;)object-src 'none'(;|$)/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
      assert.equal(r.headers['referrer-policy'], 'same-origin');
      assert.equal(r.headers['x-frame-options'], 'DENY');
      assert.equal(r.headers['x-powered-by'], undefined);
    });

  it('sends HSTS only over HTTPS: here behind a trusted proxy that says so, on pages and answers alike', async () => {
    const proxied = await startServer({ server: { trustProxy: true } });
    try {
      for (const url of ['/api/me', '/nowhere']) {
        const https = await proxied.call('cro', 'GET', url, undefined, { 'x-forwarded-proto': 'https' });
        assert.match(String(https.headers['strict-transport-security']), /^max-age=\d+/, url);
        const http = await proxied.call('cro', 'GET', url);
        assert.equal(http.headers['strict-transport-security'], undefined, url);
        assert.equal(http.headers['x-content-type-options'], 'nosniff', url);
      }
    } finally {
      await proxied.close();
    }
  });

  it('extra CSP directives replace the defaults only where given', () => {
    const headers = securityHeaders({
      defaultSrc: ["'self'"],
      imgSrc: ["'self'", 'https://cdn.example.com'],
    });
    assert.equal(
      headers['content-security-policy'],
      "default-src 'self';img-src 'self' https://cdn.example.com",
    );
  });

  it('gives every answer a request id, keeps a well-formed one from a proxy and replaces anything else', async () => {
    const fresh = await t.call('cro', 'GET', '/api/me');
    assert.match(String(fresh.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const kept = await t.call('cro', 'GET', '/api/me', undefined, { 'x-request-id': 'lb-7f3a.42' });
    assert.equal(kept.headers['x-request-id'], 'lb-7f3a.42');
    const replaced = await t.call('cro', 'GET', '/api/me', undefined, { 'x-request-id': 'a b\tc' });
    assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const problem = await t.call(null, 'GET', '/api/me', undefined, { 'x-request-id': 'trace-1' });
    assert.equal(JSON.parse(problem.body).requestId, 'trace-1');
  });
});

describe('errors as application/problem+json', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({
      server: {
        bodyLimit: 4096,
        plugins: [
          (app) => {
            app.get('/boom', async () => {
              throw new Error('database password is hunter2');
            });
          },
        ],
      },
    });
  });
  after(() => t.close());

  const raw = (payload: string, contentType = 'application/json') =>
    t.app.inject({
      method: 'POST',
      url: '/api/handoffs',
      headers: { authorization: `Bearer ${t.tokens.cro}`, 'content-type': contentType },
      payload,
    });

  it('400 for malformed JSON and for an empty JSON body', async () => {
    for (const payload of ['{"sow": ', '']) {
      const r = await raw(payload);
      assert.equal(r.statusCode, 400, r.body);
      assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
      assert.equal(JSON.parse(r.body).kind, 'malformed');
    }
  });

  it('415 for a body that is not JSON, 413 for one over the limit', async () => {
    const text = await raw('sow=SOW-2026-014', 'text/plain');
    assert.equal(text.statusCode, 415, text.body);
    assert.equal(JSON.parse(text.body).kind, 'unsupported-media-type');
    const big = await raw(JSON.stringify({ sow: 'x'.repeat(5000) }));
    assert.equal(big.statusCode, 413, big.body);
    assert.equal(JSON.parse(big.body).kind, 'too-large');
  });

  it('404 for an unknown path, with the path in the problem', async () => {
    const r = await t.call('cro', 'DELETE', '/api/handoffs/SOW-2026-014');
    assert.equal(r.statusCode, 404);
    const problem = JSON.parse(r.body);
    assert.equal(problem.instance, '/api/handoffs/SOW-2026-014');
    assert.equal(problem.kind, 'not-found');
  });

  it('500 for an unexpected error, with nothing of the error in the answer', async () => {
    const r = await t.call(null, 'GET', '/boom');
    assert.equal(r.statusCode, 500);
    assert.doesNotMatch(r.body, /hunter2|password/);
    assert.equal(JSON.parse(r.body).kind, 'internal');
  });

  it('describes each problem type at its type URI', async () => {
    const problem = JSON.parse((await t.call(null, 'GET', '/api/me')).body);
    const described = await t.call(null, 'GET', problem.type);
    assert.equal(described.statusCode, 200);
    assert.match(described.body, /Authorization: Bearer TOKEN/);
    assert.equal((await t.call(null, 'GET', '/api/problems/nonsense')).statusCode, 404);
  });
});

describe('logs', () => {
  it('record requests with their id and path, never the token, the cookie or the query string', async () => {
    const lines: string[] = [];
    const t = await startServer({ server: { logger: { stream: { write: (line) => lines.push(line) } } } });
    try {
      const secretCookie = 'baton_session=s3cr3t-cookie-value';
      const ok = await t.call('cs', 'GET', '/api/handoffs?state=opened', undefined, { cookie: secretCookie });
      assert.equal(ok.statusCode, 200);
      await t.app.inject({
        method: 'GET',
        url: '/api/me',
        headers: { authorization: 'Bearer baton_wrong-token-abcdef', cookie: secretCookie },
      });
      const log = lines.join('');
      assert.ok(lines.length >= 4, 'each request logs its start and end');
      for (const secret of [t.tokens.cs, 'baton_wrong-token-abcdef', 's3cr3t-cookie-value', 'state=opened'])
        assert.ok(!log.includes(secret), `the log must not contain ${secret}`);
      const entries = lines.map((l) => JSON.parse(l));
      const incoming = entries.find((e) => e.req?.url === '/api/handoffs');
      assert.ok(incoming, log);
      assert.equal(incoming.reqId, ok.headers['x-request-id']);
      // The headers are logged, with the secret ones blanked.
      assert.equal(incoming.req.headers.authorization, '[redacted]');
      assert.equal(incoming.req.headers.cookie, '[redacted]');
    } finally {
      await t.close();
    }
  });
});

describe('plugins (how the dashboard and MCP mount)', () => {
  let t: TestServer;
  const seen: string[] = [];
  const web: ServerPlugin = (app, deps) => {
    // A plugin's hooks and error handler are its own.
    app.addHook('onRequest', async (_request, reply) => {
      reply.header('x-plugin', 'web');
    });
    app.setErrorHandler((error, request, reply) => {
      if (request.url.startsWith('/board')) return reply.code(401).type('text/html').send('<p>sign in</p>');
      return deps.sendProblem(request, reply, error);
    });
    app.get('/board', async (request) => {
      const actor = await deps.authenticate(request, 'web');
      seen.push(`${actor.name} via ${actor.via}`);
      return { board: actor.role };
    });
    app.post<{ Body: { token?: string } }>('/sign-in', async (request) => {
      const actor = await deps.actorForToken(request.body?.token, 'web');
      return { name: actor.name };
    });
    deps.setHtmlNotFound((_request, reply) =>
      reply.code(404).type('text/html').send('<h1>No such page</h1>'),
    );
  };
  const mcp: ServerPlugin = async (app, deps) => {
    app.post('/mcp', async (request) => {
      const actor = await deps.authenticate(request, 'mcp');
      const status = await deps.baton.store.db.selectFrom('handoffs').select('sow').execute();
      return { actor, handoffs: status.map((s) => s.sow) };
    });
  };
  before(async () => {
    t = await startServer({ server: { plugins: [web, mcp] } });
    await openAndSubmit(t);
  });
  after(() => t.close());

  it('a plugin signs people in with the same tokens, acting through its own interface', async () => {
    const r = await t.call('cs', 'GET', '/board');
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), { board: 'customer.success' });
    assert.deepEqual(seen, ['Casey Lin via web']);
    const mcpAnswer = JSON.parse((await t.call('ceo', 'POST', '/mcp', {})).body);
    assert.deepEqual(mcpAnswer.actor, { role: 'ceo', name: 'Dana Park', via: 'mcp' });
    assert.deepEqual(mcpAnswer.handoffs, [SOW]);
    const signIn = await t.call(null, 'POST', '/sign-in', { token: t.tokens.chief });
    assert.deepEqual(JSON.parse(signIn.body), { name: 'Chris Moss' });
  });

  it("a plugin's error handler and hooks stay in its scope", async () => {
    const page = await t.call(null, 'GET', '/board');
    assert.equal(page.statusCode, 401);
    assert.equal(page.headers['content-type'], 'text/html');
    assert.equal(page.headers['x-plugin'], 'web');
    assert.ok(page.headers['content-security-policy'], 'plugin answers get the security headers too');
    const api = await t.call(null, 'GET', '/api/me');
    assert.equal(api.headers['x-plugin'], undefined);
    assert.match(String(api.headers['content-type']), /problem\+json/);
    const mcpProblem = await t.call(null, 'POST', '/mcp', {});
    assert.equal(mcpProblem.statusCode, 401);
    assert.match(String(mcpProblem.headers['content-type']), /problem\+json/);
  });

  it('browsers get the HTML not-found page; API paths keep problem+json', async () => {
    const html = await t.call(null, 'GET', '/no-such-page', undefined, { accept: 'text/html,*/*' });
    assert.equal(html.statusCode, 404);
    assert.equal(html.body, '<h1>No such page</h1>');
    const api = await t.call(null, 'GET', '/api/no-such-thing', undefined, { accept: 'text/html' });
    assert.match(String(api.headers['content-type']), /problem\+json/);
    const script = await t.call(null, 'GET', '/no-such-page');
    assert.match(String(script.headers['content-type']), /problem\+json/);
  });
});

describe('token cache', () => {
  it('a disabled token stops working when its cached lookup expires', async () => {
    const t = await startServer({ server: { tokenCacheMs: 150 } });
    try {
      assert.equal((await t.call('cro', 'GET', '/api/me')).statusCode, 200);
      await t.baton.store.db
        .updateTable('users')
        .set({ disabled_at: '2026-05-14T14:00:00.000Z' })
        .where('name', '=', 'Carla Reyes')
        .execute();
      assert.equal((await t.call('cro', 'GET', '/api/me')).statusCode, 200, 'still cached');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const r = await t.call('cro', 'GET', '/api/me');
      assert.equal(r.statusCode, 401);
      assert.equal(JSON.parse(r.body).kind, 'unauthenticated');
    } finally {
      await t.close();
    }
  });

  it('with the cache off, a disabled token is refused on the next request', async () => {
    const t = await startServer({ server: { tokenCacheMs: 0 } });
    try {
      assert.equal((await t.call('ceo', 'GET', '/api/me')).statusCode, 200);
      await t.baton.store.db
        .updateTable('users')
        .set({ disabled_at: 'x' })
        .where('role', '=', 'ceo')
        .execute();
      assert.equal((await t.call('ceo', 'GET', '/api/me')).statusCode, 401);
    } finally {
      await t.close();
    }
  });

  it('maps the service layer kinds to statuses in one place', async () => {
    const { problemOf } = await import('../../../src/interfaces/http/problem.ts');
    const statuses = Object.fromEntries(
      (['bad-input', 'not-a-packet', 'not-found', 'conflict', 'refused', 'unauthenticated'] as const).map(
        (k) => [k, problemOf(new AppError(k, 'x')).status],
      ),
    );
    assert.deepEqual(statuses, {
      'bad-input': 422,
      'not-a-packet': 422,
      'not-found': 404,
      conflict: 409,
      refused: 403,
      unauthenticated: 401,
    });
  });
});
