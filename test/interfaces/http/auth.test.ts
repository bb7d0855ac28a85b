// The token cache's answer without waiting (what the API's sign-in hook uses first): only a fresh cached
// lookup counts, it is the same user as the full lookup, and a malformed header is refused either way.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../src/app/errors.ts';
import { apiRoutes } from '../../../src/interfaces/http/api-routes.ts';
import { tokenAuthenticator } from '../../../src/interfaces/http/auth.ts';
import { people, startServer, type TestServer } from './http-fixture.ts';

const withHeader = (authorization?: string) =>
  ({ headers: authorization === undefined ? {} : { authorization } }) as FastifyRequest;

describe('tokenAuthenticator.cached', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.close());

  it('answers only after a lookup, with the same user, frozen and shared per interface', async () => {
    const auth = tokenAuthenticator(t.baton, { ttlMs: 60_000 });
    const request = withHeader(`Bearer ${t.tokens.cro}`);
    assert.equal(auth.cached(request, 'http'), undefined, 'nothing cached yet');
    const looked = await auth.authenticate(request, 'http');
    const cached = auth.cached(request, 'http');
    assert.deepEqual(cached, looked);
    assert.deepEqual(cached, { role: people.cro.role, name: people.cro.name, via: 'http' });
    assert.ok(Object.isFrozen(cached));
    assert.equal(auth.cached(request, 'http'), cached);
    assert.deepEqual(auth.cached(request, 'mcp'), { role: 'cro', name: 'Carla Reyes', via: 'mcp' });
    assert.equal(await auth.authenticate(request, 'http'), cached, 'a cached full lookup is the same');
    auth.clear();
    assert.equal(auth.cached(request, 'http'), undefined, 'cleared');
  });

  it('never answers with the cache off, for an unknown token or without a header', async () => {
    const off = tokenAuthenticator(t.baton, { ttlMs: 0 });
    const request = withHeader(`Bearer ${t.tokens.ceo}`);
    await off.authenticate(request, 'http');
    assert.equal(off.cached(request, 'http'), undefined);
    const auth = tokenAuthenticator(t.baton, { ttlMs: 60_000 });
    const unknown = withHeader('Bearer baton_not-a-real-token');
    await assert.rejects(auth.authenticate(unknown, 'http'), /not valid/);
    assert.equal(auth.cached(unknown, 'http'), undefined);
    assert.equal(auth.cached(withHeader(), 'http'), undefined);
  });

  it('refuses a malformed Authorization header even when its token is cached', async () => {
    const auth = tokenAuthenticator(t.baton, { ttlMs: 60_000 });
    await auth.authenticate(withHeader(`Bearer ${t.tokens.cs}`), 'http');
    assert.throws(
      () => auth.cached(withHeader(`Basic ${t.tokens.cs}`), 'http'),
      (e: unknown) => e instanceof AppError && e.kind === 'unauthenticated',
    );
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Basic ${t.tokens.cro}` },
    });
    assert.equal(r.statusCode, 401);
  });

  it('the API answers a cached sign-in as the same user, and with the same headers, as the first', async () => {
    const first = await t.call('salesOps', 'GET', '/api/me');
    const second = await t.call('salesOps', 'GET', '/api/me');
    assert.equal(first.statusCode, 200);
    assert.deepEqual(JSON.parse(second.body), JSON.parse(first.body));
    assert.deepEqual(JSON.parse(second.body), { name: 'Sam Ortiz', role: 'sales.ops', via: 'http' });
    const names = (r: typeof first) => Object.keys(r.headers).sort();
    assert.deepEqual(names(second), names(first));
    assert.equal(second.headers['cache-control'], 'no-store');
  });

  it('every API route signs in (HEAD too) but the public ones, and all of them say no-store', async () => {
    const url = (u: string) => u.replace(':sow', 'SOW-2026-014').replace(':id', 'ESC-SOW-2026-014-1');
    const signedIn = [...apiRoutes.map((r) => [r.method, url(r.url)] as const), ['GET', '/api/me'] as const];
    for (const [method, path] of [...signedIn, ['HEAD', '/api/me'] as const]) {
      const r = await t.app.inject({ method, url: path });
      assert.equal(r.statusCode, 401, `${method} ${path}`);
      assert.equal(r.headers['cache-control'], 'no-store', `${method} ${path}`);
    }
    for (const [method, path] of [
      ['GET', '/api/health'],
      ['HEAD', '/api/health'],
      ['GET', '/api/problems/conflict'],
    ] as const) {
      const r = await t.app.inject({ method, url: path });
      assert.equal(r.statusCode, 200, `${method} ${path}`);
      assert.equal(r.headers['cache-control'], 'no-store', `${method} ${path}`);
    }
  });
});
