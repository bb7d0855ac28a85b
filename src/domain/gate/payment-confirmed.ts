import { fieldView, finding, quote } from './field-access.ts';
import { localDay } from './timeline-days.ts';
import type { GateRule, RuleFinding } from './types.ts';

export const paymentConfirmed: GateRule = {
  id: 'payment-confirmed',
  title: 'Payment confirmed',
  run(input) {
    const view = fieldView(input, 'paymentConfirmed');
    const { reading } = view;
    if (!view.entry || !reading || reading.notApplicable)
      return [
        finding(
          view,
          'fail',
          'payment status is missing: write "date; received or processing initiated; method"',
        ),
      ];
    if (reading.placeholder)
      return [finding(view, 'fail', `payment still has placeholder text ${quote(reading.placeholder)}`)];
    const out: RuleFinding[] = [];
    const status = reading.parts.status;
    const { confirmed, blocking } = input.playbook.payment;
    if (!status)
      out.push(
        finding(
          view,
          'fail',
          `the payment status is missing or unknown in ${quote(view.entry.value)}; it must be one of ${confirmed.join(', ')}`,
        ),
      );
    else if (blocking.includes(status)) {
      out.push(
        finding(
          view,
          'fail',
          `payment is still ${status}; the handoff is blocked until it is received or processing is initiated (SOP Section 7)`,
        ),
      );
    } else if (!confirmed.includes(status))
      out.push(finding(view, 'fail', `payment status "${status}" is not one of ${confirmed.join(', ')}`));
    const date = reading.parts.date;
    if (!date) out.push(finding(view, 'fail', 'the payment date is missing (e.g. 2026-05-13)'));
    else {
      const today = localDay(input.submittedAt, input.calendar).iso;
      if (date > today)
        out.push(finding(view, 'fail', `the payment date ${date} is in the future (today is ${today})`));
    }
    return out;
  },
};
