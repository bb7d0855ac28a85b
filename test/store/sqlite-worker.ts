// A separate process for sqlite-processes.test.ts: opens the store under argv[2] (migrating it if it is
// new), appends argv[4] events to stream argv[3] with an effect each, then claims and completes effects
// until none is pending. Prints {claimed: [...]} as JSON.
import {
  appendEvents,
  claimEffects,
  completeEffect,
  enqueueEffects,
  listEffects,
  openStore,
  streamVersion,
  withTransaction,
} from '../../src/store/index.ts';
import { minute, sampleEffect, sampleEvent } from './samples.ts';

const [root, stream, countText, worker] = process.argv.slice(2);
const store = await openStore({ root: root! });
for (let i = 0; i < Number(countText); i++) {
  await withTransaction(store.db, async (trx) => {
    // Read, then write: without BEGIN IMMEDIATE two processes doing this would fail with SQLITE_BUSY.
    const version = await streamVersion(trx, stream!);
    await appendEvents(trx, stream!, version, [sampleEvent(version + 1)]);
    await enqueueEffects(trx, stream!, [sampleEffect(stream!, version + 1)], minute(0));
  });
}
const claimed: string[] = [];
while ((await listEffects(store.db, { status: 'pending', limit: 1 })).length > 0) {
  const effects = await claimEffects(store.db, {
    now: minute(1),
    limit: 2,
    worker: worker!,
    leaseMs: 600_000,
  });
  for (const effect of effects) {
    claimed.push(effect.id);
    if (!(await completeEffect(store.db, effect.id, worker!, minute(1))))
      throw new Error(`lost ${effect.id}`);
  }
}
await store.close();
console.log(JSON.stringify({ claimed }));
