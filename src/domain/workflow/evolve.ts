import type { GateCheckId } from '../gate/index.ts';
import type { ClockId } from '../playbook/index.ts';
import type {
  ActorRef,
  ClockRecord,
  EscalationRecord,
  GateSummary,
  HandoffEvent,
  HandoffState,
  IncidentRecord,
  LegalHoldRecord,
  PaymentStatus,
  RejectionRecord,
  RetentionRecord,
} from './types.ts';

export function initialState(): HandoffState {
  return {
    sow: null,
    state: null,
    version: 0,
    openedAt: null,
    openedBy: null,
    soldOn: null,
    sowSignedOn: null,
    payment: null,
    submissions: [],
    rejections: [],
    acknowledgement: null,
    discovery: null,
    introduction: null,
    ceoApprovals: [],
    flags: [],
    clocks: [],
    escalations: [],
    incidents: [],
    warnings: [],
    purgedAt: null,
  };
}

type Data = Record<string, unknown>;
const str = (d: Data, k: string): string => d[k] as string;
const num = (d: Data, k: string): number => d[k] as number;

function updateClock(
  state: HandoffState,
  clock: ClockId,
  seq: number,
  change: (c: ClockRecord) => ClockRecord,
): ClockRecord[] {
  return state.clocks.map((c) => (c.clock === clock && c.seq === seq ? change(c) : c));
}

function updateEscalation(
  state: HandoffState,
  id: string,
  change: (e: EscalationRecord) => EscalationRecord,
): EscalationRecord[] {
  return state.escalations.map((e) => (e.id === id ? change(e) : e));
}

/** Folds one event into the state. Pure; unknown event types leave the state as it was (but count). */
export function evolve(state: HandoffState, event: HandoffEvent): HandoffState {
  const d = event.data;
  const next: HandoffState = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'HandoffOpened': {
      const payment = d.payment as { status: PaymentStatus; confirmedAt: string | null };
      return {
        ...next,
        sow: str(d, 'sow'),
        state: 'opened',
        openedAt: event.at,
        openedBy: event.actor,
        soldOn: (d.soldOn as string | null) ?? null,
        sowSignedOn: str(d, 'sowSignedOn'),
        payment,
        warnings: (d.warnings as string[]) ?? [],
      };
    }
    case 'PaymentRecorded':
      return {
        ...next,
        payment: { status: d.status as PaymentStatus, confirmedAt: (d.confirmedAt as string | null) ?? null },
      };
    case 'ClockStarted':
      return {
        ...next,
        clocks: [
          ...state.clocks,
          {
            clock: d.clock as ClockId,
            seq: num(d, 'seq'),
            startedAt: str(d, 'startedAt'),
            due: str(d, 'due'),
            status: 'open',
            metAt: null,
            missedAt: null,
            late: false,
          },
        ],
      };
    case 'ClockMet':
      return {
        ...next,
        clocks: updateClock(state, d.clock as ClockId, num(d, 'seq'), (c) => ({
          ...c,
          status: c.status === 'missed' ? 'missed' : 'met',
          metAt: event.at,
          late: Boolean(d.late),
        })),
      };
    case 'ClockMissed':
      return {
        ...next,
        clocks: updateClock(state, d.clock as ClockId, num(d, 'seq'), (c) => ({
          ...c,
          status: 'missed',
          missedAt: event.at,
          late: true,
        })),
      };
    case 'PacketSubmitted':
      return {
        ...next,
        state: 'submitted',
        submissions: [
          ...state.submissions,
          {
            n: num(d, 'n'),
            at: event.at,
            by: event.actor,
            packetPath: str(d, 'packetPath'),
            frozenPath: str(d, 'frozenPath'),
            sha256: str(d, 'sha256'),
            gate: d.gate as GateSummary,
            attested: [],
          },
        ],
      };
    case 'ReviewAttested':
      return {
        ...next,
        submissions: state.submissions.map((s) =>
          s.n === num(d, 'submission')
            ? {
                ...s,
                attested: [
                  ...s.attested.filter((a) => a.check !== d.check),
                  {
                    check: d.check as GateCheckId,
                    reason: str(d, 'reason'),
                    by: event.actor.name,
                    at: event.at,
                  },
                ],
              }
            : s,
        ),
      };
    case 'PacketAcknowledged':
      return {
        ...next,
        state: 'acknowledged',
        acknowledgement: {
          at: event.at,
          by: event.actor,
          submission: num(d, 'submission'),
          attestations: (d.attestations as { check: GateCheckId; reason: string }[]) ?? [],
        },
      };
    case 'PacketRejected': {
      const rejection: RejectionRecord = {
        n: num(d, 'n'),
        submission: num(d, 'submission'),
        at: event.at,
        by: event.actor,
        checks: d.checks as GateCheckId[],
        reason: str(d, 'reason'),
      };
      return { ...next, state: 'rejected', rejections: [...state.rejections, rejection] };
    }
    case 'DiscoveryScheduled':
      return {
        ...next,
        state: 'scheduled',
        discovery: { at: str(d, 'discoveryAt'), scheduledAt: event.at, by: event.actor },
      };
    case 'IntroductionSent':
      return { ...next, introduction: { at: event.at, by: event.actor } };
    case 'DeviationApproved':
      return {
        ...next,
        ceoApprovals: [...state.ceoApprovals, { at: event.at, by: event.actor.name, note: str(d, 'note') }],
      };
    case 'QualityFlagged':
      return {
        ...next,
        flags: [...state.flags, { at: event.at, by: event.actor.name, note: str(d, 'note') }],
      };
    case 'EscalationRaised': {
      const escalation: EscalationRecord = {
        id: str(d, 'id'),
        kind: d.kind as EscalationRecord['kind'],
        status: 'open',
        owners: d.owners as EscalationRecord['owners'],
        informed: (d.informed as EscalationRecord['informed']) ?? [],
        openedAt: event.at,
        due: (d.due as string | null) ?? null,
        overdueAt: null,
        reason: str(d, 'reason'),
        resolvedAt: null,
        resolvedBy: null,
        resolution: null,
      };
      return { ...next, escalations: [...state.escalations, escalation] };
    }
    case 'EscalationOverdue':
      return {
        ...next,
        escalations: updateEscalation(state, str(d, 'id'), (e) => ({ ...e, overdueAt: event.at })),
      };
    case 'EscalationResolved':
      return {
        ...next,
        escalations: updateEscalation(state, str(d, 'id'), (e) => ({
          ...e,
          status: 'resolved',
          resolvedAt: event.at,
          resolvedBy: event.actor.name,
          resolution: str(d, 'note'),
        })),
      };
    case 'IncidentFiled': {
      const incident: IncidentRecord = {
        id: str(d, 'id'),
        severity: d.severity as IncidentRecord['severity'],
        status: 'open',
        escalationId: str(d, 'escalationId'),
        title: str(d, 'title'),
        filedAt: event.at,
        path: str(d, 'path'),
        closedAt: null,
      };
      return { ...next, incidents: [...state.incidents, incident] };
    }
    case 'IncidentClosed':
      return {
        ...next,
        incidents: state.incidents.map((i) =>
          i.id === d.id ? { ...i, status: 'closed', closedAt: event.at, path: str(d, 'path') } : i,
        ),
      };
    case 'PersonalDataPurged':
      return { ...next, purgedAt: event.at };
    case 'RelationshipEnded':
      return {
        ...next,
        retention: {
          ...retentionOf(state),
          relationshipEnded: { on: str(d, 'endedOn'), at: event.at, by: event.actor.name },
        },
      };
    case 'LegalHoldSet': {
      const retention = retentionOf(state);
      const hold: LegalHoldRecord = {
        reason: str(d, 'reason'),
        setAt: event.at,
        setBy: event.actor.name,
        releasedAt: null,
        releasedBy: null,
        releaseNote: null,
      };
      return { ...next, retention: { ...retention, holds: [...retention.holds, hold] } };
    }
    case 'LegalHoldReleased': {
      const retention = retentionOf(state);
      return {
        ...next,
        retention: {
          ...retention,
          holds: retention.holds.map((h, i) =>
            i === retention.holds.length - 1 && h.releasedAt === null
              ? {
                  ...h,
                  releasedAt: event.at,
                  releasedBy: event.actor.name,
                  releaseNote: (d.note as string | null) ?? null,
                }
              : h,
          ),
        },
      };
    }
    default:
      return next;
  }
}

function retentionOf(state: HandoffState): RetentionRecord {
  return state.retention ?? { relationshipEnded: null, holds: [] };
}

/** The state after a history of events. */
export function replay(events: Iterable<HandoffEvent>): HandoffState {
  let state = initialState();
  for (const e of events) state = evolve(state, e);
  return state;
}

export function actorLabel(actor: ActorRef): string {
  return actor.onBehalfOf
    ? `${actor.name} (${actor.role}, for the ${actor.onBehalfOf})`
    : `${actor.name} (${actor.role})`;
}
