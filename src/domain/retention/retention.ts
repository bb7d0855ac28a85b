// Archive retention (SOP Section 8): handoff packets and reports are kept for the life of the customer
// relationship plus N years (playbook `retention.yearsAfterRelationshipEnds`, 2 by default), then purged;
// never while a legal hold is set.
//
// Rule: "retained until" is the relationship's end date plus N years (29 February plus years lands on
// 28 February). The archive is kept through that whole day, in the company's time zone, and may be
// purged from the next day on. A handoff with no recorded end of relationship is kept indefinitely.

import { Temporal } from 'temporal-polyfill';
import type { HandoffState, IsoDate, IsoInstant, LegalHoldRecord } from '../workflow/types.ts';

/** The last day the archive of a relationship that ended on `endedOn` is kept. */
export function retainedUntil(endedOn: IsoDate, years: number): IsoDate {
  return Temporal.PlainDate.from(endedOn).add({ years }, { overflow: 'constrain' }).toString();
}

/** The legal hold in force on a handoff, if any: the last one set, while it is unreleased. */
export function activeHold(state: HandoffState): LegalHoldRecord | null {
  const last = state.retention?.holds.at(-1);
  return last && last.releasedAt === null ? last : null;
}

/**
 * Where a handoff stands for retention on `today` (a date in the company's zone), in order of precedence:
 * purged already; on legal hold; relationship not ended; retained (within retention); due for purge.
 */
export type RetentionStatus =
  | { status: 'purged'; purgedAt: IsoInstant; relationshipEndedOn: IsoDate | null }
  | {
      status: 'on-hold';
      hold: LegalHoldRecord;
      relationshipEndedOn: IsoDate | null;
      retainedUntil: IsoDate | null;
    }
  | { status: 'relationship-active' }
  | { status: 'retained'; relationshipEndedOn: IsoDate; retainedUntil: IsoDate }
  | { status: 'due'; relationshipEndedOn: IsoDate; retainedUntil: IsoDate };

export function retentionStatus(state: HandoffState, today: IsoDate, years: number): RetentionStatus {
  const endedOn = state.retention?.relationshipEnded?.on ?? null;
  if (state.purgedAt) return { status: 'purged', purgedAt: state.purgedAt, relationshipEndedOn: endedOn };
  const until = endedOn ? retainedUntil(endedOn, years) : null;
  const hold = activeHold(state);
  if (hold) return { status: 'on-hold', hold, relationshipEndedOn: endedOn, retainedUntil: until };
  if (!endedOn || !until) return { status: 'relationship-active' };
  return Temporal.PlainDate.compare(Temporal.PlainDate.from(today), Temporal.PlainDate.from(until)) > 0
    ? { status: 'due', relationshipEndedOn: endedOn, retainedUntil: until }
    : { status: 'retained', relationshipEndedOn: endedOn, retainedUntil: until };
}

export type PlanRow = { sow: string } & RetentionStatus;

/** Every handoff's retention status on `today`, by SOW; the `due` ones are what a purge removes. */
export function purgePlan(states: Iterable<HandoffState>, today: IsoDate, years: number): PlanRow[] {
  const rows: PlanRow[] = [];
  for (const state of states)
    if (state.sow) rows.push({ sow: state.sow, ...retentionStatus(state, today, years) });
  return rows.sort((a, b) => (a.sow < b.sow ? -1 : a.sow > b.sow ? 1 : 0));
}
