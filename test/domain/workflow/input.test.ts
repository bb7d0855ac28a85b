import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GateCheckId } from '../../../src/domain/gate/index.ts';
import type { HandoffCommand } from '../../../src/domain/workflow/index.ts';
import {
  ack,
  acknowledged,
  approveDeviation,
  attest,
  carla,
  casey,
  chris,
  dana,
  flag,
  gate,
  given,
  history,
  open,
  opened,
  payment,
  reject,
  resolve,
  SOW,
  schedule,
  submitted,
  T,
} from './workflow-fixture.ts';

/** A check id the program does not know, as an interface could pass it through. */
const unknownCheck = 'vibes' as GateCheckId;

describe('bad input names the field', () => {
  describe('open', () => {
    const bad: [string, HandoffCommand, string][] = [
      ['an impossible SOW date', open({ sowSignedOn: '2026-02-30' }), 'sow-signed'],
      ['a SOW date in another format', open({ sowSignedOn: '30/06/2026' }), 'sow-signed'],
      ['an empty SOW date', open({ sowSignedOn: '' }), 'sow-signed'],
      ['a sold date in words', open({ soldOn: 'last week' }), 'sold'],
      [
        'a payment instant without offset',
        open({ payment: { status: 'received', confirmedAt: '2026-07-02T10:00:00' } }),
        'payment-confirmed',
      ],
      [
        'a payment instant that is a date',
        open({ payment: { status: 'received', confirmedAt: '2026-07-02' } }),
        'payment-confirmed',
      ],
      [
        'a confirmed payment without its instant',
        open({ payment: { status: 'received', confirmedAt: null } }),
        'payment-confirmed',
      ],
      [
        'processing without its instant',
        open({ payment: { status: 'processing', confirmedAt: null } }),
        'payment-confirmed',
      ],
      ['a malformed SOW number', open({ sow: 'SOW-26-1' }), 'sow'],
      ['a SOW signed in the future', open({ sowSignedOn: '2026-07-03' }), 'sow-signed'],
    ];
    for (const [name, command, field] of bad)
      it(name, () => {
        const error = given().when(command, carla, T.open).thenInputError(field);
        assert.match(error.message, new RegExp(`^${field}: `));
      });

    it('"the future" is judged by the New York day', () => {
      // 2026-07-03T02:00Z is still Thursday 07-02 in New York: 07-03 is tomorrow there.
      given()
        .when(open({ sowSignedOn: '2026-07-03' }), carla, '2026-07-03T02:00:00Z')
        .thenInputError('sow-signed');
      given()
        .when(
          open({ sowSignedOn: '2026-07-02', payment: { status: 'pending', confirmedAt: null } }),
          carla,
          '2026-07-03T02:00:00Z',
        )
        .thenEvents({ type: 'HandoffOpened' }, { type: 'ClockStarted' });
    });

    it('a pending payment needs no instant; an offset instant is stored in UTC', () => {
      given()
        .when(open({ payment: { status: 'pending', confirmedAt: null } }), carla, T.open)
        .thenEvents(
          { type: 'HandoffOpened', data: { payment: { status: 'pending', confirmedAt: null } } },
          { type: 'ClockStarted' },
        );
      given()
        .when(
          open({ payment: { status: 'received', confirmedAt: '2026-07-02T11:00:00-04:00' } }),
          carla,
          T.open,
        )
        .thenEvents(
          {
            type: 'HandoffOpened',
            data: { payment: { status: 'received', confirmedAt: '2026-07-02T15:00:00Z' } },
          },
          { type: 'ClockStarted' },
          { type: 'ClockStarted', data: { clock: 'packetDue', startedAt: '2026-07-02T15:00:00Z' } },
        );
    });
  });

  it('open and recordPayment: a payment confirmed after now is refused', () => {
    given()
      .when(open({ payment: { status: 'received', confirmedAt: '2099-01-01T00:00:00Z' } }), carla, T.open)
      .thenInputError('payment-confirmed');
    given(...opened())
      .when(payment('received', '2099-01-01T00:00:00Z'), carla, T.open)
      .thenInputError('payment-confirmed');
  });

  it('recordPayment: a malformed instant, or a confirmation without one', () => {
    given(...opened())
      .when(payment('received', 'yesterday'), carla, T.open)
      .thenInputError('payment-confirmed');
    given(...opened())
      .when(payment('processing', null), carla, T.open)
      .thenInputError('payment-confirmed');
  });

  it('schedule: a date without time or offset, or a session before the acknowledgement', () => {
    given(...acknowledged())
      .when(schedule('2026-07-08'), casey, T.schedule)
      .thenInputError('discovery');
    given(...acknowledged())
      .when(schedule('2026-07-08T15:00:00'), casey, T.schedule)
      .thenInputError('discovery');
    given(...acknowledged())
      .when(schedule('2026-07-07T17:00:00Z'), casey, T.schedule)
      .thenInputError('discovery');
  });

  it('attest: an unknown check, or an empty reason', () => {
    const review = gate({ 'crm-item-exists': 'review' });
    const past = submitted(review);
    const error = given(...past)
      .when(attest(unknownCheck, 'fine', review), casey, T.ack)
      .thenInputError('attest');
    assert.match(error.message, /unknown check "vibes"/);
    given(...past)
      .when(attest('crm-item-exists', '   ', review), casey, T.ack)
      .thenInputError('attest');
  });

  it('acknowledge: an attestation of an unknown check, or with an empty reason', () => {
    const review = gate({ 'crm-item-exists': 'review' });
    given(...submitted(review))
      .when(
        ack(review, [
          { check: 'crm-item-exists', reason: 'fine' },
          { check: unknownCheck, reason: 'fine' },
        ]),
        casey,
        T.ack,
      )
      .thenInputError('attest');
    given(...submitted(review))
      .when(ack(review, [{ check: 'crm-item-exists', reason: '' }]), casey, T.ack)
      .thenInputError('attest');
  });

  it('reject: an unknown check, or nothing to reject for', () => {
    given(...submitted())
      .when(reject([unknownCheck]), casey, T.reject1)
      .thenInputError('check');
    // The gate passed and no check nor reason is given.
    given(...submitted())
      .when(reject(), casey, T.reject1)
      .thenInputError('check');
    given(...submitted())
      .when(reject([], '  '), casey, T.reject1)
      .thenInputError('check');
  });

  it('notes may not be empty: flag, approve-deviation, resolve', () => {
    given(...opened())
      .when(flag('  '), chris, T.submit1)
      .thenInputError('note');
    given(...opened())
      .when(approveDeviation(''), dana, T.submit1)
      .thenInputError('note');
    const flagged = history([open(), carla, T.open], [flag(), chris, T.open]);
    given(...flagged)
      .when(resolve(`ESC-${SOW}-1`, ' '), chris, T.submit1)
      .thenInputError('note');
  });

  it('resolve: an unknown escalation', () => {
    const flagged = history([open(), carla, T.open], [flag(), chris, T.open]);
    given(...flagged)
      .when(resolve(`ESC-${SOW}-9`), chris, T.submit1)
      .thenInputError('escalation');
  });

  it('intro: no recipient', () => {
    given(...opened())
      .when({ type: 'introduce', to: [] }, carla, T.submit1)
      .thenInputError('to');
  });

  it('refusals come before input checks: a wrong role with bad input is refused by role', () => {
    given(...opened())
      .when(flag(''), carla, T.submit1)
      .thenRefused('role-not-allowed');
  });
});
