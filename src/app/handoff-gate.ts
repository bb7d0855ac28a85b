/**
 * The gate as the workflow runs it on a handoff's packet: with what the record knows (the CEO's approval,
 * attestations) and the live monday.com lookup. One path for submit, ack and attest (handoffs.ts) and for
 * the gate queries (gate-queries.ts), and the one integrity check of a frozen copy against its hash.
 */
import type { Temporal } from 'temporal-polyfill';
import type { CrmLookup, GateCheckId } from '../domain/gate/index.ts';
import type { HandoffState, SubmissionRecord } from '../domain/workflow/index.ts';
import { sha256Hex } from '../store/index.ts';
import { AppError } from './errors.ts';
import { type GateReport, gateParsedPacket, parsePacketText } from './gate-packet.ts';
import type { Baton } from './handoff-context.ts';

export interface GateContext {
  /** When the packet was (or would be) submitted. */
  submittedAt: Temporal.Instant;
  /** The handoff, when there is one: its latest CEO approval counts. */
  state?: HandoffState;
  attested?: ReadonlySet<GateCheckId>;
}

/** Parses the packet once: for its monday.com item id (looked up live when configured), then the gate. */
export async function gateWithContext(
  baton: Baton,
  text: string,
  file: string,
  context: GateContext,
): Promise<GateReport> {
  const parsed = parsePacketText(text, file, baton.playbook);
  // The monday.com item id, as the gate reads it (an id or an item URL).
  const dealId = parsed.packet.readings.dealId?.parts.item;
  const crm: { crm?: CrmLookup } = baton.crm && dealId ? { crm: await baton.crm(dealId) } : {};
  const approval = context.state?.ceoApprovals.at(-1);
  return gateParsedPacket(parsed, file, {
    playbook: baton.playbook,
    root: baton.root,
    submittedAt: context.submittedAt,
    ...(approval ? { ceoApproval: { by: approval.by, at: approval.at, note: approval.note } } : {}),
    ...(context.attested ? { attested: context.attested } : {}),
    ...crm,
  });
}

/** Throws a `conflict` when a frozen copy's text is not what was submitted (its recorded sha256). */
export function checkFrozenCopy(
  submission: Pick<SubmissionRecord, 'frozenPath' | 'sha256'>,
  text: string,
  where = 'file',
): void {
  if (sha256Hex(text) !== submission.sha256)
    throw new AppError(
      'conflict',
      `the frozen copy ${submission.frozenPath} no longer matches the sha256 recorded at submission; run baton verify and resubmit`,
      where,
    );
}
