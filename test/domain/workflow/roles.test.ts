import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActorRef, HandoffCommand, HandoffEvent } from '../../../src/domain/workflow/index.ts';
import { commandRoles, roles } from '../../../src/domain/workflow/index.ts';
import {
  ack,
  acknowledged,
  actor,
  approveDeviation,
  attest,
  cam,
  carla,
  casey,
  chris,
  dana,
  flag,
  gate,
  given,
  history,
  intro,
  open,
  opened,
  openPending,
  payment,
  reject,
  resolve,
  SOW,
  sam,
  schedule,
  submit,
  submitted,
  sweep,
  system,
  T,
} from './workflow-fixture.ts';

const cast: ActorRef[] = [carla, sam, casey, chris, dana, system];
const later = '2026-07-07T19:00:00Z';

/** For each command: a history in which it is allowed for its roles, and the command. */
const cases: {
  name: string;
  past: () => HandoffEvent[];
  command: () => HandoffCommand;
  allowed: string[];
}[] = [
  { name: 'open', past: () => [], command: () => open(), allowed: ['cro', 'sales.ops'] },
  {
    name: 'recordPayment',
    past: () => history([openPending(), carla, T.open]),
    command: () => payment('received', '2026-07-02T18:00:00Z'),
    allowed: ['cro', 'sales.ops'],
  },
  { name: 'submit', past: opened, command: () => submit(), allowed: ['cro', 'sales.ops'] },
  {
    name: 'attest',
    past: () => submitted(gate({ 'crm-item-exists': 'review' })),
    command: () =>
      attest('crm-item-exists', 'checked on monday.com by hand', gate({ 'crm-item-exists': 'review' })),
    allowed: ['customer.success'],
  },
  { name: 'acknowledge', past: () => submitted(), command: () => ack(), allowed: ['customer.success'] },
  {
    name: 'reject',
    past: () => submitted(),
    command: () => reject([], 'the champion left the company'),
    allowed: ['customer.success'],
  },
  {
    name: 'schedule',
    past: acknowledged,
    command: () => schedule(T.discovery),
    allowed: ['customer.success'],
  },
  { name: 'introduce', past: opened, command: intro, allowed: ['cro'] },
  { name: 'approveDeviation', past: opened, command: () => approveDeviation(), allowed: ['ceo'] },
  { name: 'flag', past: opened, command: () => flag(), allowed: ['chief.staff'] },
  {
    name: 'sweep',
    past: opened,
    command: sweep,
    allowed: ['cro', 'sales.ops', 'customer.success', 'chief.staff', 'ceo', 'system'],
  },
];

describe('roles per command', () => {
  it('the table of roles is the one of handoff-rules.md', () => {
    assert.deepEqual(commandRoles.open, ['cro', 'sales.ops']);
    assert.deepEqual(commandRoles.recordPayment, ['cro', 'sales.ops']);
    assert.deepEqual(commandRoles.submit, ['cro', 'sales.ops']);
    for (const c of ['attest', 'acknowledge', 'reject', 'schedule'] as const)
      assert.deepEqual(commandRoles[c], ['customer.success']);
    assert.deepEqual(commandRoles.introduce, ['cro']);
    assert.deepEqual(commandRoles.approveDeviation, ['ceo']);
    assert.deepEqual(commandRoles.flag, ['chief.staff']);
    assert.deepEqual([...commandRoles.sweep].sort(), [...roles, 'system'].sort());
  });

  for (const c of cases) {
    describe(c.name, () => {
      for (const who of cast) {
        const may = c.allowed.includes(who.role);
        it(`${may ? 'allowed' : 'refused'} for ${who.role}`, () => {
          const when = given(...c.past()).when(c.command(), who, later);
          if (may) {
            const events = when.events();
            // A sweep with nothing due decides nothing; the others always record something.
            if (c.name !== 'sweep') assert.ok(events.length > 0);
          } else {
            // The cro is refused the review commands by separation of duties, before the role table.
            const rule =
              who.role === 'cro' && ['attest', 'acknowledge', 'reject'].includes(c.name)
                ? 'separation-of-duties'
                : 'role-not-allowed';
            const refusal = when.thenRefused(rule);
            assert.ok(Array.isArray(refusal.allowed));
          }
        });
      }
    });
  }

  it('resolve is open to every person role but never to system', () => {
    const past = history([open(), carla, T.open], [flag(), chris, T.open]);
    given(...past)
      .when(resolve(`ESC-${SOW}-1`), system, later)
      .thenRefused('role-not-allowed');
    given(...past)
      .when(resolve(`ESC-${SOW}-1`), chris, later)
      .thenEvents({ type: 'EscalationResolved', data: { id: `ESC-${SOW}-1`, note: 'handled' } });
  });

  it('a refusal by role says what the actor may do instead', () => {
    const refusal = given(...opened())
      .when(flag(), carla, later)
      .thenRefused('role-not-allowed');
    assert.deepEqual(refusal.allowed, ['payment', 'submit', 'intro', 'sweep']);
    assert.match(refusal.message, /cro may not flag; only chief\.staff may/);
  });

  it('commands other than open are refused before the handoff is opened', () => {
    given().when(submit(), carla, T.open).thenRefused('not-open');
    given().when(sweep(), system, T.open).thenRefused('not-open');
    given().when(flag(), chris, T.open).thenRefused('not-open');
  });

  it('open is refused on an open handoff', () => {
    given(...opened())
      .when(open(), sam, later)
      .thenRefused('already-open');
  });
});

describe('sales.ops acts on the CRO’s behalf, recorded as such', () => {
  it('open is recorded with onBehalfOf cro, and so is the opener', () => {
    const when = given().when(open(), sam, T.open);
    when.thenEvents(
      { type: 'HandoffOpened', actor: { role: 'sales.ops', name: 'Sam Ortiz', onBehalfOf: 'cro' } },
      { type: 'ClockStarted', actor: { onBehalfOf: 'cro' } },
      { type: 'ClockStarted', actor: { onBehalfOf: 'cro' } },
    );
    assert.equal(when.thenState().openedBy?.onBehalfOf, 'cro');
  });

  it('recordPayment and submit are recorded with onBehalfOf cro', () => {
    given(...history([openPending(), carla, T.open]))
      .when(payment('processing', '2026-07-02T15:30:00Z'), sam, T.open)
      .thenEvents(
        { type: 'PaymentRecorded', actor: { name: 'Sam Ortiz', onBehalfOf: 'cro' } },
        { type: 'ClockStarted', data: { clock: 'packetDue' }, actor: { onBehalfOf: 'cro' } },
      );
    const when = given(...opened()).when(submit(), sam, T.submit1);
    const [submittedEvent] = when.events();
    assert.equal(submittedEvent?.type, 'PacketSubmitted');
    assert.deepEqual(submittedEvent?.actor, {
      role: 'sales.ops',
      name: 'Sam Ortiz',
      via: 'cli',
      onBehalfOf: 'cro',
    });
    assert.equal(when.thenState().submissions[0]?.by.onBehalfOf, 'cro');
  });

  it('the cro acting in person is not marked as acting for anyone', () => {
    const [event] = given().when(open(), carla, T.open).events();
    assert.equal(event?.actor.onBehalfOf, undefined);
  });

  it('other people’s commands are not marked either', () => {
    const [event] = given(...history([open(), sam, T.open]))
      .when(flag(), chris, T.open)
      .events();
    assert.equal(event?.actor.onBehalfOf, undefined);
  });
});

describe('separation of duties', () => {
  const reviews: [string, () => HandoffCommand][] = [
    ['ack', () => ack()],
    ['reject', () => reject([], 'not good enough')],
    [
      'attest',
      () => attest('crm-item-exists', 'looked it up by hand', gate({ 'crm-item-exists': 'review' })),
    ],
  ];
  const reviewGate = gate({ 'crm-item-exists': 'review' });

  for (const [name, command] of reviews) {
    it(`the submitter may not ${name}, even acting as customer.success`, () => {
      const past = history([open(), carla, T.open], [submit(reviewGate), sam, T.submit1]);
      const refusal = given(...past)
        .when(command(), actor('customer.success', 'Sam Ortiz'), T.reject1)
        .thenRefused('separation-of-duties');
      assert.match(refusal.message, /Sam Ortiz sold or submitted SOW-2026-031/);
      assert.deepEqual(refusal.allowed, ['sweep']);
    });

    it(`any cro may not ${name}, submitter or not`, () => {
      const past = history([open(), sam, T.open], [submit(reviewGate), sam, T.submit1]);
      for (const who of [carla, actor('cro', 'Another Cro')]) {
        const refusal = given(...past)
          .when(command(), who, T.reject1)
          .thenRefused('separation-of-duties');
        assert.deepEqual(refusal.allowed, ['payment', 'intro', 'sweep']);
      }
    });

    it(`another customer.success member may ${name}`, () => {
      const past = history([open(), carla, T.open], [submit(reviewGate), sam, T.submit1]);
      const events = given(...past)
        .when(
          name === 'ack' ? ack(reviewGate, [{ check: 'crm-item-exists', reason: 'ok' }]) : command(),
          cam,
          T.reject1,
        )
        .events();
      assert.ok(events.length > 0);
    });
  }

  it('whoever submitted any earlier version stays barred', () => {
    const past = history(
      [open(), carla, T.open],
      [submit(gate({ 'contacts-complete': 'fail' })), sam, T.submit1],
      [reject(), casey, T.reject1],
      [submit(), carla, T.submit2],
    );
    given(...past)
      .when(ack(), actor('customer.success', 'Sam Ortiz'), T.ack)
      .thenRefused('separation-of-duties');
    given(...past)
      .when(ack(), casey, T.ack)
      .thenEvents(
        { type: 'PacketAcknowledged', actor: { name: 'Casey Lin' } },
        { type: 'ClockMet', data: { clock: 'ackDue', seq: 2 } },
        { type: 'ClockStarted', data: { clock: 'kickoffDue' } },
      );
  });

  it('the submitter’s name is matched without regard to case or surrounding spaces', () => {
    const past = history([open(), carla, T.open], [submit(), sam, T.submit1]);
    for (const name of ['sam ortiz', ' Sam Ortiz ', 'SAM ORTIZ'])
      given(...past)
        .when(ack(), actor('customer.success', name), T.ack)
        .thenRefused('separation-of-duties');
  });

  it('a customer.success member who did not submit may review a packet the cro submitted', () => {
    const past = history([open(), sam, T.open], [submit(), carla, T.submit1]);
    given(...past)
      .when(reject([], 'the sponsor is missing'), casey, T.reject1)
      .thenEvents(
        {
          type: 'PacketRejected',
          data: { n: 1, submission: 1, checks: [], reason: 'the sponsor is missing' },
        },
        { type: 'ClockMet', data: { clock: 'ackDue', seq: 1, late: false } },
        { type: 'ClockStarted', data: { clock: 'remediationDue', seq: 1 } },
      );
  });
});
