// The crash test: a dispatcher in a child process is killed with SIGKILL at random points, run after run,
// while the fakes answer slowly and fail now and then (500s, rate limits, dropped connections, answers
// lost after the work was done). Afterwards every effect was delivered; Slack never got a post twice
// (the journal and the metadata check close that window); any duplicate email or monday.com update is
// inside the documented window: a delivery that reached the peer and was not recorded (the process died
// between sending and recording, or the answer was lost), as the child's journal shows.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import {
  acknowledgePacket,
  openHandoff,
  rejectPacket,
  scheduleDiscovery,
  sendIntroduction,
  submitPacket,
} from '../../../src/app/handoffs.ts';
import type { EmailPayload } from '../../../src/app/notification-planner.ts';
import { seededRandom } from '../../integrations/fakes/faults.ts';
import { type MondayFake, startMondayFake } from '../../integrations/fakes/monday-fake.ts';
import { type SlackFake, startSlackFake } from '../../integrations/fakes/slack-fake.ts';
import { type SmtpFake, startSmtpFake } from '../../integrations/fakes/smtp-fake.ts';
import { createTestPlace } from '../../store/dialects.ts';
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

const runs = Number(process.env.BATON_CRASH_RUNS ?? 32);
const seed = Number(process.env.BATON_CRASH_SEED ?? 20261126);

let slack: SlackFake;
let monday: MondayFake;
let smtp: SmtpFake;
before(async () => {
  slack = await startSlackFake({ token: slackToken });
  monday = await startMondayFake({
    token: mondayToken,
    items: [
      { id: dealItem, name: 'Northwind', boardId: '4412093', values: { status: { label: 'Closed Won' } } },
    ],
  });
  smtp = await startSmtpFake({ user: smtpUser, pass: smtpPass });
});
after(() => Promise.all([slack.close(), monday.close(), smtp.close()]));

/** Runs the dispatcher child; kills it `killAfterMs` after it is ready (never, when undefined). */
function runChild(
  settingsFile: string,
  killAfterMs: number | undefined,
): Promise<{ killed: boolean; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'crash-dispatcher.ts'), settingsFile], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.on('data', (d: Buffer) => {
      if (killAfterMs !== undefined && d.toString().includes('ready'))
        setTimeout(() => {
          killed = child.kill('SIGKILL');
        }, killAfterMs);
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ killed, stderr, code }));
  });
}

it(`survives SIGKILL at random points over ${runs} runs: everything delivered, duplicates only inside the window`, async (t) => {
  const place = createTestPlace('sqlite');
  try {
    const world = await createWorld(place);
    const config = integrationsConfig({ slack, monday, smtp });
    wire(world.baton, config);
    const sows = Array.from({ length: 8 }, (_, i) => `SOW-2026-${String(101 + i).padStart(3, '0')}`);
    for (const sow of sows) {
      cpSync(
        join(place.root, 'legal/sow', `${SOW}-executed.pdf`),
        join(place.root, 'legal/sow', `${sow}-executed.pdf`),
      );
      const packet = examplePacket.replaceAll(SOW, sow);
      await openHandoff(world.baton, carla, { sow, sowSigned: signed, paymentConfirmed: paid });
      if (sows.indexOf(sow) % 2 === 0) {
        await submitPacket(world.baton, carla, sow, { text: packet.replace('Dana Reyes;', 'John Doe;') });
        await rejectPacket(world.baton, casey, sow, { checks: ['contacts-complete'] });
      }
      await submitPacket(world.baton, carla, sow, { text: packet });
      await acknowledgePacket(world.baton, casey, sow);
      await scheduleDiscovery(world.baton, casey, sow, '2026-05-19T10:00:00-04:00');
      await sendIntroduction(world.baton, carla, sow);
    }
    const effects = await effectsOf(world.baton, 'pending');
    const journal = join(place.root, 'journal.txt');
    writeFileSync(journal, '');
    const random = seededRandom(seed);
    const chaos = {
      random,
      error: 0.05,
      rateLimit: 0.03,
      drop: 0.04,
      dropAfter: 0.05,
      slowMs: [10, 120] as [number, number],
    };
    const base = Date.parse(world.now());
    const settingsFile = join(place.root, 'run.json');
    const run = async (n: number, once: boolean, killAfterMs?: number) => {
      const now = new Date(base + n * 20 * 60_000).toISOString();
      slack.setNow(() => Date.parse(now));
      writeFileSync(
        settingsFile,
        JSON.stringify({ root: place.root, now, run: n, journal, once, integrations: config }),
      );
      const result = await runChild(settingsFile, killAfterMs);
      if (!result.killed && result.code !== 0)
        assert.fail(`dispatcher run ${n} failed (${result.code}): ${result.stderr}`);
      return result;
    };

    for (const fake of [slack, monday, smtp]) fake.faults.chaos = chaos;
    let kills = 0;
    for (let n = 1; n <= runs; n++) if ((await run(n, false, Math.floor(random() * 600))).killed) kills++;
    for (const fake of [slack, monday, smtp]) fake.faults.chaos = undefined;
    let drains = 0;
    while ((await effectsOf(world.baton, 'pending')).length > 0 && drains < 5)
      await run(runs + ++drains, true);

    const all = await effectsOf(world.baton);
    assert.deepEqual(
      all.filter((e) => e.status !== 'done').map((e) => `${e.id}: ${e.status} ${e.lastError}`),
      [],
      'every effect delivered',
    );

    // What each peer saw, by effect id.
    const seen = new Map<string, number>();
    const count = (id: string) => seen.set(id, (seen.get(id) ?? 0) + 1);
    for (const p of slack.posts) count(String(p.metadata?.event_payload.effect_id));
    for (const c of monday.changes) count(String(c.effectId));
    const byMessageId = new Map(
      effects
        .filter((e) => e.kind === 'email.send')
        .map((e) => [`<${(e.payload as EmailPayload).messageId}>`, e.id]),
    );
    for (const m of smtp.messages) count(byMessageId.get(m.messageId ?? '') ?? `unknown ${m.messageId}`);

    const lines = readFileSync(journal, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    const marks = (id: string, mark: string) => lines.filter(([, m, i]) => i === id && m === mark).length;
    const duplicates: Record<string, number> = { slack: 0, monday: 0, email: 0 };
    let interrupted = 0;
    for (let n = 1; n <= runs; n++) {
      const own = lines.filter(([r]) => Number(r) === n);
      const last = own.at(-1)?.[1];
      if (last === 'start' || last === 'sent') interrupted++;
    }
    for (const e of effects.filter((x) => x.kind !== 'file.write' && x.kind !== 'notification.log')) {
      const times = seen.get(e.id) ?? 0;
      assert.ok(times >= 1, `${e.id} never reached its peer`);
      const unrecorded = marks(e.id, 'start') - marks(e.id, 'recorded');
      assert.ok(
        times - 1 <= unrecorded,
        `${e.id} arrived ${times} times with only ${unrecorded} unrecorded deliveries`,
      );
      const channel = e.kind.split('.')[0] as string;
      duplicates[channel] = (duplicates[channel] ?? 0) + times - 1;
    }
    assert.equal(duplicates.slack, 0, 'Slack never got a post twice');
    const item = monday.items.get(dealItem);
    assert.deepEqual(item?.values.status, { label: 'Handoff Initiated' });
    assert.deepEqual(item?.values.people, { personsAndTeams: [{ id: 4616627, kind: 'person' }] });
    const report = `seed ${seed}: ${runs} runs, ${kills} killed (${interrupted} in the middle of a delivery), ${drains} drain runs; ${effects.length} effects (${effects.filter((e) => e.kind === 'slack.post').length} Slack, ${effects.filter((e) => e.kind === 'monday.update').length} monday.com, ${effects.filter((e) => e.kind === 'email.send').length} email); ${lines.filter(([, m]) => m === 'start').length} delivery starts; duplicates seen by the peers: Slack ${duplicates.slack}, monday.com ${duplicates.monday}, email ${duplicates.email}, all inside the window; faults served: Slack ${slack.faults.served.length}, monday.com ${monday.faults.served.length}, SMTP ${smtp.faults.served.length}`;
    t.diagnostic(report);
    assert.ok(kills >= 30, `at least 30 runs were killed (${kills})`);
  } finally {
    await place.cleanup();
  }
});
