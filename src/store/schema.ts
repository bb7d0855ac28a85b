/**
 * The tables as kysely sees them. Timestamps are ISO-8601 UTC text (`2026-05-14T14:00:00.000Z`): the app
 * always writes that exact format, so comparing the text orders them. JSON columns hold text in both dialects.
 * Booleans are integers (0/1) so both dialects read them the same way.
 */
import type { Generated } from 'kysely';

/** The append-only log: one stream per handoff, hash-chained within each stream. */
export interface EventsTable {
  /** Global order; SQLite autoincrement, Postgres identity (read back as a JS number). */
  position: Generated<number>;
  stream: string;
  version: number;
  type: string;
  /** JSON (canonical: keys sorted). */
  data: string;
  /** JSON, or null when there was none or it has been purged. */
  personal: string | null;
  /** sha256 of {personal, actorName} at append time; kept after a purge so the chain still verifies. */
  personal_digest: string | null;
  actor_role: string;
  /** Personal data: '(purged)' after a purge. */
  actor_name: string;
  actor_via: string;
  actor_on_behalf_of: string | null;
  at: string;
  /** When purgePersonal blanked this event's personal data, else null. */
  purged_at: string | null;
  prev_hash: string;
  hash: string;
}

export interface OutboxTable {
  id: string;
  /** Enqueue order; effects of one stream are carried out in this order. */
  seq: Generated<number>;
  stream: string;
  kind: string;
  /** JSON. */
  payload: string;
  status: 'pending' | 'done' | 'dead';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  done_at: string | null;
  /** The worker holding the lease, until claimed_until; kept after completion as a record of who did it. */
  claimed_by: string | null;
  claimed_until: string | null;
}

/** One row per handoff: the current state the app projects from its events. */
export interface HandoffsTable {
  sow: string;
  state: string;
  version: number;
  payment: string | null;
  opened_at: string;
  updated_at: string;
  next_due: string | null;
  /** 0 or 1. */
  overdue: number;
  /** 0 or 1. */
  escalated: number;
  /** JSON. */
  doc: string;
}

export interface ClocksTable {
  sow: string;
  clock: string;
  /** A clock can restart; each run is a new seq. */
  seq: number;
  started_at: string;
  due: string;
  status: 'open' | 'met' | 'missed';
  met_at: string | null;
  missed_at: string | null;
}

export interface EscalationsTable {
  id: string;
  sow: string;
  kind: string;
  status: 'open' | 'resolved';
  opened_at: string;
  due: string | null;
  resolved_at: string | null;
  /** JSON. */
  doc: string;
}

export interface IncidentsTable {
  id: string;
  sow: string;
  severity: string;
  status: 'open' | 'closed';
  filed_at: string;
  path: string;
  /** JSON. */
  doc: string;
}

export interface UsersTable {
  name: string;
  role: string;
  token_hash: string;
  created_at: string;
  disabled_at: string | null;
}

/** A dashboard sign-in: known by the sha256 of the cookie's value, never the value itself. */
export interface SessionsTable {
  id_hash: string;
  user_name: string;
  /** The per-session CSRF token every dashboard form carries. */
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

/** The embedded notification log: what an integration that is not configured would have received. */
export interface NotificationsTable {
  /** The effect's id (one entry per effect, however often it is delivered). */
  id: string;
  seq: Generated<number>;
  /** The handoff (the effect's stream). */
  stream: string;
  /** slack, monday or email. */
  integration: string;
  /** The effect kind it stands for: slack.post, monday.update, email.send. */
  kind: string;
  /** One line for people. */
  summary: string;
  /** JSON: the message as it would have been sent. */
  payload: string;
  created_at: string;
}

/** The delivery journal: written before an integration is called, so a retry knows to check the peer first. */
export interface OutboxDeliveriesTable {
  effect_id: string;
  starts: number;
  first_started_at: string;
  last_started_at: string;
  last_worker: string;
}

export interface Database {
  events: EventsTable;
  outbox: OutboxTable;
  handoffs: HandoffsTable;
  clocks: ClocksTable;
  escalations: EscalationsTable;
  incidents: IncidentsTable;
  users: UsersTable;
  sessions: SessionsTable;
  notifications: NotificationsTable;
  outbox_deliveries: OutboxDeliveriesTable;
}

/** The projection tables, in an order that is safe to clear. */
export const projectionTables = ['clocks', 'escalations', 'incidents', 'handoffs'] as const;
