/**
 * Dashboard sessions: a person signs in once with their API token and then holds an opaque random
 * session id in a cookie. The store keeps only the id's sha256 (a copy of the table signs no one in)
 * and a per-session CSRF token that every form must echo back.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import type { ActorRef, Role } from '../domain/workflow/index.ts';
import type { Baton } from './handoff-context.ts';
import { isoUtc } from './time.ts';
import { actorForToken } from './users.ts';

export interface WebSession {
  actor: ActorRef;
  /** Echoed by every form and state-changing request of this session. */
  csrfToken: string;
  expiresAt: string;
}

/** How long a sign-in lasts when nothing else is said: one working day. */
export const defaultSessionHours = 12;

const digest = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** A fresh unguessable value (256 bits), safe in a cookie or a form field. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares two secrets in constant time (hashing first makes the lengths equal). */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a === '' || b === '') return false;
  return timingSafeEqual(Buffer.from(digest(a), 'hex'), Buffer.from(digest(b), 'hex'));
}

/**
 * Signs in with an API token: `unauthenticated` without one, `refused` for an unknown or disabled
 * token. Returns the cookie value (shown to no one else, stored only hashed) and the session.
 */
export async function startSession(
  baton: Baton,
  token: string | undefined,
  options: { hours?: number } = {},
): Promise<{ id: string; session: WebSession }> {
  const actor = await actorForToken(baton, token?.trim() || undefined, 'web');
  const now = baton.now();
  const hours = options.hours ?? defaultSessionHours;
  const id = randomToken();
  const session: WebSession = {
    actor,
    csrfToken: randomToken(),
    expiresAt: isoUtc(now.add({ milliseconds: Math.round(hours * 3_600_000) })),
  };
  const nowIso = isoUtc(now);
  // Expired sessions are of no use to anyone; clearing them here keeps the table small without a job.
  await baton.store.db.deleteFrom('sessions').where('expires_at', '<=', nowIso).execute();
  await baton.store.db
    .insertInto('sessions')
    .values({
      id_hash: digest(id),
      user_name: actor.name,
      csrf_token: session.csrfToken,
      created_at: nowIso,
      expires_at: session.expiresAt,
    })
    .execute();
  return { id, session };
}

/** The live session of a cookie value: undefined when unknown, expired, or its user was disabled. */
export async function sessionFor(baton: Baton, id: string | undefined): Promise<WebSession | undefined> {
  if (!id || id.length > 200) return undefined;
  const row = await baton.store.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.name', 'sessions.user_name')
    .select([
      'sessions.csrf_token as csrf',
      'sessions.expires_at as expiresAt',
      'users.name as name',
      'users.role as role',
      'users.disabled_at as disabledAt',
    ])
    .where('sessions.id_hash', '=', digest(id))
    .executeTakeFirst();
  if (!row || row.disabledAt) return undefined;
  if (Temporal.Instant.compare(Temporal.Instant.from(row.expiresAt), baton.now()) <= 0) return undefined;
  return {
    actor: { role: row.role as Role, name: row.name, via: 'web' },
    csrfToken: row.csrf,
    expiresAt: row.expiresAt,
  };
}

/** Signs out: the cookie value no longer names a session. */
export async function endSession(baton: Baton, id: string | undefined): Promise<void> {
  if (!id) return;
  await baton.store.db.deleteFrom('sessions').where('id_hash', '=', digest(id)).execute();
}
