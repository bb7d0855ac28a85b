import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import { handoffStatus } from '../../../src/app/handoff-queries.ts';
import { flagHandoff } from '../../../src/app/handoffs.ts';
import { actorOf, type Browser, type Dashboard, examplePacket, SOW, startDashboard } from './web-fixture.ts';

const stateOf = async (t: Dashboard) => (await handoffStatus(t.baton, SOW)).state;
const versionOf = async (t: Dashboard) => (await handoffStatus(t.baton, SOW)).version;

describe('dashboard pages: signed out', () => {
  let t: Dashboard;
  before(async () => {
    t = await startDashboard();
    await t.openAndSubmit();
  });
  after(() => t.close());

  const pages = [
    '/',
    `/handoffs/${SOW}`,
    `/handoffs/${SOW}/packet`,
    '/escalations',
    '/incidents',
    '/notifications',
    '/sweep',
    '/metrics',
    '/?state=submitted',
  ];
  for (const path of pages)
    it(`GET ${path} redirects to the sign-in page, keeping where you wanted to go`, async () => {
      const r = await t.app.inject({ method: 'GET', url: path });
      assert.equal(r.statusCode, 303);
      assert.equal(r.headers.location, `/sign-in?next=${encodeURIComponent(path)}`);
    });

  it('a POST signed out is sent to sign in and changes nothing', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/handoffs/${SOW}/reject`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'checks=contacts-complete&reason=x',
    });
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/sign-in');
    assert.equal(await stateOf(t), 'submitted');
  });

  it('an htmx request signed out gets 401 and an HX-Redirect to the sign-in page', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/handoffs/${SOW}/packet/gate`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true' },
      payload: 'packet=x',
    });
    assert.equal(r.statusCode, 401);
    assert.equal(r.headers['hx-redirect'], '/sign-in');
  });

  it('a forged or expired session cookie is the same as none', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/', headers: { cookie: 'baton_session=forged' } });
    assert.equal(r.statusCode, 303);
  });

  it('the static files are public and the pages send the strict CSP', async () => {
    for (const [path, type] of [
      ['/assets/htmx.min.js', 'text/javascript'],
      ['/assets/baton.js', 'text/javascript'],
      ['/assets/baton.css', 'text/css'],
    ] as const) {
      const r = await t.app.inject({ method: 'GET', url: path });
      assert.equal(r.statusCode, 200, path);
      assert.match(String(r.headers['content-type']), new RegExp(type));
    }
    const htmx = await t.app.inject({ method: 'GET', url: '/assets/htmx.min.js' });
    assert.match(htmx.body, /htmx/);
    const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.doesNotMatch(page.body, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(page.body, /\sstyle="|<style/, 'no inline style');
  });
});

describe('dashboard pages: every page as every role', () => {
  let t: Dashboard;
  const browsers: Record<string, Browser> = {};
  before(async () => {
    t = await startDashboard();
    await t.openAndSubmit();
    for (const who of ['cro', 'salesOps', 'cs', 'chief', 'ceo'] as const) browsers[who] = await t.signIn(who);
  });
  after(() => t.close());

  for (const path of [
    '/',
    `/handoffs/${SOW}`,
    '/escalations',
    '/incidents',
    '/notifications',
    '/sweep',
    '/metrics',
  ])
    it(`GET ${path} renders for each role, with its no-store, sign-out form and CSRF token`, async () => {
      for (const [who, b] of Object.entries(browsers)) {
        const r = await b.get(path);
        assert.equal(r.statusCode, 200, `${who} ${path}: ${r.body.slice(0, 500)}`);
        assert.match(String(r.headers['content-type']), /^text\/html/);
        assert.equal(r.headers['cache-control'], 'no-store');
        assert.match(r.body, /action="\/sign-out"/);
        assert.ok(r.body.includes(`value="${b.csrf}"`));
      }
    });

  it('the board shows the handoff in its state with the acknowledgement clock and its business hours left', async () => {
    const r = await browsers.cs!.get('/');
    const submitted = r.body.slice(r.body.indexOf('id="col-submitted"'), r.body.indexOf('id="col-rejected"'));
    assert.match(submitted, /SOW-2026-014/);
    // Submitted Thu 14 May 14:00Z (10:00 New York): due Fri 15 May 17:00, 7 + 8 business hours away.
    assert.match(
      submitted,
      /acknowledgement due: due <time datetime="2026-05-15T21:00:00.000Z">Fri 2026-05-15 17:00<\/time>, <strong>15 business hours left<\/strong>/,
    );
    const opened = r.body.slice(r.body.indexOf('id="col-opened"'), r.body.indexOf('id="col-submitted"'));
    assert.doesNotMatch(opened, /SOW-2026-014/);
  });

  it('filters: by state, overdue, and escalation owner', async () => {
    const only = await browsers.cs!.get('/?state=rejected');
    assert.doesNotMatch(only.body, /href="\/handoffs\/SOW-2026-014"/);
    assert.doesNotMatch(only.body, /id="col-submitted"/);
    const submitted = await browsers.cs!.get('/?state=submitted');
    assert.match(submitted.body, /href="\/handoffs\/SOW-2026-014"/);
    assert.match(submitted.body, /<option value="submitted" selected>/);
    const overdue = await browsers.cs!.get('/?overdue=yes');
    assert.doesNotMatch(overdue.body, /href="\/handoffs\/SOW-2026-014"/);
    const notOverdue = await browsers.cs!.get('/?overdue=no');
    assert.match(notOverdue.body, /href="\/handoffs\/SOW-2026-014"/);
    const owner = await browsers.cs!.get('/?owner=chief.staff');
    assert.doesNotMatch(owner.body, /href="\/handoffs\/SOW-2026-014"/);
    const bad = await browsers.cs!.get('/?owner=janitor');
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /owner: &quot;janitor&quot; is not one of/);
  });

  it('the handoff page shows the packet by section, the gate per check with findings, the timeline and the 6C report', async () => {
    const r = await browsers.chief!.get(`/handoffs/${SOW}`);
    const body = r.body;
    assert.match(body, /<h3 id="sec-context">3.1 Customer Context Brief<\/h3>/);
    assert.match(body, /<th scope="row">Company name<\/th><td class="value">Northwind Partners, Inc.<\/td>/);
    assert.match(
      body,
      /Monday.com item exists <span class="muted">\(crm-item-exists\)<\/span><\/th>\s*<td><span class="status-review">review<\/span>/,
    );
    assert.match(
      body,
      /<strong>CRM\/Monday.com deal ID<\/strong> \(line \d+\): monday.com is not configured/,
    );
    assert.match(
      body,
      /Submitted version 1, frozen at <code>operations\/handoffs\/assessments\/archive\/SOW-2026-014\//,
    );
    assert.match(
      body,
      /<td>packet submitted<\/td>\s*<td>Carla Reyes <span class="muted">\(cro\)<\/span><\/td>\s*<td>cli<\/td>/,
    );
    assert.match(body, /Handoff report \(Section 6C\)/);
    assert.match(body, /<h1>SOW-2026-014 Handoff Report<\/h1>/);
  });

  it('shows only the actions the role may take', async () => {
    const forms = (body: string) =>
      [...body.matchAll(/action="\/handoffs\/SOW-2026-014\/([a-z-]+)"/g)].map((m) => m[1]).sort();
    const cs = await browsers.cs!.get(`/handoffs/${SOW}`);
    assert.deepEqual(forms(cs.body), ['ack', 'attest', 'reject']);
    assert.match(cs.body, /name="attest.crm-item-exists"/);
    const cro = await browsers.cro!.get(`/handoffs/${SOW}`);
    assert.deepEqual(forms(cro.body), ['intro', 'payment']);
    assert.match(cro.body, /href="\/handoffs\/SOW-2026-014\/packet">Edit the packet/);
    const chief = await browsers.chief!.get(`/handoffs/${SOW}`);
    assert.deepEqual(forms(chief.body), ['flag']);
    const ceo = await browsers.ceo!.get(`/handoffs/${SOW}`);
    assert.deepEqual(forms(ceo.body), ['approve-deviation']);
    assert.doesNotMatch(ceo.body, /Edit the packet/);
  });

  it('a handoff that does not exist is a 404 page', async () => {
    const r = await browsers.cs!.get('/handoffs/SOW-2026-999');
    assert.equal(r.statusCode, 404);
    assert.match(r.body, /no handoff SOW-2026-999/);
  });

  it('an unknown page is a friendly 404 page for a browser', async () => {
    const r = await browsers.cs!.get('/no-such-page', { accept: 'text/html' });
    assert.equal(r.statusCode, 404);
    assert.match(r.body, /there is no page at \/no-such-page/);
    assert.match(r.body, /Signed in as <strong>Casey Lin<\/strong>/);
  });
});

describe('dashboard board: overdue clocks', () => {
  it('marks a handoff overdue once a clock passes, with business hours overdue, and filters on it', async () => {
    const t = await startDashboard();
    try {
      await t.openAndSubmit();
      // Monday 10:00 New York: the acknowledgement was due Friday 17:00, one business hour ago.
      t.setNow('2026-05-18T14:00:00Z');
      const cs = await t.signIn('cs');
      const late = await cs.get('/?overdue=yes');
      assert.match(
        late.body,
        /<li class="card is-overdue">\s*<a class="sow" href="\/handoffs\/SOW-2026-014">/,
      );
      assert.match(late.body, /<span class="badge overdue">overdue<\/span>/);
      assert.match(
        late.body,
        /<li class="overdue">acknowledgement due: due <time[^>]*>Fri 2026-05-15 17:00<\/time>, <strong>overdue by 1 business hour<\/strong>/,
      );
      const notLate = await cs.get('/?overdue=no');
      assert.doesNotMatch(notLate.body, /href="\/handoffs\/SOW-2026-014"/);
      const page = await cs.get(`/handoffs/${SOW}`);
      assert.match(page.body, /<span class="badge overdue">overdue<\/span>/);
      assert.match(page.body, /<td>overdue by 1 business hour<\/td>/);
    } finally {
      await t.close();
    }
  });
});

describe('dashboard forms', () => {
  let t: Dashboard;
  let cs: Browser;
  let cs2: Browser;
  let cro: Browser;
  beforeEach(async () => {
    t = await startDashboard();
    await t.openAndSubmit();
    cs = await t.signIn('cs');
    cs2 = await t.signIn('cs2');
    cro = await t.signIn('cro');
  });
  afterEach(() => t.close());

  it('acknowledge with an attestation, then schedule discovery in the company time zone', async () => {
    const version = await versionOf(t);
    const ack = await cs.post(`/handoffs/${SOW}/ack`, {
      'attest.crm-item-exists': 'Checked in Monday.com',
      expectedVersion: String(version),
    });
    assert.equal(ack.statusCode, 303, ack.body);
    assert.equal(ack.headers.location, `/handoffs/${SOW}?done=ack`);
    const page = await cs.get(ack.headers.location as string);
    assert.match(page.body, /class="flash" role="status">Packet acknowledged/);
    assert.match(page.body, /Acknowledged by<\/dt><dd>Casey Lin \(customer.success\)/);
    const schedule = await cs.post(`/handoffs/${SOW}/schedule`, { discovery: '2026-05-19T10:00' });
    assert.equal(schedule.statusCode, 303, schedule.body);
    const status = await handoffStatus(t.baton, SOW);
    assert.equal(status.state, 'scheduled');
    // 10:00 typed in New York (EDT) is 14:00 UTC.
    assert.equal(Temporal.Instant.from(status.discovery?.at ?? '').toString(), '2026-05-19T14:00:00Z');
  });

  it('reject with checks and a reason; the timeline shows it', async () => {
    const r = await cs.post(`/handoffs/${SOW}/reject`, {
      checks: ['contacts-complete', 'timeline-alignment'],
      reason: 'Champion phone is wrong',
      expectedVersion: String(await versionOf(t)),
    });
    assert.equal(r.statusCode, 303, r.body);
    const status = await handoffStatus(t.baton, SOW);
    assert.equal(status.state, 'rejected');
    assert.deepEqual(status.rejections[0]?.checks, ['contacts-complete', 'timeline-alignment']);
    const page = await cro.get(`/handoffs/${SOW}`);
    assert.match(page.body, /<td>packet rejected<\/td>\s*<td>Casey Lin/);
    assert.match(page.body, /version 1: contacts-complete, timeline-alignment — Champion phone is wrong/);
  });

  it('attest a review, then acknowledge without repeating it', async () => {
    const a = await cs.post(`/handoffs/${SOW}/attest`, {
      check: 'crm-item-exists',
      reason: 'Seen in Monday.com',
    });
    assert.equal(a.statusCode, 303, a.body);
    const page = await cs.get(`/handoffs/${SOW}`);
    assert.match(page.body, /attested by Casey Lin/);
    assert.doesNotMatch(page.body, /name="attest.crm-item-exists"/);
    const ack = await cs.post(`/handoffs/${SOW}/ack`, { expectedVersion: String(await versionOf(t)) });
    assert.equal(ack.statusCode, 303, ack.body);
    assert.equal(await stateOf(t), 'acknowledged');
  });

  it('flag (chief.staff), approve a deviation (ceo), resolve the escalation (chief.staff)', async () => {
    const chief = await t.signIn('chief');
    const ceo = await t.signIn('ceo');
    assert.equal(
      (await chief.post(`/handoffs/${SOW}/flag`, { note: 'Sponsor unconfirmed' })).statusCode,
      303,
    );
    assert.equal(
      (await ceo.post(`/handoffs/${SOW}/approve-deviation`, { note: 'Fine by me' })).statusCode,
      303,
    );
    let status = await handoffStatus(t.baton, SOW);
    const escalation = status.escalations.find((e) => e.kind === 'quality-concern');
    assert.equal(escalation?.status, 'open');
    const list = await chief.get('/escalations?status=open');
    assert.match(list.body, new RegExp(`action="/escalations/${escalation?.id}/resolve"`));
    const resolved = await chief.post(`/escalations/${escalation?.id}/resolve`, {
      note: 'Sponsor confirmed',
    });
    assert.equal(resolved.statusCode, 303, resolved.body);
    assert.equal(resolved.headers.location, `/handoffs/${SOW}?done=resolve`);
    status = await handoffStatus(t.baton, SOW);
    assert.equal(status.escalations.find((e) => e.id === escalation?.id)?.status, 'resolved');
    assert.equal(status.ceoApprovals[0]?.note, 'Fine by me');
  });

  it('open a handoff from the board (cro), then record its payment', async () => {
    const r = await cro.post('/handoffs', {
      sow: 'sow-2026-020',
      sowSigned: '2026-05-12',
      paymentStatus: 'pending',
      paymentConfirmed: '',
    });
    assert.equal(r.statusCode, 303, r.body);
    assert.equal(r.headers.location, '/handoffs/SOW-2026-020?done=open');
    const paid = await cro.post('/handoffs/SOW-2026-020/payment', {
      paymentStatus: 'received',
      paymentConfirmed: '2026-05-13T09:30',
    });
    assert.equal(paid.statusCode, 303, paid.body);
    const status = await handoffStatus(t.baton, 'SOW-2026-020');
    assert.equal(status.payment?.status, 'received');
    assert.equal(Temporal.Instant.from(status.payment?.confirmedAt ?? '').toString(), '2026-05-13T13:30:00Z');
  });

  it('the sweep: GET shows the form only; POST records misses once and shows the digest', async () => {
    t.setNow('2026-05-18T14:00:00Z');
    const chief = await t.signIn('chief');
    const form = await chief.get('/sweep');
    assert.doesNotMatch(form.body, /Digest,/);
    assert.equal((await handoffStatus(t.baton, SOW)).clocks.find((c) => c.name === 'ackDue')?.status, 'open');
    const r = await chief.post('/sweep');
    assert.equal(r.statusCode, 200, r.body);
    assert.match(r.body, /Digest, <time/);
    assert.match(r.body, /<a href="\/handoffs\/SOW-2026-014">SOW-2026-014<\/a>: ClockMissed ackDue/);
    assert.equal(
      (await handoffStatus(t.baton, SOW)).clocks.find((c) => c.name === 'ackDue')?.status,
      'missed',
    );
    const again = await chief.post('/sweep');
    assert.match(again.body, /Recorded by this sweep<\/h3>\s*<p class="muted">Nothing new/);
  });

  it('refusals are 403 pages naming the rule, and change nothing (the check is the service layer’s)', async () => {
    // The CRO forges the acknowledgement form the page never showed them.
    const forged = await cro.post(`/handoffs/${SOW}/ack`, { 'attest.crm-item-exists': 'trust me' });
    assert.equal(forged.statusCode, 403);
    assert.match(forged.body, /Not allowed/);
    assert.match(forged.body, /Rule: <code>separation-of-duties<\/code>/);
    assert.match(forged.body, /What you may do on this handoff now: payment/);
    assert.equal(await stateOf(t), 'submitted');
    const ceo = await t.signIn('ceo');
    const flag = await ceo.post(`/handoffs/${SOW}/flag`, { note: 'hm' });
    assert.equal(flag.statusCode, 403);
    assert.match(flag.body, /role-not-allowed/);
    const sweepDigest = await cro.post(`/handoffs/${SOW}/schedule`, { discovery: '2026-05-19T10:00' });
    assert.equal(sweepDigest.statusCode, 403);
  });

  it('a stale version is a 409 with a reload link, and nothing changes', async () => {
    const stale = String((await versionOf(t)) - 1);
    const r = await cs.post(`/handoffs/${SOW}/reject`, {
      checks: 'contacts-complete',
      expectedVersion: stale,
    });
    assert.equal(r.statusCode, 409);
    assert.match(r.body, /Changed while you were working/);
    assert.match(r.body, /<a href="\/handoffs\/SOW-2026-014">Reload<\/a>/);
    assert.equal(await stateOf(t), 'submitted');
    // Two reviewers on the same version: the second one's acknowledgement is a conflict.
    const version = String(await versionOf(t));
    assert.equal(
      (await cs.post(`/handoffs/${SOW}/reject`, { checks: 'contacts-complete', expectedVersion: version }))
        .statusCode,
      303,
    );
    const second = await cs2.post(`/handoffs/${SOW}/ack`, {
      'attest.crm-item-exists': 'ok',
      expectedVersion: version,
    });
    assert.equal(second.statusCode, 409);
    assert.equal(await stateOf(t), 'rejected');
  });

  it('bad input is a 422 naming the field', async () => {
    const when = await cs.post(`/handoffs/${SOW}/ack`, { 'attest.crm-item-exists': 'ok' });
    assert.equal(when.statusCode, 303);
    const r = await cs.post(`/handoffs/${SOW}/schedule`, { discovery: 'next tuesday' });
    assert.equal(r.statusCode, 422);
    assert.match(r.body, /Please check what you entered/);
    assert.match(r.body, /discovery: an ISO instant/);
    const chief = await t.signIn('chief');
    const empty = await chief.post(`/handoffs/${SOW}/flag`, { note: '   ' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /note/);
    const check = await cs2.post(`/handoffs/${SOW}/attest`, { check: 'no-such-check', reason: 'x' });
    assert.equal(check.statusCode, 422);
    const unknown = await cs.post(`/handoffs/${SOW}/teleport`);
    assert.equal(unknown.statusCode, 404);
    const proto = await cs.post(`/handoffs/${SOW}/constructor`);
    assert.equal(proto.statusCode, 404);
  });
});

describe('dashboard forms: CSRF', () => {
  let t: Dashboard;
  let cs: Browser;
  let chief: Browser;
  before(async () => {
    t = await startDashboard();
    await t.openAndSubmit();
    cs = await t.signIn('cs');
    chief = await t.signIn('chief');
  });
  after(() => t.close());

  const posts: [string, Record<string, string>][] = [
    [`/handoffs/${SOW}/ack`, { 'attest.crm-item-exists': 'ok' }],
    [`/handoffs/${SOW}/reject`, { checks: 'contacts-complete' }],
    [`/handoffs/${SOW}/attest`, { check: 'crm-item-exists', reason: 'ok' }],
    [`/handoffs/${SOW}/schedule`, { discovery: '2026-05-19T10:00' }],
    [`/handoffs/${SOW}/intro`, {}],
    [`/handoffs/${SOW}/approve-deviation`, { note: 'ok' }],
    [`/handoffs/${SOW}/flag`, { note: 'concern' }],
    [`/handoffs/${SOW}/payment`, { paymentStatus: 'received' }],
    [`/handoffs/${SOW}/submit`, {}],
    [`/handoffs/${SOW}/packet`, { packet: examplePacket() }],
    [`/handoffs/${SOW}/packet/gate`, { packet: examplePacket() }],
    [`/handoffs/${SOW}/packet/submit`, { packet: examplePacket() }],
    ['/handoffs', { sow: 'SOW-2026-030', sowSigned: '2026-05-12' }],
    [`/escalations/ESC-${SOW}-1/resolve`, { note: 'done' }],
    ['/sweep', {}],
    ['/sign-out', {}],
  ];
  for (const [url, form] of posts) {
    it(`POST ${url} without the CSRF token, or with another session's, is refused (403) and changes nothing`, async () => {
      const before = await versionOf(t);
      const missing = await cs.post(url, { ...form, _csrf: null });
      assert.equal(missing.statusCode, 403, missing.body);
      assert.match(missing.body, /Security check failed/);
      assert.match(missing.body, /<code>csrf-token<\/code>/);
      const wrong = await cs.post(url, { ...form, _csrf: chief.csrf });
      assert.equal(wrong.statusCode, 403);
      const header = await cs.post(url, { ...form, _csrf: null }, { 'x-csrf-token': 'guess' });
      assert.equal(header.statusCode, 403);
      assert.equal(await versionOf(t), before);
      assert.equal((await cs.get('/')).statusCode, 200, 'still signed in');
    });
  }
  it('the X-CSRF-Token header is accepted in place of the field (for scripts)', async () => {
    const r = await chief.post(
      `/handoffs/${SOW}/flag`,
      { note: 'via header', _csrf: null },
      { 'x-csrf-token': chief.csrf },
    );
    assert.equal(r.statusCode, 303, r.body);
  });
});

describe('dashboard escaping', () => {
  let t: Dashboard;
  let cs: Browser;
  const script = '<script>alert("x")</script>';
  const img = '<img src=x onerror=alert(1)>';
  before(async () => {
    t = await startDashboard();
    const packet = examplePacket()
      .replace(
        '| Company name | Northwind Partners, Inc. |',
        `| Company name | Northwind ${img} "Partners" & Co |`,
      )
      .replace(
        '| Account history notes | Attended the Ecosystem Revenue Diagnostic in March 2026 |',
        `| Account history notes | ${script} </td></tr></table><h1>owned</h1> |`,
      );
    await t.openAndSubmit(packet);
    await flagHandoff(t.baton, actorOf('chief'), SOW, `${img} </textarea><b>bold</b>`);
    cs = await t.signIn('cs');
  });
  after(() => t.close());

  const assertInert = (body: string) => {
    assert.doesNotMatch(body, /<script>alert/);
    assert.doesNotMatch(body, /<img src=x/);
    assert.doesNotMatch(body, /<h1>owned<\/h1>/);
    assert.doesNotMatch(body, /<b>bold<\/b>/);
  };

  it('packet values are text on the handoff page', async () => {
    const r = await cs.get(`/handoffs/${SOW}`);
    assertInert(r.body);
    assert.match(r.body, /Northwind &lt;img src=x onerror=alert\(1\)&gt; &quot;Partners&quot; &amp; Co/);
    assert.match(
      r.body,
      /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &lt;\/td&gt;&lt;\/tr&gt;&lt;\/table&gt;&lt;h1&gt;owned&lt;\/h1&gt;/,
    );
  });

  it('notes are text on the handoff, escalations and sweep pages, and in the 6C report', async () => {
    for (const path of [`/handoffs/${SOW}`, '/escalations']) {
      const r = await cs.get(path);
      assertInert(r.body);
      assert.match(
        r.body,
        /&lt;img src=x onerror=alert\(1\)&gt; &lt;\/textarea&gt;&lt;b&gt;bold&lt;\/b&gt;/,
        path,
      );
    }
  });

  it('the editor shows a payload as textarea text, and the live gate fragment escapes it', async () => {
    const cro = await t.signIn('cro');
    await cs.post(`/handoffs/${SOW}/reject`, { checks: 'required-fields' });
    const editor = await cro.get(`/handoffs/${SOW}/packet`);
    assert.equal(editor.statusCode, 200);
    assertInert(editor.body);
    assert.match(editor.body, /<textarea id="packet"[^>]*>\n# Assessment Handoff Packet/);
    assert.match(editor.body, /&lt;\/td&gt;&lt;\/tr&gt;&lt;\/table&gt;&lt;h1&gt;owned/);
    const text = examplePacket().replace(
      '| Company name | Northwind Partners, Inc. |',
      `| Company name | ${script} |`,
    );
    const fragment = await cro.post(
      `/handoffs/${SOW}/packet/gate`,
      { packet: text },
      { 'hx-request': 'true' },
    );
    assert.equal(fragment.statusCode, 200);
    assertInert(fragment.body);
  });
});

describe('dashboard metrics page', () => {
  let t: Dashboard;
  before(async () => {
    t = await startDashboard();
    await t.openAndSubmit();
  });
  after(() => t.close());

  it("shows the week's figures from the event log and links the same chart as the weekly summary", async () => {
    const { governanceMetrics, periodOf, weeklySeries } = await import('../../../src/app/governance.ts');
    const week = periodOf(t.baton, {}).label;
    const m = await governanceMetrics(t.baton, { week });
    assert.ok(m.handoffs.submitted >= 1, 'the fixture submitted a packet this week');
    const b = await t.signIn('chief');
    const r = await b.get(`/metrics?week=${week}`);
    assert.equal(r.statusCode, 200);
    assert.match(r.body, new RegExp(`Week ${week}`));
    assert.match(
      r.body,
      new RegExp(`Handoffs opened / submitted</th><td>${m.handoffs.opened} / ${m.handoffs.submitted}<`),
    );
    assert.ok(r.body.includes(`src="/metrics/chart.svg?week=${week}"`));
    const chart = await b.get(`/metrics/chart.svg?week=${week}`);
    assert.equal(chart.statusCode, 200);
    assert.match(String(chart.headers['content-type']), /^image\/svg\+xml/);
    assert.equal(chart.body, (await weeklySeries(t.baton, { week })).svg);
  });

  it('a malformed week is a 422 naming the problem, with the current week shown', async () => {
    const b = await t.signIn('ceo');
    const r = await b.get('/metrics?week=%3Cscript%3E');
    assert.equal(r.statusCode, 422);
    assert.match(r.body, /role="alert"/);
    assert.doesNotMatch(r.body, /<script>/);
  });
});
