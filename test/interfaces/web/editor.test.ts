import assert from 'node:assert/strict';
import { existsSync, readFileSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { handoffStatus } from '../../../src/app/handoff-queries.ts';
import { rejectPacket } from '../../../src/app/handoffs.ts';
import {
  actorOf,
  type Browser,
  type Dashboard,
  examplePacket,
  packetRel,
  SOW,
  startDashboard,
} from './web-fixture.ts';

const flawed = () => examplePacket().replace('Dana Reyes; VP Partnerships;', 'John Doe; VP Partnerships;');
const sha = (page: string) => /name="baseSha256" value="([0-9a-f]{64})"/.exec(page)?.[1] ?? '';

describe('packet editor', () => {
  let t: Dashboard;
  let cro: Browser;
  beforeEach(async () => {
    t = await startDashboard();
    await t.openExample();
    cro = await t.signIn('cro');
  });
  afterEach(() => t.close());

  it('starts from the empty template when there is no file, with the live gate wired to the textarea', async () => {
    // The northwind root ships this SOW's packet; a new SOW has none.
    await t.openExample('SOW-2026-015');
    const r = await cro.get('/handoffs/SOW-2026-015/packet');
    assert.equal(r.statusCode, 200, r.body);
    assert.match(r.body, /not written yet: this is the empty template/);
    assert.match(r.body, /<label for="packet">Packet text \(markdown\)/);
    assert.match(
      r.body,
      /<textarea id="packet" name="packet"[^>]*hx-post="\/handoffs\/SOW-2026-015\/packet\/gate" hx-trigger="input changed delay:400ms"[^>]*>\n# Assessment Handoff Packet: SOW-2026-015/,
    );
    assert.match(r.body, /Gate on SOW-2026-015 as of now: <strong class="status-fail">fail<\/strong>/);
    assert.match(r.body, /formaction="\/handoffs\/SOW-2026-015\/packet\/submit">Save and submit/);
  });

  it('the live gate answers an htmx request with a fragment pointing at the field and line at fault', async () => {
    const r = await cro.post(`/handoffs/${SOW}/packet/gate`, { packet: flawed() }, { 'hx-request': 'true' });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /^<div id="gate-result">/);
    assert.doesNotMatch(r.body, /<html/);
    const line =
      flawed()
        .split('\n')
        .findIndex((l) => l.startsWith('| Customer-side champion')) + 1;
    assert.match(
      r.body,
      new RegExp(
        `<strong>Customer-side champion</strong> \\(<button type="button" class="secondary" data-goto-line="${line}" aria-controls="packet">line ${line}</button>\\): [^<]*John Doe`,
      ),
    );
    assert.match(r.body, /<strong class="status-fail">fail<\/strong> — 1 check failing/);
    const fixed = await cro.post(
      `/handoffs/${SOW}/packet/gate`,
      { packet: examplePacket() },
      { 'hx-request': 'true' },
    );
    assert.match(
      fixed.body,
      /<strong class="status-review">review<\/strong>, 1 for customer.success to review/,
    );
  });

  it('the live gate says why text is not a packet, or is another SOW’s', async () => {
    const junk = await cro.post(
      `/handoffs/${SOW}/packet/gate`,
      { packet: 'hello' },
      { 'hx-request': 'true' },
    );
    assert.equal(junk.statusCode, 200);
    assert.match(
      junk.body,
      /<p class="problem" role="alert"><strong>This is not a handoff packet.<\/strong> packet: line 1/,
    );
    const other = await cro.post(
      `/handoffs/${SOW}/packet/gate`,
      { packet: examplePacket().replaceAll('SOW-2026-014', 'SOW-2026-099') },
      { 'hx-request': 'true' },
    );
    assert.match(other.body, /this is the packet of SOW-2026-099, not SOW-2026-014/);
  });

  it('without JavaScript, "Run the gate" shows the whole editor with the text as typed', async () => {
    const r = await cro.post(`/handoffs/${SOW}/packet/gate`, { packet: flawed(), baseSha256: 'x' });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /<h1>Packet SOW-2026-014<\/h1>/);
    assert.match(r.body, /Customer-side champion \| John Doe; VP Partnerships;/);
    assert.match(r.body, /status-fail/);
  });

  it('saves the text at the SOP path, byte for byte', async () => {
    const page = await cro.get(`/handoffs/${SOW}/packet`);
    const text = `${flawed()}\n<!-- a note, kept -->\n`;
    const r = await cro.post(`/handoffs/${SOW}/packet`, { packet: text, baseSha256: sha(page.body) });
    assert.equal(r.statusCode, 303, r.body);
    assert.equal(r.headers.location, `/handoffs/${SOW}/packet?done=saved`);
    assert.equal(readFileSync(join(t.root, packetRel), 'utf8'), text);
    const after = await cro.get(r.headers.location as string);
    assert.match(after.body, /Packet saved/);
  });

  it('a save over edits made meanwhile is a 409 that keeps the typed text and writes nothing', async () => {
    const page = await cro.get(`/handoffs/${SOW}/packet`);
    const theirs = `${examplePacket()}\n<!-- saved by someone else -->\n`;
    const sales = await t.signIn('salesOps');
    const salesPage = await sales.get(`/handoffs/${SOW}/packet`);
    assert.equal(
      (await sales.post(`/handoffs/${SOW}/packet`, { packet: theirs, baseSha256: sha(salesPage.body) }))
        .statusCode,
      303,
    );
    const mine = `${examplePacket()}\n<!-- mine -->\n`;
    const r = await cro.post(`/handoffs/${SOW}/packet`, { packet: mine, baseSha256: sha(page.body) });
    assert.equal(r.statusCode, 409);
    assert.match(r.body, /changed since you opened it/);
    assert.match(r.body, /&lt;!-- mine --&gt;/, 'the typed text is still in the editor');
    assert.equal(readFileSync(join(t.root, packetRel), 'utf8'), theirs);
    // The page now carries the current file's hash: saving again (deliberately) goes through.
    const again = await cro.post(`/handoffs/${SOW}/packet`, { packet: mine, baseSha256: sha(r.body) });
    assert.equal(again.statusCode, 303);
    assert.equal(readFileSync(join(t.root, packetRel), 'utf8'), mine);
  });

  it('refuses to save text that is not this SOW’s packet (422), keeping the text and the file', async () => {
    const before = readFileSync(join(t.root, packetRel), 'utf8');
    const page = await cro.get(`/handoffs/${SOW}/packet`);
    const r = await cro.post(`/handoffs/${SOW}/packet`, {
      packet: 'my notes\n<b>x</b>',
      baseSha256: sha(page.body),
    });
    assert.equal(r.statusCode, 422);
    assert.match(r.body, /This is not a handoff packet/);
    assert.match(r.body, />\nmy notes\n&lt;b&gt;x&lt;\/b&gt;<\/textarea>/);
    const other = await cro.post(`/handoffs/${SOW}/packet`, {
      packet: examplePacket().replaceAll('SOW-2026-014', 'SOW-2026-099'),
      baseSha256: sha(page.body),
    });
    assert.equal(other.statusCode, 422);
    assert.match(other.body, /the packet of SOW-2026-099, not SOW-2026-014/);
    assert.equal(readFileSync(join(t.root, packetRel), 'utf8'), before);
  });

  it('refuses to write through a symlink leaving the root', async () => {
    const file = join(t.root, packetRel);
    unlinkSync(file);
    symlinkSync('/etc/hostname', file);
    const r = await cro.post(`/handoffs/${SOW}/packet`, { packet: examplePacket() });
    assert.equal(r.statusCode, 403);
    assert.match(r.body, /outside the knowledge root/);
    assert.notEqual(readFileSync('/etc/hostname', 'utf8'), examplePacket());
  });

  it('customer.success and the others may not open or save the editor (403 by rule)', async () => {
    for (const who of ['cs', 'chief', 'ceo'] as const) {
      const b = await t.signIn(who);
      const page = await b.get(`/handoffs/${SOW}/packet`);
      assert.equal(page.statusCode, 403, who);
      assert.match(page.body, /<code>role-not-allowed<\/code>/);
      const before = readFileSync(join(t.root, packetRel), 'utf8');
      const save = await b.post(`/handoffs/${SOW}/packet`, { packet: flawed() });
      assert.equal(save.statusCode, 403);
      assert.equal(readFileSync(join(t.root, packetRel), 'utf8'), before);
    }
  });

  it('save and submit: the file is written, then submitted (frozen, gated)', async () => {
    const page = await cro.get(`/handoffs/${SOW}/packet`);
    const r = await cro.post(`/handoffs/${SOW}/packet/submit`, {
      packet: flawed(),
      baseSha256: sha(page.body),
    });
    assert.equal(r.statusCode, 303, r.body);
    assert.equal(r.headers.location, `/handoffs/${SOW}?done=submit`);
    const status = await handoffStatus(t.baton, SOW);
    assert.equal(status.state, 'submitted');
    assert.equal(status.submissions[0]?.gate.verdict, 'fail');
    assert.ok(existsSync(join(t.root, status.submissions[0]?.frozenPath ?? '')));
    // Submitted: a second submission is refused by rule, but the draft is saved and the editor stays.
    const again = await cro.get(`/handoffs/${SOW}/packet`);
    const second = await cro.post(`/handoffs/${SOW}/packet/submit`, {
      packet: examplePacket(),
      baseSha256: sha(again.body),
    });
    assert.equal(second.statusCode, 403);
    assert.match(second.body, /Packet saved, but not submitted/);
    assert.match(second.body, /awaiting-review/);
    assert.equal(readFileSync(join(t.root, packetRel), 'utf8'), examplePacket());
    assert.equal((await handoffStatus(t.baton, SOW)).submissions.length, 1);
  });

  it('after a rejection the seller fixes the draft and resubmits; once acknowledged the packet is final', async () => {
    await cro.post(`/handoffs/${SOW}/packet/submit`, { packet: flawed() });
    await rejectPacket(t.baton, actorOf('cs'), SOW, { checks: ['contacts-complete'] });
    const page = await cro.get(`/handoffs/${SOW}`);
    assert.match(
      page.body,
      /Draft at <code>operations\/handoffs\/assessments\/SOW-2026-014-handoff-packet.md<\/code> \(being remediated after the rejection of version 1\)/,
    );
    const r = await cro.post(`/handoffs/${SOW}/packet/submit`, { packet: examplePacket() });
    assert.equal(r.statusCode, 303, r.body);
    const cs = await t.signIn('cs');
    const ack = await cs.post(`/handoffs/${SOW}/ack`, { 'attest.crm-item-exists': 'seen' });
    assert.equal(ack.statusCode, 303, ack.body);
    const final = await cro.get(`/handoffs/${SOW}/packet`);
    assert.equal(final.statusCode, 403);
    assert.match(final.body, /already-acknowledged/);
    const croPage = await cro.get(`/handoffs/${SOW}`);
    assert.doesNotMatch(croPage.body, /Edit the packet/);
  });
});
