/**
 * Every workflow command and query as one table: name, zod input schema, who it is for, and how it runs
 * on the service layer. The HTTP API (routes and OpenAPI) and the MCP server (tools) are generated from
 * it, so an operation and its validation exist once.
 */
import { z } from 'zod';
import { gateCheckIds } from '../domain/gate/index.ts';
import { type ActorRef, handoffStates, paymentStatuses } from '../domain/workflow/index.ts';
import { AppError } from './errors.ts';
import type { Baton } from './handoff-context.ts';

const sow = z
  .string()
  .regex(/^SOW-\d{4}-\d{3,}$/i, 'a SOW number, SOW-YYYY-NNN (e.g. SOW-2026-014)')
  .describe('the SOW number, SOW-YYYY-NNN');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD');
const instant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/,
    'an ISO instant with offset, e.g. 2026-05-14T10:00:00-04:00',
  );
const note = z.string().trim().min(1, 'write a note').max(4000);
const check = z.enum(gateCheckIds);
const expectedVersion = z
  .number()
  .int()
  .min(0)
  .optional()
  .describe('the version you saw; a different current version is a conflict (409)');

export const operationSchemas = {
  open: z.strictObject({
    sow,
    sowSigned: isoDate.describe('the date the SOW was executed'),
    paymentConfirmed: instant.optional().describe('when payment was confirmed'),
    paymentStatus: z.enum([...paymentStatuses, 'processing initiated']).default('received'),
    sold: isoDate.optional().describe('the date of the verbal commitment'),
  }),
  payment: z.strictObject({
    sow,
    paymentConfirmed: instant.optional(),
    paymentStatus: z.enum([...paymentStatuses, 'processing initiated']).default('received'),
    expectedVersion,
  }),
  submit: z.strictObject({
    sow,
    packet: z
      .string()
      .max(1_000_000)
      .optional()
      .describe('the packet markdown to write at the SOP path first; omit to submit the file already there'),
    expectedVersion,
  }),
  attest: z.strictObject({ sow, check, reason: note, expectedVersion }),
  ack: z.strictObject({
    sow,
    attestations: z.array(z.strictObject({ check, reason: note })).default([]),
    expectedVersion,
  }),
  reject: z.strictObject({
    sow,
    checks: z.array(check).default([]).describe("the failed checks; default the gate's"),
    reason: z.string().max(4000).optional(),
    expectedVersion,
  }),
  schedule: z.strictObject({ sow, discovery: instant.describe('the discovery session'), expectedVersion }),
  intro: z.strictObject({ sow, expectedVersion }),
  approveDeviation: z.strictObject({ sow, note, expectedVersion }),
  flag: z.strictObject({ sow, note, expectedVersion }),
  resolve: z.strictObject({
    escalationId: z.string().regex(/^ESC-SOW-\d{4}-\d{3,}-\d+$/i, 'an escalation id, ESC-SOW-YYYY-NNN-N'),
    note,
    expectedVersion,
  }),
  sweep: z.strictObject({}),
  status: z.strictObject({ sow }),
  list: z.strictObject({
    state: z.enum(handoffStates).optional(),
    overdue: z.boolean().optional(),
    owner: z.string().optional(),
    limit: z.number().int().min(1).max(500).optional(),
    offset: z.number().int().min(0).optional(),
  }),
  history: z.strictObject({ sow }),
  gate: z
    .strictObject({
      sow: sow
        .optional()
        .describe('the handoff whose current packet to gate, or the SOW the text must be for'),
      packet: z
        .string()
        .max(1_000_000)
        .optional()
        .describe('packet markdown to gate as if submitted now (nothing is written or recorded)'),
    })
    .refine((i) => i.sow !== undefined || i.packet !== undefined, {
      message: 'give the packet text, or the SOW of a handoff to gate its current packet',
      path: ['packet'],
    }),
} as const;

export type OperationName = keyof typeof operationSchemas;
export type OperationInput<N extends OperationName> = z.output<(typeof operationSchemas)[N]>;

export interface Operation<N extends OperationName> {
  name: N;
  /** A command changes a handoff; a query only reads. */
  kind: 'command' | 'query';
  summary: string;
  schema: (typeof operationSchemas)[N];
  run(baton: Baton, actor: ActorRef, input: OperationInput<N>): Promise<unknown>;
}

/** Loads a module on first use and keeps the promise: `import()` of a loaded module still costs a resolve. */
const lazy = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((e: unknown) => {
      loading = undefined;
      throw e;
    }));
};
const service = lazy(() => import('./handoffs.ts'));
const queries = lazy(() => import('./handoff-queries.ts'));
const gates = lazy(() => import('./gate-queries.ts'));
const statusCache = lazy(() => import('./status-cache.ts'));
/** The version check of a command's input, when the caller sent one. */
const versionOf = (i: { expectedVersion?: number | undefined }) =>
  i.expectedVersion !== undefined ? { expectedVersion: i.expectedVersion } : {};

type Operations = { [N in OperationName]: Operation<N> };

export const operations: Operations = {
  open: {
    name: 'open',
    kind: 'command',
    summary: 'Open the handoff of a sold, signed and paid assessment (cro, sales.ops).',
    schema: operationSchemas.open,
    run: async (baton, actor, i) =>
      (await service()).openHandoff(baton, actor, {
        sow: i.sow,
        sowSigned: i.sowSigned,
        paymentStatus: i.paymentStatus,
        ...(i.paymentConfirmed ? { paymentConfirmed: i.paymentConfirmed } : {}),
        ...(i.sold ? { sold: i.sold } : {}),
      }),
  },
  payment: {
    name: 'payment',
    kind: 'command',
    summary: 'Record a payment confirmation or status change (cro, sales.ops).',
    schema: operationSchemas.payment,
    run: async (baton, actor, i) =>
      (await service()).recordPayment(
        baton,
        actor,
        i.sow,
        {
          status: i.paymentStatus,
          ...(i.paymentConfirmed ? { confirmedAt: i.paymentConfirmed } : {}),
        },
        versionOf(i),
      ),
  },
  submit: {
    name: 'submit',
    kind: 'command',
    summary:
      'Submit the packet: freeze it, run the gate, write the 6C report, start the acknowledgement clock (cro, sales.ops).',
    schema: operationSchemas.submit,
    run: async (baton, actor, i) =>
      (await service()).submitPacket(baton, actor, i.sow, {
        ...(i.packet !== undefined ? { text: i.packet } : {}),
        ...versionOf(i),
      }),
  },
  attest: {
    name: 'attest',
    kind: 'command',
    summary:
      'Attest a check the gate marked review, with a written reason (customer.success, not the submitter).',
    schema: operationSchemas.attest,
    run: async (baton, actor, i) =>
      (await service()).attestReview(baton, actor, i.sow, { check: i.check, reason: i.reason }, versionOf(i)),
  },
  ack: {
    name: 'ack',
    kind: 'command',
    summary:
      'Acknowledge the submitted packet after the gate passes on the frozen version (customer.success, not the submitter).',
    schema: operationSchemas.ack,
    run: async (baton, actor, i) =>
      (await service()).acknowledgePacket(baton, actor, i.sow, i.attestations, versionOf(i)),
  },
  reject: {
    name: 'reject',
    kind: 'command',
    summary: 'Reject the submitted packet naming the failed checks (customer.success, not the submitter).',
    schema: operationSchemas.reject,
    run: async (baton, actor, i) =>
      (await service()).rejectPacket(
        baton,
        actor,
        i.sow,
        { checks: i.checks, ...(i.reason ? { reason: i.reason } : {}) },
        versionOf(i),
      ),
  },
  schedule: {
    name: 'schedule',
    kind: 'command',
    summary: 'Record the booked discovery session, after acknowledgement (customer.success).',
    schema: operationSchemas.schedule,
    run: async (baton, actor, i) =>
      (await service()).scheduleDiscovery(baton, actor, i.sow, i.discovery, versionOf(i)),
  },
  intro: {
    name: 'intro',
    kind: 'command',
    summary:
      "Send the CRO's warm introduction of customer.success to the champion and scheduling contact (cro).",
    schema: operationSchemas.intro,
    run: async (baton, actor, i) => (await service()).sendIntroduction(baton, actor, i.sow, versionOf(i)),
  },
  approveDeviation: {
    name: 'approveDeviation',
    kind: 'command',
    summary: "Approve the handoff's scope deviation (ceo only).",
    schema: operationSchemas.approveDeviation,
    run: async (baton, actor, i) =>
      (await service()).approveDeviation(baton, actor, i.sow, i.note, versionOf(i)),
  },
  flag: {
    name: 'flag',
    kind: 'command',
    summary: 'Flag a quality concern on a handoff (chief.staff).',
    schema: operationSchemas.flag,
    run: async (baton, actor, i) => (await service()).flagHandoff(baton, actor, i.sow, i.note, versionOf(i)),
  },
  resolve: {
    name: 'resolve',
    kind: 'command',
    summary: 'Resolve an escalation (its owners, or the Chief of Staff).',
    schema: operationSchemas.resolve,
    run: async (baton, actor, i) =>
      (await service()).resolveEscalation(baton, actor, i.escalationId, i.note, versionOf(i)),
  },
  sweep: {
    name: 'sweep',
    kind: 'command',
    summary:
      "The Chief of Staff's daily sweep: record missed clocks once, raise what they imply, return a digest.",
    schema: operationSchemas.sweep,
    run: async (baton, actor) => (await queries()).sweep(baton, actor),
  },
  status: {
    name: 'status',
    kind: 'query',
    summary: "One handoff's state, deadlines, clocks, escalations, incidents, files and what you may do.",
    schema: operationSchemas.status,
    run: async (baton, actor, i) => (await statusCache()).cachedHandoffStatus(baton, i.sow, actor),
  },
  list: {
    name: 'list',
    kind: 'query',
    summary: 'Handoffs, soonest deadline first, filtered by state, overdue or escalation owner.',
    schema: operationSchemas.list,
    run: async (baton, _actor, i) => (await queries()).listHandoffs(baton, i),
  },
  history: {
    name: 'history',
    kind: 'query',
    summary: "A handoff's events: who did what, when, through which interface.",
    schema: operationSchemas.history,
    run: async (baton, _actor, i) => (await queries()).handoffHistory(baton, i.sow),
  },
  gate: {
    name: 'gate',
    kind: 'query',
    summary:
      "Run the 8-check gate on packet text (as if submitted now) or on a handoff's current packet; records nothing.",
    schema: operationSchemas.gate,
    run: async (baton, _actor, i) =>
      i.packet !== undefined
        ? (await gates()).gateText(baton, i.packet, i.sow)
        : (await gates()).gateHandoff(baton, i.sow as string),
  },
};

/** Validates raw input against an operation's schema; a bad field is a `bad-input` naming it. */
export function parseOperationInput<N extends OperationName>(name: N, input: unknown): OperationInput<N> {
  const result = operationSchemas[name].safeParse(input ?? {});
  if (result.success) return result.data as OperationInput<N>;
  const issue = result.error.issues[0];
  const where = issue?.path.join('.') || 'input';
  throw new AppError('bad-input', `${where}: ${issue?.message ?? 'invalid'}`, where);
}

/** Runs an operation by name for an actor: validation, then the service layer (where every rule lives). */
export async function runOperation<N extends OperationName>(
  baton: Baton,
  actor: ActorRef,
  name: N,
  input: unknown,
): Promise<unknown> {
  const operation = operations[name] as Operation<N>;
  return operation.run(baton, actor, parseOperationInput(name, input));
}
