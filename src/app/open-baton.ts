import { hostname } from 'node:os';
import type { Playbook } from '../domain/playbook/index.ts';
import { openStore } from '../store/index.ts';
import { calendarFor } from './calendar-for.ts';
import type { EffectPlanner } from './effects.ts';
import type { Environment } from './environment.ts';
import type { Baton, EffectHandler } from './handoff-context.ts';
import { fileWriteHandler } from './outbox-dispatcher.ts';

export interface BatonOptions {
  env: Environment;
  playbook: Playbook;
  databaseUrl?: string;
  /** A Postgres schema (tests). */
  schema?: string;
  planners?: EffectPlanner[];
  handlers?: Record<string, EffectHandler>;
}

/** Opens the store (running migrations) and assembles the service layer's context. */
export async function openBaton(options: BatonOptions): Promise<Baton> {
  const store = await openStore({
    root: options.env.root,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.schema ? { schema: options.schema } : {}),
  });
  return {
    root: options.env.root,
    playbook: options.playbook,
    calendar: calendarFor(options.playbook),
    store,
    now: options.env.now,
    planners: options.planners ?? [],
    handlers: { 'file.write': fileWriteHandler(options.env.root), ...options.handlers },
    worker: `${hostname()}:${process.pid}`,
  };
}
