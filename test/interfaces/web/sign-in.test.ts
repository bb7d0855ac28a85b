import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { addUser } from '../../../src/app/users.ts';
import { csrfIn, type Dashboard, formBody, startDashboard } from './web-fixture.ts';

function setCookie(r: LightMyRequestResponse, name: string): string | undefined {
  return [r.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith(`${name}=`));
}

describe('dashboard sign-in', () => {
  let t: Dashboard;
  before(async () => {
    t = await startDashboard();
  });
  after(() => t.close());

  const signInForm = async (next = '/') => {
    const page = await t.app.inject({ method: 'GET', url: `/sign-in?next=${encodeURIComponent(next)}` });
    const pre = setCookie(page, 'baton_signin')?.split(';')[0] ?? '';
    return { page, pre, csrf: csrfIn(page.body) ?? '' };
  };
  const post = (cookie: string, form: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody(form),
    });

  it('the sign-in page has a labelled token field and a pre-session CSRF cookie bound to /sign-in', async () => {
    const { page, pre, csrf } = await signInForm();
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<label for="token">Your API token<\/label>/);
    assert.match(page.body, /<input type="password" id="token" name="token" required/);
    assert.ok(csrf.length >= 40);
    assert.equal(pre, `baton_signin=${csrf}`);
    const attributes = setCookie(page, 'baton_signin') ?? '';
    assert.match(attributes, /HttpOnly/);
    assert.match(attributes, /SameSite=Strict/);
    assert.match(attributes, /Path=\/sign-in/);
  });

  it('a valid token starts a session: an HttpOnly, SameSite=Strict cookie, and a redirect to where you were going', async () => {
    const { pre, csrf } = await signInForm('/escalations');
    const r = await post(pre, { _csrf: csrf, token: t.tokens.cs, next: '/escalations' });
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/escalations');
    const cookie = setCookie(r, 'baton_session') ?? '';
    assert.match(cookie, /^baton_session=[A-Za-z0-9_-]{43};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\//);
    assert.doesNotMatch(cookie, /Secure/, 'plain http in tests: not Secure');
    const page = await t.app.inject({
      method: 'GET',
      url: '/escalations',
      headers: { cookie: cookie.split(';')[0] ?? '' },
    });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Signed in as <strong>Casey Lin<\/strong> \(customer.success\)/);
  });

  it('the store keeps only a hash of the session id', async () => {
    const { pre, csrf } = await signInForm();
    const r = await post(pre, { _csrf: csrf, token: t.tokens.cro, next: '/' });
    const id = (setCookie(r, 'baton_session') ?? '').split(';')[0]?.split('=')[1] ?? '';
    const rows = await t.baton.store.db.selectFrom('sessions').selectAll().execute();
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.notEqual(row.id_hash, id);
      assert.ok(!JSON.stringify(row).includes(id));
    }
  });

  it('a wrong token is a 401 page saying so; no session', async () => {
    const { pre, csrf } = await signInForm();
    const r = await post(pre, { _csrf: csrf, token: 'baton_not-a-real-token', next: '/' });
    assert.equal(r.statusCode, 401);
    assert.match(r.body, /this token is not valid/);
    assert.equal(setCookie(r, 'baton_session'), undefined);
    const empty = await post(pre, { _csrf: csrf, token: '', next: '/' });
    assert.equal(empty.statusCode, 401);
    assert.match(empty.body, /Paste the API token/);
  });

  it('the sign-in form without its CSRF token (or with a forged pair) is refused', async () => {
    const { pre, csrf } = await signInForm();
    const missing = await post(pre, { token: t.tokens.cs });
    assert.equal(missing.statusCode, 403);
    assert.match(missing.body, /csrf-token/);
    const noCookie = await post('', { _csrf: csrf, token: t.tokens.cs });
    assert.equal(noCookie.statusCode, 403);
    const other = await signInForm();
    const mixed = await post(pre, { _csrf: other.csrf, token: t.tokens.cs });
    assert.equal(mixed.statusCode, 403);
    assert.equal(setCookie(mixed, 'baton_session'), undefined);
  });

  it('next never leads off the site', async () => {
    for (const next of [
      '//evil.example/x',
      'https://evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      const { pre, csrf } = await signInForm();
      const r = await post(pre, { _csrf: csrf, token: t.tokens.cs, next });
      assert.equal(r.statusCode, 303);
      assert.equal(r.headers.location, '/', next);
    }
  });

  it('signing out ends the session: the old cookie no longer works', async () => {
    const cs = await t.signIn('cs');
    const out = await cs.post('/sign-out');
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/sign-in');
    assert.match(setCookie(out, 'baton_session') ?? '', /Expires=Thu, 01 Jan 1970/);
    const again = await cs.get('/');
    assert.equal(again.statusCode, 303);
    assert.match(String(again.headers.location), /^\/sign-in/);
  });

  it('a session ends after 12 hours, and when its user is disabled', async () => {
    const cs = await t.signIn('cs');
    t.setNow('2026-05-15T01:59:00Z');
    assert.equal((await cs.get('/')).statusCode, 200);
    t.setNow('2026-05-15T02:00:00Z');
    assert.equal((await cs.get('/')).statusCode, 303);
    t.setNow('2026-05-14T14:00:00Z');
    const { token } = await addUser(t.baton, 'Temp Person', 'ceo');
    const { pre, csrf } = await signInForm();
    const r = await post(pre, { _csrf: csrf, token, next: '/' });
    const cookie = (setCookie(r, 'baton_session') ?? '').split(';')[0] ?? '';
    assert.equal((await t.app.inject({ method: 'GET', url: '/', headers: { cookie } })).statusCode, 200);
    await t.baton.store.db
      .updateTable('users')
      .set({ disabled_at: '2026-05-14T14:00:00.000Z' })
      .where('name', '=', 'Temp Person')
      .execute();
    assert.equal((await t.app.inject({ method: 'GET', url: '/', headers: { cookie } })).statusCode, 303);
  });

  it('already signed in, the sign-in page sends you on', async () => {
    const cs = await t.signIn('cs');
    const r = await cs.get('/sign-in?next=%2Fincidents');
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/incidents');
  });
});

describe('dashboard sign-in behind https', () => {
  it('marks the cookies Secure when the request came over https (trusted proxy)', async () => {
    const { buildServer } = await import('../../../src/interfaces/http/server.ts');
    const { registerWebRoutes } = await import('../../../src/interfaces/web/routes.ts');
    const t = await startDashboard();
    const app = buildServer(t.baton, { plugins: [registerWebRoutes], trustProxy: true });
    try {
      const https = { 'x-forwarded-proto': 'https' };
      const page = await app.inject({ method: 'GET', url: '/sign-in', headers: https });
      assert.match(setCookie(page, 'baton_signin') ?? '', /; Secure/);
      const pre = (setCookie(page, 'baton_signin') ?? '').split(';')[0] ?? '';
      const r = await app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { ...https, cookie: pre, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ _csrf: csrfIn(page.body) ?? '', token: t.tokens.cs, next: '/' }),
      });
      assert.equal(r.statusCode, 303);
      assert.match(setCookie(r, 'baton_session') ?? '', /; Secure/);
    } finally {
      await app.close();
      await t.close();
    }
  });
});
