// Integrations, in process against the fake Slack on 127.0.0.1 (SQLite store in a temp folder):
//   delivery: Slack posts carried out through the outbox (claim, journal, post, record) per second, 300
//     posts of 30 handoffs,
//     against the same posts made directly with the Slack client (the baseline: the peer's own cost);
//   planning: a submission with the notification planner wired in (Slack and monday.com configured),
//     against the same submission without it (the baseline: the command without notifications).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Temporal } from 'temporal-polyfill';
import { openHandoff, submitPacket } from '../src/app/handoffs.ts';
import { wireIntegrations } from '../src/app/integrations.ts';
import { openBaton } from '../src/app/open-baton.ts';
import { deliverEffects } from '../src/app/outbox-dispatcher.ts';
import { builtInPlaybook } from '../src/domain/playbook/index.ts';
import { createSlackClient } from '../src/integrations/slack/slack-client.ts';
import { enqueueEffects, withTransaction } from '../src/store/index.ts';
import { integrationsConfig, slackToken } from '../test/app/integrations/integration-fixture.ts';
import { startSlackFake } from '../test/integrations/fakes/slack-fake.ts';

export interface IntegrationsBench {
  delivery: { outboxPostsPerSecond: number; directPostsPerSecond: number; ratio: number; posts: number };
  planning: {
    withPlannerMedianMs: number;
    withoutPlannerMedianMs: number;
    ratio: number;
    submissions: number;
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function benchIntegrations(options: {
  progress: (text: string) => void;
}): Promise<IntegrationsBench> {
  const project = join(import.meta.dirname, '..');
  const slack = await startSlackFake({ token: slackToken });
  const root = mkdtempSync(join(tmpdir(), 'baton-bench-integrations-'));
  cpSync(join(project, 'examples/northwind'), root, { recursive: true });
  const now = Temporal.Instant.from('2026-05-14T14:00:00Z');
  const config = integrationsConfig({ slack });
  const baton = await openBaton({
    env: { root, now: () => now },
    playbook: builtInPlaybook(),
    integrations: config,
  });
  try {
    const posts = 300;
    options.progress(`integrations: ${posts} Slack posts through the outbox…`);
    // 30 handoffs with 10 posts each: posts of one handoff go out in order, handoffs side by side.
    for (let h = 0; h < 30; h++)
      await withTransaction(baton.store.db, (trx) =>
        enqueueEffects(
          trx,
          `SOW-2027-${String(h).padStart(3, '0')}`,
          Array.from({ length: posts / 30 }, (_, i) => ({
            id: `bench:${h}:${i}:slack`,
            kind: 'slack.post',
            payload: { channel: '#agent-handoffs', text: `message ${i}`, blocks: [] },
          })),
          '2026-05-14T14:00:00.000Z',
        ),
      );
    let start = performance.now();
    let delivered = 0;
    while (delivered < posts) delivered += (await deliverEffects(baton, { limit: 50 })).delivered;
    const outboxPerSecond = posts / ((performance.now() - start) / 1000);
    options.progress(`integrations: ${posts} Slack posts made directly…`);
    const client = createSlackClient({ token: slackToken, apiUrl: slack.apiUrl });
    start = performance.now();
    for (let i = 0; i < posts; i++)
      await client.post('#agent-handoffs', { text: `direct ${i}`, blocks: [] }, `direct:${i}`);
    const directPerSecond = posts / ((performance.now() - start) / 1000);

    const submissions = 15;
    const carla = { role: 'cro' as const, name: 'Carla', via: 'cli' as const };
    const bare = wireIntegrations(integrationsConfig({}), {
      root,
      db: baton.store.db,
      worker: baton.worker,
      now: baton.now,
    });
    const wired = { planners: baton.planners, handlers: baton.handlers };
    const times = { with: [] as number[], without: [] as number[] };
    for (let i = 0; i < submissions * 2; i++) {
      options.progress(`integrations: submission ${i + 1} of ${submissions * 2}…`);
      const sow = `SOW-2027-${String(100 + i).padStart(3, '0')}`;
      const withPlanner = i % 2 === 0;
      baton.planners = withPlanner ? wired.planners : [];
      baton.handlers = withPlanner ? wired.handlers : { ...wired.handlers, ...bare.handlers };
      cpSync(
        join(root, 'legal/sow/SOW-2026-014-executed.pdf'),
        join(root, 'legal/sow', `${sow}-executed.pdf`),
      );
      await openHandoff(baton, carla, {
        sow,
        sowSigned: '2026-05-12',
        paymentConfirmed: '2026-05-13T14:00:00Z',
      });
      const text = (await import('node:fs'))
        .readFileSync(join(root, 'operations/handoffs/assessments/SOW-2026-014-handoff-packet.md'), 'utf8')
        .replaceAll('SOW-2026-014', sow);
      const t0 = performance.now();
      await submitPacket(baton, carla, sow, { text });
      (withPlanner ? times.with : times.without).push(performance.now() - t0);
    }
    return {
      delivery: {
        outboxPostsPerSecond: Math.round(outboxPerSecond),
        directPostsPerSecond: Math.round(directPerSecond),
        ratio: Number((outboxPerSecond / directPerSecond).toFixed(2)),
        posts,
      },
      planning: {
        withPlannerMedianMs: Number(median(times.with).toFixed(1)),
        withoutPlannerMedianMs: Number(median(times.without).toFixed(1)),
        ratio: Number((median(times.with) / median(times.without)).toFixed(2)),
        submissions,
      },
    };
  } finally {
    await baton.store.close();
    await slack.close();
    rmSync(root, { recursive: true, force: true });
  }
}

export function printIntegrationsBench(b: IntegrationsBench, line: (text: string) => void): void {
  line(
    `slack delivery    ${b.delivery.outboxPostsPerSecond} posts/s through the outbox vs ${b.delivery.directPostsPerSecond}/s posted directly (fake Slack): ${b.delivery.ratio}x`,
  );
  line(
    `notify planning   submit ${b.planning.withPlannerMedianMs} ms with the notification planner vs ${b.planning.withoutPlannerMedianMs} ms without (median of ${b.planning.submissions}): ${b.planning.ratio}x`,
  );
}
