/**
 * Bearer tokens to baton users. The lookup (a hash and a query) is cached for a few seconds per token so
 * that busy clients do not pay it on every request; the cache holds token hashes, never tokens, and a token
 * disabled in the store stops working when its entry expires (at most `ttlMs` later).
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../app/errors.ts';
import type { Baton } from '../../app/handoff-context.ts';
import { actorForToken, tokenHash } from '../../app/users.ts';
import type { ActorRef, Role, Via } from '../../domain/workflow/index.ts';

export interface TokenAuthenticator {
  /** The user of a token, through `via` (`http`, `web`, `mcp`...); `unauthenticated` when it is not valid. */
  actorForToken(token: string | undefined, via: Via): Promise<ActorRef>;
  /** The user of the request's `Authorization: Bearer TOKEN` header. */
  authenticate(request: FastifyRequest, via: Via): Promise<ActorRef>;
  /**
   * The same user without waiting, when the token's lookup is cached and fresh (a busy client's usual
   * request); undefined when it has to be looked up (call `authenticate`). Throws `unauthenticated` for a
   * malformed Authorization header, as `authenticate` rejects.
   */
  cached(request: FastifyRequest, via: Via): ActorRef | undefined;
  /** Forgets every cached lookup (after disabling a user in this process). */
  clear(): void;
}

export interface TokenCacheOptions {
  /** How long a successful lookup is reused; 0 turns the cache off. */
  ttlMs?: number;
  maxEntries?: number;
}

/** Reads `Authorization: Bearer TOKEN`; undefined when there is no Authorization header. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!match?.[1])
    throw new AppError(
      'unauthenticated',
      'the Authorization header must be "Bearer TOKEN" with your API token',
      'Authorization',
    );
  return match[1];
}

export function tokenAuthenticator(
  baton: Baton,
  { ttlMs = 5_000, maxEntries = 1_000 }: TokenCacheOptions = {},
): TokenAuthenticator {
  interface Entry {
    role: Role;
    name: string;
    until: number;
    /** The actor through each interface, frozen: every request of the token shares it. */
    actors: Partial<Record<Via, ActorRef>>;
  }
  const cache = new Map<string, Entry>();
  const fresh = (key: string, via: Via, now: number): ActorRef | undefined => {
    const hit = cache.get(key);
    if (!hit || hit.until <= now) return undefined;
    hit.actors[via] ??= Object.freeze({ role: hit.role, name: hit.name, via });
    return hit.actors[via];
  };
  const lookup = async (token: string | undefined, via: Via): Promise<ActorRef> => {
    if (!token || ttlMs <= 0) return actorForToken(baton, token, via);
    const key = tokenHash(token.trim());
    const now = performance.now();
    const hit = fresh(key, via, now);
    if (hit) return hit;
    const actor = await actorForToken(baton, token, via);
    if (cache.size >= maxEntries) {
      for (const [k, v] of cache) if (v.until <= now) cache.delete(k);
      // Still full of live entries: drop the oldest (Map keeps insertion order).
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
    }
    cache.set(key, { role: actor.role as Role, name: actor.name, until: now + ttlMs, actors: {} });
    return actor;
  };
  return {
    actorForToken: lookup,
    // async: a malformed header is a rejection, not a throw, for callers that chain on the promise.
    authenticate: async (request, via) => lookup(bearerToken(request), via),
    cached: (request, via) => {
      const token = bearerToken(request);
      return token && ttlMs > 0 ? fresh(tokenHash(token.trim()), via, performance.now()) : undefined;
    },
    clear: () => cache.clear(),
  };
}
