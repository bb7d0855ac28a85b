import { activeHold } from '../retention/retention.ts';
import {
  type CommandType,
  commandNames,
  type GovernanceCommandType,
  governanceCommandNames,
} from './commands.ts';
import { WorkflowRefusal } from './refusal.ts';
import type { ActorRef, ActorRole, HandoffState } from './types.ts';

/** Who may run each command (handoff-rules.md, Roles). `resolve` is further narrowed per escalation. */
export const commandRoles: Record<CommandType, readonly ActorRole[]> = {
  open: ['cro', 'sales.ops'],
  recordPayment: ['cro', 'sales.ops'],
  submit: ['cro', 'sales.ops'],
  attest: ['customer.success'],
  acknowledge: ['customer.success'],
  reject: ['customer.success'],
  schedule: ['customer.success'],
  introduce: ['cro'],
  approveDeviation: ['ceo'],
  flag: ['chief.staff'],
  resolve: ['cro', 'sales.ops', 'customer.success', 'chief.staff', 'ceo'],
  sweep: ['cro', 'sales.ops', 'customer.success', 'chief.staff', 'ceo', 'system'],
};

/** Commands where the seller's side may never act: separation of duties. */
const reviewCommands: ReadonlySet<CommandType> = new Set(['attest', 'acknowledge', 'reject']);

/** Everyone who submitted a version of this handoff's packet. */
export function submitters(state: HandoffState): Set<string> {
  return new Set(state.submissions.map((s) => s.by.name));
}

/** The seller's side of this handoff by name: whoever opened it or submitted a version of it. */
function sellers(state: HandoffState): string[] {
  return [...submitters(state), ...(state.openedBy ? [state.openedBy.name] : [])];
}

/** A person's name as compared for separation of duties: case, spacing and Unicode form do not matter. */
const personKey = (name: string): string => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/** Why `actor` may not run `type` on this handoff now, or null when the command is allowed (arguments aside). */
export function guard(type: CommandType, state: HandoffState, actor: ActorRef): WorkflowRefusal | null {
  const name = commandNames[type];
  const sow = state.sow ?? 'this handoff';
  if (state.purgedAt)
    return new WorkflowRefusal(
      'purged',
      `${sow} was purged at ${state.purgedAt} after its retention period; nothing more can be done on it`,
    );
  if (reviewCommands.has(type)) {
    if (actor.role === 'cro')
      return new WorkflowRefusal(
        'separation-of-duties',
        `the cro owns the deal and can never ${name} its handoff; customer.success reviews it`,
      );
    if (sellers(state).some((seller) => personKey(seller) === personKey(actor.name)))
      return new WorkflowRefusal(
        'separation-of-duties',
        `${actor.name} sold or submitted ${sow} and so can never ${name} it; another customer.success member must review it`,
      );
  }
  if (!commandRoles[type].includes(actor.role))
    return new WorkflowRefusal(
      'role-not-allowed',
      `${actor.role} may not ${name}; only ${commandRoles[type].join(' or ')} may`,
    );
  if (type === 'open')
    return state.state === null
      ? null
      : new WorkflowRefusal(
          'already-open',
          `${sow} is already open (state ${state.state}); see baton status ${sow}`,
        );
  if (state.state === null)
    return new WorkflowRefusal('not-open', `there is no open handoff for this SOW; open it with baton open`);
  switch (type) {
    case 'submit':
      if (state.state === 'submitted')
        return new WorkflowRefusal(
          'awaiting-review',
          `${sow} was submitted and awaits customer.success's acknowledgement or rejection; a new version can be submitted after a rejection`,
        );
      if (state.state === 'acknowledged' || state.state === 'scheduled')
        return new WorkflowRefusal('already-acknowledged', `${sow} was acknowledged; the packet is final`);
      if (state.payment?.status === 'pending')
        return new WorkflowRefusal(
          'payment-not-confirmed',
          `payment for ${sow} is pending; the handoff is blocked until payment is received or processing (record it with baton payment ${sow})`,
          { field: 'payment' },
        );
      return null;
    case 'acknowledge':
      if (state.escalations.some((e) => e.kind === 'scope-deviation' && e.status === 'open'))
        return new WorkflowRefusal(
          'scope-deviation-unapproved',
          `${sow} states a scope deviation the CEO has not approved; it cannot be acknowledged until the CEO approves (baton approve-deviation) or the packet is fixed and resubmitted`,
        );
      return state.state === 'submitted'
        ? null
        : new WorkflowRefusal(
            'nothing-to-review',
            `${sow} has no submitted packet awaiting review (state ${state.state})`,
          );
    case 'attest':
    case 'reject':
      return state.state === 'submitted'
        ? null
        : new WorkflowRefusal(
            'nothing-to-review',
            `${sow} has no submitted packet awaiting review (state ${state.state})`,
          );
    case 'schedule':
      return state.state === 'acknowledged' || state.state === 'scheduled'
        ? null
        : new WorkflowRefusal(
            'discovery-before-acknowledgement',
            `discovery scheduling for ${sow} is blocked until customer.success acknowledges the packet (state ${state.state})`,
          );
    case 'resolve':
      return state.escalations.some((e) => e.status === 'open')
        ? null
        : new WorkflowRefusal('no-open-escalation', `${sow} has no open escalation`);
    default:
      return null;
  }
}

/** The commands `actor` may run on this handoff now (ignoring arguments), by their interface names. */
export function allowedCommands(state: HandoffState, actor: ActorRef): string[] {
  return (Object.keys(commandRoles) as CommandType[])
    .filter((type) => guard(type, state, actor) === null)
    .map((type) => commandNames[type]);
}

/** Throws the refusal with the allowed commands filled in. */
export function refuse(refusal: WorkflowRefusal, state: HandoffState, actor: ActorRef): never {
  refusal.allowed = allowedCommands(state, actor);
  throw refusal;
}

/**
 * Who may run each governance command. The end of a relationship is recorded by whoever owns it or
 * oversees it (cro, chief.staff, ceo); legal holds and purges are the Chief of Staff's or the CEO's.
 */
export const governanceCommandRoles: Record<GovernanceCommandType, readonly ActorRole[]> = {
  endRelationship: ['cro', 'chief.staff', 'ceo'],
  setLegalHold: ['chief.staff', 'ceo'],
  releaseLegalHold: ['chief.staff', 'ceo'],
  purge: ['chief.staff', 'ceo'],
};

/** Why `actor` may not run a governance command on this handoff now, or null (arguments and dates aside). */
export function governanceGuard(
  type: GovernanceCommandType,
  state: HandoffState,
  actor: ActorRef,
): WorkflowRefusal | null {
  const name = governanceCommandNames[type];
  const sow = state.sow ?? 'this handoff';
  if (!governanceCommandRoles[type].includes(actor.role))
    return new WorkflowRefusal(
      'role-not-allowed',
      `${actor.role} may not ${name}; only ${governanceCommandRoles[type].join(' or ')} may`,
    );
  if (state.state === null)
    return new WorkflowRefusal('not-open', `there is no handoff for this SOW; nothing is archived for it`);
  if (state.purgedAt)
    return new WorkflowRefusal(
      'purged',
      `${sow} was purged at ${state.purgedAt}; its archive and personal data are gone`,
    );
  const hold = activeHold(state);
  if (type === 'setLegalHold' && hold)
    return new WorkflowRefusal(
      'already-on-hold',
      `${sow} is already on legal hold since ${hold.setAt} (${hold.reason}); release it first to set another`,
    );
  if (type === 'releaseLegalHold' && !hold)
    return new WorkflowRefusal('not-on-hold', `${sow} is not on legal hold`);
  return null;
}

/** The governance commands `actor` may run on this handoff now, by their interface names. */
export function allowedGovernanceCommands(state: HandoffState, actor: ActorRef): string[] {
  return (Object.keys(governanceCommandRoles) as GovernanceCommandType[])
    .filter((type) => governanceGuard(type, state, actor) === null)
    .map((type) => governanceCommandNames[type]);
}
