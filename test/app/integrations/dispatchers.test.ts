// Several dispatcher processes on one store, each with its own worker name, all delivering at once: every effect reaches its peer exactly once (Postgres: row locks with SKIP LOCKED; SQLite: the
// write transaction runs alone), and per handoff in order.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, it } from 'node:test';
import {
  acknowledgePacket,
  openHandoff,
  scheduleDiscovery,
  sendIntroduction,
  submitPacket,
} from '../../../src/app/handoffs.ts';
import type { EmailPayload } from '../../../src/app/notification-planner.ts';
import { seededRandom } from '../../integrations/fakes/faults.ts';
import { type MondayFake, startMondayFake } from '../../integrations/fakes/monday-fake.ts';
import { type SlackFake, startSlackFake } from '../../integrations/fakes/slack-fake.ts';
import { type SmtpFake, startSmtpFake } from '../../integrations/fakes/smtp-fake.ts';
import { forEachDialect, testDatabaseUrl } from '../../store/dialects.ts';
import { carla, casey, createWorld, examplePacket, paid, project, SOW, signed } from '../app-fixture.ts';
import {
  dealItem,
  effectsOf,
  integrationsConfig,
  mondayToken,
  slackToken,
  smtpPass,
  smtpUser,
  wire,
} from './integration-fixture.ts';

let slack: SlackFake;
let monday: MondayFake;
let smtp: SmtpFake;
before(async () => {
  slack = await startSlackFake({ token: slackToken });
  monday = await startMondayFake({ token: mondayToken });
  smtp = await startSmtpFake({ user: smtpUser, pass: smtpPass });
});
after(() => Promise.all([slack.close(), monday.close(), smtp.close()]));
beforeEach(() => {
  slack.posts.length = 0;
  monday.changes.length = 0;
  smtp.messages.length = 0;
  monday.items.set(dealItem, {
    id: dealItem,
    name: 'Northwind',
    boardId: '4412093',
    values: { status: { label: 'Closed Won' } },
  });
});

forEachDialect('several dispatchers on one store', ({ place }) => {
  it('never send one effect twice', async (t) => {
    const world = await createWorld(place());
    const config = integrationsConfig({ slack, monday, smtp });
    wire(world.baton, config);
    const sows = Array.from({ length: 6 }, (_, i) => `SOW-2026-${String(201 + i).padStart(3, '0')}`);
    for (const sow of sows) {
      cpSync(
        join(world.root, 'legal/sow', `${SOW}-executed.pdf`),
        join(world.root, 'legal/sow', `${sow}-executed.pdf`),
      );
      await openHandoff(world.baton, carla, { sow, sowSigned: signed, paymentConfirmed: paid });
      await submitPacket(world.baton, carla, sow, { text: examplePacket.replaceAll(SOW, sow) });
      await acknowledgePacket(world.baton, casey, sow);
      await scheduleDiscovery(world.baton, casey, sow, '2026-05-19T10:00:00-04:00');
      await sendIntroduction(world.baton, carla, sow);
    }
    const effects = await effectsOf(world.baton, 'pending');
    // Slow answers keep deliveries overlapping, so the dispatchers really compete for the same effects.
    for (const fake of [slack, monday, smtp])
      fake.faults.chaos = { random: seededRandom(7), slowMs: [5, 40] };
    const journal = join(world.root, 'journal.txt');
    writeFileSync(journal, '');
    try {
      for (let round = 1; round <= 5 && (await effectsOf(world.baton, 'pending')).length > 0; round++)
        await Promise.all(
          [1, 2, 3, 4].map(async (n) => {
            const file = join(world.root, `dispatcher-${n}.json`);
            writeFileSync(
              file,
              JSON.stringify({
                root: world.root,
                now: world.now(),
                run: round,
                journal,
                once: true,
                untilEmpty: true,
                limit: 3,
                integrations: config,
                worker: `dispatcher-${n}`,
                ...(place().schema ? { databaseUrl: testDatabaseUrl, schema: place().schema } : {}),
              }),
            );
            await new Promise<void>((resolve, reject) => {
              const child = spawn(
                process.execPath,
                [join(import.meta.dirname, 'crash-dispatcher.ts'), file],
                { cwd: project, stdio: ['ignore', 'ignore', 'pipe'] },
              );
              let stderr = '';
              child.stderr.on('data', (d) => {
                stderr += d;
              });
              child.on('error', reject);
              child.on('exit', (code) =>
                code === 0 ? resolve() : reject(new Error(`dispatcher-${n} exited ${code}: ${stderr}`)),
              );
            });
          }),
        );
    } finally {
      for (const fake of [slack, monday, smtp]) fake.faults.chaos = undefined;
    }
    const done = (await effectsOf(world.baton, 'done')).filter((e) => effects.some((x) => x.id === e.id));
    assert.equal(done.length, effects.length, 'everything delivered');

    const slackIds = slack.posts.map((p) => String(p.metadata?.event_payload.effect_id));
    const mondayIds = monday.changes.map((c) => String(c.effectId));
    const mailIds = smtp.messages.map((m) => m.messageId);
    const expected = (kind: string) => effects.filter((e) => e.kind === kind);
    assert.deepEqual(
      [...slackIds].sort(),
      expected('slack.post')
        .map((e) => e.id)
        .sort(),
      'each Slack post exactly once',
    );
    assert.deepEqual(
      [...mondayIds].sort(),
      expected('monday.update')
        .map((e) => e.id)
        .sort(),
      'each monday.com update exactly once',
    );
    assert.deepEqual(
      [...mailIds].sort(),
      expected('email.send')
        .map((e) => `<${(e.payload as EmailPayload).messageId}>`)
        .sort(),
      'each email exactly once',
    );
    for (const sow of sows)
      assert.deepEqual(
        slackIds.filter((id) => id.startsWith(`${sow}:`)),
        expected('slack.post')
          .filter((e) => e.stream === sow)
          .map((e) => e.id),
        `${sow} in order`,
      );
    const byWorker = new Map<string, number>();
    for (const e of done)
      if (e.kind !== 'file.write')
        byWorker.set(String(e.claimedBy), (byWorker.get(String(e.claimedBy)) ?? 0) + 1);
    t.diagnostic(
      `${effects.length} effects; delivered by ${[...byWorker].map(([w, n]) => `${w}: ${n}`).join(', ')}`,
    );
    assert.ok(byWorker.size >= 2, 'the work was shared');
  });
});
