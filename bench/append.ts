// Event append with outbox (SQLite, durable): handoff-like events appended one per transaction, each with
// one outbox effect, as the workflow does; against a plain insert of the same rows into a table without
// keys or hashing, one row per transaction, with the same durability settings. Goal: >= 0.5x.
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

async function batonRate(root: string, count: number, offset: number): Promise<number> {
  const store = await openStore({ root });
  try {
    const start = performance.now();
    for (let i = offset; i < offset + count; i++) {
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
    return count / ((performance.now() - start) / 1000);
  } finally {
    await store.close();
  }
}

function plainRate(file: string, count: number, offset: number): number {
  const db = new DatabaseSync(file);
  try {
    for (const pragma of sqlitePragmas) db.exec(pragma);
    db.exec(`create table if not exists plain (stream text, version integer, type text, data text, personal text,
      actor_role text, actor_name text, actor_via text, actor_on_behalf_of text, at text, prev_hash text, hash text)`);
    const insert = db.prepare('insert into plain values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const hash = 'f'.repeat(64);
    const start = performance.now();
    for (let i = offset; i < offset + count; i++) {
      const { stream, version, event } = handoffEvent(i);
      db.exec('begin');
      insert.run(
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
    }
    return count / ((performance.now() - start) / 1000);
  } finally {
    db.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Alternates the two sides a few times (disk speed drifts) and compares the median rates. */
export async function benchAppend({
  rounds = 5,
  perRound = 300,
  progress = (_: string) => {},
} = {}): Promise<AppendBenchResult> {
  const root = mkdtempSync(join(tmpdir(), 'baton-bench-append-'));
  try {
    // Warm-up: creates and migrates the store, and the plain table, outside the timing.
    await batonRate(root, eventsPerHandoff, 0);
    plainRate(join(root, 'plain.db'), eventsPerHandoff, 0);
    const baton: number[] = [];
    const plain: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Each round starts new handoffs, after the warm-up's one.
      const offset = eventsPerHandoff * (1 + round * Math.ceil(perRound / eventsPerHandoff));
      progress(`event append: round ${round + 1} of ${rounds}, baton (${perRound} events)…`);
      baton.push(await batonRate(root, perRound, offset));
      progress(`event append: round ${round + 1} of ${rounds}, plain insert (${perRound} rows)…`);
      plain.push(plainRate(join(root, 'plain.db'), perRound, offset));
    }
    const batonEventsPerSecond = median(baton);
    const plainInsertsPerSecond = median(plain);
    const ratio = batonEventsPerSecond / plainInsertsPerSecond;
    return {
      events: rounds * perRound,
      batonEventsPerSecond: Math.round(batonEventsPerSecond),
      plainInsertsPerSecond: Math.round(plainInsertsPerSecond),
      ratioToPlainInsert: Number(ratio.toFixed(3)),
      goalRatio: 0.5,
      meetsGoal: ratio >= 0.5,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
