import { hostname } from 'node:os';
import type { Playbook } from '../domain/playbook/index.ts';
import { openStore } from '../store/index.ts';
import { calendarFor } from './calendar-for.ts';
import type { EffectPlanner } from './effects.ts';
import type { Environment } from './environment.ts';
import type { Baton, EffectHandler } from './handoff-context.ts';
import { wireIntegrations } from './integrations.ts';
import { type IntegrationsConfig, loadIntegrationsConfig } from './integrations-config.ts';
import { fileWriteHandler } from './outbox-dispatcher.ts';

export interface BatonOptions {
  env: Environment;
  playbook: Playbook;
  databaseUrl?: string;
  /** A Postgres schema (tests). */
  schema?: string;
  planners?: EffectPlanner[];
  handlers?: Record<string, EffectHandler>;
  /** Slack, monday.com and email settings; default: read from `vars`, a `.env` file and the config file. */
  integrations?: IntegrationsConfig;
  /** The environment variables to read integration settings from (default process.env). */
  vars?: Record<string, string | undefined>;
}

/** Opens the store (running migrations) and assembles the service layer's context. */
export async function openBaton(options: BatonOptions): Promise<Baton> {
  const integrations =
    options.integrations ??
    (await loadIntegrationsConfig({
      vars: options.vars ?? process.env,
      root: options.env.root,
      cwd: process.cwd(),
    }));
  const store = await openStore({
    root: options.env.root,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.schema ? { schema: options.schema } : {}),
  });
  const worker = `${hostname()}:${process.pid}`;
  const wired = wireIntegrations(integrations, {
    root: options.env.root,
    db: store.db,
    worker,
    now: options.env.now,
  });
  return {
    root: options.env.root,
    playbook: options.playbook,
    calendar: calendarFor(options.playbook),
    store,
    now: options.env.now,
    nowEpochMilliseconds: options.env.nowEpochMilliseconds ?? (() => options.env.now().epochMilliseconds),
    planners: [...wired.planners, ...(options.planners ?? [])],
    handlers: { 'file.write': fileWriteHandler(options.env.root), ...wired.handlers, ...options.handlers },
    ...(wired.crm ? { crm: wired.crm } : {}),
    worker,
    integrations,
  };
}
