import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escalationPolicies } from '../../../src/domain/escalation/index.ts';
import type { HandoffEvent } from '../../../src/domain/workflow/index.ts';
import { replay } from '../../../src/domain/workflow/index.ts';
import {
  ack,
  actor,
  approveDeviation,
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
  submit,
  system,
  T,
  typesOf,
} from './workflow-fixture.ts';

const contactsFail = () => gate({ 'contacts-complete': 'fail' });
const esc = (n: number) => `ESC-${SOW}-${n}`;

/** Open, then submit a failing packet and reject it, `times` times (one business day apart). */
function rejectedTimes(times: number): HandoffEvent[] {
  const days = ['2026-07-06', '2026-07-07', '2026-07-08', '2026-07-09'];
  const steps: Parameters<typeof history> = [[open(), carla, T.open]];
  for (let i = 0; i < times; i++) {
    steps.push([submit(contactsFail()), carla, `${days[i]}T14:00:00Z`]);
    steps.push([reject(), casey, `${days[i]}T18:00:00Z`]);
  }
  return history(...steps);
}

const incidentId = `INC-2026-0707-${SOW.toLowerCase()}-gate-failed-twice`;

describe('gate failed twice', () => {
  it('the first rejection raises nothing', () => {
    const state = replay(rejectedTimes(1));
    assert.deepEqual(state.escalations, []);
    assert.deepEqual(state.incidents, []);
  });

  it('the second rejection escalates to chief.staff with a SEV2 incident', () => {
    const past = rejectedTimes(1);
    const resubmitted = [
      ...past,
      ...given(...past)
        .when(submit(contactsFail()), carla, '2026-07-07T14:00:00Z')
        .events(),
    ];
    const when = given(...resubmitted).when(reject(), casey, '2026-07-07T18:00:00Z');
    when.thenEvents(
      { type: 'PacketRejected', data: { n: 2, submission: 2, checks: ['contacts-complete'] } },
      { type: 'ClockMet', data: { clock: 'ackDue', seq: 2 } },
      { type: 'ClockStarted', data: { clock: 'remediationDue', seq: 2 } },
      {
        type: 'EscalationRaised',
        data: {
          id: esc(1),
          kind: 'gate-failed-twice',
          owners: ['chief.staff'],
          informed: ['cro', 'customer.success'],
          due: '2026-07-09T17:00:00-04:00',
          reason: `the gate failed 2 times for ${SOW} (last: contacts-complete)`,
        },
      },
      {
        type: 'IncidentFiled',
        data: {
          id: incidentId,
          severity: 'SEV2',
          escalationId: esc(1),
          path: `operations/incidents/open/${incidentId}.md`,
          title: `${SOW}: the gate failed twice`,
        },
      },
    );
    const state = when.thenState();
    assert.equal(escalationOf(state, 'gate-failed-twice').status, 'open');
    assert.deepEqual(
      state.incidents.map((i) => [i.id, i.status, i.severity, i.filedAt]),
      [[incidentId, 'open', 'SEV2', '2026-07-07T18:00:00Z']],
    );
    assert.match(incidentId, /^INC-\d{4}-\d{4}-sow-2026-031-/);
  });

  it('the incident is dated by the New York day, not the UTC one', () => {
    const past = history(
      [open(), carla, T.open],
      [submit(contactsFail()), carla, T.submit1],
      [reject(), casey, T.reject1],
      [submit(contactsFail()), carla, T.submit2],
    );
    // Tuesday 07-07 22:30 in New York is already 07-08 in UTC.
    const events = given(...past)
      .when(reject(), casey, '2026-07-08T02:30:00Z')
      .events();
    const filed = events.find((e) => e.type === 'IncidentFiled');
    assert.equal(filed?.data.id, incidentId);
  });

  it('a third rejection does not raise it again, open or resolved', () => {
    const twice = rejectedTimes(2);
    const third = [
      ...twice,
      ...given(...twice)
        .when(submit(contactsFail()), carla, '2026-07-08T14:00:00Z')
        .events(),
    ];
    given(...third)
      .when(reject(), casey, '2026-07-08T18:00:00Z')
      .thenEvents({ type: 'PacketRejected', data: { n: 3 } }, { type: 'ClockMet' }, { type: 'ClockStarted' });

    const resolved = [
      ...twice,
      ...given(...twice)
        .when(resolve(esc(1), 'coached the seller'), chris, '2026-07-08T13:00:00Z')
        .events(),
    ];
    const again = [
      ...resolved,
      ...given(...resolved)
        .when(submit(contactsFail()), carla, '2026-07-08T14:00:00Z')
        .events(),
    ];
    assert.ok(
      !typesOf(
        given(...again)
          .when(reject(), casey, '2026-07-08T18:00:00Z')
          .events(),
      ).includes('EscalationRaised'),
    );
  });

  it('resolving it closes its incident: the path moves to closed/', () => {
    const twice = rejectedTimes(2);
    const when = given(...twice).when(resolve(esc(1), ' coached the seller '), chris, '2026-07-08T13:00:00Z');
    when.thenEvents(
      { type: 'EscalationResolved', data: { id: esc(1), note: 'coached the seller' } },
      {
        type: 'IncidentClosed',
        data: {
          id: incidentId,
          path: `operations/incidents/closed/${incidentId}.md`,
          note: 'coached the seller',
        },
        actor: { name: 'Chris Moss' },
      },
    );
    const state = when.thenState();
    const escalation = escalationOf(state, 'gate-failed-twice');
    assert.equal(escalation.status, 'resolved');
    assert.equal(escalation.resolvedBy, 'Chris Moss');
    assert.equal(escalation.resolvedAt, '2026-07-08T13:00:00Z');
    assert.equal(escalation.resolution, 'coached the seller');
    assert.deepEqual(
      state.incidents.map((i) => [i.status, i.path, i.closedAt]),
      [['closed', `operations/incidents/closed/${incidentId}.md`, '2026-07-08T13:00:00Z']],
    );
  });
});

describe('expectation misaligned', () => {
  const misaligned = () =>
    gate({ 'expectation-alignment': 'fail' }, { 'expectation-alignment': 'the customer expects a retainer' });
  const afterFailure = () => history([open(), carla, T.open], [submit(misaligned()), carla, T.submit1]);

  it('a failure at submission raises it to cro + customer.success and starts misalignmentResolveDue', () => {
    given(...opened())
      .when(submit(misaligned()), carla, T.submit1)
      .thenEvents(
        { type: 'PacketSubmitted' },
        { type: 'ClockMet', data: { clock: 'packetDue' } },
        { type: 'ClockStarted', data: { clock: 'ackDue' } },
        {
          type: 'ClockStarted',
          data: {
            clock: 'misalignmentResolveDue',
            seq: 1,
            startedAt: T.submit1,
            due: '2026-07-07T17:00:00-04:00',
          },
        },
        {
          type: 'EscalationRaised',
          data: {
            id: esc(1),
            kind: 'expectation-misaligned',
            owners: ['cro', 'customer.success'],
            informed: [],
            due: '2026-07-07T17:00:00-04:00',
            reason: 'submission 1: expectation-alignment failed on Some field',
          },
          // The finding quotes the packet: it is personal data, purgeable, not in the hashed reason.
          personal: {
            findings: [{ field: 'Some field', line: 7, message: 'the customer expects a retainer' }],
          },
        },
      );
  });

  it('a passing later submission resolves it (by the system) and meets the clock', () => {
    const rejected = [
      ...afterFailure(),
      ...given(...afterFailure())
        .when(reject(), casey, T.reject1)
        .events(),
    ];
    const when = given(...rejected).when(submit(), carla, T.submit2);
    when.thenEvents(
      { type: 'PacketSubmitted', data: { n: 2 } },
      { type: 'ClockMet', data: { clock: 'remediationDue' } },
      { type: 'ClockStarted', data: { clock: 'ackDue', seq: 2 } },
      {
        type: 'EscalationResolved',
        data: { id: esc(1), note: 'expectation-alignment passes in submission 2' },
        actor: system,
      },
      { type: 'ClockMet', data: { clock: 'misalignmentResolveDue', seq: 1, late: false } },
    );
    const state = when.thenState();
    assert.equal(escalationOf(state, 'expectation-misaligned').status, 'resolved');
    assert.equal(clockOf(state, 'misalignmentResolveDue').status, 'met');
  });

  it('met late when the passing version comes after the deadline', () => {
    const rejected = [
      ...afterFailure(),
      ...given(...afterFailure())
        .when(reject(), casey, T.reject1)
        .events(),
    ];
    const events = given(...rejected)
      .when(submit(), carla, '2026-07-08T13:00:00Z')
      .events();
    assert.deepEqual(events.at(-1)?.data, { clock: 'misalignmentResolveDue', seq: 1, late: true });
  });

  it('a review (not a pass) of the later version leaves it open', () => {
    const rejected = [
      ...afterFailure(),
      ...given(...afterFailure())
        .when(reject(), casey, T.reject1)
        .events(),
    ];
    const events = given(...rejected)
      .when(submit(gate({ 'expectation-alignment': 'review' })), carla, T.submit2)
      .events();
    assert.deepEqual(typesOf(events), ['PacketSubmitted', 'ClockMet', 'ClockStarted']);
  });

  it('failing again while open raises nothing new; after a manual resolution it raises a new one', () => {
    const rejected = [
      ...afterFailure(),
      ...given(...afterFailure())
        .when(reject(), casey, T.reject1)
        .events(),
    ];
    assert.deepEqual(
      typesOf(
        given(...rejected)
          .when(submit(misaligned()), carla, T.submit2)
          .events(),
      ),
      ['PacketSubmitted', 'ClockMet', 'ClockStarted'],
    );
    const resolved = [
      ...rejected,
      ...given(...rejected)
        .when(resolve(esc(1), 'the customer agreed to the standard scope'), carla, T.reject1)
        .thenEvents(
          { type: 'EscalationResolved', data: { id: esc(1) }, actor: { name: 'Carla Reyes' } },
          { type: 'ClockMet', data: { clock: 'misalignmentResolveDue', seq: 1, late: false } },
        ),
    ];
    given(...resolved)
      .when(submit(misaligned()), carla, T.submit2)
      .thenEvents(
        { type: 'PacketSubmitted' },
        { type: 'ClockMet' },
        { type: 'ClockStarted', data: { clock: 'ackDue', seq: 2 } },
        {
          type: 'ClockStarted',
          data: { clock: 'misalignmentResolveDue', seq: 2, due: '2026-07-08T17:00:00-04:00' },
        },
        { type: 'EscalationRaised', data: { id: esc(2), kind: 'expectation-misaligned' } },
      );
  });

  it('its owners and chief.staff may resolve it; sales.ops and the ceo may not', () => {
    for (const who of [carla, casey, chris])
      given(...afterFailure())
        .when(resolve(esc(1)), who, T.reject1)
        .events();
    for (const who of [sam, dana])
      given(...afterFailure())
        .when(resolve(esc(1)), who, T.reject1)
        .thenRefused('role-not-allowed');
  });
});

describe('timeline unachievable', () => {
  const late = () =>
    gate({ 'timeline-alignment': 'fail' }, { 'timeline-alignment': 'readout promised in 3 days' });

  it('a timeline failure raises it to cro + customer.success, chief.staff informed', () => {
    given(...opened())
      .when(submit(late()), carla, T.submit1)
      .thenEvents(
        { type: 'PacketSubmitted' },
        { type: 'ClockMet' },
        { type: 'ClockStarted' },
        {
          type: 'EscalationRaised',
          data: {
            id: esc(1),
            kind: 'timeline-unachievable',
            owners: ['cro', 'customer.success'],
            informed: ['chief.staff'],
            // Two business days (the playbook's escalation window) from Monday 07-06.
            due: '2026-07-08T17:00:00-04:00',
            reason: 'submission 1: timeline-alignment failed on Some field',
          },
        },
      );
  });

  it('a later review of the timeline leaves it open until the acknowledgement, which resolves it', () => {
    const review = gate({ 'timeline-alignment': 'review' });
    const past = history(
      [open(), carla, T.open],
      [submit(late()), carla, T.submit1],
      [reject(), casey, T.reject1],
      [submit(review), carla, T.submit2],
    );
    assert.equal(escalationOf(replay(past), 'timeline-unachievable').status, 'open');
    given(...past)
      .when(
        ack(review, [{ check: 'timeline-alignment', reason: 'customer agreed a new date' }]),
        casey,
        T.ack,
      )
      .thenEvents(
        { type: 'ReviewAttested' },
        { type: 'PacketAcknowledged' },
        { type: 'ClockMet', data: { clock: 'ackDue' } },
        { type: 'ClockStarted', data: { clock: 'kickoffDue' } },
        {
          type: 'EscalationResolved',
          data: { id: esc(1), note: 'the gate passed on submission 2' },
          actor: system,
        },
      );
  });

  it('resolvers: cro, customer.success, chief.staff', () => {
    const past = history([open(), carla, T.open], [submit(late()), carla, T.submit1]);
    for (const who of [carla, casey, chris])
      given(...past)
        .when(resolve(esc(1)), who, T.reject1)
        .thenEvents({ type: 'EscalationResolved' });
    for (const who of [sam, dana])
      given(...past)
        .when(resolve(esc(1)), who, T.reject1)
        .thenRefused('role-not-allowed');
  });
});

describe('scope deviation', () => {
  const deviation = () =>
    gate({ 'scope-alignment': 'fail' }, { 'scope-alignment': 'a scope deviation is stated (four modules)' });
  const past = () => history([open(), carla, T.open], [submit(deviation()), carla, T.submit1]);

  it('a scope failure escalates to the ceo', () => {
    const events = given(...opened())
      .when(submit(deviation()), carla, T.submit1)
      .events();
    const raised = events.find((e) => e.type === 'EscalationRaised');
    assert.deepEqual(
      [raised?.data.kind, raised?.data.owners, raised?.data.informed],
      ['scope-deviation', ['ceo'], ['cro', 'chief.staff']],
    );
    assert.ok(!typesOf(events).includes('IncidentFiled'));
  });

  it('approveDeviation by the ceo records the approval and resolves it', () => {
    const when = given(...past()).when(approveDeviation(' four modules, agreed '), dana, T.reject1);
    when.thenEvents(
      { type: 'DeviationApproved', data: { note: 'four modules, agreed' } },
      {
        type: 'EscalationResolved',
        data: { id: esc(1), note: 'approved by the CEO: four modules, agreed' },
        actor: { role: 'ceo', name: 'Dana Park' },
      },
    );
    const state = when.thenState();
    assert.deepEqual(state.ceoApprovals, [{ at: T.reject1, by: 'Dana Park', note: 'four modules, agreed' }]);
    assert.equal(escalationOf(state, 'scope-deviation').status, 'resolved');
  });

  it('approveDeviation without an open deviation is only recorded', () => {
    given(...opened())
      .when(approveDeviation(), dana, T.reject1)
      .thenEvents({ type: 'DeviationApproved' });
  });

  it('only the ceo may resolve it', () => {
    for (const who of [carla, sam, casey, chris])
      given(...past())
        .when(resolve(esc(1)), who, T.reject1)
        .thenRefused('role-not-allowed');
    given(...past())
      .when(resolve(esc(1), 'approved'), dana, T.reject1)
      .thenEvents({ type: 'EscalationResolved' });
  });

  it('a later version that passes scope resolves it by itself', () => {
    const rejected = [
      ...past(),
      ...given(...past())
        .when(reject(), casey, T.reject1)
        .events(),
    ];
    const events = given(...rejected)
      .when(submit(), carla, T.submit2)
      .events();
    assert.deepEqual(typesOf(events), ['PacketSubmitted', 'ClockMet', 'ClockStarted', 'EscalationResolved']);
    assert.equal(events.at(-1)?.actor.role, 'system');
  });
});

describe('resolve', () => {
  const resolverRoles = (kind: keyof typeof escalationPolicies) => {
    const policy = escalationPolicies[kind];
    return [...policy.owners, ...policy.resolvers].sort();
  };

  it('who may resolve each kind', () => {
    assert.deepEqual(resolverRoles('gate-failed-twice'), ['ceo', 'chief.staff']);
    assert.deepEqual(resolverRoles('expectation-misaligned'), ['chief.staff', 'cro', 'customer.success']);
    assert.deepEqual(resolverRoles('misalignment-mediation'), ['chief.staff']);
    assert.deepEqual(resolverRoles('timeline-unachievable'), ['chief.staff', 'cro', 'customer.success']);
    assert.deepEqual(resolverRoles('scope-deviation'), ['ceo']);
    assert.deepEqual(resolverRoles('discovery-not-scheduled'), ['chief.staff', 'cro', 'customer.success']);
    assert.deepEqual(resolverRoles('quality-concern'), ['chief.staff']);
  });

  it('gate-failed-twice: chief.staff or the ceo; not the seller nor customer.success', () => {
    const twice = rejectedTimes(2);
    for (const who of [carla, sam, casey, actor('customer.success', 'Cam Diallo')])
      given(...twice)
        .when(resolve(esc(1)), who, '2026-07-08T13:00:00Z')
        .thenRefused('role-not-allowed');
    given(...twice)
      .when(resolve(esc(1)), dana, '2026-07-08T13:00:00Z')
      .thenEvents({ type: 'EscalationResolved' }, { type: 'IncidentClosed' });
  });

  it('a resolved escalation cannot be resolved again', () => {
    const past = history(
      [open(), carla, T.open],
      [flag('one'), chris, T.open],
      [flag('two'), chris, T.open],
      [resolve(esc(1)), chris, T.submit1],
    );
    given(...past)
      .when(resolve(esc(1)), chris, T.submit2)
      .thenRefused('escalation-resolved');
  });

  it('is refused when nothing is open', () => {
    const past = history(
      [open(), carla, T.open],
      [flag('one'), chris, T.open],
      [resolve(esc(1)), chris, T.submit1],
    );
    const refusal = given(...past)
      .when(resolve(esc(1)), chris, T.submit2)
      .thenRefused('no-open-escalation');
    assert.ok(!refusal.allowed.includes('resolve'));
  });
});

describe('flag', () => {
  it('chief.staff flags a quality concern: recorded and escalated to chief.staff', () => {
    const when = given(...opened()).when(flag(' the sponsor looks wrong '), chris, T.submit1);
    when.thenEvents(
      { type: 'QualityFlagged', data: { note: 'the sponsor looks wrong' } },
      {
        type: 'EscalationRaised',
        data: {
          id: esc(1),
          kind: 'quality-concern',
          owners: ['chief.staff'],
          reason: 'the sponsor looks wrong',
        },
      },
    );
    const state = when.thenState();
    assert.deepEqual(state.flags, [{ at: T.submit1, by: 'Chris Moss', note: 'the sponsor looks wrong' }]);
  });

  it('escalation ids count up per handoff', () => {
    const past = history([open(), carla, T.open], [flag('one'), chris, T.open], [flag('two'), chris, T.open]);
    assert.deepEqual(
      replay(past).escalations.map((e) => e.id),
      [esc(1), esc(2)],
    );
  });
});

describe('separation of duties beyond the submitter', () => {
  it('the person who opened the deal as cro cannot acknowledge it under customer.success either', () => {
    // carla opened; sam (sales.ops) submitted; carla then signs in as customer.success.
    const past = history([open(), carla, T.open], [submit(), sam, T.submit1]);
    given(...past)
      .when(ack(), actor('customer.success', 'carla reyes'), T.ack)
      .thenRefused('separation-of-duties');
  });
});

describe('an open scope deviation blocks acknowledgement', () => {
  it('even when the scope check is only review on a later version', () => {
    const past = history(
      [open(), carla, T.open],
      [submit(gate({ 'scope-alignment': 'fail' })), carla, T.submit1],
    );
    assert.equal(escalationOf(replay(past), 'scope-deviation')?.status, 'open');
    given(...past)
      .when(
        ack(gate({ 'scope-alignment': 'review' }), [{ check: 'scope-alignment', reason: 'looks fine' }]),
        casey,
        T.ack,
      )
      .thenRefused('scope-deviation-unapproved');
  });
});
