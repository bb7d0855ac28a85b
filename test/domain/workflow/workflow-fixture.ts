// Test helpers for the workflow decider, in the given / when / then style:
//
//   given(...events).when(command, actor, now).thenEvents({ type, data }, ...)   // the events decided
//   given(...events).when(command, actor, now).thenRefused('rule')          // a WorkflowRefusal
//   given(...events).when(command, actor, now).thenInputError('field')      // a WorkflowInputError
//
// Histories are plain event lists; `history(...steps)` builds one by running commands through decide,
// so that tests read as the story of a handoff. Everything is pure: the clock is always passed in.

import assert from 'node:assert/strict';
import { businessCalendar } from '../../../src/domain/calendar/index.ts';
import {
  type CheckStatus,
  type GateCheckId,
  gateCheckIds,
  gateRules,
} from '../../../src/domain/gate/index.ts';
import { builtInPlaybook } from '../../../src/domain/playbook/index.ts';
import {
  type ActorRef,
  type ActorRole,
  type DecideContext,
  decide,
  type GateOutcome,
  type HandoffCommand,
  type HandoffEvent,
  type HandoffState,
  type PaymentStatus,
  replay,
  WorkflowInputError,
  WorkflowRefusal,
} from '../../../src/domain/workflow/index.ts';

export const playbook = builtInPlaybook();
export const calendar = businessCalendar(playbook.calendar);

export const SOW = 'SOW-2026-031';

export const actor = (role: ActorRole, name: string): ActorRef => ({ role, name, via: 'cli' });

/** The cast: one person per role, plus a second customer.success member. */
export const carla = actor('cro', 'Carla Reyes');
export const sam = actor('sales.ops', 'Sam Ortiz');
export const casey = actor('customer.success', 'Casey Lin');
export const cam = actor('customer.success', 'Cam Diallo');
export const chris = actor('chief.staff', 'Chris Moss');
export const dana = actor('ceo', 'Dana Park');
export const system: ActorRef = { role: 'system', name: 'baton', via: 'system' };

export function ctx(as: ActorRef, now: string): DecideContext {
  return { now, actor: as, playbook, calendar };
}

// ---------------------------------------------------------------------------------------------------
// Gate outcomes, as the caller (the app) passes them in.

const titles = new Map(gateRules.map((r) => [r.id, r.title]));

/**
 * A gate outcome: every check passes unless named. Failing and review checks get one finding each
 * (message overridable); the verdict is the worst status.
 */
export function gate(
  statuses: Partial<Record<GateCheckId, CheckStatus>> = {},
  messages: Partial<Record<GateCheckId, string>> = {},
): GateOutcome {
  const checks = gateCheckIds.map((id) => {
    const status = statuses[id] ?? 'pass';
    return {
      id,
      title: titles.get(id) ?? id,
      status,
      findings:
        status === 'pass'
          ? []
          : [{ field: 'Some field', line: 7, message: messages[id] ?? `${id}: ${status}` }],
    };
  });
  const verdict = checks.some((c) => c.status === 'fail')
    ? 'fail'
    : checks.some((c) => c.status === 'review')
      ? 'review'
      : 'pass';
  return { verdict, checks };
}

export const passing = (): GateOutcome => gate();

// ---------------------------------------------------------------------------------------------------
// Commands.

/**
 * The default deal: SOW signed Tuesday 2026-06-30, payment received Thursday 2026-07-02 11:00 New York.
 * (Friday 2026-07-03 is the observed Independence Day.)
 */
export const open = (
  overrides: Partial<Extract<HandoffCommand, { type: 'open' }>> = {},
): Extract<HandoffCommand, { type: 'open' }> => ({
  type: 'open',
  sow: SOW,
  sowSignedOn: '2026-06-30',
  soldOn: '2026-06-25',
  payment: { status: 'received', confirmedAt: '2026-07-02T15:00:00Z' },
  ...overrides,
});

export const openPending = (): HandoffCommand => open({ payment: { status: 'pending', confirmedAt: null } });

export const payment = (status: PaymentStatus, confirmedAt: string | null): HandoffCommand => ({
  type: 'recordPayment',
  status,
  confirmedAt,
});

let packetVersion = 0;
export const submit = (g: GateOutcome = passing()): HandoffCommand => {
  packetVersion++;
  return {
    type: 'submit',
    packetPath: `operations/handoffs/assessments/${SOW}-handoff-packet.md`,
    frozenPath: `.baton/frozen/${SOW}/v${packetVersion}.md`,
    sha256: packetVersion.toString(16).padStart(64, '0'),
    gate: g,
  };
};

export const attest = (check: GateCheckId, reason: string, g: GateOutcome): HandoffCommand => ({
  type: 'attest',
  check,
  reason,
  gate: g,
});

export const ack = (
  g: GateOutcome = passing(),
  attestations: { check: GateCheckId; reason: string }[] = [],
): HandoffCommand => ({ type: 'acknowledge', attestations, gate: g });

export const reject = (checks: GateCheckId[] = [], reason?: string): HandoffCommand =>
  reason === undefined ? { type: 'reject', checks } : { type: 'reject', checks, reason };

export const schedule = (discoveryAt: string): HandoffCommand => ({ type: 'schedule', discoveryAt });

export const intro = (): HandoffCommand => ({
  type: 'introduce',
  to: [{ role: 'champion', name: 'Priya Shah', email: 'priya@northwind.io' }],
});

export const approveDeviation = (note = 'four modules agreed with the customer'): HandoffCommand => ({
  type: 'approveDeviation',
  note,
});
export const flag = (note = 'the packet reads like a sales pitch'): HandoffCommand => ({
  type: 'flag',
  note,
});
export const resolve = (escalationId: string, note = 'handled'): HandoffCommand => ({
  type: 'resolve',
  escalationId,
  note,
});
export const sweep = (): HandoffCommand => ({ type: 'sweep' });

// ---------------------------------------------------------------------------------------------------
// Histories and the given / when / then helper.

export type Step = [command: HandoffCommand, as: ActorRef, now: string];

/** The events of running each step in turn (each must be accepted). */
export function history(...steps: Step[]): HandoffEvent[] {
  const events: HandoffEvent[] = [];
  for (const [command, as, now] of steps) events.push(...decide(command, replay(events), ctx(as, now)));
  return events;
}

/** What an expected event must match: its type, and the given data keys (deeply equal). */
export interface Expected {
  type: string;
  data?: Record<string, unknown>;
  personal?: Record<string, unknown>;
  actor?: Partial<ActorRef>;
}

function matchEvents(actual: HandoffEvent[], expected: Expected[]): void {
  assert.deepEqual(
    actual.map((e) => e.type),
    expected.map((e) => e.type),
    'event types',
  );
  expected.forEach((want, i) => {
    const got = actual[i];
    assert.ok(got);
    for (const [key, value] of Object.entries(want.data ?? {}))
      assert.deepEqual(got.data[key], value, `${got.type} #${i}: data.${key}`);
    if (want.personal) assert.deepEqual(got.personal, want.personal, `${got.type} #${i}: personal`);
    for (const [key, value] of Object.entries(want.actor ?? {}))
      assert.deepEqual(got.actor[key as keyof ActorRef], value, `${got.type} #${i}: actor.${key}`);
  });
}

export interface When {
  state: HandoffState;
  /** The decided events (asserting nothing). */
  events(): HandoffEvent[];
  /** Asserts the events' types (all of them, in order) and the given data; returns the events. */
  thenEvents(...expected: Expected[]): HandoffEvent[];
  /** Asserts that the command is refused by `rule`; returns the refusal. */
  thenRefused(rule: string): WorkflowRefusal;
  /** Asserts that the command's input is rejected naming `field`; returns the error. */
  thenInputError(field: string): WorkflowInputError;
  /** The state after the history and the decided events. */
  thenState(): HandoffState;
}

export function given(...past: HandoffEvent[]) {
  const state = replay(past);
  return {
    state,
    when(command: HandoffCommand, as: ActorRef, now: string): When {
      const run = () => decide(command, state, ctx(as, now));
      return {
        state,
        events: run,
        thenEvents(...expected) {
          const events = run();
          matchEvents(events, expected);
          for (const e of events) {
            assert.equal(e.at, now, `${e.type}: at`);
          }
          return events;
        },
        thenRefused(rule) {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          assert.ok(
            caught instanceof WorkflowRefusal,
            `expected a refusal by ${rule}, got ${String(caught)}`,
          );
          assert.equal(caught.rule, rule, caught.message);
          return caught;
        },
        thenInputError(field) {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          assert.ok(
            caught instanceof WorkflowInputError,
            `expected an input error on ${field}, got ${String(caught)}`,
          );
          assert.equal(caught.field, field, caught.message);
          return caught;
        },
        thenState() {
          return replay([...past, ...run()]);
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The standard story (all instants UTC; New York is UTC-4 in July).

export const T = {
  /** Thursday 2026-07-02 12:00 New York. */
  open: '2026-07-02T16:00:00Z',
  /** Monday 2026-07-06 10:00 New York. */
  submit1: '2026-07-06T14:00:00Z',
  /** Monday 2026-07-06 14:00 New York. */
  reject1: '2026-07-06T18:00:00Z',
  /** Tuesday 2026-07-07 10:00 New York. */
  submit2: '2026-07-07T14:00:00Z',
  /** Tuesday 2026-07-07 14:00 New York. */
  ack: '2026-07-07T18:00:00Z',
  /** Wednesday 2026-07-08 10:00 New York. */
  schedule: '2026-07-08T14:00:00Z',
  /** Wednesday 2026-07-08 15:00 New York: the last day the SOW allows. */
  discovery: '2026-07-08T19:00:00Z',
} as const;

export const opened = (): HandoffEvent[] => history([open(), carla, T.open]);
export const submitted = (g: GateOutcome = passing()): HandoffEvent[] =>
  history([open(), carla, T.open], [submit(g), carla, T.submit1]);
export const rejectedOnce = (): HandoffEvent[] =>
  history(
    [open(), carla, T.open],
    [submit(gate({ 'contacts-complete': 'fail' })), carla, T.submit1],
    [reject(), casey, T.reject1],
  );
export const acknowledged = (): HandoffEvent[] =>
  history([open(), carla, T.open], [submit(), carla, T.submit1], [ack(), casey, T.ack]);
export const scheduled = (): HandoffEvent[] => [
  ...acknowledged(),
  ...decide(schedule(T.discovery), replay(acknowledged()), ctx(casey, T.schedule)),
];

/** The clock record `clock` #seq of a state. */
export function clockOf(state: HandoffState, clock: string, seq = 1) {
  const found = state.clocks.find((c) => c.clock === clock && c.seq === seq);
  assert.ok(found, `no clock ${clock} #${seq}`);
  return found;
}

export function escalationOf(state: HandoffState, kind: string) {
  const found = state.escalations.filter((e) => e.kind === kind);
  assert.equal(found.length, 1, `escalations of kind ${kind}`);
  return found[0]!;
}

export const typesOf = (events: HandoffEvent[]): string[] => events.map((e) => e.type);
