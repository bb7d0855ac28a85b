// Business-day clocks (handoff-rules.md): "within N business days of E" = 17:00 New York on the N-th
// business day after the calendar day of E, US federal holidays off. Every deadline below was worked
// out by hand against the 2026 holiday list and checked with the calendar functions.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import { businessDaysAfter, formatDeadline } from '../../../src/domain/calendar/index.ts';
import {
  type ActorRef,
  type DecideContext,
  decide,
  initialState,
  openClocks,
  replay,
} from '../../../src/domain/workflow/index.ts';
import {
  ack,
  acknowledged,
  calendar,
  carla,
  casey,
  clockOf,
  gate,
  given,
  history,
  open,
  opened,
  playbook,
  reject,
  schedule,
  submit,
  submitted,
  T,
} from './workflow-fixture.ts';

const paidAt = (confirmedAt: string, sowSignedOn = '2026-06-30') =>
  open({ sowSignedOn, payment: { status: 'received', confirmedAt } });

describe('clock deadlines', () => {
  it('the calendar agrees: 2026-07-03 is the observed Independence Day', () => {
    assert.equal(calendar.holidayName(Temporal.PlainDate.from('2026-07-03')), 'Independence Day (observed)');
    assert.equal(
      formatDeadline(businessDaysAfter(Temporal.Instant.from('2026-07-02T15:00:00Z'), 2, calendar)),
      '2026-07-07T17:00:00-04:00',
    );
  });

  it('packetDue: 2 business days after payment, across the holiday and the weekend', () => {
    // Thursday 11:00 → Monday 07-06 (1), Tuesday 07-07 (2).
    given()
      .when(open(), carla, T.open)
      .thenEvents(
        {
          type: 'HandoffOpened',
        },
        {
          type: 'ClockStarted',
          data: {
            clock: 'discoveryScheduleDue',
            seq: 1,
            startedAt: '2026-06-30',
            due: '2026-07-08T17:00:00-04:00',
          },
        },
        {
          type: 'ClockStarted',
          data: {
            clock: 'packetDue',
            seq: 1,
            startedAt: '2026-07-02T15:00:00Z',
            due: '2026-07-07T17:00:00-04:00',
          },
        },
      );
  });

  const packetDueOf = (confirmedAt: string, now = '2026-07-05T12:00:00Z') =>
    clockOf(given().when(paidAt(confirmedAt), carla, now).thenState(), 'packetDue').due;

  it('packetDue counts from the New York calendar day, not the UTC one', () => {
    // 2026-07-03T03:30Z is Thursday 07-02 23:30 in New York.
    assert.equal(packetDueOf('2026-07-03T03:30:00Z'), '2026-07-07T17:00:00-04:00');
    // A payment given with an offset is stored in UTC.
    const state = given()
      .when(paidAt('2026-07-02T23:30:00-04:00'), carla, '2026-07-03T12:00:00Z')
      .thenState();
    assert.equal(state.payment?.confirmedAt, '2026-07-03T03:30:00Z');
  });

  it('packetDue from a holiday or a weekend counts from that day all the same', () => {
    assert.equal(packetDueOf('2026-07-03T14:00:00Z'), '2026-07-07T17:00:00-04:00'); // Friday, holiday
    assert.equal(packetDueOf('2026-07-04T14:00:00Z'), '2026-07-07T17:00:00-04:00'); // Saturday
  });

  it('packetDue in winter (EST), across Martin Luther King Jr. Day', () => {
    // Friday 2026-01-16 → Tuesday 01-20 (1; Monday 01-19 is a holiday), Wednesday 01-21 (2).
    const state = given()
      .when(paidAt('2026-01-16T15:00:00Z', '2026-01-15'), carla, '2026-01-16T16:00:00Z')
      .thenState();
    assert.equal(clockOf(state, 'packetDue').due, '2026-01-21T17:00:00-05:00');
  });

  it('packetDue across the DST change keeps 17:00 local (-04:00 after 2026-03-08)', () => {
    const state = given()
      .when(paidAt('2026-03-06T15:00:00Z', '2026-03-05'), carla, '2026-03-06T16:00:00Z')
      .thenState();
    assert.equal(clockOf(state, 'packetDue').due, '2026-03-10T17:00:00-04:00');
    assert.equal(clockOf(state, 'discoveryScheduleDue').due, '2026-03-12T17:00:00-04:00');
  });

  it('discoveryScheduleDue: 5 business days after the SOW signing date', () => {
    // Tuesday 06-30 → 07-01, 07-02, (07-03 holiday), 07-06, 07-07, 07-08.
    assert.equal(clockOf(replay(opened()), 'discoveryScheduleDue').due, '2026-07-08T17:00:00-04:00');
    // Signed on Saturday 06-27: 06-29, 06-30, 07-01, 07-02, 07-06.
    const state = given().when(paidAt('2026-07-02T15:00:00Z', '2026-06-27'), carla, T.open).thenState();
    assert.equal(clockOf(state, 'discoveryScheduleDue').due, '2026-07-06T17:00:00-04:00');
    assert.equal(clockOf(state, 'discoveryScheduleDue').startedAt, '2026-06-27');
  });

  it('ackDue: 1 business day after each submission', () => {
    const first = clockOf(replay(submitted()), 'ackDue', 1);
    assert.equal(first.startedAt, T.submit1);
    assert.equal(first.due, '2026-07-07T17:00:00-04:00');
    const past = history(
      [open(), carla, T.open],
      [submit(gate({ 'required-fields': 'fail' })), carla, T.submit1],
      [reject(), casey, T.reject1],
      [submit(), carla, T.submit2],
    );
    assert.equal(clockOf(replay(past), 'ackDue', 2).due, '2026-07-08T17:00:00-04:00');
  });

  it('ackDue from a Saturday submission is Monday 17:00', () => {
    const state = given(...opened())
      .when(submit(), carla, '2026-07-04T15:00:00Z')
      .thenState();
    assert.equal(clockOf(state, 'ackDue').due, '2026-07-06T17:00:00-04:00');
  });

  it('ackDue from the day before Thanksgiving is the Friday after it', () => {
    const past = history([
      open({
        sowSignedOn: '2026-11-23',
        payment: { status: 'received', confirmedAt: '2026-11-23T15:00:00Z' },
      }),
      carla,
      '2026-11-23T16:00:00Z',
    ]);
    const state = given(...past)
      .when(submit(), carla, '2026-11-25T15:00:00Z')
      .thenState();
    assert.equal(clockOf(state, 'ackDue').due, '2026-11-27T17:00:00-05:00');
  });

  it('ackDue from New Year’s Eve skips the 2027 New Year holiday', () => {
    const past = history([
      open({
        sowSignedOn: '2026-12-30',
        payment: { status: 'received', confirmedAt: '2026-12-30T15:00:00Z' },
      }),
      carla,
      '2026-12-30T16:00:00Z',
    ]);
    const state = given(...past)
      .when(submit(), carla, '2026-12-31T15:00:00Z')
      .thenState();
    assert.equal(clockOf(state, 'ackDue').due, '2027-01-04T17:00:00-05:00');
  });

  it('remediationDue: 1 business day after each rejection', () => {
    const past = history(
      [open(), carla, T.open],
      [submit(gate({ 'required-fields': 'fail' })), carla, T.submit1],
    );
    given(...past)
      .when(reject(), casey, T.reject1)
      .thenEvents(
        { type: 'PacketRejected' },
        { type: 'ClockMet', data: { clock: 'ackDue', seq: 1, late: false } },
        {
          type: 'ClockStarted',
          data: { clock: 'remediationDue', seq: 1, startedAt: T.reject1, due: '2026-07-07T17:00:00-04:00' },
        },
      );
  });

  it('kickoffDue: 2 business days after acknowledgement', () => {
    given(...submitted())
      .when(ack(), casey, T.ack)
      .thenEvents(
        { type: 'PacketAcknowledged' },
        { type: 'ClockMet', data: { clock: 'ackDue', late: false } },
        { type: 'ClockStarted', data: { clock: 'kickoffDue', seq: 1, due: '2026-07-09T17:00:00-04:00' } },
      );
    // Acknowledged Thursday 07-02: Monday 07-06 (1), Tuesday 07-07 (2).
    const early = history(
      [
        open({ payment: { status: 'received', confirmedAt: '2026-07-01T13:00:00Z' } }),
        carla,
        '2026-07-01T14:00:00Z',
      ],
      [submit(), carla, '2026-07-01T15:00:00Z'],
      [ack(), casey, '2026-07-02T18:00:00Z'],
    );
    assert.equal(clockOf(replay(early), 'kickoffDue').due, '2026-07-07T17:00:00-04:00');
  });

  it('misalignmentResolveDue: 1 business day after an expectation-alignment failure', () => {
    const state = given(...opened())
      .when(submit(gate({ 'expectation-alignment': 'fail' })), carla, T.submit1)
      .thenState();
    const clock = clockOf(state, 'misalignmentResolveDue');
    assert.equal(clock.startedAt, T.submit1);
    assert.equal(clock.due, '2026-07-07T17:00:00-04:00');
  });

  it('every clock of the playbook is one the decider knows', () => {
    assert.deepEqual(
      playbook.clocks.map((c) => [c.id, c.businessDays]),
      [
        ['packetDue', 2],
        ['ackDue', 1],
        ['remediationDue', 1],
        ['kickoffDue', 2],
        ['discoveryScheduleDue', 5],
        ['misalignmentResolveDue', 1],
      ],
    );
  });
});

describe('clocks met by the right events', () => {
  it('the first submission meets packetDue; a resubmission does not start or meet it again', () => {
    const past = history(
      [open(), carla, T.open],
      [submit(gate({ 'required-fields': 'fail' })), carla, T.submit1],
      [reject(), casey, T.reject1],
    );
    given(...past)
      .when(submit(), carla, T.submit2)
      .thenEvents(
        { type: 'PacketSubmitted' },
        { type: 'ClockMet', data: { clock: 'remediationDue', seq: 1, late: false } },
        { type: 'ClockStarted', data: { clock: 'ackDue', seq: 2 } },
      );
    const state = replay(past);
    assert.equal(clockOf(state, 'packetDue').status, 'met');
    assert.equal(clockOf(state, 'packetDue').metAt, T.submit1);
  });

  it('a clock met at its deadline exactly is on time; a second later it is late', () => {
    given(...opened())
      .when(submit(), carla, '2026-07-07T21:00:00Z')
      .thenEvents(
        { type: 'PacketSubmitted' },
        { type: 'ClockMet', data: { clock: 'packetDue', late: false } },
        { type: 'ClockStarted' },
      );
    const when = given(...opened()).when(submit(), carla, '2026-07-07T21:00:01Z');
    when.thenEvents(
      { type: 'PacketSubmitted' },
      { type: 'ClockMet', data: { clock: 'packetDue', late: true } },
      { type: 'ClockStarted' },
    );
    const clock = clockOf(when.thenState(), 'packetDue');
    assert.equal(clock.status, 'met');
    assert.equal(clock.late, true);
    assert.equal(clock.metAt, '2026-07-07T21:00:01Z');
  });

  it('ackDue met late by an acknowledgement, and by a rejection', () => {
    const late = '2026-07-08T13:00:00Z'; // Wednesday 09:00, ackDue was Tuesday 17:00
    given(...submitted())
      .when(ack(), casey, late)
      .thenEvents(
        { type: 'PacketAcknowledged' },
        { type: 'ClockMet', data: { clock: 'ackDue', seq: 1, late: true } },
        { type: 'ClockStarted', data: { clock: 'kickoffDue', due: '2026-07-10T17:00:00-04:00' } },
      );
    given(...submitted())
      .when(reject([], 'missing sponsor'), casey, late)
      .thenEvents(
        { type: 'PacketRejected' },
        { type: 'ClockMet', data: { clock: 'ackDue', seq: 1, late: true } },
        { type: 'ClockStarted', data: { clock: 'remediationDue', due: '2026-07-09T17:00:00-04:00' } },
      );
  });

  it('remediationDue met late by the resubmission', () => {
    const past = history(
      [open(), carla, T.open],
      [submit(gate({ 'required-fields': 'fail' })), carla, T.submit1],
      [reject(), casey, T.reject1],
    );
    given(...past)
      .when(submit(), carla, '2026-07-08T13:00:00Z')
      .thenEvents(
        { type: 'PacketSubmitted', data: { n: 2 } },
        { type: 'ClockMet', data: { clock: 'remediationDue', seq: 1, late: true } },
        { type: 'ClockStarted', data: { clock: 'ackDue', seq: 2 } },
      );
  });

  it('scheduling meets kickoffDue and discoveryScheduleDue, late when past due', () => {
    given(...acknowledged())
      .when(schedule('2026-07-10T14:00:00Z'), casey, '2026-07-09T14:00:00Z')
      .thenEvents(
        { type: 'DiscoveryScheduled' },
        { type: 'ClockMet', data: { clock: 'kickoffDue', late: false } },
        { type: 'ClockMet', data: { clock: 'discoveryScheduleDue', late: true } },
      );
    given(...acknowledged())
      .when(schedule('2026-07-13T14:00:00Z'), casey, '2026-07-10T14:00:00Z')
      .thenEvents(
        { type: 'DiscoveryScheduled' },
        { type: 'ClockMet', data: { clock: 'kickoffDue', late: true } },
        { type: 'ClockMet', data: { clock: 'discoveryScheduleDue', late: true } },
      );
  });

  it('openClocks lists what is open and whether it is overdue', () => {
    const state = replay(submitted());
    assert.deepEqual(
      openClocks(state, '2026-07-07T21:30:00Z').map((c) => [c.clock, c.overdue]),
      [
        ['discoveryScheduleDue', false],
        ['ackDue', true],
      ],
    );
  });
});

describe('the open-time warning', () => {
  const warning =
    'the clocks cannot all be met for this deal: packet due 2026-07-07T17:00:00-04:00, acknowledgement 2026-07-08T17:00:00-04:00 and kickoff 2026-07-10T17:00:00-04:00 run past the discovery limit 2026-07-08T17:00:00-04:00 (5 business days from SOW signing); submit early';

  it('warns when packet + acknowledgement + kickoff cannot fit in the discovery limit', () => {
    const events = given().when(open(), carla, T.open).events();
    assert.deepEqual(events[0]?.data.warnings, [warning]);
    assert.deepEqual(replay(events).warnings, [warning]);
  });

  it('does not warn when they fit exactly', () => {
    // SOW Monday 05-11, paid 05-11: packet 05-13, ack 05-14, kickoff 05-18 = the limit 05-18.
    const events = given()
      .when(paidAt('2026-05-11T14:00:00Z', '2026-05-11'), carla, '2026-05-11T15:00:00Z')
      .events();
    assert.deepEqual(events[0]?.data.warnings, []);
  });

  it('warns when they miss by one day', () => {
    // Paid Tuesday 05-12: packet 05-14, ack 05-15, kickoff 05-19 > the limit 05-18.
    const events = given()
      .when(paidAt('2026-05-12T14:00:00Z', '2026-05-11'), carla, '2026-05-12T15:00:00Z')
      .events();
    const warnings = events[0]?.data.warnings as string[] | undefined;
    assert.equal(warnings?.length, 1);
    assert.match(warnings?.[0] ?? '', /kickoff 2026-05-19T17:00:00-04:00/);
  });
});

describe('the SOW limit comes from the playbook', () => {
  // A playbook whose SOW allows 6 business days to discovery: Tuesday 06-30 → Thursday 07-09.
  const six = structuredClone(playbook);
  six.timeline.discoveryWithinBusinessDaysOfSow = 6;
  const ctxSix = (as: ActorRef, now: string): DecideContext => ({ now, actor: as, playbook: six, calendar });

  it('the open-time warning names the configured limit', () => {
    const [event] = decide(open(), initialState(), ctxSix(carla, T.open));
    assert.deepEqual(event?.data.warnings, [
      'the clocks cannot all be met for this deal: packet due 2026-07-07T17:00:00-04:00, acknowledgement 2026-07-08T17:00:00-04:00 and kickoff 2026-07-10T17:00:00-04:00 run past the discovery limit 2026-07-09T17:00:00-04:00 (6 business days from SOW signing); submit early',
    ]);
  });

  it('the scheduling warning names the configured limit', () => {
    const [event] = decide(
      schedule('2026-07-10T14:00:00Z'),
      replay(acknowledged()),
      ctxSix(casey, T.schedule),
    );
    assert.deepEqual(event?.data.warnings, [
      "the discovery session is after 2026-07-09, the SOW's limit of 6 business days from signing",
    ]);
    const [inTime] = decide(
      schedule('2026-07-09T14:00:00Z'),
      replay(acknowledged()),
      ctxSix(casey, T.schedule),
    );
    assert.deepEqual(inTime?.data.warnings, []);
  });
});
