import type { CheckResult, GateCheckId } from '../gate/index.ts';
import type { IsoDate, IsoInstant, PaymentStatus } from './types.ts';

/** The gate's answer as the workflow needs it (run by the app on the frozen file, without attestations). */
export interface GateOutcome {
  verdict: 'pass' | 'fail' | 'review';
  checks: CheckResult[];
}

export type HandoffCommand =
  | {
      type: 'open';
      sow: string;
      sowSignedOn: IsoDate;
      soldOn?: IsoDate;
      payment: { status: PaymentStatus; confirmedAt: IsoInstant | null };
    }
  | { type: 'recordPayment'; status: PaymentStatus; confirmedAt: IsoInstant | null }
  | { type: 'submit'; packetPath: string; frozenPath: string; sha256: string; gate: GateOutcome }
  | { type: 'attest'; check: GateCheckId; reason: string; gate: GateOutcome }
  | { type: 'acknowledge'; attestations: { check: GateCheckId; reason: string }[]; gate: GateOutcome }
  | { type: 'reject'; checks: GateCheckId[]; reason?: string }
  | { type: 'schedule'; discoveryAt: IsoInstant }
  | { type: 'introduce'; to: { role: string; name: string; email: string }[] }
  | { type: 'approveDeviation'; note: string }
  | { type: 'flag'; note: string }
  | { type: 'resolve'; escalationId: string; note: string }
  | { type: 'sweep' };

export type CommandType = HandoffCommand['type'];

/** The CLI's (and every interface's) name for each command, used in refusals' "what you may do". */
export const commandNames: Record<CommandType, string> = {
  open: 'open',
  recordPayment: 'payment',
  submit: 'submit',
  attest: 'attest',
  acknowledge: 'ack',
  reject: 'reject',
  schedule: 'schedule',
  introduce: 'intro',
  approveDeviation: 'approve-deviation',
  flag: 'flag',
  resolve: 'resolve',
  sweep: 'sweep',
};

/**
 * Governance commands (SOP Section 8, archive and retention): recorded on the handoff's own stream, but
 * not steps of the handoff, so they are kept apart from `HandoffCommand` and its "what you may do" lists.
 */
export type GovernanceCommand =
  /** The customer relationship ended on `endedOn`; `company` is how it was named (kept as personal data). */
  | { type: 'endRelationship'; endedOn: IsoDate; company?: string }
  | { type: 'setLegalHold'; reason: string }
  | { type: 'releaseLegalHold'; note?: string }
  /** Purge the handoff's personal data; `files` are the archived files the app will remove (root-relative). */
  | { type: 'purge'; files: string[] };

export type GovernanceCommandType = GovernanceCommand['type'];

export const governanceCommandNames: Record<GovernanceCommandType, string> = {
  endRelationship: 'relationship-ended',
  setLegalHold: 'hold',
  releaseLegalHold: 'release',
  purge: 'purge',
};

export function isGovernanceCommand(command: { type: string }): command is GovernanceCommand {
  return Object.hasOwn(governanceCommandNames, command.type);
}
