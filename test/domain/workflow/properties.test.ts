// Property tests: random command sequences by random actors, decided and folded in memory (no store).

import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { type CheckStatus, type GateCheckId, gateCheckIds } from '../../../src/domain/gate/index.ts';
import {
  type ActorRef,
  type ActorRole,
  decide,
  evolve,
  type HandoffCommand,
  type HandoffEvent,
  type HandoffState,
  initialState,
  replay,
  roles,
  WorkflowInputError,
  WorkflowRefusal,
} from '../../../src/domain/workflow/index.ts';
import { ctx, gate, SOW } from './workflow-fixture.ts';

const start = Temporal.Instant.from('2026-07-01T13:00:00Z');

const actorArb: fc.Arbitrary<ActorRef> = fc.record({
  role: fc.constantFrom<ActorRole>(...roles, 'customer.success', 'customer.success', 'system'),
  // 'ANA' is 'Ana' written differently: the same person for separation of duties.
  name: fc.constantFrom('Ana', 'Ben', 'Cleo', 'ANA'),
  via: fc.constant('cli' as const),
});

const statusArb = fc.constantFrom<CheckStatus>('pass', 'pass', 'pass', 'pass', 'pass', 'fail', 'review');
const gateArb = fc
  .array(statusArb, { minLength: gateCheckIds.length, maxLength: gateCheckIds.length })
  .map((statuses) => gate(Object.fromEntries(gateCheckIds.map((id, i) => [id, statuses[i]]))));
/** Mostly a passing gate, so that sequences reach the acknowledgement. */
const mostlyPassingArb = fc.oneof(
  { arbitrary: fc.constant(gate()), weight: 3 },
  { arbitrary: gateArb, weight: 2 },
);
const checkArb = fc.constantFrom<GateCheckId>(...gateCheckIds);
const reasonArb = fc.constantFrom('looked at it by hand', '', ' ok ');
const instantArb = fc.constantFrom(
  null,
  '2026-06-30T15:00:00Z',
  '2026-07-01T03:30:00Z',
  '2026-07-02T11:00:00-04:00',
);
const paymentStatusArb = fc.constantFrom('received' as const, 'processing' as const, 'pending' as const);

/** A command, with the discovery date given as hours after now (resolved when the step runs). */
type Planned = HandoffCommand | { type: 'scheduleIn'; hours: number };

const commandArb: fc.Arbitrary<Planned> = fc.oneof(
  fc.record({
    type: fc.constant('open' as const),
    sow: fc.constant(SOW),
    sowSignedOn: fc.constantFrom('2026-06-26', '2026-06-29', '2026-06-30', '2026-07-01'),
    payment: fc.record({ status: paymentStatusArb, confirmedAt: instantArb }),
  }),
  fc.record({
    type: fc.constant('recordPayment' as const),
    status: paymentStatusArb,
    confirmedAt: instantArb,
  }),
  {
    arbitrary: fc.record({
      type: fc.constant('submit' as const),
      packetPath: fc.constant(`operations/handoffs/assessments/${SOW}-handoff-packet.md`),
      frozenPath: fc.constant(`.baton/frozen/${SOW}.md`),
      sha256: fc.constant('0'.repeat(64)),
      gate: mostlyPassingArb,
    }),
    weight: 3,
  },
  fc.record({ type: fc.constant('attest' as const), check: checkArb, reason: reasonArb, gate: gateArb }),
  {
    arbitrary: fc.record({
      type: fc.constant('acknowledge' as const),
      attestations: fc.oneof(
        { arbitrary: fc.constant<{ check: GateCheckId; reason: string }[]>([]), weight: 3 },
        {
          arbitrary: fc.array(fc.record({ check: checkArb, reason: reasonArb }), { maxLength: 3 }),
          weight: 1,
        },
      ),
      gate: mostlyPassingArb,
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      type: fc.constant('reject' as const),
      checks: fc.subarray([...gateCheckIds], { maxLength: 2 }),
      reason: fc.constantFrom('fix it', ''),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      type: fc.constant('scheduleIn' as const),
      hours: fc.integer({ min: -24, max: 200 }),
    }),
    weight: 2,
  },
  fc.constant<HandoffCommand>({ type: 'introduce', to: [{ role: 'champion', name: 'P', email: 'p@x.io' }] }),
  fc.record({ type: fc.constant('approveDeviation' as const), note: fc.constantFrom('agreed', '') }),
  fc.record({ type: fc.constant('flag' as const), note: fc.constantFrom('look at this', '') }),
  fc.record({
    type: fc.constant('resolve' as const),
    escalationId: fc.integer({ min: 1, max: 6 }).map((n) => `ESC-${SOW}-${n}`),
    note: fc.constantFrom('done', ''),
  }),
  { arbitrary: fc.constant<HandoffCommand>({ type: 'sweep' }), weight: 3 },
);

const stepArb = fc.record({
  command: commandArb,
  actor: actorArb,
  /** Minutes since the previous step: up to three days, so clocks get missed. */
  minutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
});

/** The handoff opens first (most of the time) so that sequences get somewhere. */
const scenarioArb = fc.tuple(
  fc.boolean(),
  fc.constantFrom(...roles.filter((r) => r === 'cro' || r === 'sales.ops')),
  fc.array(stepArb, { minLength: 5, maxLength: 60, size: 'medium' }),
);

interface Step {
  command: Planned;
  actor: ActorRef;
  minutes: number;
}
type Scenario = [opensFirst: boolean, openerRole: ActorRole, steps: Step[]];

const person = (name: string) => name.trim().toLowerCase();

interface Run {
  events: HandoffEvent[];
  states: HandoffState[];
}

/** Runs the steps; refusals and input errors decide nothing, any other error fails the property. */
function run([opensFirst, openerRole, steps]: Scenario): Run {
  let now = start;
  let state = initialState();
  const events: HandoffEvent[] = [];
  const states: HandoffState[] = [state];
  const planned: Step[] = opensFirst
    ? [
        {
          command: {
            type: 'open',
            sow: SOW,
            sowSignedOn: '2026-06-30',
            payment: { status: 'received', confirmedAt: '2026-07-01T12:00:00Z' },
          },
          actor: { role: openerRole, name: 'Ben', via: 'cli' },
          minutes: 0,
        },
        ...steps,
      ]
    : steps;
  for (const step of planned) {
    now = now.add({ minutes: step.minutes });
    const at = now.toString();
    const command: HandoffCommand =
      step.command.type === 'scheduleIn'
        ? { type: 'schedule', discoveryAt: now.add({ hours: step.command.hours }).toString() }
        : step.command;
    const before = JSON.stringify(state);
    let decided: HandoffEvent[] = [];
    try {
      decided = decide(command, state, ctx(step.actor, at));
    } catch (error) {
      if (!(error instanceof WorkflowRefusal || error instanceof WorkflowInputError)) throw error;
    }
    assert.equal(JSON.stringify(state), before, 'decide does not change the state it is given');
    for (const event of decided) {
      assert.equal(event.at, at);
      const next = evolve(state, event);
      states.push(next);
      events.push(event);
      state = next;
    }
  }
  return { events, states };
}

const reached = { acknowledged: 0, scheduled: 0, missed: 0, escalated: 0, runs: 0 };

it('random command sequences keep the workflow invariants', () => {
  fc.assert(
    fc.property(scenarioArb, (scenario) => {
      const { events, states } = run(scenario);
      reached.runs++;

      const missed = new Set<string>();
      const met = new Set<string>();
      const incidents = new Set<string>();
      const resolved = new Set<string>();
      let acknowledgedYet = false;
      events.forEach((event, i) => {
        const before = states[i]!;
        const after = states[i + 1]!;
        // Versions increase by one per event.
        assert.equal(after.version, before.version + 1);
        assert.equal(after.version, i + 1);
        const key = `${event.data.clock}#${event.data.seq}`;
        switch (event.type) {
          case 'PacketAcknowledged': {
            assert.notEqual(event.actor.role, 'cro', 'acknowledged by a cro');
            assert.equal(event.actor.role, 'customer.success');
            const submitters = new Set(before.submissions.map((s) => person(s.by.name)));
            assert.ok(
              !submitters.has(person(event.actor.name)),
              `acknowledged by its submitter ${event.actor.name}`,
            );
            acknowledgedYet = true;
            reached.acknowledged++;
            break;
          }
          case 'PacketRejected':
          case 'ReviewAttested': {
            assert.equal(event.actor.role, 'customer.success');
            const submitters = new Set(before.submissions.map((s) => person(s.by.name)));
            assert.ok(!submitters.has(person(event.actor.name)), `${event.type} by its submitter`);
            break;
          }
          case 'DiscoveryScheduled':
            assert.ok(acknowledgedYet, 'discovery scheduled before any acknowledgement');
            reached.scheduled++;
            break;
          case 'ClockMissed':
            assert.ok(!missed.has(key), `clock ${key} missed twice`);
            missed.add(key);
            reached.missed++;
            break;
          case 'ClockMet':
            assert.ok(!met.has(key), `clock ${key} met twice`);
            met.add(key);
            break;
          case 'IncidentFiled':
            assert.ok(!incidents.has(String(event.data.id)), 'incident ids are unique');
            incidents.add(String(event.data.id));
            break;
          case 'EscalationRaised':
            reached.escalated++;
            break;
          case 'EscalationResolved':
            assert.ok(!resolved.has(String(event.data.id)), 'an escalation is resolved once');
            resolved.add(String(event.data.id));
            break;
        }
      });

      // The gate-failed-twice escalation is raised at most once per handoff.
      assert.ok(
        events.filter((e) => e.type === 'EscalationRaised' && e.data.kind === 'gate-failed-twice').length <=
          1,
      );
      // Replaying everything gives the state folded step by step.
      assert.deepEqual(replay(events), states.at(-1));
    }),
    { numRuns: 300 },
  );
  // The generator is only useful if sequences get far enough.
  assert.ok(reached.acknowledged > 0, `no run acknowledged a packet (${JSON.stringify(reached)})`);
  assert.ok(reached.scheduled > 0, `no run scheduled a discovery (${JSON.stringify(reached)})`);
  assert.ok(reached.missed > 0 && reached.escalated > 0, JSON.stringify(reached));
});

it('a sweep at the same instant right after a sweep decides nothing', () => {
  fc.assert(
    fc.property(scenarioArb, (scenario) => {
      const { events } = run(scenario);
      const state = replay(events);
      if (state.state === null) return;
      const at = events.at(-1)?.at ?? start.toString();
      const later = Temporal.Instant.from(at)
        .add({ hours: 24 * 30 })
        .toString();
      const sweeper: ActorRef = { role: 'system', name: 'baton', via: 'system' };
      const first = decide({ type: 'sweep' }, state, ctx(sweeper, later));
      const again = decide({ type: 'sweep' }, replay([...events, ...first]), ctx(sweeper, later));
      assert.deepEqual(again, []);
    }),
    { numRuns: 100 },
  );
});
