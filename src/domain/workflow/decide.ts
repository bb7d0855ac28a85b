import { Temporal } from 'temporal-polyfill';
import {
  type BusinessCalendar,
  businessDaysAfter,
  formatDeadline,
  localDate,
  nthBusinessDayAfter,
} from '../calendar/index.ts';
import { escalationOfCheck, escalationPolicies } from '../escalation/kinds.ts';
import { type GateCheckId, gateCheckIds } from '../gate/index.ts';
import { isSowNumber } from '../packet/index.ts';
import type { ClockId, Playbook } from '../playbook/index.ts';
import { retentionStatus } from '../retention/retention.ts';
import {
  type GateOutcome,
  type GovernanceCommand,
  type HandoffCommand,
  isGovernanceCommand,
} from './commands.ts';
import { evolve } from './evolve.ts';
import { WorkflowInputError, WorkflowRefusal } from './refusal.ts';
import { allowedGovernanceCommands, governanceGuard, guard, refuse } from './rules.ts';
import type { ActorRef, EscalationKind, EscalationRecord, HandoffEvent, HandoffState } from './types.ts';

export interface DecideContext {
  /** Now, an ISO instant in UTC. */
  now: string;
  actor: ActorRef;
  playbook: Playbook;
  calendar: BusinessCalendar;
}

const instant = (value: string): Temporal.Instant => Temporal.Instant.from(value);
const isBefore = (a: string, b: string): boolean => Temporal.Instant.compare(instant(a), instant(b)) < 0;

/** Collects the events of one decision, folding each into a working state so ids and counts stay right. */
class Decision {
  readonly events: HandoffEvent[] = [];
  state: HandoffState;
  readonly ctx: DecideContext;
  constructor(state: HandoffState, ctx: DecideContext) {
    this.state = state;
    this.ctx = ctx;
  }
  emit(
    type: string,
    data: Record<string, unknown>,
    personal?: Record<string, unknown>,
    actor?: ActorRef,
  ): void {
    const event: HandoffEvent = {
      type,
      data,
      at: this.ctx.now,
      actor: actor ?? this.ctx.actor,
      ...(personal ? { personal } : {}),
    };
    this.events.push(event);
    this.state = evolve(this.state, event);
  }
  businessDays(clock: ClockId): number {
    const spec = this.ctx.playbook.clocks.find((c) => c.id === clock);
    if (!spec) throw new Error(`the playbook has no clock ${clock}`);
    return spec.businessDays;
  }
  deadline(from: string, n: number): string {
    const event = from.length === 10 ? Temporal.PlainDate.from(from) : instant(from);
    return formatDeadline(businessDaysAfter(event, n, this.ctx.calendar));
  }
  startClock(clock: ClockId, from: string): void {
    const seq = this.state.clocks.filter((c) => c.clock === clock).length + 1;
    this.emit('ClockStarted', {
      clock,
      seq,
      startedAt: from,
      due: this.deadline(from, this.businessDays(clock)),
    });
  }
  /** Marks the open clocks of this id met (late when past due). */
  meetClock(clock: ClockId): void {
    for (const c of this.state.clocks) {
      if (c.clock !== clock || c.metAt !== null) continue;
      if (c.status === 'met') continue;
      this.emit('ClockMet', {
        clock,
        seq: c.seq,
        late: c.status === 'missed' || isBefore(c.due, this.ctx.now),
      });
    }
  }
  openEscalation(kind: EscalationKind): EscalationRecord | undefined {
    return this.state.escalations.find((e) => e.kind === kind && e.status === 'open');
  }
  raise(kind: EscalationKind, reason: string, due?: string, findings?: unknown[]): void {
    const policy = escalationPolicies[kind];
    const sow = this.state.sow ?? '';
    const id = `ESC-${sow}-${this.state.escalations.length + 1}`;
    this.emit(
      'EscalationRaised',
      {
        id,
        kind,
        owners: policy.owners,
        informed: policy.informed,
        due: due ?? this.deadline(this.ctx.now, this.ctx.playbook.escalation.resolveWithinBusinessDays),
        reason,
      },
      findings?.length ? { findings } : undefined,
    );
    if (policy.incident) this.fileIncident(id, kind, reason);
  }
  fileIncident(escalationId: string, kind: EscalationKind, reason: string): void {
    const sow = this.state.sow ?? '';
    const day = localDate(instant(this.ctx.now), this.ctx.calendar);
    const stem = `INC-${day.year}-${String(day.month).padStart(2, '0')}${String(day.day).padStart(2, '0')}-${sow.toLowerCase()}-${kind}`;
    const taken = new Set(this.state.incidents.map((i) => i.id));
    let id = stem;
    for (let n = 2; taken.has(id); n++) id = `${stem}-${n}`;
    this.emit('IncidentFiled', {
      id,
      severity: 'SEV2',
      escalationId,
      title: `${sow}: ${escalationPolicies[kind].action.split(':')[0]}`,
      path: `${this.ctx.playbook.paths.incidents}/open/${id}.md`,
      reason,
    });
  }
  resolve(escalation: EscalationRecord, note: string, actor?: ActorRef): void {
    this.emit('EscalationResolved', { id: escalation.id, note }, undefined, actor);
    if (escalation.kind === 'expectation-misaligned' || escalation.kind === 'misalignment-mediation')
      this.meetClock('misalignmentResolveDue');
    for (const incident of this.state.incidents)
      if (incident.escalationId === escalation.id && incident.status === 'open')
        this.emit(
          'IncidentClosed',
          { id: incident.id, path: incident.path.replace('/open/', '/closed/'), note },
          undefined,
          actor,
        );
  }
}

function checkIdOf(value: string, field: string): GateCheckId {
  if ((gateCheckIds as readonly string[]).includes(value)) return value as GateCheckId;
  throw new WorkflowInputError(
    field,
    `${field}: unknown check "${value}"; the checks are ${gateCheckIds.join(', ')}`,
  );
}

function readInstant(value: string, field: string): string {
  try {
    return instant(value).toString();
  } catch {
    throw new WorkflowInputError(
      field,
      `${field}: "${value}" is not an ISO instant with an offset; write e.g. 2026-05-14T10:00:00-04:00`,
    );
  }
}

/** readInstant, refusing an instant after `now`: a payment is recorded once it has been confirmed. */
function readPastInstant(value: string, field: string, now: string): string {
  const at = readInstant(value, field);
  if (isBefore(now, at))
    throw new WorkflowInputError(
      field,
      `${field}: ${value} is in the future (it is now ${now}); record a payment once it has been confirmed`,
    );
  return at;
}

function readDate(value: string, field: string): string {
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' }).toString();
  } catch {
    throw new WorkflowInputError(
      field,
      `${field}: "${value}" is not a date; write YYYY-MM-DD, e.g. 2026-05-12`,
    );
  }
}

/** Gate-derived escalations: raised when their check fails, cleared when a later version passes it. */
function escalateFromGate(decision: Decision, gate: GateOutcome, n: number): void {
  for (const [check, kind] of Object.entries(escalationOfCheck) as [GateCheckId, EscalationKind][]) {
    const result = gate.checks.find((c) => c.id === check);
    if (!result) continue;
    const open = decision.openEscalation(kind);
    if (result.status === 'fail' && !open) {
      // The findings quote the packet (names, emails): they go in the purgeable part, the fields in the reason.
      const fields = [...new Set(result.findings.map((f) => f.field))].join(', ');
      const reason = `submission ${n}: ${check} failed${fields ? ` on ${fields}` : ''}`;
      const findings = result.findings.map((f) => ({ field: f.field, line: f.line, message: f.message }));
      if (kind === 'expectation-misaligned') {
        decision.startClock('misalignmentResolveDue', decision.ctx.now);
        const clock = decision.state.clocks.at(-1);
        decision.raise(kind, reason, clock?.due, findings);
      } else decision.raise(kind, reason, undefined, findings);
    } else if (result.status === 'pass' && open) {
      decision.resolve(open, `${check} passes in submission ${n}`, systemActor);
      if (kind === 'expectation-misaligned') {
        const mediation = decision.openEscalation('misalignment-mediation');
        if (mediation) decision.resolve(mediation, `${check} passes in submission ${n}`, systemActor);
      }
    }
  }
}

const systemActor: ActorRef = { role: 'system', name: 'baton', via: 'system' };

function gateSummary(gate: GateOutcome) {
  return { verdict: gate.verdict, checks: gate.checks.map((c) => ({ id: c.id, status: c.status })) };
}

/**
 * The workflow's decider: the events a command produces on a handoff, or a WorkflowRefusal naming the
 * rule. Pure: time, playbook and calendar come in `ctx`; gate results are computed by the caller.
 */
export function decide(
  command: HandoffCommand | GovernanceCommand,
  state: HandoffState,
  ctx: DecideContext,
): HandoffEvent[] {
  if (isGovernanceCommand(command)) return decideGovernance(command, state, ctx);
  const refusal = guard(command.type, state, ctx.actor);
  if (refusal) refuse(refusal, state, ctx.actor);
  const actor: ActorRef =
    ctx.actor.role === 'sales.ops' && ['open', 'recordPayment', 'submit'].includes(command.type)
      ? { ...ctx.actor, onBehalfOf: 'cro' }
      : ctx.actor;
  const d = new Decision(state, { ...ctx, actor });
  const sow = state.sow ?? '';
  switch (command.type) {
    case 'open': {
      const sowSignedOn = readDate(command.sowSignedOn, 'sow-signed');
      const soldOn = command.soldOn ? readDate(command.soldOn, 'sold') : null;
      const confirmedAt = command.payment.confirmedAt
        ? readPastInstant(command.payment.confirmedAt, 'payment-confirmed', ctx.now)
        : null;
      if (command.payment.status !== 'pending' && !confirmedAt)
        throw new WorkflowInputError(
          'payment-confirmed',
          'payment-confirmed: say when payment was confirmed (an ISO instant), or give --payment-status pending',
        );
      if (!isSowNumber(command.sow))
        throw new WorkflowInputError('sow', `sow: "${command.sow}" is not a SOW number; write SOW-YYYY-NNN`);
      const today = localDate(instant(ctx.now), ctx.calendar);
      if (Temporal.PlainDate.compare(Temporal.PlainDate.from(sowSignedOn), today) > 0)
        throw new WorkflowInputError(
          'sow-signed',
          `sow-signed: ${sowSignedOn} is in the future; a handoff opens once the SOW is signed`,
        );
      const warnings: string[] = [];
      const discoveryLimit = d.deadline(sowSignedOn, ctx.playbook.timeline.discoveryWithinBusinessDaysOfSow);
      if (command.payment.status !== 'pending' && confirmedAt) {
        const packetDue = d.deadline(confirmedAt, d.businessDays('packetDue'));
        const ackDue = d.deadline(packetDue, d.businessDays('ackDue'));
        const kickoffDue = d.deadline(ackDue, d.businessDays('kickoffDue'));
        if (isBefore(discoveryLimit, kickoffDue))
          warnings.push(
            `the clocks cannot all be met for this deal: packet due ${packetDue}, acknowledgement ${ackDue} and kickoff ${kickoffDue} run past the discovery limit ${discoveryLimit} (${ctx.playbook.timeline.discoveryWithinBusinessDaysOfSow} business days from SOW signing); submit early`,
          );
      } else {
        warnings.push(`payment is pending: the handoff is blocked until payment is confirmed`);
      }
      d.emit('HandoffOpened', {
        sow: command.sow,
        soldOn,
        sowSignedOn,
        payment: { status: command.payment.status, confirmedAt },
        warnings,
      });
      d.startClock('discoveryScheduleDue', sowSignedOn);
      if (command.payment.status !== 'pending' && confirmedAt) d.startClock('packetDue', confirmedAt);
      return d.events;
    }
    case 'recordPayment': {
      const confirmedAt = command.confirmedAt
        ? readPastInstant(command.confirmedAt, 'payment-confirmed', ctx.now)
        : null;
      if (command.status !== 'pending' && !confirmedAt)
        throw new WorkflowInputError(
          'payment-confirmed',
          'payment-confirmed: say when payment was confirmed (an ISO instant)',
        );
      const wasConfirmed = state.payment?.status !== 'pending' && state.payment?.confirmedAt;
      d.emit('PaymentRecorded', { status: command.status, confirmedAt });
      if (
        !wasConfirmed &&
        confirmedAt &&
        command.status !== 'pending' &&
        !state.clocks.some((c) => c.clock === 'packetDue')
      )
        d.startClock('packetDue', confirmedAt);
      return d.events;
    }
    case 'submit': {
      const n = state.submissions.length + 1;
      const findings = command.gate.checks.flatMap((c) => c.findings.map((f) => ({ check: c.id, ...f })));
      d.emit(
        'PacketSubmitted',
        {
          n,
          packetPath: command.packetPath,
          frozenPath: command.frozenPath,
          sha256: command.sha256,
          gate: gateSummary(command.gate),
        },
        { findings },
      );
      if (n === 1) d.meetClock('packetDue');
      d.meetClock('remediationDue');
      d.startClock('ackDue', ctx.now);
      escalateFromGate(d, command.gate, n);
      return d.events;
    }
    case 'attest': {
      const current = state.submissions.at(-1);
      const check = checkIdOf(command.check, 'attest');
      const result = command.gate.checks.find((c) => c.id === check);
      if (result?.status !== 'review')
        refuse(
          new WorkflowRefusal(
            'not-a-review',
            `${check} is ${result?.status ?? 'not run'} on submission ${current?.n}; only a check the gate marked review can be attested`,
            { field: check },
          ),
          state,
          actor,
        );
      if (!command.reason.trim())
        throw new WorkflowInputError('attest', `attest: write why ${check} is acceptable (CHECK=REASON)`);
      d.emit('ReviewAttested', { submission: current?.n, check, reason: command.reason.trim() });
      return d.events;
    }
    case 'acknowledge': {
      const current = state.submissions.at(-1);
      if (!current) throw new Error('submitted state without a submission');
      const attested = new Map(current.attested.map((a) => [a.check, a.reason]));
      for (const a of command.attestations) {
        const check = checkIdOf(a.check, 'attest');
        if (!a.reason.trim())
          throw new WorkflowInputError('attest', `attest: write why ${check} is acceptable (CHECK=REASON)`);
        attested.set(check, a.reason.trim());
      }
      const failed = command.gate.checks.filter((c) => c.status === 'fail');
      if (failed.length > 0)
        refuse(
          new WorkflowRefusal(
            'gate-failed',
            `the gate fails on submission ${current.n}: ${failed.map((c) => c.id).join(', ')}; reject it (baton reject ${sow}) so the seller can fix it`,
            { field: failed[0]?.id },
          ),
          state,
          actor,
        );
      const reviews = command.gate.checks.filter((c) => c.status === 'review');
      const unattested = reviews.filter((c) => !attested.has(c.id));
      if (unattested.length > 0)
        refuse(
          new WorkflowRefusal(
            'review-not-attested',
            `the gate needs a written attestation for ${unattested.map((c) => c.id).join(', ')}; add --attest ${unattested[0]?.id}=REASON`,
            { field: unattested[0]?.id },
          ),
          state,
          actor,
        );
      const wrong = [...attested.keys()].filter((check) => !reviews.some((c) => c.id === check));
      if (command.attestations.some((a) => wrong.includes(a.check)))
        refuse(
          new WorkflowRefusal(
            'not-a-review',
            `only checks the gate marked review can be attested; ${wrong.join(', ')} ${wrong.length === 1 ? 'is' : 'are'} not`,
            { field: wrong[0] },
          ),
          state,
          actor,
        );
      for (const a of command.attestations)
        d.emit('ReviewAttested', { submission: current.n, check: a.check, reason: a.reason.trim() });
      d.emit('PacketAcknowledged', {
        submission: current.n,
        sha256: current.sha256,
        attestations: reviews.map((c) => ({ check: c.id, reason: attested.get(c.id) })),
      });
      d.meetClock('ackDue');
      d.startClock('kickoffDue', ctx.now);
      for (const kind of Object.values(escalationOfCheck)) {
        const open = d.openEscalation(kind);
        if (open) d.resolve(open, `the gate passed on submission ${current.n}`, systemActor);
      }
      const mediation = d.openEscalation('misalignment-mediation');
      if (mediation) d.resolve(mediation, `the gate passed on submission ${current.n}`, systemActor);
      return d.events;
    }
    case 'reject': {
      const current = state.submissions.at(-1);
      if (!current) throw new Error('submitted state without a submission');
      const checks =
        command.checks.length > 0
          ? command.checks.map((c) => checkIdOf(c, 'check'))
          : current.gate.checks.filter((c) => c.status === 'fail').map((c) => c.id);
      const reason = command.reason?.trim() ?? '';
      if (checks.length === 0 && !reason)
        throw new WorkflowInputError(
          'check',
          'the gate found no failed check on this version: name the checks at fault (--check ID) or give a --reason',
        );
      const n = state.rejections.length + 1;
      d.emit('PacketRejected', { n, submission: current.n, checks: [...new Set(checks)], reason });
      d.meetClock('ackDue');
      d.startClock('remediationDue', ctx.now);
      const threshold = ctx.playbook.escalation.gateFailuresBeforeEscalation;
      if (n >= threshold && !state.escalations.some((e) => e.kind === 'gate-failed-twice'))
        d.raise(
          'gate-failed-twice',
          `the gate failed ${n} times for ${sow} (last: ${checks.join(', ') || reason})`,
        );
      return d.events;
    }
    case 'schedule': {
      const discoveryAt = readInstant(command.discoveryAt, 'discovery');
      const ackAt = state.acknowledgement?.at;
      if (ackAt && isBefore(discoveryAt, ackAt))
        throw new WorkflowInputError(
          'discovery',
          `discovery: ${command.discoveryAt} is before the acknowledgement (${ackAt})`,
        );
      const warnings: string[] = [];
      if (state.sowSignedOn) {
        const limit = nthBusinessDayAfter(
          Temporal.PlainDate.from(state.sowSignedOn),
          ctx.playbook.timeline.discoveryWithinBusinessDaysOfSow,
          ctx.calendar,
        );
        if (Temporal.PlainDate.compare(localDate(instant(discoveryAt), ctx.calendar), limit) > 0)
          warnings.push(
            `the discovery session is after ${limit}, the SOW's limit of ${ctx.playbook.timeline.discoveryWithinBusinessDaysOfSow} business days from signing`,
          );
      }
      d.emit('DiscoveryScheduled', { discoveryAt, warnings });
      d.meetClock('kickoffDue');
      d.meetClock('discoveryScheduleDue');
      return d.events;
    }
    case 'introduce':
      if (command.to.length === 0)
        throw new WorkflowInputError(
          'to',
          'intro: the packet names no champion or scheduling contact with an email',
        );
      d.emit('IntroductionSent', { recipients: command.to.length }, { to: command.to });
      return d.events;
    case 'approveDeviation': {
      const note = requireNote(command.note);
      d.emit('DeviationApproved', { note });
      const open = d.openEscalation('scope-deviation');
      if (open) d.resolve(open, `approved by the CEO: ${note}`);
      return d.events;
    }
    case 'flag': {
      const note = requireNote(command.note);
      d.emit('QualityFlagged', { note });
      d.raise('quality-concern', note);
      return d.events;
    }
    case 'resolve': {
      const note = requireNote(command.note);
      const escalation = state.escalations.find((e) => e.id === command.escalationId);
      if (!escalation)
        throw new WorkflowInputError('escalation', `no escalation ${command.escalationId} on ${sow}`);
      if (escalation.status !== 'open')
        refuse(
          new WorkflowRefusal(
            'escalation-resolved',
            `${escalation.id} was already resolved ${escalation.resolvedAt}`,
          ),
          state,
          actor,
        );
      const policy = escalationPolicies[escalation.kind];
      const may = [...policy.owners, ...policy.resolvers];
      if (!may.includes(actor.role as never))
        refuse(
          new WorkflowRefusal(
            'role-not-allowed',
            `${actor.role} may not resolve a ${escalation.kind} escalation; ${may.join(' or ')} may${escalation.kind === 'scope-deviation' ? ' (the CEO approves with baton approve-deviation)' : ''}`,
          ),
          state,
          actor,
        );
      d.resolve(escalation, note);
      return d.events;
    }
    case 'sweep':
      return sweepEvents(d);
  }
}

function requireNote(note: string): string {
  const text = note.trim();
  if (!text) throw new WorkflowInputError('note', 'note: write a note saying why (--note TEXT)');
  return text;
}

/** Records each clock missed and each escalation overdue at now, once; raises what the misses imply. */
function sweepEvents(d: Decision): HandoffEvent[] {
  const now = d.ctx.now;
  for (const clock of d.state.clocks) {
    if (clock.status !== 'open' || !isBefore(clock.due, now)) continue;
    d.emit('ClockMissed', { clock: clock.clock, seq: clock.seq, due: clock.due });
    if (clock.clock === 'discoveryScheduleDue' && !d.openEscalation('discovery-not-scheduled'))
      d.raise('discovery-not-scheduled', `no discovery session was scheduled by ${clock.due}`);
    if (clock.clock === 'misalignmentResolveDue' && !d.openEscalation('misalignment-mediation'))
      d.raise('misalignment-mediation', `the expectation misalignment was not resolved by ${clock.due}`);
  }
  for (const escalation of d.state.escalations) {
    if (
      escalation.status !== 'open' ||
      escalation.overdueAt ||
      !escalation.due ||
      !isBefore(escalation.due, now)
    )
      continue;
    d.emit('EscalationOverdue', { id: escalation.id, due: escalation.due });
  }
  return d.events;
}

/** What is due or overdue on a handoff at `now`, for digests and the board. */
export function openClocks(state: HandoffState, now: string) {
  return state.clocks
    .filter((c) => c.status === 'open')
    .map((c) => ({ ...c, overdue: isBefore(c.due, now) }));
}

/**
 * The governance commands (archive retention, legal hold, purge). Refusals name the rule; a purge is
 * refused on a handoff on legal hold, without a recorded end of relationship, or still within retention.
 */
function decideGovernance(
  command: GovernanceCommand,
  state: HandoffState,
  ctx: DecideContext,
): HandoffEvent[] {
  const refusal = governanceGuard(command.type, state, ctx.actor);
  if (refusal) {
    refusal.allowed = allowedGovernanceCommands(state, ctx.actor);
    throw refusal;
  }
  const d = new Decision(state, ctx);
  const sow = state.sow ?? '';
  const today = localDate(instant(ctx.now), ctx.calendar);
  const refuseGovernance = (rule: string, message: string): never => {
    const r = new WorkflowRefusal(rule, message);
    r.allowed = allowedGovernanceCommands(state, ctx.actor);
    throw r;
  };
  switch (command.type) {
    case 'endRelationship': {
      const endedOn = readDate(command.endedOn, 'date');
      if (Temporal.PlainDate.compare(Temporal.PlainDate.from(endedOn), today) > 0)
        throw new WorkflowInputError(
          'date',
          `date: ${endedOn} is in the future; record the end of the relationship once it has ended`,
        );
      if (state.sowSignedOn && endedOn < state.sowSignedOn)
        throw new WorkflowInputError(
          'date',
          `date: ${endedOn} is before ${sow}'s SOW was signed (${state.sowSignedOn})`,
        );
      const current = state.retention?.relationshipEnded;
      if (current?.on === endedOn) return [];
      const company = command.company?.trim();
      d.emit(
        'RelationshipEnded',
        { endedOn, ...(current ? { replaces: current.on } : {}) },
        company ? { company } : undefined,
      );
      return d.events;
    }
    case 'setLegalHold': {
      const reason = command.reason.trim();
      if (!reason)
        throw new WorkflowInputError('reason', 'reason: say why the archive must be kept (--reason TEXT)');
      d.emit('LegalHoldSet', { reason });
      return d.events;
    }
    case 'releaseLegalHold':
      d.emit('LegalHoldReleased', { note: command.note?.trim() || null });
      return d.events;
    case 'purge': {
      const years = ctx.playbook.retention.yearsAfterRelationshipEnds;
      const status = retentionStatus(state, today.toString(), years);
      if (status.status === 'on-hold')
        refuseGovernance(
          'legal-hold',
          `${sow} is on legal hold since ${status.hold.setAt} (${status.hold.reason}); it cannot be purged until the hold is released`,
        );
      if (status.status === 'relationship-active')
        refuseGovernance(
          'relationship-not-ended',
          `no end of the customer relationship is recorded for ${sow}; its archive is kept for the life of the relationship (baton relationship-ended)`,
        );
      if (status.status === 'retained')
        refuseGovernance(
          'within-retention',
          `${sow} is within retention: the relationship ended ${status.relationshipEndedOn}, so its archive is kept until ${status.retainedUntil} inclusive`,
        );
      if (status.status !== 'due') throw new Error(`unexpected retention status ${status.status}`);
      d.emit('PersonalDataPurged', {
        relationshipEndedOn: status.relationshipEndedOn,
        retainedUntil: status.retainedUntil,
        files: [...new Set(command.files)].sort(),
        events: state.version,
      });
      return d.events;
    }
  }
}
