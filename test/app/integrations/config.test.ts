import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AppError } from '../../../src/app/errors.ts';
import { loadIntegrationsConfig, readIntegrationsConfig } from '../../../src/app/integrations-config.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const read = (vars: Record<string, string>, cwd = dir) => readIntegrationsConfig({ vars, root: dir, cwd });
const writeConfig = (data: unknown) => {
  mkdirSync(join(dir, '.baton'), { recursive: true });
  writeFileSync(join(dir, '.baton/config.json'), typeof data === 'string' ? data : JSON.stringify(data));
};
const board = { boardId: 4412093, columns: { status: 'status', owner: 'people', discoveryDate: 'date4' } };

describe('integration settings', () => {
  it('with nothing set, nothing is configured and links go to the local dashboard', async () => {
    const { config, problems } = await read({});
    assert.deepEqual(problems, []);
    assert.equal(config.slack, undefined);
    assert.equal(config.monday, undefined);
    assert.equal(config.email, undefined);
    assert.equal(config.publicUrl, 'http://127.0.0.1:8080');
  });

  it('reads .env without overriding variables already set', async () => {
    writeFileSync(
      join(dir, '.env'),
      'SLACK_BOT_TOKEN=xoxb-1-2-fromfile\nBATON_SLACK_CHANNEL=#from-file\nBATON_PUBLIC_URL=https://baton.example.com/\n',
    );
    const { config, problems } = await read({ BATON_SLACK_CHANNEL: '#from-env' });
    assert.deepEqual(problems, []);
    assert.equal(config.slack?.token, 'xoxb-1-2-fromfile');
    assert.equal(config.slack?.channel, '#from-env');
    assert.equal(config.publicUrl, 'https://baton.example.com');
    assert.ok(config.sources.envFile?.endsWith('.env'));
    await assert.rejects(
      loadIntegrationsConfig({ vars: { BATON_ENV_FILE: 'missing.env' }, root: dir, cwd: dir }),
      (e) => e instanceof AppError && e.where === 'BATON_ENV_FILE',
    );
  });

  it('the config file gives monday.com ids and people; Slack and SMTP come from the environment', async () => {
    writeConfig({
      slack: { attentionChannel: '#leadership', filePathPrefix: '/Claude/' },
      monday: { ...board, expectedStatuses: ['Won'] },
      people: {
        'Casey Lin': {
          role: 'customer.success',
          mondayId: 4616627,
          slackId: 'U0CASEY',
          email: 'casey@x.example',
        },
      },
      delivery: { maxAttempts: 12 },
    });
    const { config, problems } = await read({
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      MONDAY_API_TOKEN: 'monday-secret-1',
      SMTP_URL: 'smtps://baton:pa%24%24word@mail.example:465',
      BATON_MAIL_FROM: 'Ecomonetize <cro@ecomonetize.example>',
    });
    assert.deepEqual(problems, []);
    assert.equal(config.slack?.channel, '#agent-handoffs');
    assert.equal(config.slack?.attentionChannel, '#leadership');
    assert.equal(config.monday?.boardId, '4412093');
    assert.deepEqual(config.monday?.expectedStatuses, ['Won']);
    assert.equal(config.monday?.handoffStatus, 'Handoff Initiated');
    assert.equal(config.people['Casey Lin']?.mondayId, 4616627);
    assert.equal(config.maxAttempts, 12);
    assert.ok(config.secrets.includes('pa$$word'), 'the SMTP password is a secret to redact');
    assert.ok(config.secrets.includes('monday-secret-1'));
  });

  it('names each variable or key at fault and never quotes a secret', async () => {
    writeConfig({
      monday: { boardId: 'board-1', columns: {} },
      people: { eva: { role: 'chief', slackId: 'eva' } },
      token: 'xoxb-in-the-file',
    });
    const { problems } = await read({
      SLACK_BOT_TOKEN: 'not-a-slack-token-s3cr3t',
      SMTP_URL: 'http://user:hunter22@mail.example',
      BATON_PUBLIC_URL: 'ftp://x',
      BATON_OUTBOX_MAX_ATTEMPTS: 'many',
    });
    const text = problems.join('\n');
    for (const needle of [
      'SLACK_BOT_TOKEN: not a Slack bot token',
      'SMTP_URL: must start with smtp://',
      'BATON_MAIL_FROM: required',
      'BATON_PUBLIC_URL: must be an http(s) URL',
      'BATON_OUTBOX_MAX_ATTEMPTS',
      'monday.boardId: digits only',
      'monday.columns.status',
      'people.eva.role',
      'people.eva.slackId',
      'secrets come from the environment',
    ])
      assert.ok(text.includes(needle), `missing: ${needle}\n${text}`);
    for (const secret of ['not-a-slack-token-s3cr3t', 'hunter22', 'xoxb-in-the-file'])
      assert.ok(!text.includes(secret));
  });

  it('MONDAY_API_TOKEN without a board in the config file is a problem, and loading throws it', async () => {
    await assert.rejects(
      loadIntegrationsConfig({ vars: { MONDAY_API_TOKEN: 'tok-123456' }, root: dir, cwd: dir }),
      (e) => e instanceof AppError && e.kind === 'bad-input' && /monday\.boardId.*required/.test(e.message),
    );
    writeConfig('{ not json');
    const { problems } = await read({});
    assert.match(problems[0] ?? '', /config\.json: not valid JSON/);
  });
});
