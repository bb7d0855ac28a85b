import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { acknowledgePacket, openHandoff, rejectPacket, submitPacket } from '../../src/app/handoffs.ts';
import {
  editingRefusal,
  gatePacketDraft,
  packetDraft,
  packetOnRecord,
  savePacketDraft,
} from '../../src/app/packet-editing.ts';
import { forEachDialect } from '../store/dialects.ts';
import {
  broken,
  carla,
  casey,
  chris,
  createWorld,
  dana,
  examplePacket,
  otherSows,
  packetFor,
  packetRel,
  paid,
  SOW,
  sam,
  signed,
} from './app-fixture.ts';

it('editing the packet: the seller’s side, until it is acknowledged', () => {
  for (const state of ['opened', 'submitted', 'rejected'] as const) {
    assert.equal(editingRefusal({ sow: SOW, state }, carla), undefined);
    assert.equal(editingRefusal({ sow: SOW, state }, sam), undefined);
    for (const other of [casey, chris, dana])
      assert.equal(editingRefusal({ sow: SOW, state }, other)?.rule, 'role-not-allowed', other.role);
  }
  for (const state of ['acknowledged', 'scheduled'] as const)
    assert.equal(editingRefusal({ sow: SOW, state }, carla)?.rule, 'already-acknowledged');
});

forEachDialect('packet editing', ({ place }) => {
  it('a draft: the file at the SOP path, or the template; save refuses what is not this SOW’s packet', async () => {
    const world = await createWorld(place());
    const other = otherSows[0] as string;
    await openHandoff(world.baton, carla, { sow: other, sowSigned: signed, paymentConfirmed: paid });
    const empty = await packetDraft(world.baton, carla, other.toLowerCase());
    assert.equal(empty.exists, false);
    assert.match(empty.text, new RegExp(`^# Assessment Handoff Packet: ${other}`));
    await assert.rejects(savePacketDraft(world.baton, carla, other, 'notes'), { kind: 'not-a-packet' });
    await assert.rejects(savePacketDraft(world.baton, carla, other, examplePacket), {
      kind: 'bad-input',
      message: /the packet of SOW-2026-014, not SOW-2026-015/,
    });
    await assert.rejects(savePacketDraft(world.baton, casey, other, packetFor(other)), {
      rule: 'role-not-allowed',
    });
    await assert.rejects(savePacketDraft(world.baton, carla, 'SOW-2026-999', packetFor('SOW-2026-999')), {
      kind: 'not-found',
    });
    assert.equal(world.exists(`operations/handoffs/assessments/${other}-handoff-packet.md`), false);
    const saved = await savePacketDraft(world.baton, carla, other, packetFor(other), {
      baseSha256: empty.sha256,
    });
    assert.equal(world.read(saved.path), packetFor(other));
    const again = await packetDraft(world.baton, sam, other);
    assert.equal(again.exists, true);
    assert.equal(again.sha256, saved.sha256);
    await assert.rejects(
      savePacketDraft(world.baton, sam, other, `${packetFor(other)}\n`, { baseSha256: empty.sha256 }),
      { kind: 'conflict' },
    );
    await assert.rejects(savePacketDraft(world.baton, carla, other, `${packetFor(other)}\0`), {
      kind: 'not-a-packet',
    });
  });

  it('the live gate runs on unsaved text as a submission now would', async () => {
    const world = await createWorld(place());
    await openHandoff(world.baton, carla, { sow: SOW, sowSigned: signed, paymentConfirmed: paid });
    const report = await gatePacketDraft(world.baton, SOW, broken('placeholder'));
    assert.equal(report.verdict, 'fail');
    assert.deepEqual(
      report.checks.find((c) => c.id === 'required-fields')?.findings.map((f) => f.field),
      ['Industry'],
    );
    await assert.rejects(gatePacketDraft(world.baton, SOW, 'hello'), { kind: 'not-a-packet' });
  });

  it('the packet on record: the draft before a submission, the frozen copy while reviewed, the draft again after a rejection', async () => {
    const world = await createWorld(place());
    await openHandoff(world.baton, carla, { sow: SOW, sowSigned: signed, paymentConfirmed: paid });
    const draft = await packetOnRecord(world.baton, SOW);
    assert.equal(draft.source, 'draft');
    assert.equal(draft.path, packetRel);
    assert.equal(draft.packet?.fields.companyName?.value, 'Northwind Partners, Inc.');
    assert.equal(draft.gate?.source, 'draft');

    await submitPacket(world.baton, carla, SOW, { text: broken('placeholder') });
    writeFileSync(join(world.root, packetRel), examplePacket);
    const frozen = await packetOnRecord(world.baton, SOW);
    assert.equal(frozen.source, 'submission');
    assert.equal(frozen.submission, 1);
    assert.match(frozen.path, /archive\/SOW-2026-014\/SOW-2026-014-handoff-packet\.v1\./);
    assert.equal(frozen.packet?.fields.industry?.value, 'TBD');
    assert.equal(frozen.gate?.verdict, 'fail');
    assert.equal(frozen.draftChanged, true);

    await rejectPacket(world.baton, casey, SOW, { checks: ['required-fields'] });
    const remediating = await packetOnRecord(world.baton, SOW);
    assert.equal(remediating.source, 'draft');
    assert.equal(remediating.packet?.fields.industry?.value, 'B2B SaaS (security operations)');

    await submitPacket(world.baton, carla, SOW);
    await acknowledgePacket(world.baton, casey, SOW, [{ check: 'crm-item-exists', reason: 'seen' }]);
    const acknowledged = await packetOnRecord(world.baton, SOW);
    assert.equal(acknowledged.source, 'submission');
    assert.equal(acknowledged.submission, 2);
    assert.equal(acknowledged.gate?.verdict, 'pass', 'the attested review counts');
    // Someone edits the frozen copy on disk: the page says so instead of showing a gate for it.
    writeFileSync(join(world.root, acknowledged.path), `${examplePacket}\n<!-- edited -->\n`);
    const altered = await packetOnRecord(world.baton, SOW);
    assert.equal(altered.gate, undefined);
    assert.match(altered.problem ?? '', /no longer matches the sha256 recorded at submission/);
  });
});
