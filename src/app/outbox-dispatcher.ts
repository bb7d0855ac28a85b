import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { claimEffects, completeEffect, type Effect, failEffect, releaseEffects } from '../store/index.ts';
import type { FileEffect } from './effects.ts';
import { writeRootFile } from './file-effects.ts';
import type { Baton, EffectHandler } from './handoff-context.ts';
import { redactSecrets } from './redact.ts';
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

/**
 * 24 tries with full jitter from 1 s up to a 15-minute cap ride out about two hours of outage (the
 * expected sum of the waits) before an effect goes to the dead-letter list, where it can be retried.
 * Handlers time out well inside the lease (Slack 10 s, monday.com 15 s, SMTP 15 s per call).
 */
export const defaultDeliveryPolicy: DeliveryPolicy = {
  maxAttempts: 24,
  baseMs: 1_000,
  capMs: 15 * 60_000,
  leaseMs: 60_000,
};

/** Effect kinds the process that records a decision carries out at once (local, cannot be down). */
export const inlineEffectKinds = ['file.write', 'notification.log'];

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

/** An effect's channel: the kind up to its first dot (`slack.post` -> `slack`). One outage, one channel. */
export function channelOf(kind: string): string {
  const dot = kind.indexOf('.');
  return dot < 0 ? kind : kind.slice(0, dot);
}

/** The policy in force: the default, with the configured number of tries. */
export function deliveryPolicyOf(baton: Baton): DeliveryPolicy {
  const maxAttempts = baton.integrations?.maxAttempts;
  return maxAttempts ? { ...defaultDeliveryPolicy, maxAttempts } : defaultDeliveryPolicy;
}

/** Errors stored on effects and shown to people: one line, secrets taken out. */
function describe(baton: Baton, e: unknown): string {
  const text = (e instanceof Error ? e.message : String(e)).split('\n')[0]?.slice(0, 500) ?? 'error';
  return redactSecrets(text, baton.integrations?.secrets ?? []);
}

export interface DeliveryCounts {
  delivered: number;
  /** Failed attempts that will be retried. */
  failed: number;
  /** Effects given up (dead-letter list). */
  dead: number;
  /** Claimed, then given back untried: their channel had just failed, or the lease was running out. */
  released: number;
  /** Carried out, but another worker had taken the effect over meanwhile (its lease ran out). */
  lost: number;
}

/** Steps of one delivery, for progress lines and the crash test's journal. */
export type DeliveryMark = 'start' | 'sent' | 'recorded' | 'retry' | 'dead' | 'lost';

export interface DeliverOptions {
  /** Only these kinds (default: all). */
  kinds?: string[];
  /** Effects claimed at a time. */
  limit?: number;
  policy?: DeliveryPolicy;
  trace?: (mark: DeliveryMark, effect: Effect, detail?: string) => void;
  /** Channels told to wait, until an epoch millisecond on baton's clock; kept across calls by runDispatcher. */
  pauses?: Map<string, number>;
  signal?: AbortSignal;
}

const epochMs = (baton: Baton): number => baton.now().epochMilliseconds;

type Outcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; untilMs: number }
  | { kind: 'dead' }
  | { kind: 'lost' };

async function deliverOne(
  baton: Baton,
  effect: Effect,
  policy: DeliveryPolicy,
  trace: DeliverOptions['trace'],
): Promise<Outcome> {
  const handler = baton.handlers[effect.kind];
  let failure: unknown;
  trace?.('start', effect);
  try {
    if (!handler) throw new PermanentFailure(`no handler for effect kind ${effect.kind}`);
    await handler(effect);
  } catch (e) {
    failure = e;
  }
  if (failure === undefined) {
    trace?.('sent', effect);
    const held = await completeEffect(baton.store.db, effect.id, baton.worker, isoUtc(baton.now()));
    trace?.(held ? 'recorded' : 'lost', effect);
    return { kind: held ? 'delivered' : 'lost' };
  }
  const attempts = effect.attempts + 1;
  const error = describe(baton, failure);
  if (failure instanceof PermanentFailure || attempts >= policy.maxAttempts) {
    await failEffect(baton.store.db, effect.id, baton.worker, { error, dead: true });
    trace?.('dead', effect, error);
    return { kind: 'dead' };
  }
  const wait = failure instanceof RetryLater ? failure.afterMs : backoffMs(attempts, policy);
  const untilMs = epochMs(baton) + wait;
  await failEffect(baton.store.db, effect.id, baton.worker, {
    error,
    nextAttemptAt: isoUtc(baton.now().add({ milliseconds: wait })),
  });
  trace?.('retry', effect, error);
  return { kind: 'retry', untilMs };
}

function claimableKinds(
  baton: Baton,
  options: DeliverOptions,
  pauses: Map<string, number>,
): string[] | undefined {
  const now = epochMs(baton);
  const paused = [...pauses].filter(([, until]) => until > now).map(([channel]) => channel);
  if (paused.length === 0) return options.kinds;
  return (options.kinds ?? Object.keys(baton.handlers)).filter((k) => !paused.includes(channelOf(k)));
}

/**
 * Claims due effects and carries them out, at least once: a handler that fails is retried later with
 * backoff (or when the peer said), and after `maxAttempts` the effect goes to the dead-letter list.
 * Channels (slack, monday, email, file...) are delivered side by side; within a channel in claim order,
 * and once one fails for a passing reason the rest of that channel waits with it instead of each burning
 * a try against a peer that is down. Effects are started only in the first half of their lease, so a slow
 * peer never lets the lease lapse on an effect not yet started (another dispatcher would take it over).
 */
export async function deliverEffects(baton: Baton, options: DeliverOptions = {}): Promise<DeliveryCounts> {
  const policy = options.policy ?? deliveryPolicyOf(baton);
  const pauses = options.pauses ?? new Map<string, number>();
  const counts: DeliveryCounts = { delivered: 0, failed: 0, dead: 0, released: 0, lost: 0 };
  // Each claim gives at most the first effect in line per handoff and channel; claim again until nothing is due.
  for (let round = 0; round < 1000 && !options.signal?.aborted; round++) {
    const kinds = claimableKinds(baton, options, pauses);
    if (kinds && kinds.length === 0) break;
    const claimed = await claimEffects(baton.store.db, {
      now: isoUtc(baton.now()),
      limit: options.limit ?? 20,
      worker: baton.worker,
      leaseMs: policy.leaseMs,
      ...(kinds ? { kinds } : {}),
    });
    if (claimed.length === 0) break;
    const claimedAt = performance.now();
    // Delivered and given-up effects both free their line: the next one may be due.
    const before = counts.delivered + counts.dead;
    const giveBack = new Map<number, string[]>();
    const byChannel = Map.groupBy(claimed, (e) => channelOf(e.kind));
    await Promise.all(
      [...byChannel].map(async ([channel, effects]) => {
        for (const effect of effects) {
          const pausedUntil = pauses.get(channel) ?? 0;
          const late = performance.now() - claimedAt > policy.leaseMs / 2;
          if (options.signal?.aborted || late || pausedUntil > epochMs(baton)) {
            const until = Math.max(pausedUntil, epochMs(baton));
            giveBack.set(until, [...(giveBack.get(until) ?? []), effect.id]);
            continue;
          }
          const outcome = await deliverOne(baton, effect, policy, options.trace);
          if (outcome.kind === 'delivered') counts.delivered++;
          else if (outcome.kind === 'lost') counts.lost++;
          else if (outcome.kind === 'dead') counts.dead++;
          else {
            counts.failed++;
            pauses.set(channel, outcome.untilMs);
          }
        }
      }),
    );
    for (const [until, ids] of giveBack)
      counts.released += await releaseEffects(
        baton.store.db,
        ids,
        baton.worker,
        isoUtc(new Date(until).toISOString()),
      );
    // A round that carried nothing out would only retry too early: leave the rest to their backoff.
    if (counts.delivered + counts.dead === before) break;
  }
  return counts;
}

export interface DispatcherOptions {
  /** How long to wait when nothing was due (default 2 s). */
  pollMs?: number;
  policy?: DeliveryPolicy;
  signal?: AbortSignal;
  trace?: DeliverOptions['trace'];
  /** After each pass that did something. */
  onPass?: (counts: DeliveryCounts) => void;
  /** The store failed (the dispatcher keeps going after a pause). */
  onError?: (error: unknown) => void;
}

const add = (a: DeliveryCounts, b: DeliveryCounts): DeliveryCounts => ({
  delivered: a.delivered + b.delivered,
  failed: a.failed + b.failed,
  dead: a.dead + b.dead,
  released: a.released + b.released,
  lost: a.lost + b.lost,
});

/** Delivers until `signal` aborts, polling when there is nothing to do. Returns the totals. */
export async function runDispatcher(baton: Baton, options: DispatcherOptions = {}): Promise<DeliveryCounts> {
  const pauses = new Map<string, number>();
  const pollMs = options.pollMs ?? 2_000;
  let totals: DeliveryCounts = { delivered: 0, failed: 0, dead: 0, released: 0, lost: 0 };
  while (!options.signal?.aborted) {
    let idle = true;
    try {
      const counts = await deliverEffects(baton, {
        pauses,
        ...(options.policy ? { policy: options.policy } : {}),
        ...(options.trace ? { trace: options.trace } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      totals = add(totals, counts);
      if (counts.delivered + counts.failed + counts.dead + counts.lost > 0) options.onPass?.(counts);
      idle = counts.delivered === 0;
    } catch (error) {
      options.onError?.(error);
    }
    if (idle)
      await sleep(pollMs, undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined);
  }
  return totals;
}

/**
 * Starts the dispatcher in this process (for `baton serve`): it runs until `stop()`, which waits for the
 * delivery in flight to finish and resolves to the totals.
 */
export function startDispatcher(
  baton: Baton,
  options: Omit<DispatcherOptions, 'signal'> = {},
): { stop(): Promise<DeliveryCounts>; done: Promise<DeliveryCounts> } {
  const controller = new AbortController();
  const done = runDispatcher(baton, { ...options, signal: controller.signal });
  return {
    done,
    stop() {
      controller.abort();
      return done;
    },
  };
}
