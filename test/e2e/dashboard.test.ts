/**
 * The dashboard end to end in Debian's Chromium (playwright-core, /usr/bin/chromium): a real server on
 * 127.0.0.1, a temp knowledge root and SQLite store, people signing in with their tokens and clicking
 * through the handoff. Screenshots land in test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { Temporal } from 'temporal-polyfill';
import type { Baton } from '../../src/app/handoff-context.ts';
import { handoffStatus } from '../../src/app/handoff-queries.ts';
import { openHandoff, submitPacket } from '../../src/app/handoffs.ts';
import { openBaton } from '../../src/app/open-baton.ts';
import { addUser } from '../../src/app/users.ts';
import { builtInPlaybook } from '../../src/domain/playbook/index.ts';
import { buildServer } from '../../src/interfaces/http/server.ts';
import { registerWebRoutes } from '../../src/interfaces/web/routes.ts';

const project = join(import.meta.dirname, '../..');
const screenshots = join(project, 'test-output/screenshots');
const chromiumPath = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
const SOW = 'SOW-2026-021';
const example = readFileSync(
  join(project, 'examples/northwind/operations/handoffs/assessments/SOW-2026-014-handoff-packet.md'),
  'utf8',
).replaceAll('SOW-2026-014', SOW);

// Payloads the gate lets through (no closed <...> tag, which it would call placeholder text): unescaped,
// each would run script in the page. A closed <script> is in the first draft, where the gate flags it.
const imgPayload = '<img src=x onerror=window.__xss=1;alert(1) x=';
const svgPayload = '"><svg/onload=alert(2) a=';
const scriptPayload = '<script>window.__xss=2;alert("script")</script>';

const firstDraft = example
  .replace(
    '| Company name | Northwind Partners, Inc. |',
    `| Company name | Northwind "Partners" & Co ${imgPayload} |`,
  )
  .replace(
    '| Account history notes | Attended the Ecosystem Revenue Diagnostic in March 2026 |',
    `| Account history notes | ${scriptPayload} |`,
  )
  .replace('| Customer-side champion | Dana Reyes;', '| Customer-side champion | John Doe;');

describe('dashboard in Chromium', () => {
  let root: string;
  let baton: Baton;
  let server: FastifyInstance;
  let base: string;
  let browser: Browser;
  const tokens: Record<string, string> = {};
  const dialogs: string[] = [];
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    if (!existsSync(chromiumPath))
      throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set BATON_CHROMIUM)`);
    root = mkdtempSync(join(tmpdir(), 'baton-e2e-'));
    cpSync(join(project, 'examples/northwind'), root, { recursive: true });
    cpSync(join(root, 'legal/sow/SOW-2026-014-executed.pdf'), join(root, `legal/sow/${SOW}-executed.pdf`));
    const now = Temporal.Instant.from('2026-05-14T14:00:00Z');
    baton = await openBaton({ env: { root, now: () => now }, playbook: builtInPlaybook() });
    for (const [name, role] of [
      ['Carla Reyes', 'cro'],
      ['Casey Lin', 'customer.success'],
    ] as const)
      tokens[role] = (await addUser(baton, name, role)).token;
    // Another handoff awaiting review, so the board shows a running clock beside the one the test drives.
    const carla = { role: 'cro', name: 'Carla Reyes', via: 'cli' } as const;
    await openHandoff(baton, carla, {
      sow: 'SOW-2026-014',
      sowSigned: '2026-05-12',
      paymentConfirmed: '2026-05-13T15:00:00Z',
    });
    await submitPacket(baton, carla, 'SOW-2026-014');
    server = buildServer(baton, { plugins: [registerWebRoutes] });
    await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
    });
    mkdirSync(screenshots, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await baton?.store.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const person = async (
    role: 'cro' | 'customer.success',
  ): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('dialog', async (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Keyboard only: the token field is the first stop, Enter submits.
    await page.goto(`${base}/`);
    assert.match(page.url(), /\/sign-in\?next=%2F$/);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement?.id'), 'token');
    await page.keyboard.type(tokens[role] as string);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/`);
    return { context, page };
  };

  const noScriptRan = async (page: Page) => {
    assert.equal(await page.evaluate('window.__xss'), undefined);
    assert.equal(await page.locator('main img, main svg, main script').count(), 0, 'no element injected');
    assert.deepEqual(dialogs, [], 'no dialog opened');
  };

  it('runs the handoff: draft with the live gate, submit, reject, fix, resubmit, acknowledge, schedule', async () => {
    const cro = await person('cro');
    const cs = await person('customer.success');
    const { page } = cro;

    // The CRO opens the handoff from the board.
    await page.getByText('Open a handoff').click();
    await page.getByLabel('SOW number').fill(SOW);
    await page.getByLabel('SOW signed on').fill('2026-05-12');
    await page.getByLabel('Payment status').selectOption('received');
    await page.getByLabel(/Payment confirmed at/).fill('2026-05-13T11:00');
    await page.getByRole('button', { name: 'Open the handoff' }).click();
    await page.waitForURL(`${base}/handoffs/${SOW}?done=open`);
    assert.match((await page.locator('.flash').textContent()) ?? '', /Handoff opened/);

    // Drafts the packet in the editor; the gate re-runs as they type and points at the fields.
    await page.getByRole('link', { name: 'Edit the packet' }).click();
    await page.waitForURL(`${base}/handoffs/${SOW}/packet`);
    const editor = page.getByLabel(/Packet text/);
    assert.match(await editor.inputValue(), new RegExp(`^# Assessment Handoff Packet: ${SOW}`));
    await editor.fill(firstDraft);
    const gate = page.locator('#gate-result');
    await gate
      .getByText(/John Doe/)
      .first()
      .waitFor();
    assert.match(
      (await gate.textContent()) ?? '',
      /fail — 1 check failing, 2 for customer.success to review/,
    );
    assert.match((await gate.textContent()) ?? '', /Account history notes has placeholder text "<script>"/);
    await page.screenshot({ path: join(screenshots, 'editor-live-gate.png'), fullPage: true });
    // "line N" selects the line at fault in the text.
    await gate
      .locator('li', { hasText: 'John Doe' })
      .getByRole('button', { name: /^line \d+$/ })
      .click();
    const selected = await editor.evaluate((el) => {
      const area = el as unknown as { value: string; selectionStart: number; selectionEnd: number };
      return area.value.slice(area.selectionStart, area.selectionEnd);
    });
    assert.match(selected, /^\| Customer-side champion \| John Doe;/);
    await noScriptRan(page);

    // Fixes what the gate shows (the script tag and the placeholder name) and submits.
    await editor.fill(
      firstDraft
        .replace(scriptPayload, `Met at a partner summit ${svgPayload}`)
        .replace('| Customer-side champion | John Doe;', '| Customer-side champion | Dana Reyes;'),
    );
    await gate.getByText(/review, 1 for customer.success to review/).waitFor();
    await page.getByRole('button', { name: 'Save and submit' }).click();
    await page.waitForURL(`${base}/handoffs/${SOW}?done=submit`);
    assert.equal((await handoffStatus(baton, SOW)).state, 'submitted');
    assert.match(
      (await page.locator('td.value').first().textContent()) ?? '',
      /Northwind "Partners" & Co <img src=x onerror=/,
    );
    await noScriptRan(page);

    // The CRO cannot acknowledge: no such action on their page, and a forged form post is refused.
    assert.equal(await page.getByRole('button', { name: 'Acknowledge' }).count(), 0);
    // (DOM code as a string: this file is type-checked without the DOM's types.)
    await page.evaluate(`(() => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/handoffs/${SOW}/ack';
      const fields = [
        ['_csrf', document.querySelector('input[name="_csrf"]').value],
        ['attest.crm-item-exists', 'I promise'],
      ];
      for (const [name, value] of fields) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      setTimeout(() => form.submit(), 0);
    })()`);
    await page.waitForURL(`${base}/handoffs/${SOW}/ack`);
    assert.match(
      (await page.locator('.problem').textContent()) ?? '',
      /Not allowed\. the cro owns the deal and can never ack its handoff/,
    );
    assert.match((await page.locator('.problem').textContent()) ?? '', /Rule: separation-of-duties/);
    assert.equal((await handoffStatus(baton, SOW)).state, 'submitted');

    // customer.success rejects, naming a check, with a reason carrying markup.
    await cs.page.goto(`${base}/handoffs/${SOW}`);
    await cs.page.getByLabel(/Expectation alignment/).check();
    await cs.page
      .getByLabel('Reason')
      .fill('Please confirm the readout date <b>in writing</b> <script>alert(3)</script>');
    await cs.page.getByRole('button', { name: 'Reject' }).click();
    await cs.page.waitForURL(`${base}/handoffs/${SOW}?done=reject`);
    assert.equal((await handoffStatus(baton, SOW)).state, 'rejected');
    await noScriptRan(cs.page);

    // The CRO fixes the packet and resubmits.
    await page.goto(`${base}/handoffs/${SOW}/packet`);
    const text = await editor.inputValue();
    await editor.fill(
      text.replace(
        'Findings readout within 3 weeks of the discovery session',
        'Findings readout within 3 weeks of the discovery session, confirmed by email',
      ),
    );
    await gate.getByText(/review, 1 for customer.success to review/).waitFor();
    await page.getByRole('button', { name: 'Save and submit' }).click();
    await page.waitForURL(`${base}/handoffs/${SOW}?done=submit`);

    // customer.success attests the review, acknowledges, and schedules discovery.
    await cs.page.goto(`${base}/handoffs/${SOW}`);
    await cs.page.getByLabel(/Attestation: Monday.com item exists/).fill('Checked the item in Monday.com');
    await cs.page.getByRole('button', { name: 'Acknowledge' }).click();
    await cs.page.waitForURL(`${base}/handoffs/${SOW}?done=ack`);
    await cs.page.getByLabel(/Discovery session/).fill('2026-05-19T10:00');
    await cs.page.getByRole('button', { name: 'Record the booking' }).click();
    await cs.page.waitForURL(`${base}/handoffs/${SOW}?done=schedule`);
    const status = await handoffStatus(baton, SOW);
    assert.equal(status.state, 'scheduled');
    assert.equal(status.discovery?.at, '2026-05-19T14:00:00Z', '10:00 in New York');

    // The timeline shows who did what, when and through what.
    const timeline = cs.page.locator('section[aria-labelledby="h-timeline"] tbody tr');
    const rows = (await timeline.allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
    const find = (what: string, who: string) =>
      rows.find((r) => r.includes(what) && r.includes(who) && r.includes('web'));
    assert.ok(find('handoff opened', 'Carla Reyes'), rows.join('\n'));
    assert.equal(rows.filter((r) => r.includes('packet submitted') && r.includes('Carla Reyes')).length, 2);
    assert.ok(find('packet rejected', 'Casey Lin'));
    assert.ok(
      rows.some((r) =>
        r.includes('Please confirm the readout date <b>in writing</b> <script>alert(3)</script>'),
      ),
    );
    assert.ok(find('packet acknowledged', 'Casey Lin'));
    assert.ok(find('discovery scheduled', 'Casey Lin'));
    assert.match(
      (await cs.page.locator('section[aria-labelledby="h-summary"]').textContent()) ?? '',
      /Acknowledged by\s*Casey Lin \(customer.success\)/,
    );
    await cs.page.screenshot({ path: join(screenshots, 'handoff.png'), fullPage: true });
    await noScriptRan(cs.page);

    // The board shows it scheduled.
    await cs.page.goto(`${base}/`);
    const scheduled = cs.page.locator('section[aria-labelledby="col-scheduled"]');
    await scheduled.getByRole('link', { name: SOW }).waitFor();
    const waiting = cs.page.locator('section[aria-labelledby="col-submitted"] li.card');
    assert.match(
      (await waiting.textContent()) ?? '',
      /SOW-2026-014[\s\S]*acknowledgement due: due Fri 2026-05-15 17:00, 15 business hours left/,
    );
    assert.equal(
      await cs.page
        .locator('section[aria-labelledby="col-submitted"]')
        .getByRole('link', { name: SOW })
        .count(),
      0,
    );
    await cs.page.screenshot({ path: join(screenshots, 'board.png'), fullPage: true });

    assert.deepEqual(cspViolations, [], 'nothing blocked by the Content-Security-Policy');
    assert.deepEqual(pageErrors, []);
    await cro.context.close();
    await cs.context.close();
  });
});
