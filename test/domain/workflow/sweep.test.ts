import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HandoffEvent } from '../../../src/domain/workflow/index.ts';
import { replay } from '../../../src/domain/workflow/index.ts';
import {
  acknowledged,
  carla,
  casey,
  chris,
  clockOf,
  dana,
  escalationOf,
  flag,
  gate,
  given,
  history,
  open,
  opened,
  reject,
  resolve,
  SOW,
  sam,
  schedule,
  scheduled,
  submit,
  sweep,
  system,
  T,
} from './workflow-fixture.ts';

const esc = (n: number) => `ESC-${SOW}-${n}`;
/** Appends the events of a command to a history. */
const append = (past: HandoffEvent[], events: HandoffEvent[]) => [...past, ...events];

describe('sweep: clocks', () => {
  it('nothing is missed at the deadline itself', () => {
    given(...opened())
      .when(sweep(), system, '2026-07-07T21:00:00Z')
      .thenEvents();
  });

  it('a clock past due is missed once; later sweeps add nothing for it', () => {
    const when = given(...opened()).when(sweep(), system, '2026-07-07T21:00:01Z');
    const missed = when.thenEvents({
      type: 'ClockMissed',
      data: { clock: 'packetDue', seq: 1, due: '2026-07-07T17:00:00-04:00' },
      actor: system,
    });
    const state = when.thenState();
    const clock = clockOf(state, 'packetDue');
    assert.deepEqual([clock.status, clock.missedAt, clock.late], ['missed', '2026-07-07T21:00:01Z', true]);

    const past = append(opened(), missed);
    given(...past)
      .when(sweep(), system, '2026-07-07T21:00:01Z')
      .thenEvents();
    given(...past)
      .when(sweep(), chris, '2026-07-08T12:00:00Z')
      .thenEvents();
  });

  it('a missed clock met afterwards is met late and stays missed', () => {
    const past = append(
      opened(),
      given(...opened())
        .when(sweep(), system, '2026-07-08T12:00:00Z')
        .events(),
    );
    const when = given(...past).when(submit(), carla, '2026-07-08T13:00:00Z');
    when.thenEvents(
      { type: 'PacketSubmitted' },
      { type: 'ClockMet', data: { clock: 'packetDue', seq: 1, late: true } },
      { type: 'ClockStarted', data: { clock: 'ackDue' } },
    );
    const clock = clockOf(when.thenState(), 'packetDue');
    assert.deepEqual(
      [clock.status, clock.late, clock.missedAt, clock.metAt],
      ['missed', true, '2026-07-08T12:00:00Z', '2026-07-08T13:00:00Z'],
    );
    // And a later sweep does not miss it again.
    const after = append(past, when.events());
    assert.ok(
      !given(...after)
        .when(sweep(), system, '2026-07-08T14:00:00Z')
        .events()
        .some((e) => e.type === 'ClockMissed' && e.data.clock === 'packetDue'),
    );
  });

  it('ackDue and remediationDue are missed like the others', () => {
    given(...history([open(), carla, T.open], [submit(), carla, T.submit1]))
      .when(sweep(), system, '2026-07-07T21:30:00Z')
      .thenEvents({ type: 'ClockMissed', data: { clock: 'ackDue', seq: 1 } });
    const rejected = history(
      [open(), carla, T.open],
      [submit(gate({ 'required-fields': 'fail' })), carla, T.submit1],
      [reject(), casey, T.reject1],
    );
    given(...rejected)
      .when(sweep(), system, '2026-07-07T21:30:00Z')
      .thenEvents({ type: 'ClockMissed', data: { clock: 'remediationDue', seq: 1 } });
  });

  it('kickoffDue is missed like the others', () => {
    // Acknowledged Tuesday 07-07: kickoff due Thursday 07-09 17:00; discovery was due Wednesday 07-08.
    const events = given(...acknowledged())
      .when(sweep(), system, '2026-07-09T21:00:01Z')
      .events();
    assert.deepEqual(
      events.filter((e) => e.type === 'ClockMissed').map((e) => e.data.clock),
      ['discoveryScheduleDue', 'kickoffDue'],
    );
  });

  it('a fully met handoff has nothing to sweep, ever', () => {
    given(...scheduled())
      .when(sweep(), system, '2027-01-01T00:00:00Z')
      .thenEvents();
  });

  it('anyone may sweep; the actor is recorded', () => {
    for (const who of [carla, sam, casey, chris, dana, system]) {
      const [event] = given(...opened())
        .when(sweep(), who, '2026-07-08T12:00:00Z')
        .events();
      assert.deepEqual(event?.actor, who);
    }
  });
});

describe('sweep: discovery not scheduled', () => {
  const incidentId = `INC-2026-0709-${SOW.toLowerCase()}-discovery-not-scheduled`;

  it('a discoveryScheduleDue miss raises discovery-not-scheduled with a SEV2 incident', () => {
    const when = given(...opened()).when(sweep(), system, '2026-07-09T12:00:00Z');
    when.thenEvents(
      {
        type: 'ClockMissed',
        data: { clock: 'discoveryScheduleDue', seq: 1, due: '2026-07-08T17:00:00-04:00' },
      },
      {
        type: 'EscalationRaised',
        data: {
          id: esc(1),
          kind: 'discovery-not-scheduled',
          owners: ['cro', 'customer.success'],
          informed: ['chief.staff'],
          due: '2026-07-13T17:00:00-04:00',
          reason: 'no discovery session was scheduled by 2026-07-08T17:00:00-04:00',
        },
      },
      {
        type: 'IncidentFiled',
        data: {
          id: incidentId,
          severity: 'SEV2',
          escalationId: esc(1),
          path: `operations/incidents/open/${incidentId}.md`,
        },
      },
      { type: 'ClockMissed', data: { clock: 'packetDue', seq: 1 } },
    );
    const state = when.thenState();
    assert.equal(escalationOf(state, 'discovery-not-scheduled').status, 'open');
    assert.equal(state.incidents.length, 1);
  });

  it('is raised once: later sweeps add nothing but, once, the overdue mark', () => {
    const past = append(
      opened(),
      given(...opened())
        .when(sweep(), system, '2026-07-09T12:00:00Z')
        .events(),
    );
    given(...past)
      .when(sweep(), system, '2026-07-13T21:00:00Z')
      .thenEvents();
    const overdue = given(...past)
      .when(sweep(), system, '2026-07-14T12:00:00Z')
      .thenEvents({ type: 'EscalationOverdue', data: { id: esc(1), due: '2026-07-13T17:00:00-04:00' } });
    const marked = append(past, overdue);
    assert.equal(escalationOf(replay(marked), 'discovery-not-scheduled').overdueAt, '2026-07-14T12:00:00Z');
    given(...marked)
      .when(sweep(), system, '2026-07-20T12:00:00Z')
      .thenEvents();
  });

  it('scheduling late meets the clock late; the owners resolve the escalation, closing the incident', () => {
    const past = history(
      [open(), carla, T.open],
      [sweep(), system, '2026-07-09T12:00:00Z'],
      [submit(), carla, '2026-07-09T13:00:00Z'],
      [{ type: 'acknowledge', attestations: [], gate: gate() }, casey, '2026-07-09T14:00:00Z'],
    );
    const scheduledLate = append(
      past,
      given(...past)
        .when(schedule('2026-07-10T14:00:00Z'), casey, '2026-07-09T15:00:00Z')
        .thenEvents(
          { type: 'DiscoveryScheduled' },
          { type: 'ClockMet', data: { clock: 'kickoffDue', late: false } },
          { type: 'ClockMet', data: { clock: 'discoveryScheduleDue', late: true } },
        ),
    );
    assert.equal(escalationOf(replay(scheduledLate), 'discovery-not-scheduled').status, 'open');
    given(...scheduledLate)
      .when(resolve(esc(1)), dana, '2026-07-09T16:00:00Z')
      .thenRefused('role-not-allowed');
    given(...scheduledLate)
      .when(resolve(esc(1), 'booked for Friday'), casey, '2026-07-09T16:00:00Z')
      .thenEvents(
        { type: 'EscalationResolved', data: { id: esc(1) } },
        {
          type: 'IncidentClosed',
          data: { id: incidentId, path: `operations/incidents/closed/${incidentId}.md` },
        },
      );
  });
});

describe('sweep: misalignment', () => {
  const afterFailure = () =>
    history([open(), carla, T.open], [submit(gate({ 'expectation-alignment': 'fail' })), carla, T.submit1]);

  it('a misalignmentResolveDue miss raises misalignment-mediation to chief.staff, once', () => {
    const when = given(...afterFailure()).when(sweep(), system, '2026-07-07T21:00:01Z');
    const events = when.thenEvents(
      { type: 'ClockMissed', data: { clock: 'ackDue', seq: 1 } },
      { type: 'ClockMissed', data: { clock: 'misalignmentResolveDue', seq: 1 } },
      {
        type: 'EscalationRaised',
        data: {
          id: esc(2),
          kind: 'misalignment-mediation',
          owners: ['chief.staff'],
          informed: ['cro', 'customer.success'],
          due: '2026-07-09T17:00:00-04:00',
        },
      },
      // The expectation-misaligned escalation itself was due with its clock.
      { type: 'EscalationOverdue', data: { id: esc(1), due: '2026-07-07T17:00:00-04:00' } },
    );
    const past = append(afterFailure(), events);
    given(...past)
      .when(sweep(), system, '2026-07-08T12:00:00Z')
      .thenEvents();
    // Mediation is the Chief of Staff's.
    for (const who of [carla, casey, dana])
      given(...past)
        .when(resolve(esc(2)), who, '2026-07-08T12:00:00Z')
        .thenRefused('role-not-allowed');
  });

  it('a passing later version resolves the misalignment and its mediation', () => {
    const past = history(
      [open(), carla, T.open],
      [submit(gate({ 'expectation-alignment': 'fail' })), carla, T.submit1],
      [sweep(), system, '2026-07-07T21:00:01Z'],
      [reject(), casey, '2026-07-07T22:00:00Z'],
    );
    const when = given(...past).when(submit(), carla, '2026-07-08T13:00:00Z');
    when.thenEvents(
      { type: 'PacketSubmitted' },
      { type: 'ClockMet', data: { clock: 'remediationDue', late: false } },
      { type: 'ClockStarted', data: { clock: 'ackDue', seq: 2 } },
      { type: 'EscalationResolved', data: { id: esc(1) }, actor: system },
      { type: 'ClockMet', data: { clock: 'misalignmentResolveDue', seq: 1, late: true } },
      { type: 'EscalationResolved', data: { id: esc(2) }, actor: system },
    );
    const state = when.thenState();
    assert.deepEqual(
      state.escalations.map((e) => [e.kind, e.status]),
      [
        ['expectation-misaligned', 'resolved'],
        ['misalignment-mediation', 'resolved'],
      ],
    );
  });
});

describe('sweep: overdue escalations', () => {
  it('are marked overdue once, and never once resolved', () => {
    // All clocks met; a quality concern flagged Wednesday 07-08 is due Friday 07-10 17:00.
    const past = append(
      scheduled(),
      given(...scheduled())
        .when(flag(), chris, T.schedule)
        .events(),
    );
    given(...past)
      .when(sweep(), system, '2026-07-10T21:00:00Z')
      .thenEvents();
    const marked = given(...past)
      .when(sweep(), system, '2026-07-10T21:00:01Z')
      .thenEvents({ type: 'EscalationOverdue', data: { id: esc(1), due: '2026-07-10T17:00:00-04:00' } });
    given(...append(past, marked))
      .when(sweep(), system, '2026-07-11T21:00:01Z')
      .thenEvents();

    const resolved = append(
      past,
      given(...past)
        .when(resolve(esc(1)), chris, '2026-07-09T12:00:00Z')
        .events(),
    );
    given(...resolved)
      .when(sweep(), system, '2026-07-20T12:00:00Z')
      .thenEvents();
  });
});
