import type { Temporal } from 'temporal-polyfill';
import type { BusinessCalendar } from '../calendar/index.ts';
import type { Packet } from '../packet/index.ts';
import type { Playbook } from '../playbook/index.ts';

export const gateCheckIds = [
  'required-fields',
  'sow-accessible',
  'payment-confirmed',
  'timeline-alignment',
  'scope-alignment',
  'expectation-alignment',
  'contacts-complete',
  'crm-item-exists',
] as const;
export type GateCheckId = (typeof gateCheckIds)[number];
export type CheckStatus = 'pass' | 'fail' | 'review';

export interface Finding {
  /** The field's label (playbook spelling). */
  field: string;
  line: number;
  message: string;
}

/** A finding with the status it implies; the check's status is the worst of its findings. */
export interface RuleFinding extends Finding {
  status: 'fail' | 'review';
}

/** What a file link points at, as seen from the knowledge root. Answered by the app, not the domain. */
export type FileProbeResult =
  | { kind: 'file'; size: number }
  | { kind: 'missing' }
  | { kind: 'directory' }
  | { kind: 'outside-root'; reason: string };
export type FileProbe = (pathUnderRoot: string) => FileProbeResult;

/** The live monday.com lookup, done by the app before the gate runs. Absent: monday.com is not configured. */
export type CrmLookup =
  | { kind: 'found'; status: string; expectedStatuses: string[] }
  | { kind: 'missing' }
  | { kind: 'unreachable'; reason: string };

export interface GateInput {
  packet: Packet;
  playbook: Playbook;
  calendar: BusinessCalendar;
  /** When the packet is (or would be) submitted: now, outside a workflow. */
  submittedAt: Temporal.Instant;
  files: FileProbe;
  /** The CEO's approval of a scope deviation, from the program's own record. Never from the packet. */
  ceoApproval?: { by: string; at: string; note: string };
  crm?: CrmLookup;
}

export interface GateRule {
  id: GateCheckId;
  /** The SOP's name for the check. */
  title: string;
  run(input: GateInput): RuleFinding[];
}

export interface CheckResult {
  id: GateCheckId;
  title: string;
  status: CheckStatus;
  findings: Finding[];
}

export interface GateResult {
  verdict: CheckStatus;
  checks: CheckResult[];
}
