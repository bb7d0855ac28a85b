import type { CheckStatus, GateCheckId } from '../gate/index.ts';
import type { ClockId } from '../playbook/index.ts';

export const roles = ['cro', 'sales.ops', 'customer.success', 'chief.staff', 'ceo'] as const;
export type Role = (typeof roles)[number];
/** Non-people: the sweep and the dispatcher act as `system`. */
export type ActorRole = Role | 'system';

export const interfaces = ['cli', 'http', 'web', 'mcp', 'slack', 'system'] as const;
export type Via = (typeof interfaces)[number];

export interface ActorRef {
  role: ActorRole;
  name: string;
  via: Via;
  /** sales.ops acting on the CRO's behalf records the CRO's role here. */
  onBehalfOf?: string;
}

export const handoffStates = ['opened', 'submitted', 'rejected', 'acknowledged', 'scheduled'] as const;
export type HandoffStateName = (typeof handoffStates)[number];

export const paymentStatuses = ['received', 'processing', 'pending'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/** ISO instant strings everywhere in events: `at` in UTC, deadlines with the company zone's offset. */
export type IsoInstant = string;
/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

export interface GateSummary {
  verdict: CheckStatus;
  checks: { id: GateCheckId; status: CheckStatus }[];
}

export interface ClockRecord {
  clock: ClockId;
  /** 1, 2, ... per clock id (each submission starts a new ackDue clock, and so on). */
  seq: number;
  startedAt: IsoInstant;
  due: IsoInstant;
  status: 'open' | 'met' | 'missed';
  metAt: IsoInstant | null;
  missedAt: IsoInstant | null;
  /** Met after its deadline (late): the miss was recorded first, or it was met late between sweeps. */
  late: boolean;
}

export const escalationKinds = [
  'gate-failed-twice',
  'expectation-misaligned',
  'misalignment-mediation',
  'timeline-unachievable',
  'scope-deviation',
  'discovery-not-scheduled',
  'quality-concern',
] as const;
export type EscalationKind = (typeof escalationKinds)[number];

export interface EscalationRecord {
  id: string;
  kind: EscalationKind;
  status: 'open' | 'resolved';
  owners: Role[];
  informed: Role[];
  openedAt: IsoInstant;
  due: IsoInstant | null;
  overdueAt: IsoInstant | null;
  reason: string;
  resolvedAt: IsoInstant | null;
  resolvedBy: string | null;
  resolution: string | null;
}

export interface IncidentRecord {
  id: string;
  severity: 'SEV1' | 'SEV2' | 'SEV3';
  status: 'open' | 'closed';
  escalationId: string;
  title: string;
  filedAt: IsoInstant;
  path: string;
  closedAt: IsoInstant | null;
}

export interface SubmissionRecord {
  n: number;
  at: IsoInstant;
  by: ActorRef;
  packetPath: string;
  frozenPath: string;
  sha256: string;
  gate: GateSummary;
  attested: { check: GateCheckId; reason: string; by: string; at: IsoInstant }[];
}

export interface RejectionRecord {
  n: number;
  submission: number;
  at: IsoInstant;
  by: ActorRef;
  checks: GateCheckId[];
  reason: string;
}

export interface HandoffState {
  sow: string | null;
  state: HandoffStateName | null;
  version: number;
  openedAt: IsoInstant | null;
  openedBy: ActorRef | null;
  soldOn: IsoDate | null;
  sowSignedOn: IsoDate | null;
  payment: { status: PaymentStatus; confirmedAt: IsoInstant | null } | null;
  submissions: SubmissionRecord[];
  rejections: RejectionRecord[];
  acknowledgement: {
    at: IsoInstant;
    by: ActorRef;
    submission: number;
    attestations: { check: GateCheckId; reason: string }[];
  } | null;
  discovery: { at: IsoInstant; scheduledAt: IsoInstant; by: ActorRef } | null;
  introduction: { at: IsoInstant; by: ActorRef } | null;
  ceoApprovals: { at: IsoInstant; by: string; note: string }[];
  flags: { at: IsoInstant; by: string; note: string }[];
  clocks: ClockRecord[];
  escalations: EscalationRecord[];
  incidents: IncidentRecord[];
  warnings: string[];
  purgedAt: IsoInstant | null;
  /**
   * Archive retention (SOP Section 8): present once a governance event happened on the handoff. Optional
   * so that a handoff's state without one is exactly as before these events existed.
   */
  retention?: RetentionRecord;
}

/** A legal hold, set and (perhaps) released; while one is unreleased nothing of the handoff is purged. */
export interface LegalHoldRecord {
  reason: string;
  setAt: IsoInstant;
  setBy: string;
  releasedAt: IsoInstant | null;
  releasedBy: string | null;
  releaseNote: string | null;
}

export interface RetentionRecord {
  /** The end of the customer relationship, as last recorded (a correction replaces it). */
  relationshipEnded: { on: IsoDate; at: IsoInstant; by: string } | null;
  /** Every hold, oldest first; the handoff is on hold while the last one is unreleased. */
  holds: LegalHoldRecord[];
}

/** A workflow event as decided: the store adds stream, version and hash. */
export interface HandoffEvent<T extends string = string, D = Record<string, unknown>> {
  type: T;
  data: D;
  /** Purgeable personal data (names, emails, finding texts that quote contacts). */
  personal?: Record<string, unknown>;
  at: IsoInstant;
  actor: ActorRef;
}
