// The JSON API in process (fastify inject) on SQLite: every route's happy path, refusal by role (403 naming
// the rule), version conflict (409 with If-Match or expectedVersion), bad input (422 naming the field) and
// missing sign-in (401). Answers are parsed with the same zod schemas the OpenAPI document is made from.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import {
  commandResponse,
  gateResponse,
  historyResponse,
  listResponse,
  meResponse,
  statusResponse,
  sweepResponse,
} from '../../../src/interfaces/http/responses.ts';
import {
  examplePacket,
  openAndSubmit,
  openBody,
  type Person,
  packetRel,
  SOW,
  startServer,
  type TestServer,
} from './http-fixture.ts';

const json = (r: LightMyRequestResponse) => JSON.parse(r.body);

function assertProblem(
  r: LightMyRequestResponse,
  status: number,
  expect: { kind?: string; rule?: string; field?: string; detail?: RegExp } = {},
) {
  assert.equal(r.statusCode, status, r.body);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  const p = json(r);
  assert.equal(p.status, status);
  assert.equal(typeof p.title, 'string');
  assert.equal(typeof p.detail, 'string');
  assert.match(p.type, /^\/api\/problems\//);
  if (expect.kind) assert.equal(p.kind, expect.kind);
  if (expect.rule) assert.equal(p.rule, expect.rule);
  if (expect.field) assert.equal(p.field, expect.field);
  if (expect.detail) assert.match(p.detail, expect.detail);
  return p;
}

const refused = (r: LightMyRequestResponse, rule: string) => {
  const p = assertProblem(r, 403, { kind: 'refused', rule });
  assert.ok(Array.isArray(p.allowed), 'a refusal lists what the user may do instead');
  return p;
};
const conflict = (r: LightMyRequestResponse) => assertProblem(r, 409, { kind: 'conflict', field: 'version' });
const badInput = (r: LightMyRequestResponse, field: string) =>
  assertProblem(r, 422, { kind: 'bad-input', field });
const unauthenticated = (r: LightMyRequestResponse) => {
  assertProblem(r, 401, { kind: 'unauthenticated' });
  assert.match(String(r.headers['www-authenticate']), /^Bearer realm="baton"/);
};

async function version(t: TestServer): Promise<number> {
  return json(await t.call('cs', 'GET', `/api/handoffs/${SOW}`)).version;
}

/** Acknowledged by Casey with the crm-item-exists attestation the example needs. */
async function acknowledge(t: TestServer): Promise<void> {
  const r = await t.call('cs', 'POST', `/api/handoffs/${SOW}/ack`, {
    attestations: [{ check: 'crm-item-exists', reason: 'deal 8812345 seen in Monday.com' }],
  });
  assert.equal(r.statusCode, 200, r.body);
}

/** A command route's stale-version check: If-Match one behind is a 409 and changes nothing. */
async function assertStaleIsConflict(
  t: TestServer,
  who: Person,
  url: string,
  body: Record<string, unknown>,
): Promise<void> {
  const seen = await version(t);
  const r = await t.call(who, 'POST', url, body, { 'if-match': `"${seen - 1}"` });
  conflict(r);
  assert.equal(await version(t), seen, 'a conflict records nothing');
}

describe('POST /api/handoffs (open)', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.close());

  it('opens for the CRO: 201, Location, ETag, the events recorded with via http', async () => {
    const r = await t.call('cro', 'POST', '/api/handoffs', openBody);
    assert.equal(r.statusCode, 201, r.body);
    const body = commandResponse.parse(json(r));
    assert.equal(r.headers.location, `/api/handoffs/${SOW}`);
    assert.equal(r.headers.etag, `"${body.version}"`);
    assert.equal(body.state, 'opened');
    assert.equal(body.events[0]?.type, 'HandoffOpened');
    const history = historyResponse.parse(json(await t.call('chief', 'GET', `/api/handoffs/${SOW}/history`)));
    assert.deepEqual(history.events[0]?.actor, { role: 'cro', name: 'Carla Reyes', via: 'http' });
  });

  it('refuses customer.success by role, and a second open as already open', async () => {
    refused(
      await t.call('cs', 'POST', '/api/handoffs', { ...openBody, sow: 'SOW-2026-015' }),
      'role-not-allowed',
    );
    refused(await t.call('salesOps', 'POST', '/api/handoffs', openBody), 'already-open');
  });

  it('names the missing or malformed field (422)', async () => {
    const { sowSigned: _, ...withoutDate } = openBody;
    badInput(await t.call('cro', 'POST', '/api/handoffs', withoutDate), 'sowSigned');
    badInput(await t.call('cro', 'POST', '/api/handoffs', { ...openBody, sow: 'SOW-14' }), 'sow');
    badInput(await t.call('cro', 'POST', '/api/handoffs', { ...openBody, surprise: 1 }), 'input');
    badInput(await t.call('cro', 'POST', '/api/handoffs', [openBody]), 'body');
    badInput(await t.call('cro', 'POST', '/api/handoffs', openBody, { 'if-match': '"1"' }), 'If-Match');
  });

  it('answers 401 without a token or with a wrong one, before reading the body', async () => {
    unauthenticated(await t.call(null, 'POST', '/api/handoffs', openBody));
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/handoffs',
      headers: { authorization: 'Bearer baton_not-a-real-token', 'content-type': 'application/json' },
      payload: '{not json',
    });
    unauthenticated(wrong);
    assert.match(String(wrong.headers['www-authenticate']), /error="invalid_token"/);
    unauthenticated(
      await t.app.inject({
        method: 'GET',
        url: '/api/me',
        headers: { authorization: `Basic ${t.tokens.cro}` },
      }),
    );
  });
});

describe('GET /api/handoffs/:sow, /history, GET /api/handoffs (list), GET /api/me', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
    await openAndSubmit(t);
  });
  after(() => t.close());

  it("status: the CLI's status contract, an ETag of the version, and what this user may do", async () => {
    const r = await t.call('cs', 'GET', `/api/handoffs/${SOW.toLowerCase()}`);
    assert.equal(r.statusCode, 200, r.body);
    const status = statusResponse.parse(json(r));
    assert.equal(status.state, 'submitted');
    assert.equal(r.headers.etag, `"${status.version}"`);
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.ok(status.allowed.includes('ack'));
    assert.equal(status.files.packet, packetRel);
    const asCro = statusResponse.parse(json(await t.call('cro', 'GET', `/api/handoffs/${SOW}`)));
    assert.ok(!asCro.allowed.includes('ack'), 'the CRO may never acknowledge');
  });

  it('status shows a change made by another route at once (the cache follows the version)', async () => {
    const before = statusResponse.parse(json(await t.call('cs2', 'GET', `/api/handoffs/${SOW}`)));
    const flagged = await t.call('chief', 'POST', `/api/handoffs/${SOW}/flag`, {
      note: 'packet reads rushed',
    });
    assert.equal(flagged.statusCode, 200, flagged.body);
    const after = statusResponse.parse(json(await t.call('cs2', 'GET', `/api/handoffs/${SOW}`)));
    assert.ok(after.version > before.version);
    assert.equal(after.flags.length, before.flags.length + 1);
    assert.equal(after.escalated, true);
  });

  it('status: 404 for an unknown handoff, 422 naming sow for a malformed one, 401 signed out', async () => {
    assertProblem(await t.call('cs', 'GET', '/api/handoffs/SOW-2026-999'), 404, { kind: 'not-found' });
    badInput(await t.call('cs', 'GET', '/api/handoffs/nope'), 'sow');
    unauthenticated(await t.call(null, 'GET', `/api/handoffs/${SOW}`));
    badInput(await t.call('cs', 'GET', `/api/handoffs/${SOW}`, undefined, { 'if-match': '"3"' }), 'If-Match');
  });

  it('history: every event with who, through which interface, and its hash', async () => {
    const history = historyResponse.parse(json(await t.call('ceo', 'GET', `/api/handoffs/${SOW}/history`)));
    assert.equal(history.sow, SOW);
    assert.deepEqual(
      history.events.map((e) => e.version),
      history.events.map((_, i) => i + 1),
    );
    assert.ok(history.events.some((e) => e.type === 'PacketSubmitted' && e.actor.name === 'Carla Reyes'));
    assert.ok(history.events.every((e) => /^[0-9a-f]{64}$/.test(e.hash)));
    assertProblem(await t.call('ceo', 'GET', '/api/handoffs/SOW-2026-998/history'), 404);
    badInput(await t.call('ceo', 'GET', '/api/handoffs/SOW-X/history'), 'sow');
    unauthenticated(await t.call(null, 'GET', `/api/handoffs/${SOW}/history`));
  });

  it('list: filters from the query string, read as numbers and booleans', async () => {
    await t.call('cro', 'POST', '/api/handoffs', { ...openBody, sow: 'SOW-2026-020' });
    const all = listResponse.parse(json(await t.call('chief', 'GET', '/api/handoffs')));
    assert.deepEqual(all.handoffs.map((h) => h.sow).sort(), [SOW, 'SOW-2026-020']);
    assert.equal(all.limit, 500);
    const submitted = listResponse.parse(json(await t.call('chief', 'GET', '/api/handoffs?state=submitted')));
    assert.deepEqual(
      submitted.handoffs.map((h) => h.sow),
      [SOW],
    );
    const page = listResponse.parse(json(await t.call('chief', 'GET', '/api/handoffs?limit=1&offset=1')));
    assert.equal(page.handoffs.length, 1);
    assert.equal(page.offset, 1);
    const notOverdue = listResponse.parse(json(await t.call('chief', 'GET', '/api/handoffs?overdue=false')));
    assert.equal(notOverdue.handoffs.length, 2);
    const owned = listResponse.parse(json(await t.call('chief', 'GET', '/api/handoffs?owner=chief.staff')));
    assert.deepEqual(
      owned.handoffs.map((h) => h.sow),
      [SOW],
      'the quality concern flagged above is the Chief of Staff’s',
    );
  });

  it('list: 422 naming the parameter, 401 signed out', async () => {
    badInput(await t.call('chief', 'GET', '/api/handoffs?limit=abc'), 'limit');
    badInput(await t.call('chief', 'GET', '/api/handoffs?limit=0'), 'limit');
    badInput(await t.call('chief', 'GET', '/api/handoffs?overdue=maybe'), 'overdue');
    badInput(await t.call('chief', 'GET', '/api/handoffs?state=lost'), 'state');
    badInput(await t.call('chief', 'GET', '/api/handoffs?colour=red'), 'input');
    unauthenticated(await t.call(null, 'GET', '/api/handoffs'));
  });

  it('me: the signed-in user', async () => {
    const me = meResponse.parse(json(await t.call('salesOps', 'GET', '/api/me')));
    assert.deepEqual(me, { name: 'Sam Ortiz', role: 'sales.ops', via: 'http' });
    unauthenticated(await t.call(null, 'GET', '/api/me'));
  });
});

describe('gate: GET /api/handoffs/:sow/gate and POST /api/gate', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
    const r = await t.call('cro', 'POST', '/api/handoffs', openBody);
    assert.equal(r.statusCode, 201);
  });
  after(() => t.close());

  it("gates the draft at the SOP path before submission, then the frozen copy with the submission's attestations", async () => {
    const draft = gateResponse.parse(json(await t.call('cro', 'GET', `/api/handoffs/${SOW}/gate`)));
    assert.equal(draft.source, 'draft');
    assert.equal(draft.verdict, 'review');
    await t.call('cro', 'POST', `/api/handoffs/${SOW}/submit`, {});
    const submitted = gateResponse.parse(json(await t.call('cs', 'GET', `/api/handoffs/${SOW}/gate`)));
    assert.equal(submitted.source, 'submission');
    assert.equal(submitted.submission, 1);
    assert.equal(submitted.verdict, 'review');
    const attested = await t.call('cs', 'POST', `/api/handoffs/${SOW}/attest`, {
      check: 'crm-item-exists',
      reason: 'seen in Monday.com',
    });
    assert.equal(attested.statusCode, 200, attested.body);
    const after = gateResponse.parse(json(await t.call('cs', 'GET', `/api/handoffs/${SOW}/gate`)));
    assert.equal(after.verdict, 'pass', 'the attested review now passes');
  });

  it('gates packet text as if submitted now, naming the field at fault, and records nothing', async () => {
    const before = await version(t);
    const bad = examplePacket().replace('2026-05-13; received; ACH', '2026-05-13; pending; ACH');
    const r = await t.call('cro', 'POST', '/api/gate', { packet: bad });
    assert.equal(r.statusCode, 200, r.body);
    const report = gateResponse.parse(json(r));
    assert.equal(report.source, 'text');
    assert.equal(report.verdict, 'fail');
    const payment = report.checks.find((c) => c.id === 'payment-confirmed');
    assert.equal(payment?.status, 'fail');
    assert.equal(payment?.findings[0]?.field, 'Payment confirmed');
    assert.equal(await version(t), before);
  });

  it('422 for no input, for text that is not a packet, and for a packet of another SOW', async () => {
    badInput(await t.call('cro', 'POST', '/api/gate', {}), 'packet');
    assertProblem(await t.call('cro', 'POST', '/api/gate', { packet: '# Lunch\n\nSandwiches.\n' }), 422, {
      kind: 'not-a-packet',
    });
    badInput(
      await t.call('cro', 'POST', '/api/gate', { packet: examplePacket(), sow: 'SOW-2026-777' }),
      'packet',
    );
    badInput(await t.call('cro', 'GET', '/api/handoffs/SOW-1/gate'), 'sow');
  });

  it('404 for a handoff that does not exist, 401 signed out', async () => {
    assertProblem(await t.call('cro', 'GET', '/api/handoffs/SOW-2026-404/gate'), 404, { kind: 'not-found' });
    unauthenticated(await t.call(null, 'POST', '/api/gate', { packet: examplePacket() }));
    unauthenticated(await t.call(null, 'GET', `/api/handoffs/${SOW}/gate`));
  });
});

describe('POST /api/handoffs/:sow/payment and /submit', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
    const r = await t.call('cro', 'POST', '/api/handoffs', { ...openBody, paymentStatus: 'pending' });
    assert.equal(r.statusCode, 201);
  });
  after(() => t.close());

  it('submit is refused while payment is pending, naming the rule', async () => {
    refused(await t.call('cro', 'POST', `/api/handoffs/${SOW}/submit`, {}), 'payment-not-confirmed');
  });

  it('payment: sales.ops records it; customer.success may not; stale version is a 409; bad status names the field', async () => {
    refused(
      await t.call('cs', 'POST', `/api/handoffs/${SOW}/payment`, { paymentStatus: 'received' }),
      'role-not-allowed',
    );
    badInput(
      await t.call('salesOps', 'POST', `/api/handoffs/${SOW}/payment`, { paymentStatus: 'soon' }),
      'paymentStatus',
    );
    badInput(
      await t.call('salesOps', 'POST', `/api/handoffs/${SOW}/payment`, { paymentConfirmed: 'yesterday' }),
      'paymentConfirmed',
    );
    await assertStaleIsConflict(t, 'salesOps', `/api/handoffs/${SOW}/payment`, { paymentStatus: 'received' });
    unauthenticated(
      await t.call(null, 'POST', `/api/handoffs/${SOW}/payment`, { paymentStatus: 'received' }),
    );
    const seen = await version(t);
    const r = await t.call(
      'salesOps',
      'POST',
      `/api/handoffs/${SOW}/payment`,
      { paymentStatus: 'received', paymentConfirmed: '2026-05-14T09:00:00-04:00' },
      { 'if-match': `"${seen}"` },
    );
    assert.equal(r.statusCode, 200, r.body);
    const body = commandResponse.parse(json(r));
    assert.ok(body.version > seen);
    assert.equal(r.headers.etag, `"${body.version}"`);
    const history = json(await t.call('cro', 'GET', `/api/handoffs/${SOW}/history`));
    assert.equal(history.events.at(-1).actor.name, 'Sam Ortiz');
  });

  it('submit: the packet text in the body is written at the SOP path, frozen and gated', async () => {
    refused(await t.call('cs', 'POST', `/api/handoffs/${SOW}/submit`, {}), 'role-not-allowed');
    badInput(
      await t.call('cro', 'POST', `/api/handoffs/${SOW}/submit`, {
        packet: examplePacket().replaceAll('SOW-2026-014', 'SOW-2026-015'),
      }),
      'file',
    );
    badInput(await t.call('cro', 'POST', `/api/handoffs/${SOW}/submit`, { sow: 'SOW-2026-015' }), 'sow');
    await assertStaleIsConflict(t, 'cro', `/api/handoffs/${SOW}/submit`, {});
    unauthenticated(await t.call(null, 'POST', `/api/handoffs/${SOW}/submit`, {}));
    const text = examplePacket().replace(
      'Two questions on marketplace co-sell attribution',
      'Three questions',
    );
    const r = await t.call('cro', 'POST', `/api/handoffs/${SOW}/submit`, { packet: text });
    assert.equal(r.statusCode, 200, r.body);
    const body = commandResponse.parse(json(r));
    assert.equal(body.state, 'submitted');
    assert.equal(readFileSync(join(t.root, packetRel), 'utf8'), text);
    const status = statusResponse.parse(json(await t.call('cs', 'GET', `/api/handoffs/${SOW}`)));
    assert.equal(readFileSync(join(t.root, status.files.frozen[0] as string), 'utf8'), text);
  });
});

describe('POST /api/handoffs/:sow/attest, /ack, /reject', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
    await openAndSubmit(t);
  });
  after(() => t.close());

  it('attest: the CRO is refused (separation of duties); a bad check names the field; stale is a 409', async () => {
    const body = { check: 'crm-item-exists', reason: 'verified in Monday.com' };
    refused(await t.call('cro', 'POST', `/api/handoffs/${SOW}/attest`, body), 'separation-of-duties');
    refused(await t.call('ceo', 'POST', `/api/handoffs/${SOW}/attest`, body), 'role-not-allowed');
    badInput(await t.call('cs', 'POST', `/api/handoffs/${SOW}/attest`, { ...body, check: 'vibes' }), 'check');
    badInput(await t.call('cs', 'POST', `/api/handoffs/${SOW}/attest`, { ...body, reason: '  ' }), 'reason');
    await assertStaleIsConflict(t, 'cs', `/api/handoffs/${SOW}/attest`, body);
    unauthenticated(await t.call(null, 'POST', `/api/handoffs/${SOW}/attest`, body));
  });

  it('ack: refused for the CRO, refused without the attestation the gate needs, 409 when stale', async () => {
    refused(await t.call('cro', 'POST', `/api/handoffs/${SOW}/ack`, {}), 'separation-of-duties');
    const unattested = refused(
      await t.call('cs', 'POST', `/api/handoffs/${SOW}/ack`, {}),
      'review-not-attested',
    );
    assert.equal(unattested.field, 'crm-item-exists');
    badInput(
      await t.call('cs', 'POST', `/api/handoffs/${SOW}/ack`, {
        attestations: [{ check: 'nope', reason: 'x' }],
      }),
      'attestations.0.check',
    );
    const seen = await version(t);
    conflict(
      await t.call('cs', 'POST', `/api/handoffs/${SOW}/ack`, {
        attestations: [{ check: 'crm-item-exists', reason: 'seen' }],
        expectedVersion: seen - 1,
      }),
    );
    badInput(
      await t.call(
        'cs',
        'POST',
        `/api/handoffs/${SOW}/ack`,
        { expectedVersion: seen },
        { 'if-match': `"${seen - 1}"` },
      ),
      'expectedVersion',
    );
    badInput(await t.call('cs', 'POST', `/api/handoffs/${SOW}/ack`, {}, { 'if-match': 'W/"3"' }), 'If-Match');
    unauthenticated(await t.call(null, 'POST', `/api/handoffs/${SOW}/ack`, {}));
  });

  it('reject: the CRO is refused; unknown checks name the field; a stale expectedVersion is a 409; cs rejects', async () => {
    refused(
      await t.call('cro', 'POST', `/api/handoffs/${SOW}/reject`, { checks: ['crm-item-exists'] }),
      'separation-of-duties',
    );
    badInput(await t.call('cs', 'POST', `/api/handoffs/${SOW}/reject`, { checks: ['nope'] }), 'checks.0');
    const seen = await version(t);
    conflict(
      await t.call('cs', 'POST', `/api/handoffs/${SOW}/reject`, {
        checks: ['crm-item-exists'],
        expectedVersion: seen + 5,
      }),
    );
    unauthenticated(await t.call(null, 'POST', `/api/handoffs/${SOW}/reject`, {}));
    const r = await t.call(
      'cs2',
      'POST',
      `/api/handoffs/${SOW}/reject`,
      { checks: ['crm-item-exists'], reason: 'deal id not found on the board' },
      { 'if-match': `"${seen}"` },
    );
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(commandResponse.parse(json(r)).state, 'rejected');
    refused(await t.call('cs', 'POST', `/api/handoffs/${SOW}/ack`, {}), 'nothing-to-review');
  });

  it('after a resubmission, ack with the attestation acknowledges (as another customer.success member)', async () => {
    const resubmitted = await t.call('salesOps', 'POST', `/api/handoffs/${SOW}/submit`, {});
    assert.equal(resubmitted.statusCode, 200, resubmitted.body);
    const seen = await version(t);
    const r = await t.call(
      'cs2',
      'POST',
      `/api/handoffs/${SOW}/ack`,
      { attestations: [{ check: 'crm-item-exists', reason: 'item 8812345 on the deals board' }] },
      { 'if-match': `"${seen}"` },
    );
    assert.equal(r.statusCode, 200, r.body);
    const body = commandResponse.parse(json(r));
    assert.equal(body.state, 'acknowledged');
    assert.equal(r.headers.etag, `"${body.version}"`);
  });
});

describe('POST /api/handoffs/:sow/schedule, /intro, /approve-deviation, /flag; /api/escalations/:id/resolve; /api/sweep', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
    await openAndSubmit(t);
  });
  after(() => t.close());

  it('schedule: blocked before acknowledgement; by role; then recorded; bad instant names the field', async () => {
    const body = { discovery: '2026-05-18T11:00:00-04:00' };
    refused(
      await t.call('cs', 'POST', `/api/handoffs/${SOW}/schedule`, body),
      'discovery-before-acknowledgement',
    );
    await acknowledge(t);
    refused(await t.call('cro', 'POST', `/api/handoffs/${SOW}/schedule`, body), 'role-not-allowed');
    badInput(
      await t.call('cs', 'POST', `/api/handoffs/${SOW}/schedule`, { discovery: 'Monday' }),
      'discovery',
    );
    await assertStaleIsConflict(t, 'cs', `/api/handoffs/${SOW}/schedule`, body);
    unauthenticated(await t.call(null, 'POST', `/api/handoffs/${SOW}/schedule`, body));
    const r = await t.call('cs', 'POST', `/api/handoffs/${SOW}/schedule`, body);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(commandResponse.parse(json(r)).state, 'scheduled');
  });

  it('intro: only the CRO; recorded with the recipients from the packet', async () => {
    refused(await t.call('salesOps', 'POST', `/api/handoffs/${SOW}/intro`, {}), 'role-not-allowed');
    badInput(await t.call('cro', 'POST', `/api/handoffs/${SOW}/intro`, { to: 'everyone' }), 'input');
    await assertStaleIsConflict(t, 'cro', `/api/handoffs/${SOW}/intro`, {});
    unauthenticated(await t.call(null, 'POST', `/api/handoffs/${SOW}/intro`));
    const r = await t.call('cro', 'POST', `/api/handoffs/${SOW}/intro`);
    assert.equal(r.statusCode, 200, r.body);
    const body = commandResponse.parse(json(r));
    assert.equal(body.events[0]?.type, 'IntroductionSent');
    assert.equal(body.events[0]?.data.recipients, 2);
  });

  it('approve-deviation: only the CEO; a blank note names the field', async () => {
    refused(
      await t.call('cro', 'POST', `/api/handoffs/${SOW}/approve-deviation`, { note: 'fine' }),
      'role-not-allowed',
    );
    badInput(await t.call('ceo', 'POST', `/api/handoffs/${SOW}/approve-deviation`, { note: ' ' }), 'note');
    await assertStaleIsConflict(t, 'ceo', `/api/handoffs/${SOW}/approve-deviation`, { note: 'ok' });
    unauthenticated(await t.call(null, 'POST', `/api/handoffs/${SOW}/approve-deviation`, { note: 'ok' }));
    const r = await t.call('ceo', 'POST', `/api/handoffs/${SOW}/approve-deviation`, {
      note: 'custom questions are fine',
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(commandResponse.parse(json(r)).events[0]?.type, 'DeviationApproved');
  });

  let escalationId = '';
  it('flag: only the Chief of Staff; it raises a quality-concern escalation', async () => {
    refused(await t.call('cs', 'POST', `/api/handoffs/${SOW}/flag`, { note: 'hmm' }), 'role-not-allowed');
    badInput(await t.call('chief', 'POST', `/api/handoffs/${SOW}/flag`, {}), 'note');
    await assertStaleIsConflict(t, 'chief', `/api/handoffs/${SOW}/flag`, { note: 'x' });
    unauthenticated(await t.call(null, 'POST', `/api/handoffs/${SOW}/flag`, { note: 'x' }));
    const r = await t.call('chief', 'POST', `/api/handoffs/${SOW}/flag`, { note: 'expectations look thin' });
    assert.equal(r.statusCode, 200, r.body);
    const status = statusResponse.parse(json(await t.call('chief', 'GET', `/api/handoffs/${SOW}`)));
    const open = status.escalations.find((e) => e.kind === 'quality-concern' && e.status === 'open');
    assert.ok(open);
    escalationId = open.id;
  });

  it('resolve: by id in the path; refused for a role that does not own it; malformed id names the field', async () => {
    const url = `/api/escalations/${escalationId}/resolve`;
    refused(await t.call('cro', 'POST', url, { note: 'done' }), 'role-not-allowed');
    badInput(
      await t.call('chief', 'POST', '/api/escalations/ESC-7/resolve', { note: 'done' }),
      'escalationId',
    );
    badInput(
      await t.call('chief', 'POST', url, { note: 'done', escalationId: 'ESC-SOW-2026-014-99' }),
      'escalationId',
    );
    await assertStaleIsConflict(t, 'chief', url, { note: 'done' });
    unauthenticated(await t.call(null, 'POST', url, { note: 'done' }));
    const r = await t.call('chief', 'POST', url, { note: 'talked to the CRO; fine' });
    assert.equal(r.statusCode, 200, r.body);
    refused(await t.call('chief', 'POST', url, { note: 'again' }), 'no-open-escalation');
  });

  it('sweep: records a missed clock once and returns the digest', async () => {
    await t.call('cro', 'POST', '/api/handoffs', { ...openBody, sow: 'SOW-2026-030' });
    t.setNow('2026-05-22T14:00:00Z');
    const r = await t.call('chief', 'POST', '/api/sweep');
    assert.equal(r.statusCode, 200, r.body);
    const digest = sweepResponse.parse(json(r));
    assert.ok(
      digest.recorded.some((e) => e.sow === 'SOW-2026-030' && e.detail === 'packetDue'),
      r.body,
    );
    const again = sweepResponse.parse(json(await t.call('cs', 'POST', '/api/sweep', {})));
    assert.deepEqual(again.recorded, [], 'a second sweep finds nothing new');
    assert.ok(again.overdue.some((c) => c.sow === 'SOW-2026-030'));
    badInput(await t.call('chief', 'POST', '/api/sweep', { everything: true }), 'input');
    unauthenticated(await t.call(null, 'POST', '/api/sweep'));
  });
});
