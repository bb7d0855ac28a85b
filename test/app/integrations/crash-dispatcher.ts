// A dispatcher process for the crash and several-dispatchers tests: opens the store at the given root with the given integration
// settings and clock, journals each delivery step (synchronously, so the journal survives SIGKILL), says
// `ready`, then dispatches until killed (or, with `once`, until nothing is due).
import { appendFileSync, readFileSync } from 'node:fs';
import { Temporal } from 'temporal-polyfill';
import type { IntegrationsConfig } from '../../../src/app/integrations-config.ts';
import { openBaton } from '../../../src/app/open-baton.ts';
import { deliverEffects, runDispatcher } from '../../../src/app/outbox-dispatcher.ts';
import { builtInPlaybook } from '../../../src/domain/playbook/index.ts';
import { listEffects } from '../../../src/store/index.ts';

interface RunSettings {
  root: string;
  now: string;
  run: number;
  journal: string;
  once: boolean;
  integrations: IntegrationsConfig;
  /** Postgres (else SQLite under the root). */
  databaseUrl?: string;
  schema?: string;
  worker?: string;
  /** With `once`: keep delivering until no effect is pending at all (others may hold some for a while). */
  untilEmpty?: boolean;
  limit?: number;
}

const settings = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as RunSettings;
const now = Temporal.Instant.from(settings.now);
const baton = await openBaton({
  env: { root: settings.root, now: () => now },
  playbook: builtInPlaybook(),
  integrations: settings.integrations,
  ...(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : {}),
  ...(settings.schema ? { schema: settings.schema } : {}),
});
baton.worker = settings.worker ?? `crash-run-${settings.run}`;
const trace = (mark: string, effect: { id: string }) =>
  appendFileSync(settings.journal, `${settings.run} ${mark} ${effect.id}\n`);
process.stdout.write('ready\n');
if (settings.once) {
  const options = { trace, ...(settings.limit ? { limit: settings.limit } : {}) };
  const counts = await deliverEffects(baton, options);
  const deadline = Date.now() + 30_000;
  while (
    settings.untilEmpty &&
    Date.now() < deadline &&
    (await listEffects(baton.store.db, { status: 'pending' })).length > 0
  ) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const more = await deliverEffects(baton, options);
    counts.delivered += more.delivered;
  }
  process.stdout.write(`${JSON.stringify(counts)}\n`);
  await baton.store.close();
} else await runDispatcher(baton, { pollMs: 10, trace });
