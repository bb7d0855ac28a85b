// The API's happy path on the real Postgres server (a schema of its own, dropped afterwards): open, submit,
// attest, acknowledge with If-Match, schedule, then list and history; and two people acting on the same
// version at once: one wins, the other gets a 409.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  commandResponse,
  historyResponse,
  listResponse,
  statusResponse,
} from '../../../src/interfaces/http/responses.ts';
import { postgresEnabled } from '../../store/dialects.ts';
import { openBody, SOW, startServer, type TestServer } from './http-fixture.ts';

describe('the API on Postgres', { skip: postgresEnabled ? false : 'BATON_TEST_DATABASE_URL=off' }, () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ dialect: 'postgres' });
  });
  after(() => t.close());

  it('takes a handoff from open to scheduled', async () => {
    const opened = await t.call('salesOps', 'POST', '/api/handoffs', openBody);
    assert.equal(opened.statusCode, 201, opened.body);
    const submitted = await t.call('salesOps', 'POST', `/api/handoffs/${SOW}/submit`, {});
    assert.equal(submitted.statusCode, 200, submitted.body);
    const attested = await t.call('cs', 'POST', `/api/handoffs/${SOW}/attest`, {
      check: 'crm-item-exists',
      reason: 'deal 8812345 is on the board',
    });
    assert.equal(attested.statusCode, 200, attested.body);
    const status = await t.call('cs', 'GET', `/api/handoffs/${SOW}`);
    const etag = String(status.headers.etag);
    assert.equal(etag, `"${statusResponse.parse(JSON.parse(status.body)).version}"`);
    const acked = await t.call('cs', 'POST', `/api/handoffs/${SOW}/ack`, {}, { 'if-match': etag });
    assert.equal(acked.statusCode, 200, acked.body);
    assert.equal(commandResponse.parse(JSON.parse(acked.body)).state, 'acknowledged');
    const scheduled = await t.call('cs', 'POST', `/api/handoffs/${SOW}/schedule`, {
      discovery: '2026-05-18T11:00:00-04:00',
    });
    assert.equal(scheduled.statusCode, 200, scheduled.body);
    const list = listResponse.parse(
      JSON.parse((await t.call('ceo', 'GET', '/api/handoffs?state=scheduled')).body),
    );
    assert.deepEqual(
      list.handoffs.map((h) => h.sow),
      [SOW],
    );
    const history = historyResponse.parse(
      JSON.parse((await t.call('ceo', 'GET', `/api/handoffs/${SOW}/history`)).body),
    );
    const types = history.events.map((e) => e.type);
    for (const type of [
      'HandoffOpened',
      'PacketSubmitted',
      'ReviewAttested',
      'PacketAcknowledged',
      'DiscoveryScheduled',
    ])
      assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
    assert.ok(history.events.every((e) => e.actor.via === 'http'));
  });

  it('two people flagging the same version at once: one is recorded, the other is a 409', async () => {
    const seen = String((await t.call('chief', 'GET', `/api/handoffs/${SOW}`)).headers.etag);
    const [a, b] = await Promise.all([
      t.call('chief', 'POST', `/api/handoffs/${SOW}/flag`, { note: 'first' }, { 'if-match': seen }),
      t.call('chief', 'POST', `/api/handoffs/${SOW}/flag`, { note: 'second' }, { 'if-match': seen }),
    ]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 409]);
    const status = statusResponse.parse(
      JSON.parse((await t.call('chief', 'GET', `/api/handoffs/${SOW}`)).body),
    );
    assert.equal(status.flags.length, 1);
  });
});
