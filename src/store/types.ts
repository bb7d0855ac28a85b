/**
 * The store's contract: an append-only event log with one stream per handoff, a transactional outbox,
 * and the projection tables the app keeps in the same transaction. Two dialects implement it
 * (SQLite embedded, Postgres); every storage test runs against both.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Who did something, and through which interface. `name` is personal data: kept out of the hash. */
export interface Actor {
  role: string;
  name: string;
  via: 'cli' | 'http' | 'web' | 'mcp' | 'slack' | 'system';
  /** sales.ops acting on the CRO's behalf. */
  onBehalfOf?: string;
}

export interface NewEvent {
  type: string;
  /** Hashed; must hold no personal data (names, emails, phones). */
  data: Record<string, unknown>;
  /** Purgeable personal data (contact names, emails, the actor's name); only its digest is hashed. */
  personal?: Record<string, unknown>;
  actor: Actor;
  /** ISO instant (UTC, `Z`). */
  at: string;
}

export interface StoredEvent extends NewEvent {
  /** Global order, 1-based, gapless per store only in the sense of monotonic. */
  position: number;
  stream: string;
  /** 1-based version within the stream. */
  version: number;
  /** sha256 hex of the personal JSON at append time, or null; kept after a purge. */
  personalDigest: string | null;
  prevHash: string;
  hash: string;
}

/** A side effect to carry out after the transaction commits, at least once, idempotently. */
export interface NewEffect {
  /** Unique and stable: derived from the event (e.g. `SOW-2026-014:3:slack`), so a retry is the same effect. */
  id: string;
  kind: string;
  payload: Record<string, unknown>;
}

export type EffectStatus = 'pending' | 'done' | 'dead';

export interface Effect extends NewEffect {
  stream: string;
  seq: number;
  status: EffectStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  doneAt: string | null;
  /** The worker holding (or, once done, that held) the lease. */
  claimedBy: string | null;
  /** The lease ends here; another worker may claim the effect after it. */
  claimedUntil: string | null;
}

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;

export type Dialect = 'sqlite' | 'postgres';

/** An open store: the kysely instance, which dialect it speaks, and where it lives (never with a password). */
export interface Store {
  db: Db;
  dialect: Dialect;
  location: string;
  close(): Promise<void>;
}

export type ChainProblem = 'hash mismatch' | 'broken prev link' | 'version gap' | 'personal data altered';

/** `events` counts the events checked: all of them, or up to and including the first bad one. */
export type ChainCheck =
  | { ok: true; events: number }
  | {
      ok: false;
      events: number;
      firstBad: { stream: string; version: number; position: number; reason: ChainProblem };
    };

export class VersionConflict extends Error {
  readonly stream: string;
  readonly expected: number;
  readonly actual: number;
  constructor(stream: string, expected: number, actual: number) {
    super(
      `${stream} changed while you were acting (you saw version ${expected}, it is now ${actual}); reload and try again`,
    );
    this.name = 'VersionConflict';
    this.stream = stream;
    this.expected = expected;
    this.actual = actual;
  }
}
