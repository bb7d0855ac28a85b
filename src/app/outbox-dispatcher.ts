import { claimEffects, completeEffect, type Effect, failEffect } from '../store/index.ts';
import type { FileEffect } from './effects.ts';
import { writeRootFile } from './file-effects.ts';
import type { Baton, EffectHandler } from './handoff-context.ts';
import { isoUtc } from './time.ts';

/** Thrown by a handler when the peer said when to come back (HTTP Retry-After, monday.com's retry time). */
export class RetryLater extends Error {
  readonly afterMs: number;
  constructor(message: string, afterMs: number) {
    super(message);
    this.name = 'RetryLater';
    this.afterMs = afterMs;
  }
}

/** Thrown by a handler when retrying cannot help (a bad token, a payload the peer refuses). */
export class PermanentFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentFailure';
  }
}

export interface DeliveryPolicy {
  maxAttempts: number;
  baseMs: number;
  capMs: number;
  leaseMs: number;
}

export const defaultDeliveryPolicy: DeliveryPolicy = {
  maxAttempts: 8,
  baseMs: 1_000,
  capMs: 15 * 60_000,
  leaseMs: 60_000,
};

/** Exponential backoff with full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2^attempt)). */
export function backoffMs(
  attempt: number,
  policy: DeliveryPolicy,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt));
}

export function fileWriteHandler(root: string): EffectHandler {
  return (effect: Effect) => writeRootFile(root, effect.payload as unknown as FileEffect);
}

/** Errors stored on effects and shown to people: one line, never a token (handlers must not put one in). */
function describe(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]?.slice(0, 500) ?? 'error';
}

async function deliverOne(
  baton: Baton,
  effect: Effect,
  policy: DeliveryPolicy,
  counts: { delivered: number; failed: number; dead: number },
): Promise<void> {
  const handler = baton.handlers[effect.kind];
  try {
    if (!handler) throw new PermanentFailure(`no handler for effect kind ${effect.kind}`);
    await handler(effect);
    await completeEffect(baton.store.db, effect.id, baton.worker, isoUtc(baton.now()));
    counts.delivered++;
  } catch (e) {
    const attempts = effect.attempts + 1;
    if (e instanceof PermanentFailure || attempts >= policy.maxAttempts) {
      await failEffect(baton.store.db, effect.id, baton.worker, { error: describe(e), dead: true });
      counts.dead++;
    } else {
      const wait = e instanceof RetryLater ? e.afterMs : backoffMs(attempts, policy);
      await failEffect(baton.store.db, effect.id, baton.worker, {
        error: describe(e),
        nextAttemptAt: isoUtc(baton.now().add({ milliseconds: wait })),
      });
      counts.failed++;
    }
  }
}

/**
 * Claims due effects and carries them out, at least once: a handler that fails is retried later with
 * backoff, and after `maxAttempts` the effect goes to the dead-letter list. Returns counts.
 */
export async function deliverEffects(
  baton: Baton,
  options: { kinds?: string[]; limit?: number; policy?: DeliveryPolicy } = {},
): Promise<{ delivered: number; failed: number; dead: number }> {
  const policy = options.policy ?? defaultDeliveryPolicy;
  const counts = { delivered: 0, failed: 0, dead: 0 };
  // Each claim gives at most the first effect in line per handoff; claim again until nothing is due.
  for (let round = 0; round < 1000; round++) {
    const claimed = await claimEffects(baton.store.db, {
      now: isoUtc(baton.now()),
      limit: options.limit ?? 100,
      worker: baton.worker,
      leaseMs: policy.leaseMs,
      ...(options.kinds ? { kinds: options.kinds } : {}),
    });
    if (claimed.length === 0) break;
    const before = counts.delivered;
    for (const effect of claimed) await deliverOne(baton, effect, policy, counts);
    // A round where everything failed would only retry too early: leave them to their backoff.
    if (counts.delivered === before) break;
  }
  return counts;
}
