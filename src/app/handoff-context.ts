import type { Temporal } from 'temporal-polyfill';
import type { BusinessCalendar } from '../domain/calendar/index.ts';
import type { CrmLookup } from '../domain/gate/index.ts';
import type { Playbook } from '../domain/playbook/index.ts';
import type { Effect, Store } from '../store/index.ts';
import type { EffectPlanner } from './effects.ts';
import type { IntegrationsConfig } from './integrations-config.ts';

/** Carries out one effect; throws to retry later (a `RetryLater` says when). */
export type EffectHandler = (effect: Effect) => Promise<void>;

/** Everything the service layer needs, assembled once at the edge (CLI, server, MCP). */
export interface Baton {
  root: string;
  playbook: Playbook;
  calendar: BusinessCalendar;
  store: Store;
  now: () => Temporal.Instant;
  /** `now` in milliseconds since the epoch (see Environment.nowEpochMilliseconds). */
  nowEpochMilliseconds: () => number;
  /** Notification planners contributed by integrations (Slack, Monday.com, email, the log). */
  planners: EffectPlanner[];
  /** Effect handlers by kind; `file.write` is always there. */
  handlers: Record<string, EffectHandler>;
  /** The live monday.com lookup for the gate, when monday.com is configured. */
  crm?: (dealId: string) => Promise<CrmLookup>;
  /** A name for this process in outbox leases. */
  worker: string;
  /** The integration settings in force (Slack, monday.com, email), when they were loaded. */
  integrations?: IntegrationsConfig;
}
