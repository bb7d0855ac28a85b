import type { Temporal } from 'temporal-polyfill';
import type { BusinessCalendar } from '../calendar/index.ts';
import { fieldView, finding, quote } from './field-access.ts';
import {
  addToDay,
  businessDaysAfterDay,
  compareDays,
  type Day,
  dayFromIso,
  localDay,
  nthBusinessDay,
} from './timeline-days.ts';
import { type PromiseAnchor, readTimelinePromises, type TimelinePromise } from './timeline-text.ts';
import type { GateInput, GateRule, RuleFinding } from './types.ts';

type Duration = Extract<TimelinePromise, { kind: 'duration' }>;

function addDuration(from: Day, p: Duration, calendar: BusinessCalendar): Day {
  switch (p.unit) {
    case 'business-days':
      return nthBusinessDay(from, p.amount, calendar);
    case 'days':
    case 'weeks':
    case 'months':
      return addToDay(from, p.amount, p.unit);
  }
}

/** The dates the gate reasons from, all in the company's calendar. */
export interface TimelineFacts {
  submitted: Temporal.PlainDate;
  ackDue: Temporal.PlainDate;
  earliestDiscovery: Temporal.PlainDate;
  earliestReadout: Temporal.PlainDate;
  sowSigned?: Temporal.PlainDate;
  discoveryLimit?: Temporal.PlainDate;
  paid?: Temporal.PlainDate;
}

/** TimelineFacts as the check works with them. */
interface Facts {
  submitted: Day;
  ackDue: Day;
  earliestDiscovery: Day;
  earliestReadout: Day;
  sowSigned?: Day;
  discoveryLimit?: Day;
  paid?: Day;
}

function factsOf(input: GateInput): Facts {
  const { playbook, calendar } = input;
  const ackDays = playbook.clocks.find((c) => c.id === 'ackDue')?.businessDays ?? 1;
  const ackDue = businessDaysAfterDay(input.submittedAt, ackDays, calendar);
  const earliestDiscovery = nthBusinessDay(ackDue, 1, calendar);
  const earliestReadout = nthBusinessDay(
    earliestDiscovery,
    playbook.timeline.minBusinessDaysDiscoveryToReadout,
    calendar,
  );
  const facts: Facts = {
    submitted: localDay(input.submittedAt, calendar),
    ackDue,
    earliestDiscovery,
    earliestReadout,
  };
  const sow = input.packet.readings.sowSigned?.parts.date;
  if (sow) {
    facts.sowSigned = dayFromIso(sow);
    facts.discoveryLimit = nthBusinessDay(
      facts.sowSigned,
      playbook.timeline.discoveryWithinBusinessDaysOfSow,
      calendar,
    );
  }
  const paid = input.packet.readings.paymentConfirmed?.parts.date;
  if (paid) facts.paid = dayFromIso(paid);
  return facts;
}

export function timelineFacts(input: GateInput): TimelineFacts {
  const facts = factsOf(input);
  const out: TimelineFacts = {
    submitted: facts.submitted.date,
    ackDue: facts.ackDue.date,
    earliestDiscovery: facts.earliestDiscovery.date,
    earliestReadout: facts.earliestReadout.date,
  };
  if (facts.sowSigned) out.sowSigned = facts.sowSigned.date;
  if (facts.discoveryLimit) out.discoveryLimit = facts.discoveryLimit.date;
  if (facts.paid) out.paid = facts.paid.date;
  return out;
}

const cmp = compareDays;

/** The latest date a promise allows, counted from one anchor date. */
function promisedBy(
  p: TimelinePromise,
  anchor: Day | undefined,
  calendar: BusinessCalendar,
): Day | undefined {
  if (p.kind === 'date') return dayFromIso(p.date);
  return anchor ? addDuration(anchor, p, calendar) : undefined;
}

function anchorDate(anchor: PromiseAnchor, facts: Facts): Day | undefined {
  switch (anchor) {
    case 'discovery':
      return facts.earliestDiscovery;
    case 'sow':
      return facts.sowSigned;
    case 'payment':
      return facts.paid;
    case 'submission':
      return facts.submitted;
    // Acknowledgement may come as late as it is due; the earliest discovery is counted from then too.
    case 'acknowledgement':
      return facts.ackDue;
    case 'none':
      return undefined;
  }
}

/** Judges one promise: a fail or review message, or undefined when it can be kept. */
function judge(
  p: TimelinePromise,
  facts: Facts,
  input: GateInput,
): { status: 'fail' | 'review'; message: string } | undefined {
  const { calendar } = input;
  const minDays = input.playbook.timeline.minBusinessDaysDiscoveryToReadout;
  const sowDays = input.playbook.timeline.discoveryWithinBusinessDaysOfSow;
  const earliest = p.subject === 'discovery' ? facts.earliestDiscovery : facts.earliestReadout;
  const what = p.subject === 'discovery' ? 'discovery' : 'the readout';
  const why = () =>
    p.subject === 'discovery'
      ? `discovery can be no sooner than ${facts.earliestDiscovery.iso} (the business day after acknowledgement is due, ${facts.ackDue.iso})`
      : `the readout can be no sooner than ${facts.earliestReadout.iso} (${minDays} business days after the earliest discovery, ${facts.earliestDiscovery.iso})`;
  let by: Day | undefined;
  if (p.kind === 'duration' && p.anchor === 'none') {
    // No anchor named: feasible counted from the earliest plausible start (SOW signing) passes; infeasible
    // even from the latest (submission) fails; in between a person must read it.
    const fromLatest = promisedBy(p, facts.submitted, calendar)!;
    const fromEarliest = promisedBy(p, facts.sowSigned ?? facts.submitted, calendar)!;
    if (cmp(fromLatest, earliest) < 0)
      return { status: 'fail', message: `${quote(p.text)} is too soon for ${what}: ${why()}` };
    if (cmp(fromEarliest, earliest) < 0) {
      return {
        status: 'review',
        message: `${quote(p.text)} does not say from when; counted from SOW signing it is too soon (${why()}); say what it counts from`,
      };
    }
    by = fromEarliest;
  } else {
    const anchor = p.kind === 'duration' ? anchorDate(p.anchor, facts) : undefined;
    by = promisedBy(p, anchor, calendar);
    if (!by)
      return { status: 'review', message: `${quote(p.text)} counts from a date the packet does not give` };
    if (cmp(by, earliest) < 0)
      return { status: 'fail', message: `${quote(p.text)} promises ${what} by ${by.iso}, but ${why()}` };
  }
  if (p.subject === 'discovery' && facts.discoveryLimit && cmp(by, facts.discoveryLimit) > 0) {
    return {
      status: 'fail',
      message: `${quote(p.text)} promises discovery as late as ${by.iso}, past the SOW's limit of ${sowDays} business days from signing (${facts.discoveryLimit.iso})`,
    };
  }
  return undefined;
}

export const timelineAlignment: GateRule = {
  id: 'timeline-alignment',
  title: 'Timeline alignment',
  run(input) {
    const view = fieldView(input, 'timelinePromised');
    if (!view.filled || !view.entry) {
      return [
        finding(view, 'review', 'no delivery timeline is given, so it cannot be checked against the SOW'),
      ];
    }
    const facts = factsOf(input);
    const defaultYear = (facts.sowSigned ?? facts.submitted).year;
    const promises = readTimelinePromises(view.entry.value, { defaultYear });
    if (promises.length === 0) {
      return [
        finding(
          view,
          'review',
          `cannot read a date or a duration in ${quote(view.entry.value)}; write e.g. "readout within 3 weeks of the discovery session" or "readout by 2026-06-12"`,
        ),
      ];
    }
    const out: RuleFinding[] = [];
    for (const p of promises) {
      const verdict = judge(p, facts, input);
      if (verdict) out.push(finding(view, verdict.status, verdict.message));
    }
    return out;
  },
};
