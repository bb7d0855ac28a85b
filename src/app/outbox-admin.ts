/** The outbox and the notification log as people see them: what is waiting, what gave up, retrying it. */
import {
  type Effect,
  effectById,
  listEffects,
  listNotifications,
  type Notification,
  retryEffect,
} from '../store/index.ts';
import { AppError } from './errors.ts';
import type { Baton } from './handoff-context.ts';
import { isoUtc } from './time.ts';

/** An effect without its payload (which may quote contacts). */
export interface OutboxRow {
  id: string;
  handoff: string;
  kind: string;
  status: Effect['status'];
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  doneAt: string | null;
  claimedBy: string | null;
  claimedUntil: string | null;
}

const row = (e: Effect): OutboxRow => ({
  id: e.id,
  handoff: e.stream,
  kind: e.kind,
  status: e.status,
  attempts: e.attempts,
  nextAttemptAt: e.nextAttemptAt,
  lastError: e.lastError,
  createdAt: e.createdAt,
  doneAt: e.doneAt,
  claimedBy: e.claimedBy,
  claimedUntil: e.claimedUntil,
});

/** Waiting and given-up effects in enqueue order (only the given-up ones with `failed`). */
export async function outboxRows(baton: Baton, options: { failed?: boolean } = {}): Promise<OutboxRow[]> {
  const dead = await listEffects(baton.store.db, { status: 'dead' });
  if (options.failed) return dead.map(row);
  const pending = await listEffects(baton.store.db, { status: 'pending' });
  return [...pending, ...dead].sort((a, b) => a.seq - b.seq).map(row);
}

/** Puts a given-up effect back in line, due now; its attempts and last error are kept. */
export async function retryDeadEffect(baton: Baton, id: string): Promise<OutboxRow> {
  const effect = await effectById(baton.store.db, id);
  if (!effect)
    throw new AppError(
      'not-found',
      `no effect ${id} in the outbox; baton outbox --failed lists them`,
      'retry',
    );
  if (effect.status !== 'dead')
    throw new AppError(
      'conflict',
      `effect ${id} is ${effect.status === 'done' ? 'done already' : 'still waiting for its next try'}; only given-up effects can be retried`,
      'retry',
    );
  await retryEffect(baton.store.db, id, isoUtc(baton.now()));
  const after = await effectById(baton.store.db, id);
  return row(after ?? effect);
}

/** The embedded notification log, newest first. */
export function notificationLog(
  baton: Baton,
  options: { sow?: string; limit?: number } = {},
): Promise<Notification[]> {
  return listNotifications(baton.store.db, {
    ...(options.sow ? { stream: options.sow.trim().toUpperCase() } : {}),
    ...(options.limit ? { limit: options.limit } : {}),
  });
}
