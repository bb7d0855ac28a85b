import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replay } from '../../../src/domain/workflow/index.ts';
import {
  ack,
  acknowledged,
  attest,
  cam,
  carla,
  casey,
  gate,
  given,
  history,
  intro,
  open,
  opened,
  openPending,
  payment,
  reject,
  rejectedOnce,
  SOW,
  sam,
  schedule,
  scheduled,
  submit,
  submitted,
  T,
} from './workflow-fixture.ts';

describe('lifecycle: opened → submitted → rejected → submitted → acknowledged → scheduled', () => {
  it('walks through every state, recording who did what and when', () => {
    const failing = gate(
      { 'contacts-complete': 'fail' },
      { 'contacts-complete': 'the champion has no email' },
    );
    let events = given()
      .when(open(), carla, T.open)
      .thenEvents(
        {
          type: 'HandoffOpened',
          data: {
            sow: SOW,
            soldOn: '2026-06-25',
            sowSignedOn: '2026-06-30',
            payment: { status: 'received', confirmedAt: '2026-07-02T15:00:00Z' },
          },
        },
        { type: 'ClockStarted', data: { clock: 'discoveryScheduleDue', seq: 1 } },
        { type: 'ClockStarted', data: { clock: 'packetDue', seq: 1 } },
      );
    assert.equal(replay(events).state, 'opened');

    const first = submit(failing);
    const step2 = given(...events).when(first, carla, T.submit1);
    const submittedEvents = step2.thenEvents(
      {
        type: 'PacketSubmitted',
        data: {
          n: 1,
          packetPath: `operations/handoffs/assessments/${SOW}-handoff-packet.md`,
          gate: {
            verdict: 'fail',
            checks: failing.checks.map((c) => ({ id: c.id, status: c.status })),
          },
        },
      },
      { type: 'ClockMet', data: { clock: 'packetDue', seq: 1, late: false } },
      { type: 'ClockStarted', data: { clock: 'ackDue', seq: 1 } },
    );
    // Finding texts may quote contacts: they are kept as purgeable personal data.
    assert.deepEqual(submittedEvents[0]?.personal, {
      findings: [
        { check: 'contacts-complete', field: 'Some field', line: 7, message: 'the champion has no email' },
      ],
    });
    events = [...events, ...submittedEvents];
    let state = replay(events);
    assert.equal(state.state, 'submitted');
    assert.equal(state.submissions[0]?.by.name, 'Carla Reyes');
    assert.equal(state.submissions[0]?.at, T.submit1);
    assert.equal(state.submissions[0]?.sha256, first.type === 'submit' ? first.sha256 : undefined);

    events = [
      ...events,
      ...given(...events)
        .when(reject(), casey, T.reject1)
        .thenEvents(
          {
            type: 'PacketRejected',
            data: { n: 1, submission: 1, checks: ['contacts-complete'], reason: '' },
          },
          { type: 'ClockMet', data: { clock: 'ackDue', seq: 1, late: false } },
          { type: 'ClockStarted', data: { clock: 'remediationDue', seq: 1 } },
        ),
    ];
    state = replay(events);
    assert.equal(state.state, 'rejected');
    assert.deepEqual(state.rejections[0]?.checks, ['contacts-complete']);
    assert.equal(state.rejections[0]?.by.name, 'Casey Lin');

    events = [
      ...events,
      ...given(...events)
        .when(submit(), sam, T.submit2)
        .thenEvents(
          { type: 'PacketSubmitted', data: { n: 2 } },
          { type: 'ClockMet', data: { clock: 'remediationDue', seq: 1, late: false } },
          { type: 'ClockStarted', data: { clock: 'ackDue', seq: 2 } },
        ),
    ];
    assert.equal(replay(events).state, 'submitted');

    events = [
      ...events,
      ...given(...events)
        .when(ack(), casey, T.ack)
        .thenEvents(
          { type: 'PacketAcknowledged', data: { submission: 2, attestations: [] } },
          { type: 'ClockMet', data: { clock: 'ackDue', seq: 2, late: false } },
          { type: 'ClockStarted', data: { clock: 'kickoffDue', seq: 1 } },
        ),
    ];
    state = replay(events);
    assert.equal(state.state, 'acknowledged');
    assert.equal(state.acknowledgement?.by.name, 'Casey Lin');
    assert.equal(state.acknowledgement?.submission, 2);

    events = [
      ...events,
      ...given(...events)
        .when(schedule('2026-07-08T15:00:00-04:00'), cam, T.schedule)
        .thenEvents(
          { type: 'DiscoveryScheduled', data: { discoveryAt: T.discovery, warnings: [] } },
          { type: 'ClockMet', data: { clock: 'kickoffDue', seq: 1, late: false } },
          { type: 'ClockMet', data: { clock: 'discoveryScheduleDue', seq: 1, late: false } },
        ),
    ];
    state = replay(events);
    assert.equal(state.state, 'scheduled');
    assert.deepEqual(state.discovery, { at: T.discovery, scheduledAt: T.schedule, by: cam });
    assert.equal(state.version, events.length);
  });

  it('the acknowledgement records the hash of the version acknowledged', () => {
    const past = submitted();
    const [event] = given(...past)
      .when(ack(), casey, T.ack)
      .events();
    assert.equal(event?.data.sha256, replay(past).submissions[0]?.sha256);
  });

  it('a discovery session can be rescheduled once scheduled', () => {
    given(...scheduled())
      .when(schedule('2026-07-09T14:00:00Z'), casey, '2026-07-08T15:00:00Z')
      .thenEvents({ type: 'DiscoveryScheduled', data: { discoveryAt: '2026-07-09T14:00:00Z' } });
  });

  it('a discovery session later than the SOW limit is scheduled with a warning', () => {
    // Limit: 5 business days after Tuesday 2026-06-30 = Wednesday 2026-07-08 (Friday 07-03 is a holiday).
    const [event] = given(...acknowledged())
      .when(schedule('2026-07-09T14:00:00Z'), casey, T.schedule)
      .events();
    assert.deepEqual(event?.data.warnings, [
      "the discovery session is after 2026-07-08, the SOW's limit of 5 business days from signing",
    ]);
    const [onLimit] = given(...acknowledged())
      .when(schedule('2026-07-08T20:00:00Z'), casey, T.schedule)
      .events();
    assert.deepEqual(onLimit?.data.warnings, []);
  });

  it('the warm introduction is recorded, without the recipients in the data', () => {
    const events = given(...acknowledged())
      .when(intro(), carla, T.schedule)
      .thenEvents({ type: 'IntroductionSent', data: { recipients: 1 } });
    assert.deepEqual(events[0]?.personal, {
      to: [{ role: 'champion', name: 'Priya Shah', email: 'priya@northwind.io' }],
    });
  });
});

describe('submission is refused', () => {
  it('while the packet awaits review', () => {
    const refusal = given(...submitted())
      .when(submit(), carla, T.reject1)
      .thenRefused('awaiting-review');
    assert.deepEqual(refusal.allowed, ['payment', 'intro', 'sweep']);
  });

  it('after acknowledgement, and after scheduling', () => {
    given(...acknowledged())
      .when(submit(), carla, T.schedule)
      .thenRefused('already-acknowledged');
    given(...scheduled())
      .when(submit(), sam, T.discovery)
      .thenRefused('already-acknowledged');
  });

  it('while payment is pending, naming the payment; a later recordPayment unblocks it and starts packetDue', () => {
    const pending = history([openPending(), carla, T.open]);
    const state = replay(pending);
    assert.equal(state.payment?.status, 'pending');
    assert.deepEqual(
      state.clocks.map((c) => c.clock),
      ['discoveryScheduleDue'],
    );
    assert.deepEqual(state.warnings, [
      'payment is pending: the handoff is blocked until payment is confirmed',
    ]);

    const refusal = given(...pending)
      .when(submit(), carla, T.submit1)
      .thenRefused('payment-not-confirmed');
    assert.equal(refusal.field, 'payment');
    assert.ok(!refusal.allowed.includes('submit'));
    assert.ok(refusal.allowed.includes('payment'));

    // Still pending: still blocked, no clock.
    const stillPending = [
      ...pending,
      ...given(...pending)
        .when(payment('pending', null), carla, T.submit1)
        .thenEvents({ type: 'PaymentRecorded', data: { status: 'pending', confirmedAt: null } }),
    ];
    given(...stillPending)
      .when(submit(), carla, T.submit1)
      .thenRefused('payment-not-confirmed');

    // Received on Monday 2026-07-06 09:30 New York: packet due Wednesday 2026-07-08 17:00.
    const paid = [
      ...stillPending,
      ...given(...stillPending)
        .when(payment('received', '2026-07-06T09:30:00-04:00'), sam, '2026-07-06T14:00:00Z')
        .thenEvents(
          { type: 'PaymentRecorded', data: { status: 'received', confirmedAt: '2026-07-06T13:30:00Z' } },
          {
            type: 'ClockStarted',
            data: {
              clock: 'packetDue',
              seq: 1,
              startedAt: '2026-07-06T13:30:00Z',
              due: '2026-07-08T17:00:00-04:00',
            },
          },
        ),
    ];
    given(...paid)
      .when(submit(), carla, '2026-07-07T14:00:00Z')
      .thenEvents(
        { type: 'PacketSubmitted', data: { n: 1 } },
        { type: 'ClockMet', data: { clock: 'packetDue', seq: 1, late: false } },
        { type: 'ClockStarted', data: { clock: 'ackDue', seq: 1 } },
      );
  });

  it('"processing" counts as confirmed', () => {
    const past = history([open({ payment: { status: 'processing', confirmedAt: T.open } }), carla, T.open]);
    given(...past)
      .when(submit(), carla, T.submit1)
      .thenEvents({ type: 'PacketSubmitted' }, { type: 'ClockMet' }, { type: 'ClockStarted' });
  });

  it('when payment goes back to pending after a rejection', () => {
    const past = [
      ...rejectedOnce(),
      ...given(...rejectedOnce())
        .when(payment('pending', null), carla, T.submit2)
        .thenEvents({ type: 'PaymentRecorded' }),
    ];
    given(...past)
      .when(submit(), carla, T.submit2)
      .thenRefused('payment-not-confirmed');
  });

  it('a second confirmation does not start a second packetDue clock', () => {
    given(...opened())
      .when(payment('received', '2026-07-03T15:00:00Z'), carla, '2026-07-03T16:00:00Z')
      .thenEvents({ type: 'PaymentRecorded' });
  });
});

describe('review: attest, acknowledge, reject', () => {
  const review = gate({ 'crm-item-exists': 'review', 'expectation-alignment': 'review' });

  it('schedule is refused before acknowledgement, in every earlier state', () => {
    for (const past of [opened(), submitted(), rejectedOnce()])
      given(...past)
        .when(schedule(T.discovery), casey, T.schedule)
        .thenRefused('discovery-before-acknowledgement');
  });

  it('review commands are refused when nothing awaits review', () => {
    for (const past of [opened(), rejectedOnce(), acknowledged()]) {
      given(...past)
        .when(ack(), casey, T.schedule)
        .thenRefused('nothing-to-review');
      given(...past)
        .when(reject([], 'no'), casey, T.schedule)
        .thenRefused('nothing-to-review');
    }
  });

  it('ack is refused while a check fails, naming the check', () => {
    const failing = gate({ 'sow-accessible': 'fail', 'crm-item-exists': 'review' });
    const refusal = given(...submitted(failing))
      .when(ack(failing, [{ check: 'crm-item-exists', reason: 'seen by hand' }]), casey, T.ack)
      .thenRefused('gate-failed');
    assert.equal(refusal.field, 'sow-accessible');
    assert.deepEqual(refusal.allowed, ['attest', 'ack', 'reject', 'sweep']);
  });

  it('ack is refused while a review is not attested, naming it', () => {
    const refusal = given(...submitted(review))
      .when(
        ack(review, [{ check: 'crm-item-exists', reason: 'the item exists, checked by hand' }]),
        casey,
        T.ack,
      )
      .thenRefused('review-not-attested');
    assert.equal(refusal.field, 'expectation-alignment');
  });

  it('ack is accepted with every review attested, and records the attestations', () => {
    const events = given(...submitted(review))
      .when(
        ack(review, [
          { check: 'crm-item-exists', reason: ' the item exists, checked by hand ' },
          { check: 'expectation-alignment', reason: 'the customer expects a readout' },
        ]),
        casey,
        T.ack,
      )
      .thenEvents(
        {
          type: 'ReviewAttested',
          data: { submission: 1, check: 'crm-item-exists', reason: 'the item exists, checked by hand' },
        },
        { type: 'ReviewAttested', data: { submission: 1, check: 'expectation-alignment' } },
        {
          type: 'PacketAcknowledged',
          data: {
            submission: 1,
            attestations: [
              { check: 'expectation-alignment', reason: 'the customer expects a readout' },
              { check: 'crm-item-exists', reason: 'the item exists, checked by hand' },
            ],
          },
        },
        { type: 'ClockMet', data: { clock: 'ackDue' } },
        { type: 'ClockStarted', data: { clock: 'kickoffDue' } },
      );
    const state = replay([...submitted(review), ...events]);
    assert.deepEqual(
      state.submissions[0]?.attested.map((a) => [a.check, a.by]),
      [
        ['crm-item-exists', 'Casey Lin'],
        ['expectation-alignment', 'Casey Lin'],
      ],
    );
  });

  it('an earlier attest command counts toward the acknowledgement', () => {
    const past = submitted(review);
    const attested = [
      ...past,
      ...given(...past)
        .when(attest('crm-item-exists', 'found it on the board', review), cam, T.reject1)
        .thenEvents({
          type: 'ReviewAttested',
          data: { submission: 1, check: 'crm-item-exists', reason: 'found it on the board' },
        }),
    ];
    given(...attested)
      .when(ack(review, [{ check: 'expectation-alignment', reason: 'a readout' }]), casey, T.ack)
      .thenEvents(
        { type: 'ReviewAttested', data: { check: 'expectation-alignment' } },
        {
          type: 'PacketAcknowledged',
          data: {
            attestations: [
              { check: 'expectation-alignment', reason: 'a readout' },
              { check: 'crm-item-exists', reason: 'found it on the board' },
            ],
          },
        },
        { type: 'ClockMet' },
        { type: 'ClockStarted' },
      );
  });

  it('attestations of an earlier submission do not carry over to a resubmission', () => {
    const one = gate({ 'crm-item-exists': 'review', 'contacts-complete': 'fail' });
    const past = history(
      [open(), carla, T.open],
      [submit(one), carla, T.submit1],
      [attest('crm-item-exists', 'found it', one), casey, T.submit1],
      [reject(), casey, T.reject1],
      [submit(gate({ 'crm-item-exists': 'review' })), carla, T.submit2],
    );
    given(...past)
      .when(ack(gate({ 'crm-item-exists': 'review' })), casey, T.ack)
      .thenRefused('review-not-attested');
  });

  it('attesting a check that is not under review is refused', () => {
    const past = submitted(review);
    const refusal = given(...past)
      .when(attest('sow-accessible', 'fine', review), casey, T.ack)
      .thenRefused('not-a-review');
    assert.equal(refusal.field, 'sow-accessible');
    const failing = gate({ 'sow-accessible': 'fail' });
    given(...submitted(failing))
      .when(attest('sow-accessible', 'fine', failing), casey, T.ack)
      .thenRefused('not-a-review');
    given(...past)
      .when(
        ack(review, [
          { check: 'crm-item-exists', reason: 'ok' },
          { check: 'expectation-alignment', reason: 'ok' },
          { check: 'required-fields', reason: 'ok' },
        ]),
        casey,
        T.ack,
      )
      .thenRefused('not-a-review');
  });

  it('reject without checks names the failed checks of the current version', () => {
    const failing = gate({ 'contacts-complete': 'fail', 'scope-alignment': 'fail' });
    given(...submitted(failing))
      .when(reject([], '  see the findings '), casey, T.reject1)
      .thenEvents(
        {
          type: 'PacketRejected',
          data: { checks: ['scope-alignment', 'contacts-complete'], reason: 'see the findings' },
        },
        { type: 'ClockMet' },
        { type: 'ClockStarted', data: { clock: 'remediationDue' } },
      );
  });

  it('reject with checks records them once each', () => {
    given(...submitted())
      .when(reject(['contacts-complete', 'contacts-complete', 'required-fields']), casey, T.reject1)
      .thenEvents(
        { type: 'PacketRejected', data: { checks: ['contacts-complete', 'required-fields'] } },
        { type: 'ClockMet' },
        { type: 'ClockStarted' },
      );
  });
});
