import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { endSession, sameSecret, sessionFor, startSession } from '../../src/app/sessions.ts';
import { addUser } from '../../src/app/users.ts';
import { forEachDialect } from '../store/dialects.ts';
import { createWorld } from './app-fixture.ts';

forEachDialect('dashboard sessions', ({ place }) => {
  it('signs in with a token: the session names the user, via web, with a CSRF token; only a hash is stored', async () => {
    const world = await createWorld(place());
    const { token } = await addUser(world.baton, 'Casey Lin', 'customer.success');
    const { id, session } = await startSession(world.baton, token);
    assert.deepEqual(session.actor, { role: 'customer.success', name: 'Casey Lin', via: 'web' });
    assert.equal(session.expiresAt, '2026-05-15T02:00:00.000Z');
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(session.csrfToken, id);
    const rows = await world.baton.store.db.selectFrom('sessions').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.id_hash, createHash('sha256').update(id).digest('hex'));
    assert.deepEqual(await sessionFor(world.baton, id), session);
  });

  it('refuses an unknown token, and wants one', async () => {
    const world = await createWorld(place());
    await assert.rejects(startSession(world.baton, 'baton_nope'), { kind: 'unauthenticated' });
    await assert.rejects(startSession(world.baton, '  '), { kind: 'unauthenticated' });
    assert.equal((await world.baton.store.db.selectFrom('sessions').selectAll().execute()).length, 0);
  });

  it('a session ends when it expires, when it is ended, and when its user is disabled', async () => {
    const world = await createWorld(place());
    const { token } = await addUser(world.baton, 'Carla Reyes', 'cro');
    const a = await startSession(world.baton, token, { hours: 1 });
    const b = await startSession(world.baton, token);
    const c = await startSession(world.baton, token);
    world.setNow('2026-05-14T14:59:59Z');
    assert.ok(await sessionFor(world.baton, a.id));
    world.setNow('2026-05-14T15:00:00Z');
    assert.equal(await sessionFor(world.baton, a.id), undefined);
    await endSession(world.baton, b.id);
    assert.equal(await sessionFor(world.baton, b.id), undefined);
    assert.ok(await sessionFor(world.baton, c.id));
    await world.baton.store.db
      .updateTable('users')
      .set({ disabled_at: '2026-05-14T15:00:00.000Z' })
      .execute();
    assert.equal(await sessionFor(world.baton, c.id), undefined);
    assert.equal(await sessionFor(world.baton, undefined), undefined);
    assert.equal(await sessionFor(world.baton, 'x'.repeat(500)), undefined);
  });

  it('signing in clears sessions that have expired', async () => {
    const world = await createWorld(place());
    const { token } = await addUser(world.baton, 'Carla Reyes', 'cro');
    await startSession(world.baton, token, { hours: 1 });
    world.setNow('2026-05-14T16:00:00Z');
    await startSession(world.baton, token);
    assert.equal((await world.baton.store.db.selectFrom('sessions').selectAll().execute()).length, 1);
  });
});

it('sameSecret compares secrets of any length, and never matches empty or missing ones', () => {
  assert.equal(sameSecret('abc', 'abc'), true);
  assert.equal(sameSecret('abc', 'abd'), false);
  assert.equal(sameSecret('abc', 'abcd'), false);
  assert.equal(sameSecret('', ''), false);
  assert.equal(sameSecret(undefined, 'abc'), false);
  assert.equal(sameSecret('abc', undefined), false);
});
