/**
 * A scripted agent session: a CRO agent and a customer.success agent take a handoff from open to
 * scheduled using only MCP calls, through a failed gate, a rejection and a fix, each held to its role.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, it } from 'node:test';
import { forEachDialect } from '../../store/dialects.ts';
import {
  createWorld,
  exampleFields,
  fails,
  ok,
  openArgs,
  packetRel,
  promptText,
  sow,
  type World,
} from './mcp-fixture.ts';

forEachDialect('MCP agent session', ({ place }) => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld(place());
    // The root has the executed SOW; the packet is the agents' to write.
    rmSync(join(world.root, packetRel));
  });
  afterEach(async () => {
    await world.close();
    assert.deepEqual(world.logs, []);
  });

  it('open → draft with a gap → submit → reject → fix → resubmit → attest → ack → schedule, by two agents', async () => {
    const cro = await world.agent('cro', 'Casey (agent)');
    const cs = await world.agent('customer.success', 'Robin (agent)');

    // The CRO's agent reads the playbook and the prompt, and drafts from its deal notes: it has no scheduling contact yet.
    const playbook = JSON.parse(
      ((await cro.readResource({ uri: 'baton://playbook' })).contents[0] as { text: string }).text,
    );
    assert.equal(playbook.paths.packet, world.baton.playbook.paths.packet);
    const prompt = await cro.getPrompt({
      name: 'assemble_packet',
      arguments: { sow, notes: 'Northwind Partners; champion Dana Reyes; readout in 3 weeks' },
    });
    assert.match(promptText(prompt), /draft_packet/);
    const { schedulingContact, ...withoutScheduler } = exampleFields(world.baton.playbook);
    assert.ok(schedulingContact);

    await ok(cro, 'open', openArgs);
    const draft = await ok(cro, 'draft_packet', { sow, fields: withoutScheduler });
    assert.equal(draft.gate.verdict, 'fail');

    world.setNow('2026-05-14T14:30:00Z');
    const first = await ok(cro, 'submit', { sow });
    const submittedEvent = first.events.find((e: { type: string }) => e.type === 'PacketSubmitted');
    assert.equal(submittedEvent.data.gate.verdict, 'fail');

    // The CRO's agent cannot review its own packet.
    const selfReview = await fails(cro, 'ack', { sow });
    assert.equal(selfReview.rule, 'separation-of-duties');

    // customer.success's agent looks, cannot acknowledge a failing gate, and rejects with the gate's failures.
    world.setNow('2026-05-14T16:00:00Z');
    const seen = await ok(cs, 'status', { sow });
    assert.equal(seen.state, 'submitted');
    assert.ok(seen.allowed.includes('reject'));
    const gate = await ok(cs, 'gate', { sow });
    const failed = gate.checks.filter((c: { status: string }) => c.status === 'fail');
    assert.ok(failed.some((c: { id: string }) => c.id === 'required-fields'));
    const blocked = await fails(cs, 'ack', { sow });
    assert.equal(blocked.rule, 'gate-failed');
    assert.ok(blocked.allowed?.includes('reject'));
    const rejected = await ok(cs, 'reject', { sow, reason: 'no scheduling contact' });
    assert.equal(rejected.state, 'rejected');
    const rejection = rejected.events.find((e: { type: string }) => e.type === 'PacketRejected');
    assert.deepEqual(
      rejection.data.checks,
      failed.map((c: { id: string }) => c.id),
    );

    // The CRO's agent sees the rejection, fixes the draft (replacing it only when it says so) and resubmits.
    world.setNow('2026-05-15T13:00:00Z');
    const back = await ok(cro, 'status', { sow });
    assert.equal(back.state, 'rejected');
    assert.ok(back.allowed.includes('submit'));
    assert.ok(
      back.clocks.some(
        (c: { name: string; status: string }) => c.name === 'remediationDue' && c.status === 'open',
      ),
    );
    const noOverwrite = await fails(cro, 'draft_packet', {
      sow,
      fields: { ...withoutScheduler, schedulingContact },
    });
    assert.equal(noOverwrite.kind, 'conflict');
    const fixed = await ok(cro, 'draft_packet', {
      sow,
      fields: { ...withoutScheduler, schedulingContact },
      overwrite: true,
    });
    assert.equal(fixed.gate.verdict, 'review');
    const second = await ok(cro, 'submit', { sow });
    assert.equal(second.state, 'submitted');

    // customer.success's agent reads exactly what was submitted, attests the CRM check and acknowledges.
    world.setNow('2026-05-15T15:00:00Z');
    const frozen = (await cs.readResource({ uri: `baton://handoffs/${sow}/submissions/2` })).contents[0] as {
      text: string;
    };
    assert.match(frozen.text, /\| Scheduling contact \| Priya Nair; priya\.nair@northwind-partners\.io \|/);
    const unattested = await fails(cs, 'ack', { sow });
    assert.equal(unattested.rule, 'review-not-attested');
    assert.equal(unattested.where, 'crm-item-exists');
    await ok(cs, 'attest', {
      sow,
      check: 'crm-item-exists',
      reason: 'item 8812345 is Closed Won in Monday.com',
    });
    const acked = await ok(cs, 'ack', { sow, expectedVersion: (await ok(cs, 'status', { sow })).version });
    assert.equal(acked.state, 'acknowledged');

    // Scheduling is customer.success's; the CRO sends the warm introduction.
    const notCro = await fails(cro, 'schedule', { sow, discovery: '2026-05-18T16:00:00Z' });
    assert.equal(notCro.rule, 'role-not-allowed');
    world.setNow('2026-05-15T16:00:00Z');
    const scheduled = await ok(cs, 'schedule', { sow, discovery: '2026-05-18T16:00:00Z' });
    assert.equal(scheduled.state, 'scheduled');
    await ok(cro, 'intro', { sow });

    const final = await ok(cro, 'status', { sow });
    assert.equal(final.state, 'scheduled');
    assert.equal(final.submissions.length, 2);
    assert.equal(final.rejections.length, 1);
    assert.equal(final.acknowledgement.by.name, 'Robin (agent)');
    assert.equal(final.acknowledgement.submission, 2);
    assert.ok(final.clocks.every((c: { overdue: boolean }) => !c.overdue));

    const report = (await cro.readResource({ uri: `baton://handoffs/${sow}/report` })).contents[0] as {
      text: string;
    };
    assert.match(
      report.text,
      /\| Acknowledged By \| Robin \(agent\) \(customer\.success\), 2026-05-15T15:00:00\.000Z, version 2 \|/,
    );
    assert.match(report.text, /Blocking \| No/);

    const { events } = await ok(cs, 'history', { sow });
    assert.ok(events.every((e: { actor: { via: string } }) => e.actor.via === 'mcp'));
    const who = (type: string) =>
      events
        .filter((e: { type: string }) => e.type === type)
        .map((e: { actor: { name: string } }) => e.actor.name);
    assert.deepEqual(who('PacketSubmitted'), ['Casey (agent)', 'Casey (agent)']);
    assert.deepEqual(who('PacketRejected'), ['Robin (agent)']);
    assert.deepEqual(who('PacketAcknowledged'), ['Robin (agent)']);
    assert.deepEqual(who('DiscoveryScheduled'), ['Robin (agent)']);
  });
});
