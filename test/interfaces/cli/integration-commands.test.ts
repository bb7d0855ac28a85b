// The integration commands through the real binary: doctor, dispatch, outbox, notifications, against the
// fake Slack, monday.com and SMTP servers (spawned asynchronously: the fakes live in this process).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { type MondayFake, startMondayFake } from '../../integrations/fakes/monday-fake.ts';
import { type SlackFake, startSlackFake } from '../../integrations/fakes/slack-fake.ts';
import { type SmtpFake, startSmtpFake } from '../../integrations/fakes/smtp-fake.ts';

const project = join(import.meta.dirname, '../../..');
const bin = join(project, 'bin/baton.js');
const slackToken = 'xoxb-5555-5555-cliclitoken';
const mondayToken = 'monday-cli-token-777777';
const smtpPass = 'cli-smtp-secret-55';

let slack: SlackFake;
let monday: MondayFake;
let smtp: SmtpFake;
let root: string;

function baton(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args, '--root', root], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        BATON_NOW: '2026-05-14T14:00:00Z',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const configured = () => ({
  SLACK_BOT_TOKEN: slackToken,
  BATON_SLACK_API_URL: slack.apiUrl,
  MONDAY_API_TOKEN: mondayToken,
  BATON_MONDAY_API_URL: monday.apiUrl,
  SMTP_URL: smtp.url,
  BATON_MAIL_FROM: 'Ecomonetize <carla@ecomonetize.example>',
});

function writeConfig(data: unknown): void {
  mkdirSync(join(root, '.baton'), { recursive: true });
  writeFileSync(join(root, '.baton/config.json'), JSON.stringify(data));
}

const boardConfig = {
  monday: { boardId: '4412093', columns: { status: 'status', owner: 'people', discoveryDate: 'date4' } },
};

function noSecrets(...texts: string[]): void {
  for (const text of texts)
    for (const secret of [slackToken, mondayToken, smtpPass, 'wrong-pass-1', 'xoxb-0-0-badtoken'])
      assert.ok(!text.includes(secret), `a secret was printed: ${text}`);
}

before(async () => {
  slack = await startSlackFake({ token: slackToken });
  monday = await startMondayFake({
    token: mondayToken,
    items: [
      { id: '8812345', name: 'Northwind', boardId: '4412093', values: { status: { label: 'Closed Won' } } },
    ],
  });
  smtp = await startSmtpFake({ user: 'baton', pass: smtpPass });
});
after(() => Promise.all([slack.close(), monday.close(), smtp.close()]));
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'baton-cli-integrations-'));
  cpSync(join(project, 'examples/northwind'), root, { recursive: true });
  slack.posts.length = 0;
  slack.faults.outage = undefined;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('baton doctor', () => {
  it('with nothing configured: says each integration is off and where notifications go, exit 0', async () => {
    const r = await baton(['doctor', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.checks.map((c: { integration: string; status: string }) => `${c.integration} ${c.status}`),
      ['settings ok', 'slack not configured', 'monday not configured', 'email not configured'],
    );
  });

  it('checks each configured integration against the service, printing no secret', async () => {
    writeConfig(boardConfig);
    const r = await baton(['doctor'], configured());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /ok +slack +auth\.test: the token works, as baton in Baton Test/);
    assert.match(r.stdout, /ok +slack +channel #agent-handoffs: found/);
    assert.match(
      r.stdout,
      /ok +monday +me: the token works, as Alice Chen <alice@ecomonetize\.example> in Ecomonetize \(API-Version 2025-10\)/,
    );
    assert.match(r.stdout, /ok +monday +board 4412093 "Revenue board": the configured columns are there/);
    assert.match(
      r.stdout,
      /ok +email +SMTP verify: smtp:\/\/baton:\[redacted\]@127\.0\.0\.1:\d+\/? accepted the connection and the login/,
    );
    noSecrets(r.stdout, r.stderr);
  });

  it('says exactly what is wrong: refused token, refused login, a missing column; exit 1', async () => {
    writeConfig({ monday: { boardId: '4412093', columns: { status: 'status', discoveryDate: 'date9' } } });
    const r = await baton(['doctor', '--json'], {
      ...configured(),
      SLACK_BOT_TOKEN: 'xoxb-0-0-badtoken',
      SMTP_URL: smtp.url.replace(smtpPass, 'wrong-pass-1'),
    });
    assert.equal(r.code, 1);
    const problems = JSON.parse(r.stdout)
      .checks.filter((c: { status: string }) => c.status === 'problem')
      .map((c: { message: string }) => c.message);
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0], /invalid_auth: the token was refused; check SLACK_BOT_TOKEN/);
    assert.match(problems[1], /monday\.columns\.discoveryDate: board "Revenue board" has no column date9/);
    assert.match(problems[2], /refused the login.*check the user and password in SMTP_URL/);
    noSecrets(r.stdout, r.stderr);
  });

  it('names the config key at fault', async () => {
    writeConfig({ people: { eva: { role: 'chief.staff', slackId: 'eva' } } });
    const r = await baton(['doctor']);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /PROBLEM +settings +.*config\.json: people\.eva\.slackId: a Slack user id like U0123ABCD/,
    );
  });
});

describe('baton dispatch, outbox and notifications', () => {
  const cro = { BATON_ACTOR: 'cro:Carla Reyes' };
  const openAndSubmit = async (env: Record<string, string>) => {
    const opened = await baton(
      ['open', 'SOW-2026-014', '--sow-signed', '2026-05-12', '--payment-confirmed', '2026-05-13T14:00:00Z'],
      { ...env, ...cro },
    );
    assert.equal(opened.code, 0, opened.stderr);
    const submitted = await baton(['submit', 'SOW-2026-014'], { ...env, ...cro });
    assert.equal(submitted.code, 0, submitted.stderr);
  };

  it('a workflow command leaves the Slack post to the dispatcher; dispatch --once delivers it', async () => {
    const env = { SLACK_BOT_TOKEN: slackToken, BATON_SLACK_API_URL: slack.apiUrl };
    await openAndSubmit(env);
    assert.equal(slack.posts.length, 0);
    const waiting = JSON.parse((await baton(['outbox', '--json'], env)).stdout);
    assert.deepEqual(
      waiting.map((e: { id: string; kind: string }) => `${e.id} ${e.kind}`),
      ['SOW-2026-014:4:slack slack.post'],
    );
    const r = await baton(['dispatch', '--once', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { delivered: 1, failed: 0, dead: 0, released: 0, lost: 0 });
    assert.equal(r.stderr, '', '--json stays quiet');
    assert.equal(slack.posts.length, 1);
    assert.match(slack.posts[0]?.text ?? '', /^For: customer\.success\n/);
    assert.equal((await baton(['outbox'], env)).stdout, 'the outbox is empty\n');
  });

  it('gives up after the configured tries, lists it, and delivers it after --retry', async () => {
    const env = {
      SLACK_BOT_TOKEN: slackToken,
      BATON_SLACK_API_URL: slack.apiUrl,
      BATON_OUTBOX_MAX_ATTEMPTS: '1',
    };
    await openAndSubmit(env);
    slack.faults.outage = { kind: 'error' };
    const first = await baton(['dispatch', '--once'], env);
    assert.match(first.stderr, /gave up slack\.post SOW-2026-014:4:slack: Slack chat\.postMessage: HTTP 500/);
    const failed = await baton(['outbox', '--failed'], env);
    assert.match(
      failed.stdout,
      /^SOW-2026-014:4:slack {2}slack\.post {2}GAVE UP {2}tries 1 {2}last error: Slack chat\.postMessage: HTTP 500\n$/,
    );
    const unknown = await baton(['outbox', '--retry', 'SOW-2026-014:99:slack', '--json'], env);
    assert.equal(unknown.code, 2);
    assert.equal(JSON.parse(unknown.stdout).error.kind, 'not-found');
    slack.faults.outage = undefined;
    const retried = await baton(['outbox', '--retry', 'SOW-2026-014:4:slack'], env);
    assert.equal(retried.code, 0, retried.stderr);
    assert.match(retried.stdout, /is back in line/);
    await baton(['dispatch', '--once'], env);
    assert.equal(slack.posts.length, 1);
    noSecrets(first.stdout, first.stderr, failed.stdout);
  });

  it('with nothing configured, notifications shows what would have been sent', async () => {
    await openAndSubmit({});
    const r = await baton(['notifications']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /SOW-2026-014 {2}slack {3}Rule 6: SOW-2026-014 submitted/);
    assert.match(
      r.stdout,
      /\n {4}Blocking: Yes -- discovery session scheduling blocked until acknowledged\n/,
    );
    assert.match(
      r.stdout,
      /SOW-2026-014 {2}monday {2}monday\.com item 8812345: status to "Handoff Initiated"/,
    );
    const json = JSON.parse((await baton(['notifications', '--json', '--sow', 'sow-2026-014'])).stdout);
    assert.deepEqual(
      json.map((n: { kind: string }) => n.kind),
      ['monday.update', 'slack.post'],
    );
    const bad = await baton(['notifications', '--limit', 'x']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--limit/);
  });
});
