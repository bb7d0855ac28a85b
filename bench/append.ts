// Event append with outbox (SQLite, durable): handoff-like events appended one per transaction, each with
// one outbox effect, as the workflow does; against a plain insert of the same rows into a table without
// keys or hashing, one row per transaction, with the same durability settings, interleaved with it.
// Goal: >= 0.5x.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import {
  appendEvents,
  enqueueEffects,
  type NewEvent,
  openStore,
  type Store,
  sqlitePragmas,
  withTransaction,
} from '../src/store/index.ts';

export interface AppendBenchResult {
  events: number;
  batonEventsPerSecond: number;
  plainInsertsPerSecond: number;
  ratioToPlainInsert: number;
  goalRatio: number;
  meetsGoal: boolean;
}

const eventsPerHandoff = 12;
const at = '2026-05-14T14:00:00.000Z';

function handoffEvent(i: number): { stream: string; version: number; event: NewEvent } {
  const version = (i % eventsPerHandoff) + 1;
  return {
    stream: `SOW-2026-${String(Math.floor(i / eventsPerHandoff)).padStart(4, '0')}`,
    version,
    event: {
      type: version === 1 ? 'handoff.submitted' : 'handoff.advanced',
      data: {
        state: `step-${version}`,
        gate: { passed: 8, failed: 0, checks: ['packet', 'payment', 'scope', 'contacts'] },
        clocks: { kickoff: { due: '2026-05-18T21:00:00.000Z' } },
        payment: { status: 'received', method: 'ACH' },
      },
      personal: { contact: 'Dana Reyes', email: 'dana.reyes@example.com' },
      actor: { role: 'sales.ops', name: 'Sam Ortiz', via: 'cli', onBehalfOf: 'cro' },
      at,
    },
  };
}

/** One handoff event and its outbox effect, in one transaction, as the workflow writes them. */
async function batonAppend(store: Store, i: number): Promise<void> {
  const { stream, version, event } = handoffEvent(i);
  await withTransaction(store.db, async (trx) => {
    await appendEvents(trx, stream, version - 1, [event]);
    await enqueueEffects(
      trx,
      stream,
      [{ id: `${stream}:${version}:slack`, kind: 'slack', payload: { stream, version } }],
      at,
    );
  });
}

/** The same row inserted plainly (no keys, no hash chain, no outbox), in a transaction of its own. */
function plainInserter(file: string): { insert: (i: number) => void; close: () => void } {
  const db = new DatabaseSync(file);
  for (const pragma of sqlitePragmas) db.exec(pragma);
  db.exec(`create table if not exists plain (stream text, version integer, type text, data text, personal text,
    actor_role text, actor_name text, actor_via text, actor_on_behalf_of text, at text, prev_hash text, hash text)`);
  const statement = db.prepare('insert into plain values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const hash = 'f'.repeat(64);
  return {
    insert(i) {
      const { stream, version, event } = handoffEvent(i);
      db.exec('begin');
      statement.run(
        stream,
        version,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.personal),
        event.actor.role,
        event.actor.name,
        event.actor.via,
        event.actor.onBehalfOf ?? null,
        event.at,
        hash,
        hash,
      );
      db.exec('commit');
    },
    close: () => db.close(),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * The two sides interleaved a transaction at a time (which goes first alternates), on two files of the
 * same disk: a durable commit's cost drifts by the second with the disk's other work, and interleaved,
 * both sides meet the same disk. The figure is the median of the blocks' ratios (blocks of 50 pairs).
 */
export async function benchAppend({
  blocks = 30,
  perBlock = 50,
  progress = (_: string) => {},
} = {}): Promise<AppendBenchResult> {
  const root = mkdtempSync(join(tmpdir(), 'baton-bench-append-'));
  const store = await openStore({ root });
  const plain = plainInserter(join(root, 'plain.db'));
  try {
    // Warm-up: the first handoff, outside the timing.
    let i = 0;
    for (; i < eventsPerHandoff; i++) {
      await batonAppend(store, i);
      plain.insert(i);
    }
    const ratios: number[] = [];
    let batonMs = 0;
    let plainMs = 0;
    for (let block = 0; block < blocks; block++) {
      progress(`event append: block ${block + 1} of ${blocks} (${perBlock} events each side)…`);
      let ours = 0;
      let theirs = 0;
      for (let n = 0; n < perBlock; n++, i++) {
        if (n % 2 === 0) {
          const t0 = performance.now();
          await batonAppend(store, i);
          const t1 = performance.now();
          plain.insert(i);
          ours += t1 - t0;
          theirs += performance.now() - t1;
        } else {
          const t0 = performance.now();
          plain.insert(i);
          const t1 = performance.now();
          await batonAppend(store, i);
          theirs += t1 - t0;
          ours += performance.now() - t1;
        }
      }
      ratios.push(theirs / ours);
      batonMs += ours;
      plainMs += theirs;
    }
    const events = blocks * perBlock;
    const ratio = median(ratios);
    return {
      events,
      batonEventsPerSecond: Math.round(events / (batonMs / 1000)),
      plainInsertsPerSecond: Math.round(events / (plainMs / 1000)),
      ratioToPlainInsert: Number(ratio.toFixed(3)),
      goalRatio: 0.5,
      meetsGoal: ratio >= 0.5,
    };
  } finally {
    plain.close();
    await store.close();
    rmSync(root, { recursive: true, force: true });
  }
}

// `node bench/append.ts` runs this figure alone.
if (import.meta.main)
  console.log(await benchAppend({ progress: (text) => process.stderr.write(`${text}\n`) }));
