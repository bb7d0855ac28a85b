/**
 * What the API answers, as zod schemas: the OpenAPI document is generated from them, and the tests parse real
 * responses with them, so the document cannot drift from what the server sends.
 */
import { z } from 'zod';
import { gateCheckIds } from '../../domain/gate/index.ts';
import {
  escalationKinds,
  handoffStates,
  interfaces,
  paymentStatuses,
  roles,
} from '../../domain/workflow/index.ts';

const instant = z.string().describe('an ISO instant');
const date = z.string().describe('a date, YYYY-MM-DD');
const checkStatus = z.enum(['pass', 'fail', 'review']);
const check = z.enum(gateCheckIds);
const actor = z.object({
  role: z.enum([...roles, 'system']),
  name: z.string(),
  via: z.enum(interfaces),
  onBehalfOf: z.string().optional(),
});

const submission = z.object({
  n: z.number().int(),
  at: instant,
  by: actor,
  packetPath: z.string(),
  frozenPath: z.string(),
  sha256: z.string(),
  gate: z.object({
    verdict: checkStatus,
    checks: z.array(z.object({ id: check, status: checkStatus })),
  }),
  attested: z.array(z.object({ check, reason: z.string(), by: z.string(), at: instant })),
});

const escalation = z.object({
  id: z.string(),
  kind: z.enum(escalationKinds),
  status: z.enum(['open', 'resolved']),
  owners: z.array(z.enum(roles)),
  informed: z.array(z.enum(roles)),
  openedAt: instant,
  due: instant.nullable(),
  overdueAt: instant.nullable(),
  reason: z.string(),
  resolvedAt: instant.nullable(),
  resolvedBy: z.string().nullable(),
  resolution: z.string().nullable(),
});

const incident = z.object({
  id: z.string(),
  severity: z.enum(['SEV1', 'SEV2', 'SEV3']),
  status: z.enum(['open', 'closed']),
  escalationId: z.string(),
  title: z.string(),
  filedAt: instant,
  path: z.string(),
  closedAt: instant.nullable(),
});

/** `GET /api/handoffs/:sow`: the same contract as `baton status SOW --json`. */
export const statusResponse = z.strictObject({
  sow: z.string(),
  state: z.enum(handoffStates),
  version: z.number().int().describe('send it back as If-Match: "<version>" to act on exactly this version'),
  openedAt: instant,
  soldOn: date.nullable(),
  sowSignedOn: date.nullable(),
  payment: z.object({ status: z.enum(paymentStatuses), confirmedAt: instant.nullable() }).nullable(),
  submissions: z.array(submission),
  rejections: z.array(
    z.object({
      n: z.number().int(),
      submission: z.number().int(),
      at: instant,
      by: actor,
      checks: z.array(check),
      reason: z.string(),
    }),
  ),
  acknowledgement: z
    .object({
      at: instant,
      by: actor,
      submission: z.number().int(),
      attestations: z.array(z.object({ check, reason: z.string() })),
    })
    .nullable(),
  discovery: z.object({ at: instant, scheduledAt: instant, by: actor }).nullable(),
  introduction: z.object({ at: instant, by: actor }).nullable(),
  ceoApprovals: z.array(z.object({ at: instant, by: z.string(), note: z.string() })),
  flags: z.array(z.object({ at: instant, by: z.string(), note: z.string() })),
  deadlines: z.record(z.string(), instant.nullable()),
  clocks: z.array(
    z.object({
      name: z.string(),
      seq: z.number().int(),
      startedAt: z.string(),
      due: instant,
      status: z.enum(['open', 'met', 'missed']),
      metAt: instant.nullable(),
      missedAt: instant.nullable(),
      late: z.boolean(),
      overdue: z.boolean(),
      businessHoursLeft: z.number().nullable().describe('negative once past due; null unless open'),
    }),
  ),
  escalations: z.array(escalation),
  incidents: z.array(incident),
  files: z.object({ packet: z.string(), report: z.string(), frozen: z.array(z.string()) }),
  warnings: z.array(z.string()),
  escalated: z.boolean(),
  allowed: z.array(z.string()).describe('the commands you may run on this handoff now'),
});

/** A command's answer: what it recorded (`events` is empty when there was nothing to record). */
export const commandResponse = z.strictObject({
  sow: z.string(),
  state: z.enum(handoffStates),
  version: z.number().int().describe('the version after the command (also the ETag)'),
  events: z.array(
    z.object({
      version: z.number().int(),
      type: z.string(),
      at: instant,
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  warnings: z.array(z.string()),
});

export const listResponse = z.strictObject({
  handoffs: z.array(
    z.object({
      sow: z.string(),
      state: z.enum(handoffStates),
      version: z.number().int(),
      payment: z.string().nullable(),
      openedAt: instant,
      updatedAt: instant,
      nextDue: instant.nullable(),
      overdue: z.boolean(),
      escalated: z.boolean(),
    }),
  ),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const historyResponse = z.strictObject({
  sow: z.string(),
  events: z.array(
    z.object({
      version: z.number().int(),
      type: z.string(),
      at: instant,
      actor: z.object({
        role: z.string(),
        name: z.string(),
        via: z.string(),
        onBehalfOf: z.string().optional(),
      }),
      data: z.record(z.string(), z.unknown()),
      hash: z.string(),
    }),
  ),
});

export const sweepResponse = z.strictObject({
  at: instant,
  recorded: z.array(z.object({ sow: z.string(), type: z.string(), detail: z.string() })),
  dueToday: z.array(z.object({ sow: z.string(), clock: z.string(), due: instant })),
  overdue: z.array(z.object({ sow: z.string(), clock: z.string(), due: instant })),
  escalationsOpen: z.array(
    z.object({
      id: z.string(),
      sow: z.string(),
      kind: z.string(),
      due: instant.nullable(),
      overdue: z.boolean(),
    }),
  ),
  incidentsOpen: z.array(
    z.object({ id: z.string(), sow: z.string(), severity: z.string(), path: z.string() }),
  ),
});

export const gateResponse = z.strictObject({
  sow: z.string(),
  file: z.string(),
  verdict: checkStatus,
  checks: z.array(
    z.object({
      id: check,
      title: z.string(),
      status: checkStatus,
      findings: z.array(z.object({ field: z.string(), line: z.number().int(), message: z.string() })),
    }),
  ),
  diagnostics: z.array(
    z.object({
      line: z.number().int(),
      severity: z.enum(['error', 'warning']),
      message: z.string(),
      field: z.string().optional(),
    }),
  ),
  source: z.enum(['text', 'draft', 'submission']),
  submission: z.number().int().optional(),
});

export const meResponse = z.strictObject({ name: z.string(), role: z.enum(roles), via: z.enum(interfaces) });

export const healthResponse = z.strictObject({ status: z.literal('ok') });
