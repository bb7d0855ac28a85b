/**
 * Every MCP tool over the SDK's in-memory transport, allowed and refused, on both store dialects: an agent
 * is one baton user, and the service layer's rules hold for it exactly as for a person.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, it } from 'node:test';
import { z } from 'zod';
import { operationSchemas } from '../../../src/app/operations.ts';
import { forEachDialect } from '../../store/dialects.ts';
import {
  call,
  createWorld,
  exampleFields,
  examplePacket,
  fails,
  ok,
  openArgs,
  packetRel,
  sow,
  type World,
} from './mcp-fixture.ts';

const expectedTools = [
  'ack',
  'approve_deviation',
  'attest',
  'draft_packet',
  'flag',
  'gate',
  'history',
  'intro',
  'list',
  'metrics',
  'open',
  'payment',
  'reject',
  'resolve',
  'schedule',
  'status',
  'submit',
  'sweep',
];

const crmAttestation = { check: 'crm-item-exists', reason: 'item 8812345 checked in Monday.com' };

forEachDialect('MCP tools', ({ place }) => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld(place());
  });
  afterEach(async () => {
    await world.close();
    assert.deepEqual(world.logs, [], 'no unexpected errors were logged');
  });

  /** Opens the example handoff and submits the example packet as the CRO. */
  async function submitted() {
    const cro = await world.agent('cro', 'Casey');
    await ok(cro, 'open', openArgs);
    await ok(cro, 'submit', { sow });
    return cro;
  }

  it('lists one tool per operation (snake_case) plus draft_packet, with the operations’ own JSON Schemas', async () => {
    const agent = await world.agent('customer.success');
    const { tools } = await agent.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), expectedTools);
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const [name, schema] of Object.entries(operationSchemas)) {
      const tool = byName.get(name === 'approveDeviation' ? 'approve_deviation' : name);
      assert.ok(tool, name);
      const { $schema: _a, ...advertised } = tool.inputSchema as Record<string, unknown>;
      const { $schema: _b, ...expected } = z.toJSONSchema(schema, { io: 'input', target: 'draft-7' });
      assert.deepEqual(advertised, expected, `${name}'s input schema`);
    }
    assert.equal(byName.get('status')?.annotations?.readOnlyHint, true);
    assert.equal(byName.get('ack')?.annotations?.readOnlyHint, false);
    const draft = byName.get('draft_packet')?.inputSchema as unknown as {
      properties: { fields: { properties: Record<string, { description: string }> } };
      required: string[];
    };
    const fieldIds = world.baton.playbook.sections.flatMap((s) => s.fields.map((f) => f.id));
    assert.deepEqual(Object.keys(draft.properties.fields.properties), fieldIds);
    assert.match(draft.properties.fields.properties.champion?.description ?? '', /Customer-side champion/);
    assert.deepEqual(draft.required, ['sow', 'fields']);
  });

  it('open: the CRO opens; customer.success is refused by role; bad input names the field', async () => {
    const cro = await world.agent('cro', 'Casey');
    const opened = await ok(cro, 'open', openArgs);
    assert.equal(opened.sow, sow);
    assert.equal(opened.state, 'opened');
    assert.deepEqual(
      opened.events.map((e: { type: string }) => e.type),
      ['HandoffOpened', 'ClockStarted', 'ClockStarted'],
    );
    assert.ok(opened.allowed.includes('submit'));

    const cs = await world.agent('customer.success', 'Robin');
    const refused = await fails(cs, 'open', { ...openArgs, sow: 'SOW-2026-015' });
    assert.equal(refused.kind, 'refused');
    assert.equal(refused.rule, 'role-not-allowed');
    assert.deepEqual(refused.allowed, []);
    assert.match(refused.text, /refused by rule role-not-allowed/);

    const again = await fails(cro, 'open', openArgs);
    assert.equal(again.rule, 'already-open');

    const badDate = await fails(cro, 'open', { ...openArgs, sowSigned: '12/05/2026' });
    assert.equal(badDate.kind, 'bad-input');
    assert.equal(badDate.where, 'sowSigned');
    assert.match(badDate.text, /field: sowSigned/);
    const missing = await fails(cro, 'open', { sowSigned: '2026-05-12' });
    assert.equal(missing.where, 'sow');
    const unpaid = await fails(cro, 'open', { sow: 'SOW-2026-016', sowSigned: '2026-05-12' });
    assert.equal(unpaid.where, 'paymentConfirmed', 'received, but not said when');
    const unknown = await fails(cro, 'open', { ...openArgs, soldBy: 'me' });
    assert.equal(unknown.kind, 'bad-input');
    assert.match(unknown.message, /soldBy/);
  });

  it('payment: the CRO records it; the Chief of Staff may not', async () => {
    const cro = await world.agent('cro', 'Casey');
    await ok(cro, 'open', { sow, sowSigned: '2026-05-12', paymentStatus: 'pending' });
    const paid = await ok(cro, 'payment', {
      sow,
      paymentStatus: 'received',
      paymentConfirmed: '2026-05-14T13:00:00Z',
    });
    assert.deepEqual(
      paid.events.map((e: { type: string }) => e.type),
      ['PaymentRecorded', 'ClockStarted'],
    );
    const cos = await world.agent('chief.staff', 'Morgan');
    const refused = await fails(cos, 'payment', {
      sow,
      paymentStatus: 'received',
      paymentConfirmed: '2026-05-14T13:00:00Z',
    });
    assert.equal(refused.rule, 'role-not-allowed');
    assert.ok(refused.allowed?.includes('flag'));
    const bad = await fails(cro, 'payment', { sow, paymentStatus: 'sent' });
    assert.equal(bad.where, 'paymentStatus');
  });

  it('submit: freezes the packet and gates it; a second submission awaits review; customer.success may not submit', async () => {
    const cro = await world.agent('cro', 'Casey');
    await ok(cro, 'open', openArgs);
    const cs = await world.agent('customer.success', 'Robin');
    const byReviewer = await fails(cs, 'submit', { sow });
    assert.equal(byReviewer.rule, 'role-not-allowed');

    const done = await ok(cro, 'submit', { sow });
    assert.equal(done.state, 'submitted');
    const event = done.events.find((e: { type: string }) => e.type === 'PacketSubmitted');
    assert.equal(event.data.gate.verdict, 'review');
    assert.ok(existsSync(join(world.root, event.data.frozenPath)));

    const twice = await fails(cro, 'submit', { sow });
    assert.equal(twice.rule, 'awaiting-review');
    assert.ok(twice.allowed?.includes('intro'));
    assert.ok(!twice.allowed?.includes('submit'));

    const otherSow = await fails(cro, 'submit', { sow: 'SOW-2026-015', packet: examplePacket });
    assert.equal(otherSow.rule, 'not-open');
  });

  it('submit with packet text refuses a packet of another SOW, naming the field', async () => {
    const cro = await world.agent('cro', 'Casey');
    await ok(cro, 'open', { ...openArgs, sow: 'SOW-2026-015' });
    const wrong = await fails(cro, 'submit', { sow: 'SOW-2026-015', packet: examplePacket });
    assert.equal(wrong.kind, 'bad-input');
    assert.match(wrong.message, /SOW-2026-014, not SOW-2026-015/);
  });

  it('attest: customer.success attests a review check; the CRO never; a passing check cannot be attested', async () => {
    const cro = await submitted();
    const cs = await world.agent('customer.success', 'Robin');
    const attested = await ok(cs, 'attest', { sow, ...crmAttestation });
    assert.deepEqual(
      attested.events.map((e: { type: string }) => e.type),
      ['ReviewAttested'],
    );
    const byCro = await fails(cro, 'attest', { sow, ...crmAttestation });
    assert.equal(byCro.rule, 'separation-of-duties');
    const passing = await fails(cs, 'attest', { sow, check: 'required-fields', reason: 'looks fine' });
    assert.equal(passing.rule, 'not-a-review');
    assert.equal(passing.where, 'required-fields');
    const noReason = await fails(cs, 'attest', { sow, check: 'crm-item-exists', reason: '  ' });
    assert.equal(noReason.where, 'reason');
  });

  it('ack: the CRO is refused by separation of duties with the tools it may call; customer.success acknowledges', async () => {
    const cro = await submitted();
    const refused = await fails(cro, 'ack', { sow, attestations: [crmAttestation] });
    assert.equal(refused.kind, 'refused');
    assert.equal(refused.rule, 'separation-of-duties');
    assert.match(refused.message, /never ack/);
    assert.deepEqual(refused.allowed, ['payment', 'intro', 'sweep']);
    assert.match(refused.text, /you may now: payment, intro, sweep/);

    const cs = await world.agent('customer.success', 'Robin');
    const unattested = await fails(cs, 'ack', { sow });
    assert.equal(unattested.rule, 'review-not-attested');
    assert.equal(unattested.where, 'crm-item-exists');
    assert.ok(unattested.allowed?.includes('ack'));

    const stale = await fails(cs, 'ack', { sow, attestations: [crmAttestation], expectedVersion: 1 });
    assert.equal(stale.kind, 'conflict');

    const acked = await ok(cs, 'ack', { sow, attestations: [crmAttestation] });
    assert.equal(acked.state, 'acknowledged');
    assert.ok(acked.allowed.includes('schedule'));
    const history = await ok(cs, 'history', { sow });
    const ack = history.events.find((e: { type: string }) => e.type === 'PacketAcknowledged');
    assert.deepEqual(ack.actor, { role: 'customer.success', name: 'Robin', via: 'mcp' });
  });

  it('ack: a customer.success member who opened the deal never reviews it (separation of duties by name)', async () => {
    const sales = await world.agent('sales.ops', 'Robin');
    await ok(sales, 'open', openArgs);
    await ok(sales, 'submit', { sow });
    const sameName = await world.agent('customer.success', 'robin');
    const refused = await fails(sameName, 'ack', { sow, attestations: [crmAttestation] });
    assert.equal(refused.rule, 'separation-of-duties');
  });

  it('reject: customer.success rejects naming checks; the CRO may not; an unknown check is bad input', async () => {
    const cro = await submitted();
    const byCro = await fails(cro, 'reject', { sow, checks: ['crm-item-exists'] });
    assert.equal(byCro.rule, 'separation-of-duties');
    const cs = await world.agent('customer.success', 'Robin');
    const unknown = await fails(cs, 'reject', { sow, checks: ['vibes'] });
    assert.equal(unknown.kind, 'bad-input');
    assert.equal(unknown.where, 'checks.0');
    const nothing = await fails(cs, 'reject', { sow });
    assert.equal(nothing.kind, 'bad-input', 'the gate found no failed check, and none was named');
    assert.equal(nothing.where, 'checks');
    const rejected = await ok(cs, 'reject', {
      sow,
      checks: ['crm-item-exists'],
      reason: 'the deal id is a test board',
    });
    assert.equal(rejected.state, 'rejected');
    assert.ok(!rejected.allowed.includes('reject'));
  });

  it('schedule: blocked until acknowledgement, then customer.success books it; the CRO may not', async () => {
    const cro = await submitted();
    const cs = await world.agent('customer.success', 'Robin');
    const early = await fails(cs, 'schedule', { sow, discovery: '2026-05-18T16:00:00Z' });
    assert.equal(early.rule, 'discovery-before-acknowledgement');
    await ok(cs, 'ack', { sow, attestations: [crmAttestation] });
    const byCro = await fails(cro, 'schedule', { sow, discovery: '2026-05-18T16:00:00Z' });
    assert.equal(byCro.rule, 'role-not-allowed');
    const badInstant = await fails(cs, 'schedule', { sow, discovery: 'Monday 10am' });
    assert.equal(badInstant.where, 'discovery');
    const booked = await ok(cs, 'schedule', { sow, discovery: '2026-05-18T16:00:00Z' });
    assert.equal(booked.state, 'scheduled');
  });

  it("intro: the CRO sends the warm introduction to the packet's contacts; customer.success may not", async () => {
    const cro = await submitted();
    const sent = await ok(cro, 'intro', { sow });
    assert.equal(sent.events[0].type, 'IntroductionSent');
    assert.equal(sent.events[0].data.recipients, 2);
    const cs = await world.agent('customer.success', 'Robin');
    assert.equal((await fails(cs, 'intro', { sow })).rule, 'role-not-allowed');
  });

  it('approve_deviation: only the CEO; a note is required', async () => {
    await submitted();
    const ceo = await world.agent('ceo', 'Jordan');
    const approved = await ok(ceo, 'approve_deviation', { sow, note: 'the co-sell questions are in scope' });
    assert.equal(approved.events[0].type, 'DeviationApproved');
    const cos = await world.agent('chief.staff', 'Morgan');
    const refused = await fails(cos, 'approve_deviation', { sow, note: 'fine by me' });
    assert.equal(refused.rule, 'role-not-allowed');
    assert.match(refused.message, /only ceo/);
    assert.equal((await fails(ceo, 'approve_deviation', { sow, note: '' })).where, 'note');
  });

  it('flag and resolve: the Chief of Staff flags a concern and resolves it; the CRO may do neither', async () => {
    const cro = await submitted();
    const cos = await world.agent('chief.staff', 'Morgan');
    assert.equal((await fails(cro, 'flag', { sow, note: 'thin notes' })).rule, 'role-not-allowed');
    const flagged = await ok(cos, 'flag', { sow, note: 'the expectations field quotes no one' });
    const raised = flagged.events.find((e: { type: string }) => e.type === 'EscalationRaised');
    assert.equal(raised.data.kind, 'quality-concern');
    const escalationId = raised.data.id as string;

    const byCro = await fails(cro, 'resolve', { escalationId, note: 'done' });
    assert.equal(byCro.rule, 'role-not-allowed');
    const badId = await fails(cos, 'resolve', { escalationId: 'ESC-1', note: 'done' });
    assert.equal(badId.where, 'escalationId');
    const resolved = await ok(cos, 'resolve', { escalationId, note: 'asked the CRO for direct quotes' });
    assert.equal(resolved.events[0].type, 'EscalationResolved');
    const twice = await fails(cos, 'resolve', { escalationId, note: 'again' });
    assert.equal(twice.kind, 'refused');
  });

  it('sweep: records missed clocks once and digests them; input it does not take is refused', async () => {
    const cro = await world.agent('cro', 'Casey');
    await ok(cro, 'open', openArgs);
    world.setNow('2026-05-20T14:00:00Z');
    const cos = await world.agent('chief.staff', 'Morgan');
    const digest = await ok(cos, 'sweep');
    assert.ok(digest.recorded.some((r: { type: string; detail: string }) => r.detail === 'packetDue'));
    assert.equal(digest.incidentsOpen.length, 1, 'discovery not scheduled in 5 business days files a SEV2');
    const again = await ok(cos, 'sweep');
    assert.deepEqual(again.recorded, []);
    const bad = await fails(cos, 'sweep', { week: '2026-W20' });
    assert.equal(bad.kind, 'bad-input');
  });

  it('status: state, clocks and the tools this agent may call; not-found for an unknown SOW', async () => {
    await submitted();
    const ceo = await world.agent('ceo', 'Jordan');
    const view = await ok(ceo, 'status', { sow });
    assert.equal(view.state, 'submitted');
    assert.equal(view.files.packet, packetRel);
    assert.ok(view.allowed.includes('approve_deviation'), 'tool names, not CLI names');
    assert.ok(view.clocks.some((c: { name: string }) => c.name === 'ackDue'));
    const missing = await fails(ceo, 'status', { sow: 'SOW-2026-999' });
    assert.equal(missing.kind, 'not-found');
    assert.equal(missing.where, 'sow', "the tool's input key, not the CLI's SOW");
    assert.equal((await fails(ceo, 'status', { sow: 'sow 14' })).where, 'sow');
  });

  it('list: handoffs filtered by state; a bad state is named', async () => {
    await submitted();
    const cs = await world.agent('customer.success', 'Robin');
    const all = await ok(cs, 'list');
    assert.deepEqual(
      all.handoffs.map((h: { sow: string; state: string }) => `${h.sow}:${h.state}`),
      [`${sow}:submitted`],
    );
    assert.deepEqual((await ok(cs, 'list', { state: 'scheduled' })).handoffs, []);
    assert.equal((await fails(cs, 'list', { state: 'done' })).where, 'state');
  });

  it('history: every event with who did it and through which interface', async () => {
    await submitted();
    const cos = await world.agent('chief.staff', 'Morgan');
    const { events } = await ok(cos, 'history', { sow });
    assert.equal(events[0].type, 'HandoffOpened');
    assert.deepEqual(events[0].actor, { role: 'cro', name: 'Casey', via: 'mcp' });
    assert.ok(events.every((e: { hash: string }) => /^[0-9a-f]{64}$/.test(e.hash)));
    assert.equal((await fails(cos, 'history', { sow: 'SOW-2026-999' })).kind, 'not-found');
  });

  it('gate: on packet text or on the handoff’s packet; it needs one of them and a packet', async () => {
    const cs = await world.agent('customer.success', 'Robin');
    const onText = await ok(cs, 'gate', { packet: examplePacket });
    assert.equal(onText.verdict, 'review');
    assert.equal(onText.source, 'text');
    assert.equal(onText.checks.length, 8);
    assert.equal(onText.file, packetRel);

    const pending = await ok(cs, 'gate', {
      packet: examplePacket.replace('2026-05-13; received; ACH', '2026-05-13; pending; ACH'),
    });
    assert.equal(pending.verdict, 'fail');
    const payment = pending.checks.find((c: { id: string }) => c.id === 'payment-confirmed');
    assert.equal(payment.status, 'fail');
    assert.equal(payment.findings[0].field, 'Payment confirmed');

    await submitted();
    const onSow = await ok(cs, 'gate', { sow });
    assert.equal(onSow.source, 'submission');
    assert.equal(onSow.submission, 1);

    assert.equal((await fails(cs, 'gate', {})).where, 'packet');
    assert.equal((await fails(cs, 'gate', { packet: 'just some words' })).kind, 'not-a-packet');
  });

  it('draft_packet: the seller writes the packet from fields and gets the gate; never overwrites unless asked', async () => {
    const fields = exampleFields(world.baton.playbook);
    const cro = await world.agent('cro', 'Casey');
    const file = join(world.root, packetRel);
    writeFileSync(file, 'the seller’s own notes\n');

    const refused = await fails(cro, 'draft_packet', { sow, fields });
    assert.equal(refused.kind, 'conflict');
    assert.equal(refused.where, 'overwrite');
    assert.equal(readFileSync(file, 'utf8'), 'the seller’s own notes\n', 'left as it was');

    const { schedulingContact: _left, ...partial } = fields;
    const draft = await ok(cro, 'draft_packet', { sow, fields: partial, overwrite: true });
    assert.equal(draft.file, packetRel);
    assert.equal(draft.overwritten, true);
    assert.equal(draft.gate.verdict, 'fail');
    const required = draft.gate.checks.find((c: { id: string }) => c.id === 'required-fields');
    assert.equal(required.status, 'fail');
    assert.deepEqual(
      required.findings.map((f: { field: string }) => f.field),
      ['Scheduling contact'],
    );
    assert.match(readFileSync(file, 'utf8'), /\| Company name \| Northwind Partners, Inc\. \|/);

    const fixed = await ok(cro, 'draft_packet', { sow, fields, overwrite: true });
    assert.equal(fixed.gate.verdict, 'review');
    assert.equal(fixed.filled.length, Object.keys(fields).length);
  });

  it('draft_packet: customer.success may not draft; bad fields are named; the packet is final once acknowledged', async () => {
    const fields = exampleFields(world.baton.playbook);
    const cs = await world.agent('customer.success', 'Robin');
    const byReviewer = await fails(cs, 'draft_packet', { sow, fields });
    assert.equal(byReviewer.rule, 'role-not-allowed');
    assert.equal(existsSync(join(world.root, 'operations/handoffs/assessments/archive')), false);

    const cro = await world.agent('cro', 'Casey');
    const unknownField = await fails(cro, 'draft_packet', { sow, fields: { ...fields, mood: 'great' } });
    assert.equal(unknownField.where, 'fields.mood');
    const notText = await fails(cro, 'draft_packet', { sow, fields: { companyName: 42 } });
    assert.equal(notText.where, 'fields.companyName');

    await ok(cro, 'open', openArgs);
    await ok(cro, 'submit', { sow });
    await ok(cs, 'ack', { sow, attestations: [crmAttestation] });
    const final = await fails(cro, 'draft_packet', { sow, fields, overwrite: true });
    assert.equal(final.rule, 'already-acknowledged');
    assert.equal(readFileSync(join(world.root, packetRel), 'utf8'), examplePacket);
  });

  it('metrics: the week’s figures from the event log; a bad period is named', async () => {
    const cro = await submitted();
    const cs = await world.agent('customer.success', 'Robin');
    await ok(cs, 'reject', { sow, checks: ['crm-item-exists'], reason: 'the deal id is a test board' });
    world.setNow('2026-05-15T13:00:00Z');
    await ok(cro, 'submit', { sow });
    world.setNow('2026-05-15T15:00:00Z');
    await ok(cs, 'ack', { sow, attestations: [crmAttestation] });

    const cos = await world.agent('chief.staff', 'Morgan');
    const m = await ok(cos, 'metrics', { week: '2026-W20' });
    assert.equal(m.period.label, '2026-W20');
    assert.equal(m.handoffs.opened, 1);
    assert.equal(m.handoffs.submitted, 1);
    assert.deepEqual(m.reviews, { total: 2, acknowledged: 1, rejected: 1 });
    assert.equal(m.passRate.firstPass.rate, 0);
    assert.equal(m.passRate.overall.rate, 0.5);
    assert.deepEqual(
      m.failingChecks.map((c: { check: string }) => c.check),
      ['crm-item-exists'],
    );
    const thisWeek = await ok(cos, 'metrics');
    assert.equal(thisWeek.period.label, '2026-W20', 'the current week by default');
    const empty = await ok(cos, 'metrics', { week: '2026-W21' });
    assert.equal(empty.handoffs.opened, 0);

    assert.equal((await fails(cos, 'metrics', { week: 'W20' })).where, 'week');
    assert.equal((await fails(cos, 'metrics', { from: '2026-05-11' })).where, 'to');
  });

  it('an unexpected failure is an isError result with a one-line message, logged on the server side only', async () => {
    const cs = await world.agent('customer.success', 'Robin');
    await world.baton.store.close();
    const result = await call(cs, 'list');
    assert.equal(result.isError, true);
    const error = (result.structuredContent as { error: { kind: string; message: string } }).error;
    assert.equal(error.kind, 'internal');
    assert.doesNotMatch(error.message, /\n/);
    assert.equal(world.logs.length, 1);
    assert.match(world.logs[0] ?? '', /list failed: .*\n\s+at /s, 'the stack is in the log');
    world.logs.length = 0;
  });
});
