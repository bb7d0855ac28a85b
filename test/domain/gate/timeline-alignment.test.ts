import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import { businessCalendar } from '../../../src/domain/calendar/index.ts';
import type { GateInput } from '../../../src/domain/gate/index.ts';
import { timelineFacts } from '../../../src/domain/gate/index.ts';
import {
  assertFinding,
  assertPass,
  check,
  example,
  gateInput,
  lineOf,
  playbook,
  withRows,
} from './gate-fixture.ts';

const field = 'Delivery timeline promised';
const line = lineOf(field);

/** The example with another timeline, and optionally other SOW / payment dates and submission time. */
function scenario(
  timeline: string,
  options: { sow?: string; paid?: string; at?: string; calendar?: GateInput['calendar'] } = {},
) {
  const rows: Record<string, string> = { [field]: timeline };
  if (options.sow) rows['SOW signed'] = `${options.sow}; v0.1; legal/sow/SOW-2026-014-executed.pdf`;
  if (options.paid) rows['Payment confirmed'] = `${options.paid}; received; ACH`;
  const overrides: Partial<GateInput> = {};
  if (options.at) overrides.submittedAt = Temporal.Instant.from(options.at);
  if (options.calendar) overrides.calendar = options.calendar;
  const text = withRows(rows);
  return {
    result: check('timeline-alignment', text, overrides),
    facts: timelineFacts(gateInput(text, overrides)),
  };
}
const timeline = (text: string, options?: Parameters<typeof scenario>[1]) => scenario(text, options).result;

describe('timeline-alignment: the dates it reasons from', () => {
  it('for the example (submitted Thu 2026-05-14), counting over Memorial Day (Mon 2026-05-25)', () => {
    const facts = timelineFacts(gateInput(example));
    assert.equal(facts.submitted.toString(), '2026-05-14');
    assert.equal(facts.ackDue.toString(), '2026-05-15');
    assert.equal(facts.earliestDiscovery.toString(), '2026-05-18');
    // 5 business days after Mon 18: 19, 20, 21, 22, (25 is Memorial Day) 26.
    assert.equal(facts.earliestReadout.toString(), '2026-05-26');
    assert.equal(facts.sowSigned?.toString(), '2026-05-12');
    // 5 business days after Tue 12: 13, 14, 15, 18, 19.
    assert.equal(facts.discoveryLimit?.toString(), '2026-05-19');
  });
});

describe('timeline-alignment: relative promises', () => {
  it('the example "readout within 3 weeks of the discovery session" passes', () => {
    assertPass(check('timeline-alignment', example));
    assertPass(timeline('readout within 3 weeks of the discovery session'));
  });

  it('"readout within 2 business days of discovery" fails', () => {
    assertFinding(timeline('readout within 2 business days of discovery'), 'fail', {
      field,
      line,
      message: [/2 business days of discovery/, /by 2026-05-20/, /no sooner than 2026-05-26/],
    });
  });

  it('"within 5 business days of the discovery session" is exactly the minimum and passes; 4 fails', () => {
    assertPass(timeline('Readout within 5 business days of the discovery session'));
    assertFinding(timeline('Readout within 4 business days of the discovery session'), 'fail', {
      field,
      line,
      message: /no sooner than 2026-05-26/,
    });
  });

  it('"within a week of discovery" fails across Memorial Day (7 days is only 4 business days)', () => {
    assertFinding(timeline('Readout within a week of discovery'), 'fail', {
      field,
      line,
      message: [/by 2026-05-25/, /no sooner than 2026-05-26/],
    });
  });

  it('"discovery within 7 business days of signing" is past the SOW limit and fails', () => {
    assertFinding(timeline('Discovery within 7 business days of SOW signing'), 'fail', {
      field,
      line,
      message: [/as late as 2026-05-21/, /SOW's limit of 5 business days/, /2026-05-19/],
    });
    assertPass(timeline('Discovery within 5 business days of SOW signing'));
  });

  it('counted from acknowledgement, from the day acknowledgement is due', () => {
    // The earliest discovery is by definition the business day after acknowledgement is due.
    assertPass(timeline('Discovery within 1 business day of acknowledgement'));
    assertFinding(timeline('Discovery 1 day after acknowledgement'), 'fail', {
      field,
      line,
      message: [/by 2026-05-16/, /no sooner than 2026-05-18/],
    });
  });

  it('counting from a date the packet does not give is review', () => {
    const text = withRows({ [field]: 'Readout 2 weeks after payment', 'Payment confirmed': 'received; ACH' });
    assertFinding(check('timeline-alignment', text), 'review', {
      field,
      line,
      message: /counts from a date the packet does not give/,
    });
  });
});

describe('timeline-alignment: dates', () => {
  it('a readout date too early fails', () => {
    assertFinding(timeline('Readout by 2026-05-22'), 'fail', {
      field,
      line,
      message: [/the readout by 2026-05-22/, /no sooner than 2026-05-26/, /5 business days after/],
    });
  });

  it('the earliest readout day passes and the day before (Memorial Day) fails', () => {
    assertPass(timeline('Readout by 2026-05-26'));
    assertFinding(timeline('Readout by 2026-05-25'), 'fail', {
      field,
      line,
      message: /no sooner than 2026-05-26/,
    });
  });

  it('discovery before the business day after acknowledgement is due fails', () => {
    assertFinding(timeline('Discovery on 2026-05-15'), 'fail', {
      field,
      line,
      message: [/discovery by 2026-05-15/, /no sooner than 2026-05-18/, /acknowledgement is due, 2026-05-15/],
    });
    assertPass(timeline('Discovery on 2026-05-18'));
  });

  it('discovery later than 5 business days after SOW signing fails; on the limit passes', () => {
    assertFinding(timeline('Discovery on 2026-05-20'), 'fail', {
      field,
      line,
      message: [/as late as 2026-05-20/, /past the SOW's limit/, /2026-05-19/],
    });
    assertPass(timeline('Discovery on 2026-05-19'));
  });

  it('names only the promise that cannot be kept', () => {
    const result = timeline('Discovery on 2026-05-19, readout by 2026-05-22');
    assertFinding(result, 'fail', { field, line, message: /the readout by 2026-05-22/ });
    assert.equal(result.findings.length, 1);
  });

  it('month-name dates are read too', () => {
    assertPass(timeline('Discovery session on May 19, readout by June 5'));
    assertFinding(timeline('Readout by mid-May'), 'fail', { field, line, message: /2026-05-15/ });
  });
});

describe('timeline-alignment: across holidays', () => {
  describe('Independence Day 2026, observed Friday July 3', () => {
    // Submitted Wed Jul 1; acknowledgement due Thu Jul 2; Fri Jul 3 is the observed holiday.
    const base = { at: '2026-07-01T14:00:00Z', sow: '2026-06-30', paid: '2026-07-01' };

    it('computes the dates over the holiday', () => {
      const { facts } = scenario('Readout by 2026-07-13', base);
      assert.equal(facts.ackDue.toString(), '2026-07-02');
      assert.equal(facts.earliestDiscovery.toString(), '2026-07-06');
      assert.equal(facts.earliestReadout.toString(), '2026-07-13');
      assert.equal(facts.discoveryLimit?.toString(), '2026-07-08');
    });

    it('discovery on Monday Jul 6 passes; on the holiday fails', () => {
      assertPass(timeline('Discovery on 2026-07-06', base));
      assertFinding(timeline('Discovery on 2026-07-03', base), 'fail', {
        field,
        line,
        message: /no sooner than 2026-07-06/,
      });
    });

    it('readout on Jul 13 passes; the day before and the last business day before fail', () => {
      assertPass(timeline('Readout by 2026-07-13', base));
      for (const date of ['2026-07-12', '2026-07-10']) {
        assertFinding(timeline(`Readout by ${date}`, base), 'fail', {
          field,
          line,
          message: [new RegExp(`the readout by ${date}`), /no sooner than 2026-07-13/],
        });
      }
    });
  });

  describe('Thanksgiving 2026 (Thursday November 26)', () => {
    // Submitted Wed Nov 25: acknowledgement is due Fri Nov 27, not Thu Nov 26.
    const base = { at: '2026-11-25T15:00:00Z', sow: '2026-11-24', paid: '2026-11-25' };

    it('computes the dates over the holiday', () => {
      const { facts } = scenario('Readout by 2026-12-07', base);
      assert.equal(facts.ackDue.toString(), '2026-11-27');
      assert.equal(facts.earliestDiscovery.toString(), '2026-11-30');
      assert.equal(facts.earliestReadout.toString(), '2026-12-07');
      assert.equal(facts.discoveryLimit?.toString(), '2026-12-02');
    });

    it('readout on Dec 7 passes; Dec 6 and Dec 4 fail', () => {
      assertPass(timeline('Readout by 2026-12-07', base));
      for (const date of ['2026-12-06', '2026-12-04']) {
        assertFinding(timeline(`Readout by ${date}`, base), 'fail', {
          field,
          line,
          message: /no sooner than 2026-12-07/,
        });
      }
    });

    it('discovery on Nov 30 passes; on Friday Nov 27 (acknowledgement due) fails', () => {
      assertPass(timeline('Discovery on 2026-11-30', base));
      assertFinding(timeline('Discovery on 2026-11-27', base), 'fail', {
        field,
        line,
        message: [/no sooner than 2026-11-30/, /acknowledgement is due, 2026-11-27/],
      });
    });
  });
});

describe('timeline-alignment: text it cannot judge', () => {
  for (const text of ['ASAP', 'soon', 'Discovery next week']) {
    it(`"${text}" is review`, () => {
      assertFinding(timeline(text), 'review', {
        field,
        line,
        message: [/cannot read a date or a duration/, new RegExp(`"${text}"`)],
      });
    });
  }

  it('a placeholder is review (required-fields fails it)', () => {
    assertFinding(timeline('TBD'), 'review', { field, line, message: /no delivery timeline is given/ });
  });
});

describe('timeline-alignment: a duration with no anchor ("2 weeks")', () => {
  // The rule: feasible counted from SOW signing passes; infeasible even counted from submission fails;
  // feasible only counted from submission is review.
  it('passes when feasible counted from SOW signing', () => {
    // 2026-05-12 + 2 weeks = 2026-05-26, the earliest readout.
    assertPass(timeline('Readout in 2 weeks'));
  });

  it('is review when only feasible counted from submission', () => {
    // SOW 2026-05-08 + 2 weeks = 2026-05-22 (too soon); submission 2026-05-14 + 2 weeks = 2026-05-28 (fine).
    assertFinding(timeline('Readout in 2 weeks', { sow: '2026-05-08' }), 'review', {
      field,
      line,
      message: [/"2 weeks" does not say from when/, /counted from SOW signing it is too soon/],
    });
  });

  it('fails when infeasible even counted from submission (a company shutdown week)', () => {
    const shutdown = businessCalendar({
      ...playbook.calendar,
      holidays: {
        ...playbook.calendar.holidays,
        dates: ['2026-05-18', '2026-05-19', '2026-05-20', '2026-05-21', '2026-05-22'],
      },
    });
    const { result, facts } = scenario('Readout in 2 weeks', { calendar: shutdown });
    assert.equal(facts.earliestDiscovery.toString(), '2026-05-26');
    assert.equal(facts.earliestReadout.toString(), '2026-06-02');
    assertFinding(result, 'fail', {
      field,
      line,
      message: [/"2 weeks" is too soon for the readout/, /no sooner than 2026-06-02/],
    });
  });

  it('fails for discovery when even counted from SOW signing it is past the SOW limit', () => {
    assertFinding(timeline('Discovery within 2 weeks'), 'fail', {
      field,
      line,
      message: [/as late as 2026-05-26/, /SOW's limit/],
    });
  });

  it('fails a readout in 10 days, review 12 days', () => {
    assertFinding(timeline('Readout in 10 days'), 'fail', {
      field,
      line,
      message: /too soon for the readout/,
    });
    assertFinding(timeline('Readout in 12 days'), 'review', {
      field,
      line,
      message: /does not say from when/,
    });
  });
});
