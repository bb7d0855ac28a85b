import { describe, it } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import { assertFinding, assertPass, check, example, lineOf, withRow } from './gate-fixture.ts';

const field = 'Payment confirmed';
const line = lineOf(field);
const payment = (value: string, submittedAt?: string) =>
  check(
    'payment-confirmed',
    withRow(field, value),
    submittedAt ? { submittedAt: Temporal.Instant.from(submittedAt) } : {},
  );

describe('payment-confirmed', () => {
  it('passes the spec example (received the day before submission)', () => {
    assertPass(check('payment-confirmed', example));
  });

  it('"processing initiated" counts as confirmed, in any case', () => {
    assertPass(payment('2026-05-13; processing initiated; wire'));
    assertPass(payment('2026-05-13; Processing Initiated; wire'));
  });

  it('pending fails: the handoff is blocked (SOP Section 7)', () => {
    for (const value of ['2026-05-13; pending; ACH', '2026-05-13; Pending; ACH']) {
      assertFinding(payment(value), 'fail', {
        field,
        line,
        message: [/still pending/, /blocked/],
      });
    }
  });

  it('an unknown status fails, quoting what was written', () => {
    assertFinding(payment('2026-05-13; bounced; ACH'), 'fail', {
      field,
      line,
      message: [/status is missing or unknown/, /bounced/, /received, processing initiated/],
    });
  });

  it('no status fails', () => {
    assertFinding(payment('2026-05-13; ACH'), 'fail', {
      field,
      line,
      message: /status is missing or unknown/,
    });
  });

  it('a missing date fails', () => {
    assertFinding(payment('received; ACH'), 'fail', { field, line, message: /payment date is missing/ });
  });

  it('a blank field fails', () => {
    assertFinding(payment('N/A'), 'fail', { field, line, message: /payment status is missing/ });
  });

  it('placeholder text fails', () => {
    assertFinding(payment('TBD'), 'fail', { field, line, message: /placeholder text "TBD"/ });
  });

  it('a date after the day of submission fails', () => {
    assertFinding(payment('2026-05-15; received; ACH'), 'fail', {
      field,
      line,
      message: [/2026-05-15 is in the future/, /today is 2026-05-14/],
    });
  });

  it('the day of submission itself is not in the future', () => {
    assertPass(payment('2026-05-14; received; ACH'));
  });

  it('"today" is the day in New York, not in UTC', () => {
    // 2026-05-14T03:00Z is 23:00 on May 13 in New York: a May 14 payment has not happened yet.
    assertFinding(payment('2026-05-14; received; ACH', '2026-05-14T03:00:00Z'), 'fail', {
      field,
      line,
      message: [/2026-05-14 is in the future/, /today is 2026-05-13/],
    });
    // 04:30Z is 00:30 on May 14 in New York.
    assertPass(payment('2026-05-14; received; ACH', '2026-05-14T04:30:00Z'));
  });
});
