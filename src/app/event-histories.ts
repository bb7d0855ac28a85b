import type { HandoffHistory } from '../domain/metrics/index.ts';
import { isSowNumber } from '../domain/packet/index.ts';
import type { ActorRef, HandoffEvent } from '../domain/workflow/index.ts';
import { readAll, readStream, type StoredEvent } from '../store/index.ts';
import type { Baton } from './handoff-context.ts';

/** The stream where governance records that belong to no single handoff (SOP Delta drafts) are kept. */
export const governanceStream = 'GOVERNANCE';

export function handoffEventOf(e: StoredEvent): HandoffEvent {
  return {
    type: e.type,
    data: e.data,
    at: e.at,
    actor: {
      role: e.actor.role as ActorRef['role'],
      name: e.actor.name,
      via: e.actor.via,
      ...(e.actor.onBehalfOf ? { onBehalfOf: e.actor.onBehalfOf } : {}),
    },
    ...(e.personal ? { personal: e.personal } : {}),
  };
}

/**
 * Every handoff's events, read from the log in global order a page at a time, grouped by handoff (streams
 * that are not SOW numbers, such as the governance stream, are left out). Ordered by SOW.
 */
export async function readHistories(baton: Baton, pageSize = 2000): Promise<HandoffHistory[]> {
  const streams = new Map<string, HandoffEvent[]>();
  for (let after = 0; ; ) {
    const page = await readAll(baton.store.db, { after, limit: pageSize });
    for (const e of page) {
      if (!isSowNumber(e.stream)) continue;
      const events = streams.get(e.stream) ?? [];
      if (events.length === 0) streams.set(e.stream, events);
      events.push(handoffEventOf(e));
    }
    if (page.length < pageSize) break;
    after = page.at(-1)?.position ?? after;
  }
  return [...streams]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sow, events]) => ({ sow, events }));
}

/**
 * The events of the `count` most recently opened handoffs (by the projection's opened_at, then SOW, both
 * descending: the order the SOP Delta patterns use), without reading the rest of the log.
 */
export async function readRecentHistories(baton: Baton, count: number): Promise<HandoffHistory[]> {
  const rows = await baton.store.db
    .selectFrom('handoffs')
    .select('sow')
    .orderBy('opened_at', 'desc')
    .orderBy('sow', 'desc')
    .limit(count)
    .execute();
  const out: HandoffHistory[] = [];
  for (const { sow } of rows)
    out.push({ sow, events: (await readStream(baton.store.db, sow)).map(handoffEventOf) });
  return out;
}
