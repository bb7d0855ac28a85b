// Property, end to end on SQLite: whatever mix of handoffs (relationship ended or not, long ago or
// recently, on legal hold, hold released), a purge never touches the files or events of a handoff within
// retention or on hold, and purges every other one whose retention has run out.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import {
  purgeArchives,
  recordRelationshipEnded,
  releaseLegalHold,
  setLegalHold,
} from '../../src/app/governance.ts';
import { openHandoff, submitPacket } from '../../src/app/handoffs.ts';
import { readStream } from '../../src/store/index.ts';
import { createTestPlace } from '../store/dialects.ts';
import { carla, chris, createWorld, dana, otherSows, packetFor, paid, signed } from './app-fixture.ts';

const kinds = ['none', 'within', 'past', 'past-hold', 'past-hold-released', 'within-hold'] as const;
type Kind = (typeof kinds)[number];

it('a purge never touches a handoff within retention or on hold (property, SQLite)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 0, max: 800 }),
      async (mix: Kind[], daysAfter: number) => {
        const place = createTestPlace('sqlite');
        try {
          const world = await createWorld(place);
          const sows = ['SOW-2026-014', ...otherSows].slice(0, mix.length);
          for (const sow of sows) {
            world.setNow('2026-05-14T13:00:00Z');
            await openHandoff(world.baton, carla, { sow, sowSigned: signed, paymentConfirmed: paid });
            world.setNow('2026-05-14T14:00:00Z');
            await submitPacket(world.baton, carla, sow, { text: packetFor(sow) });
          }
          // Ends recorded on 2026-06-01 ("past") or on the judging day's eve ("within").
          const judged = Temporal.PlainDate.from('2028-06-01').add({ days: daysAfter });
          world.setNow('2026-06-02T14:00:00Z');
          for (const [i, kind] of mix.entries()) {
            const sow = sows[i] as string;
            if (kind.startsWith('past')) await recordRelationshipEnded(world.baton, chris, sow, '2026-06-01');
            if (kind.includes('hold')) await setLegalHold(world.baton, dana, sow, 'litigation');
            if (kind === 'past-hold-released') await releaseLegalHold(world.baton, dana, sow);
          }
          world.setNow(`${judged.subtract({ days: 1 })}T18:00:00Z`);
          for (const [i, kind] of mix.entries())
            if (kind.startsWith('within'))
              await recordRelationshipEnded(
                world.baton,
                chris,
                sows[i] as string,
                judged.subtract({ days: 1 }).toString(),
              );
          world.setNow(`${judged}T18:00:00Z`);
          const filesBefore = world.snapshot();
          const eventsBefore = await Promise.all(sows.map((s) => readStream(world.baton.store.db, s)));
          const report = await purgeArchives(world.baton, chris);
          const filesAfter = world.snapshot();
          for (const [i, kind] of mix.entries()) {
            const sow = sows[i] as string;
            // Past retention: ended 2026-06-01, kept through 2028-06-01; judged on 2028-06-01 or later.
            const due = (kind === 'past' || kind === 'past-hold-released') && daysAfter > 0;
            const mine = (f: string) => f.startsWith('operations/') && f.includes(sow);
            assert.equal(report.purged.includes(sow), due, `${sow} ${kind} +${daysAfter}d`);
            if (due) {
              assert.deepEqual(Object.keys(filesAfter).filter(mine), []);
              continue;
            }
            const kept = Object.keys(filesBefore).filter(mine);
            assert.ok(kept.length >= 4, 'packet, frozen copy, report, archived report');
            for (const f of kept) assert.equal(filesAfter[f], filesBefore[f], `${sow} ${kind}: ${f}`);
            assert.deepEqual(
              await readStream(world.baton.store.db, sow),
              eventsBefore[i],
              `${sow} ${kind}: events`,
            );
          }
        } finally {
          await place.cleanup();
        }
      },
    ),
    { numRuns: 12 },
  );
});
