// Three handoffs around Independence Day 2026 (observed Friday 2026-07-03), New York time (UTC-4):
//
//   A SOW-2026-031  opened Thu Jul 2 (W27); v1 Mon Jul 6 10:00 fails contacts-complete, rejected 14:00;
//                   v2 Tue Jul 7 10:00, acknowledged 14:00; discovery scheduled Wed Jul 8 10:00.
//   B SOW-2026-032  opened Wed Jul 1 (W27); v1 Thu Jul 2 16:00, acknowledged Mon Jul 6 11:00 (across the
//                   holiday and the weekend); never scheduled: the sweep of Thu Jul 9 records the kickoff
//                   and discovery clocks missed, a discovery-not-scheduled escalation and a SEV2 incident.
//   C SOW-2026-033  opened Mon Jul 6 (W28); v1 Mon 15:00 fails required-fields and contacts-complete,
//                   rejected Tue Jul 7 09:30; v2 Fri Jul 10 10:00 (remediation late) fails contacts-complete,
//                   rejected Mon Jul 13 10:00 (W29): the gate failed twice (escalation and SEV2 incident).
//
// Now: Fri Jul 17 12:00. ISO weeks: W27 = Jun 29-Jul 5, W28 = Jul 6-12, W29 = Jul 13-19.

import type { HandoffHistory } from '../../../src/domain/metrics/index.ts';
import type { HandoffCommand } from '../../../src/domain/workflow/index.ts';
import {
  ack,
  calendar,
  carla,
  casey,
  chris,
  gate,
  history,
  open,
  playbook,
  reject,
  schedule,
  submit,
  sweep,
  system,
} from '../workflow/workflow-fixture.ts';

export { calendar, playbook };

export const NOW = '2026-07-17T16:00:00Z';
export const A = 'SOW-2026-031';
export const B = 'SOW-2026-032';
export const C = 'SOW-2026-033';

const opening = (sow: string, sowSignedOn: string, confirmedAt: string): HandoffCommand =>
  open({ sow, sowSignedOn, payment: { status: 'received', confirmedAt } });

export function historyA(): HandoffHistory {
  return {
    sow: A,
    events: history(
      [opening(A, '2026-06-30', '2026-07-02T15:00:00Z'), carla, '2026-07-02T16:00:00Z'],
      [submit(gate({ 'contacts-complete': 'fail' })), carla, '2026-07-06T14:00:00Z'],
      [reject(), casey, '2026-07-06T18:00:00Z'],
      [submit(), carla, '2026-07-07T14:00:00Z'],
      [ack(), casey, '2026-07-07T18:00:00Z'],
      [schedule('2026-07-08T19:00:00Z'), casey, '2026-07-08T14:00:00Z'],
    ),
  };
}

const review = gate({ 'crm-item-exists': 'review' });

export function historyB(): HandoffHistory {
  return {
    sow: B,
    events: history(
      [opening(B, '2026-06-30', '2026-07-01T13:00:00Z'), carla, '2026-07-01T13:00:00Z'],
      [submit(review), carla, '2026-07-02T20:00:00Z'],
      [
        ack(review, [{ check: 'crm-item-exists', reason: 'checked on the board' }]),
        casey,
        '2026-07-06T15:00:00Z',
      ],
      [sweep(), system, '2026-07-09T13:00:00Z'],
    ),
  };
}

export function historyC(): HandoffHistory {
  return {
    sow: C,
    events: history(
      [opening(C, '2026-07-06', '2026-07-06T13:00:00Z'), carla, '2026-07-06T13:00:00Z'],
      [
        submit(gate({ 'required-fields': 'fail', 'contacts-complete': 'fail' })),
        carla,
        '2026-07-06T19:00:00Z',
      ],
      [reject(), casey, '2026-07-07T13:30:00Z'],
      [submit(gate({ 'contacts-complete': 'fail' })), carla, '2026-07-10T14:00:00Z'],
      [reject(), casey, '2026-07-13T14:00:00Z'],
    ),
  };
}

export const histories = (): HandoffHistory[] => [historyA(), historyB(), historyC()];
export const options = { playbook, calendar, now: NOW };
export { chris };
