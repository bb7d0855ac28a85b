// `baton serve` and `baton user` as the real binary: the token printed once signs in to the served API,
// the server stops cleanly on SIGTERM and SIGINT, and bad options are refused with exit 2.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SlackResponseFake } from '../http/slack-response-fake.ts';

const project = join(import.meta.dirname, '../../..');
const bin = join(project, 'bin/baton.js');
const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  BATON_NOW: '2026-05-14T14:00:00Z',
};

function baton(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: project, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `baton serve` and resolves once it prints its address. */
function serve(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], {
    cwd: project,
    env: { ...env, ...extraEnv },
    stdio: 'pipe',
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk) => {
    err += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}\n${err}`)), 20_000);
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /API\s+(http:\/\/127\.0\.0\.1:\d+)\/api/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => out });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited ${code}:\n${out}\n${err}`));
    });
  });
}

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => child.once('exit', (code) => resolve(code)));

describe('baton user and baton serve', () => {
  let root: string;
  let token: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'baton-serve-'));
    cpSync(join(project, 'examples/northwind'), root, { recursive: true });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('user add prints the token once; user list never shows it', () => {
    const added = baton(['user', 'add', 'Casey Lin', '--role', 'customer.success', '--json', '--root', root]);
    assert.equal(added.code, 0, added.stderr);
    const created = JSON.parse(added.stdout);
    assert.equal(created.name, 'Casey Lin');
    assert.equal(created.role, 'customer.success');
    assert.match(created.token, /^baton_[A-Za-z0-9_-]{32}$/);
    token = created.token;
    const text = baton(['user', 'add', 'Carla Reyes', '--role', 'cro', '--root', root]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^created Carla Reyes \(cro\)\ntoken: baton_\S+\n.*shown once/);
    const list = baton(['user', 'list', '--json', '--root', root]);
    assert.deepEqual(
      JSON.parse(list.stdout).map((u: { name: string; role: string }) => `${u.name}:${u.role}`),
      ['Carla Reyes:cro', 'Casey Lin:customer.success'],
    );
    assert.ok(!list.stdout.includes('baton_'), 'no token in the list');
    assert.ok(!baton(['user', 'list', '--root', root]).stdout.includes('baton_'));
  });

  it('user add refuses an unknown role (exit 2) and a second user of the same name (exit 3)', () => {
    const role = baton(['user', 'add', 'Sam', '--role', 'wizard', '--root', root]);
    assert.equal(role.code, 2);
    assert.match(role.stderr, /--role: "wizard" is not one of/);
    const twice = baton(['user', 'add', 'Casey Lin', '--role', 'ceo', '--json', '--root', root]);
    assert.equal(twice.code, 3);
    assert.equal(JSON.parse(twice.stdout).error.kind, 'conflict');
  });

  it('serve answers the API with that token and stops cleanly on SIGTERM', async () => {
    const { child, url, output } = await serve(['--port', '0', '--root', root, '--log-level', 'silent']);
    try {
      assert.match(output(), /Sign in with a user's API token/);
      assert.match(output(), /OpenAPI: http:\/\/127\.0\.0\.1:\d+\/openapi\.json/);
      const me = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(me.status, 200);
      assert.deepEqual(await me.json(), { name: 'Casey Lin', role: 'customer.success', via: 'http' });
      const opened = await fetch(`${url}/api/handoffs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sow: 'SOW-2026-014', sowSigned: '2026-05-12' }),
      });
      assert.equal(opened.status, 403, 'customer.success may not open a handoff');
      assert.equal(((await opened.json()) as { rule: string }).rule, 'role-not-allowed');
      const doc = await fetch(`${url}/openapi.json`);
      assert.equal(((await doc.json()) as { openapi: string }).openapi, '3.1.0');
    } finally {
      const code = exited(child);
      child.kill('SIGTERM');
      assert.equal(await code, 0);
    }
    assert.match(output(), /SIGTERM: stopping.*\n.*stopped\n$/s);
  });

  it('serve takes Slack buttons with the signing secret and user mapping from the environment', async () => {
    const slack = await new SlackResponseFake().start();
    const secret = 'serve-test-signing-secret';
    const { child, url, output } = await serve(['--port', '0', '--root', root, '--log-level', 'silent'], {
      SLACK_SIGNING_SECRET: secret,
      BATON_SLACK_USERS: JSON.stringify({ U0CARLA: 'Carla Reyes' }),
      BATON_SLACK_API_URL: `${slack.origin}/api/`,
    });
    try {
      assert.doesNotMatch(output(), /off: set SLACK_SIGNING_SECRET/);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const body = new URLSearchParams({
        payload: JSON.stringify({
          type: 'block_actions',
          user: { id: 'U0CARLA' },
          response_url: `${slack.origin}/actions/1`,
          actions: [{ action_id: 'ack', value: 'SOW-2026-014', type: 'button' }],
        }),
      }).toString();
      const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
      const replied = slack.next();
      const r = await fetch(`${url}/slack/actions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': signature,
        },
        body,
      });
      assert.equal(r.status, 200);
      await replied;
      // Carla is the CRO: the same rule refuses her acknowledging from Slack as anywhere else.
      assert.match(String(slack.posts[0]?.body.text), /rule: (separation-of-duties|not-open)/);
      const unsigned = await fetch(`${url}/slack/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      assert.equal(unsigned.status, 401);
    } finally {
      const code = exited(child);
      child.kill('SIGTERM');
      assert.equal(await code, 0);
      await slack.stop();
    }
  });

  it('serve stops on SIGINT (Ctrl-C) too, and refuses a bad port or poll interval', async () => {
    const { child, output } = await serve(['--port', '0', '--root', root, '--log-level', 'silent']);
    const code = exited(child);
    child.kill('SIGINT');
    assert.equal(await code, 0);
    assert.match(output(), /stopped\n$/);
    const port = baton(['serve', '--port', '99999', '--root', root]);
    assert.equal(port.code, 2);
    assert.match(port.stderr, /--port: "99999" is not a port/);
    assert.equal(baton(['serve', '--poll', '0', '--root', root]).code, 2);
    assert.equal(baton(['serve', '--log-level', 'chatty', '--root', root]).code, 2);
  });
});
