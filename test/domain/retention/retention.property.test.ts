// Property: no purge ever touches a handoff within retention or on legal hold. Random histories of
// relationship ends (and corrections), holds and releases, judged at random instants, against a model
// of the rule written here independently of the code under test.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { purgePlan } from '../../../src/domain/retention/index.ts';
import {
  decide,
  type GovernanceCommand,
  type HandoffEvent,
  replay,
  WorkflowInputError,
  WorkflowRefusal,
} from '../../../src/domain/workflow/index.ts';
import { acknowledged, chris, ctx, dana } from '../workflow/workflow-fixture.ts';

const ZONE = 'America/New_York';
const YEARS = 2;
const base = Temporal.Instant.from('2026-07-08T14:00:00Z');

type Step = { kind: 'end'; daysAfterSow: number } | { kind: 'hold' } | { kind: 'release' };

const stepArb: fc.Arbitrary<{ step: Step; hoursLater: number }> = fc.record({
  step: fc.oneof(
    fc.record({ kind: fc.constant('end' as const), daysAfterSow: fc.integer({ min: 0, max: 1200 }) }),
    fc.constant({ kind: 'hold' as const }),
    fc.constant({ kind: 'release' as const }),
  ),
  hoursLater: fc.integer({ min: 1, max: 24 * 400 }),
});

interface Model {
  endedOn: Temporal.PlainDate | null;
  onHold: boolean;
}

/** Runs the steps through decide, as the app would; refused or invalid ones change nothing. */
function run(steps: { step: Step; hoursLater: number }[]): {
  events: HandoffEvent[];
  model: Model;
  at: Temporal.Instant;
} {
  const events = acknowledged();
  const model: Model = { endedOn: null, onHold: false };
  let at = base;
  for (const { step, hoursLater } of steps) {
    at = at.add({ hours: hoursLater });
    const today = at.toZonedDateTimeISO(ZONE).toPlainDate();
    const endedOn =
      step.kind === 'end' ? Temporal.PlainDate.from('2026-06-30').add({ days: step.daysAfterSow }) : null;
    const command: GovernanceCommand =
      step.kind === 'end'
        ? { type: 'endRelationship', endedOn: String(endedOn) }
        : step.kind === 'hold'
          ? { type: 'setLegalHold', reason: 'litigation' }
          : { type: 'releaseLegalHold' };
    try {
      events.push(
        ...decide(command, replay(events), ctx(step.kind === 'hold' ? chris : dana, at.toString())),
      );
    } catch (e) {
      if (e instanceof WorkflowRefusal || e instanceof WorkflowInputError) continue;
      throw e;
    }
    if (step.kind === 'end' && endedOn && Temporal.PlainDate.compare(endedOn, today) <= 0)
      model.endedOn = endedOn;
    if (step.kind === 'hold') model.onHold = true;
    if (step.kind === 'release') model.onHold = false;
  }
  return { events, model, at };
}

/** The rule, independently: ended, not on hold, and today is after the end plus two years. */
function mayPurge(model: Model, now: Temporal.Instant): boolean {
  if (!model.endedOn || model.onHold) return false;
  const lastKept = model.endedOn.add({ years: YEARS });
  return Temporal.PlainDate.compare(now.toZonedDateTimeISO(ZONE).toPlainDate(), lastKept) > 0;
}

describe('retention (property)', () => {
  it('decide purges exactly the handoffs past retention and not on hold', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 8 }),
        fc.integer({ min: 0, max: 24 * 365 * 5 }),
        (steps, wait) => {
          const { events, model, at } = run(steps);
          const now = at.add({ hours: wait });
          const state = replay(events);
          let purged: HandoffEvent[] | null = null;
          try {
            purged = decide({ type: 'purge', files: [] }, state, ctx(chris, now.toString()));
          } catch (e) {
            assert.ok(e instanceof WorkflowRefusal, String(e));
            assert.ok(['legal-hold', 'relationship-not-ended', 'within-retention'].includes(e.rule), e.rule);
          }
          assert.equal(purged !== null, mayPurge(model, now), `model ${JSON.stringify(model)} at ${now}`);
          if (purged)
            assert.deepEqual(
              purged.map((e) => e.type),
              ['PersonalDataPurged'],
            );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the purge plan marks due only handoffs past retention and not on hold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(stepArb, { maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 24 * 365 * 5 }),
        (handoffs, wait) => {
          const runs = handoffs.map((steps, i) => {
            const r = run(steps);
            const sow = `SOW-2026-${String(100 + i)}`;
            return { ...r, state: { ...replay(r.events), sow } };
          });
          const now = runs
            .reduce((latest, r) => (Temporal.Instant.compare(r.at, latest) > 0 ? r.at : latest), base)
            .add({ hours: wait });
          const today = now.toZonedDateTimeISO(ZONE).toPlainDate().toString();
          const plan = purgePlan(
            runs.map((r) => r.state),
            today,
            YEARS,
          );
          for (const row of plan) {
            const r = runs.find((x) => x.state.sow === row.sow);
            assert.ok(r);
            assert.equal(row.status === 'due', mayPurge(r.model, now), `${row.sow}: ${row.status}`);
            if (r.model.onHold) assert.equal(row.status, 'on-hold');
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
