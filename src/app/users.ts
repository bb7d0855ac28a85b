import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type ActorRef, type Role, roles, type Via } from '../domain/workflow/index.ts';
import { AppError } from './errors.ts';
import type { Baton } from './handoff-context.ts';
import { isoUtc } from './time.ts';

export interface User {
  name: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
}

/** Tokens are random and long, so a fast hash is enough (no password to brute-force); only the hash is stored. */
export function tokenHash(token: string): string {
  // crypto.hash: the one-shot form, several times cheaper than createHash for a short input (every API request).
  return hash('sha256', token, 'hex');
}

const userName = /^[\p{L}\p{N}][\p{L}\p{N} ._'-]{0,63}$/u;

/** Creates a user and returns their API token, shown once. */
export async function addUser(
  baton: Baton,
  name: string,
  role: string,
): Promise<{ user: User; token: string }> {
  const clean = name.trim();
  if (!userName.test(clean))
    throw new AppError('bad-input', "NAME: letters, digits, spaces, . _ ' - ; at most 64 characters", 'name');
  if (!(roles as readonly string[]).includes(role))
    throw new AppError('bad-input', `--role: "${role}" is not one of ${roles.join(', ')}`, 'role');
  const existing = await baton.store.db
    .selectFrom('users')
    .select('name')
    .where('name', '=', clean)
    .executeTakeFirst();
  if (existing) throw new AppError('conflict', `a user named ${clean} already exists`, 'name');
  const token = `baton_${randomBytes(24).toString('base64url')}`;
  const createdAt = isoUtc(baton.now());
  await baton.store.db
    .insertInto('users')
    .values({ name: clean, role, token_hash: tokenHash(token), created_at: createdAt, disabled_at: null })
    .execute();
  return { user: { name: clean, role: role as Role, createdAt, disabledAt: null }, token };
}

export async function listUsers(baton: Baton): Promise<User[]> {
  const rows = await baton.store.db.selectFrom('users').selectAll().orderBy('name').execute();
  return rows.map((r) => ({
    name: r.name,
    role: r.role as Role,
    createdAt: r.created_at,
    disabledAt: r.disabled_at,
  }));
}

/** The baton user a token belongs to, as an actor through `via`; `unauthenticated` for a missing, unknown or disabled token. */
export async function actorForToken(baton: Baton, token: string | undefined, via: Via): Promise<ActorRef> {
  if (!token)
    throw new AppError(
      'unauthenticated',
      'sign in: send your API token (Authorization: Bearer TOKEN)',
      'token',
    );
  const hash = tokenHash(token.trim());
  const row = await baton.store.db
    .selectFrom('users')
    .selectAll()
    .where('token_hash', '=', hash)
    .executeTakeFirst();
  // The lookup is by hash; compare again in constant time so timing says nothing about near misses.
  if (!row || !timingSafeEqual(Buffer.from(row.token_hash), Buffer.from(hash)) || row.disabled_at)
    throw new AppError(
      'unauthenticated',
      'this token is not valid (unknown or disabled); ask for a new one with baton user add',
      'token',
    );
  return { role: row.role as Role, name: row.name, via };
}

/** The user of a name (for Slack and Monday.com mappings), or undefined. */
export async function userByName(baton: Baton, name: string): Promise<User | undefined> {
  const row = await baton.store.db
    .selectFrom('users')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst();
  return row
    ? { name: row.name, role: row.role as Role, createdAt: row.created_at, disabledAt: row.disabled_at }
    : undefined;
}
