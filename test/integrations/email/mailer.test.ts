import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { builtInPlaybook } from '../../../src/domain/playbook/index.ts';
import { renderEmail } from '../../../src/integrations/email/intro-email.ts';
import { createMailer, maskSmtpUrl } from '../../../src/integrations/email/mailer.ts';
import { IntegrationError } from '../../../src/integrations/integration-error.ts';
import { type SmtpFake, startSmtpFake } from '../fakes/smtp-fake.ts';

const pass = 'smtp-pass-s3cret-42';

async function refusal(run: () => Promise<unknown>): Promise<IntegrationError> {
  try {
    await run();
  } catch (e) {
    assert.ok(e instanceof IntegrationError, `expected an IntegrationError, got ${e}`);
    assert.ok(!e.message.includes(pass));
    return e;
  }
  assert.fail('expected a refusal');
}

describe('the intro email template', () => {
  it('renders text and HTML; packet text cannot become markup or a header', () => {
    const template = builtInPlaybook().introEmail;
    assert.ok(template);
    const mail = renderEmail(template, {
      company: 'Northwind <script>alert(1)</script> & Co',
      sow: 'SOW-2026-014',
      recipients: 'Dana and Priya',
      deliveryLead: 'Alice\r\nBcc: victim@example.com',
      sender: 'Sam',
    });
    assert.equal(
      mail.subject,
      'Introducing Alice Bcc: victim@example.com, your Assessment delivery lead (SOW-2026-014)',
    );
    assert.doesNotMatch(mail.subject, /[\r\n]/);
    assert.match(mail.text, /^Hi Dana and Priya,\n\n/);
    assert.match(mail.text, /Northwind <script>alert\(1\)<\/script> & Co/);
    assert.match(mail.html, /Northwind &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; Co/);
    assert.doesNotMatch(mail.html, /<script>/);
    assert.match(mail.html, /<p>Best regards,<br>\nSam<\/p>/);
  });
});

describe('the mailer against an SMTP server', () => {
  let smtp: SmtpFake;
  before(async () => {
    smtp = await startSmtpFake({ user: 'baton', pass });
  });
  after(() => smtp.close());
  beforeEach(() => {
    smtp.messages.length = 0;
  });
  const mail = {
    to: [
      { name: 'Dana Reyes', email: 'dana.reyes@northwind-partners.io' },
      { name: 'Priya Nair', email: 'priya.nair@northwind-partners.io' },
    ],
    cc: [{ name: 'Alice Chen', email: 'alice@ecomonetize.example' }],
    replyTo: { name: 'Sam', email: 'sam@ecomonetize.example' },
    subject: 'Introducing Alice',
    text: 'Hi Dana,\n\nMeet Alice.',
    html: '<p>Hi Dana,</p><p>Meet Alice.</p>',
    messageId: 'SOW-2026-014.14.email.intro@ecomonetize.example',
  };

  it('sends text and HTML with the effect Message-ID, logging in', async () => {
    const mailer = await createMailer({ url: smtp.url, from: 'Ecomonetize <cro@ecomonetize.example>' });
    const result = await mailer.send(mail);
    mailer.close();
    assert.deepEqual(result.rejected, []);
    const [got] = smtp.messages;
    assert.ok(got);
    assert.equal(got.messageId, '<SOW-2026-014.14.email.intro@ecomonetize.example>');
    assert.deepEqual(got.to, ['dana.reyes@northwind-partners.io', 'priya.nair@northwind-partners.io']);
    assert.deepEqual(got.cc, ['alice@ecomonetize.example']);
    assert.equal(got.replyTo, 'sam@ecomonetize.example');
    assert.equal(got.from, 'cro@ecomonetize.example');
    assert.equal(got.subject, 'Introducing Alice');
    assert.equal(got.text?.trim(), 'Hi Dana,\n\nMeet Alice.');
    assert.equal(got.html, '<p>Hi Dana,</p><p>Meet Alice.</p>');
    assert.deepEqual(got.envelopeTo.sort(), [...mail.to, ...mail.cc].map((a) => a.email).sort());
    assert.ok(smtp.logins.some((l) => l.user === 'baton' && l.ok));
  });

  it('a wrong password is permanent and never quoted', async () => {
    const url = smtp.url.replace(encodeURIComponent(pass), 'wrong-password-x');
    const mailer = await createMailer({ url, from: 'cro@ecomonetize.example' });
    const e = await refusal(() => mailer.send(mail));
    mailer.close();
    assert.equal(e.code, 'EAUTH');
    assert.equal(e.retryable, false);
    assert.ok(!e.message.includes('wrong-password-x'));
  });

  it('451 on DATA, 421 at connect and a dropped connection are temporary', async () => {
    const mailer = await createMailer({ url: smtp.url, from: 'cro@ecomonetize.example', timeoutMs: 2000 });
    smtp.faults.next({ kind: 'error' });
    const later = await refusal(() => mailer.send(mail));
    assert.equal(later.code, '451');
    assert.equal(later.retryable, true);
    smtp.faults.next({ kind: 'rate-limit', retryAfterSeconds: 1 });
    assert.equal((await refusal(() => mailer.send(mail))).retryable, true);
    smtp.faults.next({ kind: 'drop' });
    assert.equal((await refusal(() => mailer.send(mail))).retryable, true);
    smtp.faults.next({ kind: 'drop-after' });
    assert.equal((await refusal(() => mailer.send(mail))).retryable, true);
    assert.equal(
      smtp.messages.length,
      1,
      'the message the connection dropped after was delivered all the same',
    );
    mailer.close();
  });

  it('verify checks the connection and the login', async () => {
    const ok = await createMailer({ url: smtp.url, from: 'cro@ecomonetize.example' });
    await ok.verify();
    ok.close();
    const bad = await createMailer({
      url: smtp.url.replace(encodeURIComponent(pass), 'nope-nope'),
      from: 'x@y.example',
    });
    assert.equal((await refusal(() => bad.verify())).code, 'EAUTH');
    bad.close();
    assert.equal(maskSmtpUrl('smtps://user:hunter2@mail.example:465'), 'smtps://user:***@mail.example:465');
  });
});
