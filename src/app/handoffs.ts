import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { Temporal } from 'temporal-polyfill';
import { type GateCheckId, gateCheckIds } from '../domain/gate/index.ts';
import { isSowNumber, parsePacket, sowPath } from '../domain/packet/index.ts';
import {
  type ActorRef,
  allowedCommands,
  type CommandType,
  decide,
  evolve,
  type GateOutcome,
  type GovernanceCommand,
  guard,
  type HandoffCommand,
  type HandoffState,
  type PaymentStatus,
  paymentStatuses,
  replay,
  WorkflowInputError,
  WorkflowRefusal,
} from '../domain/workflow/index.ts';
import { pathUnderRoot } from '../integrations/files/root-files.ts';
import {
  appendEvents,
  enqueueEffects,
  readStream,
  sha256Hex,
  VersionConflict,
  withTransaction,
} from '../store/index.ts';
import { fileEffects } from './effects.ts';
import { AppError } from './errors.ts';
import { handoffEventOf } from './event-histories.ts';
import type { Baton } from './handoff-context.ts';
import { checkFrozenCopy, gateWithContext } from './handoff-gate.ts';
import { deliverEffects, inlineEffectKinds } from './outbox-dispatcher.ts';
import { projectHandoff } from './projections.ts';
import { draftSopDeltas } from './sop-deltas.ts';
import { isoUtc } from './time.ts';

/** The version the person saw (interfaces that showed one): a different current version is a conflict. */
export interface VersionCheck {
  expectedVersion?: number;
}

export interface CommandResult {
  sow: string;
  events: { version: number; type: string; at: string; data: Record<string, unknown> }[];
  state: HandoffState;
}

export async function loadHandoff(baton: Baton, sow: string): Promise<HandoffState> {
  return replay((await readStream(baton.store.db, sow)).map(handoffEventOf));
}

/** Refuses by rule before reading or writing files, so a refused action leaves the root as it was. */
function checkGuard(type: CommandType, state: HandoffState, actor: ActorRef): void {
  const refusal = guard(type, state, actor);
  if (refusal) {
    refusal.allowed = allowedCommands(state, actor);
    throw refusal;
  }
}

/** A SOW number as asked for; anything else is bad input (naming SOW), not an unknown handoff. */
export function requireSow(sow: string): string {
  const value = sow.trim().toUpperCase();
  if (!isSowNumber(value))
    throw new AppError(
      'bad-input',
      `"${sow}" is not a SOW number; write SOW-YYYY-NNN, e.g. SOW-2026-014`,
      'SOW',
    );
  return value;
}

/** Maps the domain's and the store's errors to the service's typed errors (one place). */
export function asAppError(e: unknown): unknown {
  if (e instanceof WorkflowRefusal) {
    const error = new AppError('refused', e.message, e.field);
    error.rule = e.rule;
    error.allowed = e.allowed;
    return error;
  }
  if (e instanceof WorkflowInputError) return new AppError('bad-input', e.message, e.field);
  if (e instanceof VersionConflict) return new AppError('conflict', e.message, 'version');
  return e;
}

/**
 * Runs one command on one handoff: reads its events, builds the command from the state (gate runs,
 * file freezing), decides, and appends the events with their effects and projection in one transaction.
 * `expectedVersion` (from an interface that showed the person a version) makes a stale action a conflict.
 */
export async function runCommand(
  baton: Baton,
  sowInput: string,
  actor: ActorRef,
  build: (
    state: HandoffState,
  ) => Promise<HandoffCommand | GovernanceCommand> | HandoffCommand | GovernanceCommand,
  options: { expectedVersion?: number } = {},
): Promise<CommandResult> {
  const sow = requireSow(sowInput);
  try {
    const state = await loadHandoff(baton, sow);
    if (options.expectedVersion !== undefined && options.expectedVersion !== state.version)
      throw new VersionConflict(sow, options.expectedVersion, state.version);
    const command = await build(state);
    const now = isoUtc(baton.now());
    const events = decide(command, state, { now, actor, playbook: baton.playbook, calendar: baton.calendar });
    if (events.length === 0) return { sow, events: [], state };
    const next = events.reduce(evolve, state);
    const effects = [
      ...fileEffects(events, next, baton.playbook),
      ...baton.planners.flatMap((plan) => plan(events, next, baton.playbook)),
    ];
    const stored = await withTransaction(baton.store.db, async (trx) => {
      const appended = await appendEvents(
        trx,
        sow,
        state.version,
        events.map((e) => ({
          type: e.type,
          data: e.data,
          ...(e.personal ? { personal: e.personal } : {}),
          actor: e.actor,
          at: e.at,
        })),
      );
      await enqueueEffects(trx, sow, effects, now);
      await projectHandoff(trx, next, now);
      return appended;
    });
    // Files on the root and the notification log are this process's own to write: do them now, so the
    // person sees them at once; integrations are the dispatcher's (a peer that is down never blocks this).
    await deliverEffects(baton, { kinds: inlineEffectKinds });
    return {
      sow,
      events: stored.map((e) => ({ version: e.version, type: e.type, at: e.at, data: e.data })),
      state: next,
    };
  } catch (e) {
    throw asAppError(e);
  }
}

function readPayment(status: string | undefined): PaymentStatus {
  const value = (status ?? 'received').trim().toLowerCase();
  if (value === 'processing initiated') return 'processing';
  if (!(paymentStatuses as readonly string[]).includes(value))
    throw new AppError(
      'bad-input',
      `--payment-status: "${status}" is not one of ${paymentStatuses.join(', ')}`,
      'payment-status',
    );
  return value as PaymentStatus;
}

export interface OpenInput {
  sow: string;
  sowSigned: string;
  paymentConfirmed?: string;
  paymentStatus?: string;
  sold?: string;
}

export function openHandoff(baton: Baton, actor: ActorRef, input: OpenInput): Promise<CommandResult> {
  return runCommand(baton, input.sow, actor, () => ({
    type: 'open',
    sow: requireSow(input.sow),
    sowSignedOn: input.sowSigned,
    ...(input.sold ? { soldOn: input.sold } : {}),
    payment: { status: readPayment(input.paymentStatus), confirmedAt: input.paymentConfirmed ?? null },
  }));
}

export function recordPayment(
  baton: Baton,
  actor: ActorRef,
  sow: string,
  input: { status?: string; confirmedAt?: string },
  options: VersionCheck = {},
): Promise<CommandResult> {
  return runCommand(
    baton,
    sow,
    actor,
    () => ({
      type: 'recordPayment',
      status: readPayment(input.status),
      confirmedAt: input.confirmedAt ?? null,
    }),
    options,
  );
}

/** Where submitted versions are frozen: the packet's folder, `archive/<SOW>/`, named by version and hash. */
export function frozenPathOf(baton: Baton, sow: string, n: number, hash: string): string {
  const folder = posix.dirname(sowPath(baton.playbook.paths.packet, sow));
  return `${folder}/archive/${sow}/${sow}-handoff-packet.v${n}.${hash.slice(0, 12)}.md`;
}

async function readRootFile(baton: Baton, rel: string, what: string): Promise<string> {
  try {
    return await readFile(pathUnderRoot(baton.root, rel), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new AppError('bad-input', `${what} ${rel} does not exist under ${baton.root}`, 'file');
    throw e;
  }
}

/**
 * Submits the packet at the SOP path (copied there from `file` first, when given): freezes a copy with its
 * sha256, runs the gate, records it, writes the 6C report, starts the acknowledgement clock.
 */
export async function submitPacket(
  baton: Baton,
  actor: ActorRef,
  sowInput: string,
  options: { file?: string; text?: string } & VersionCheck = {},
): Promise<CommandResult> {
  const sow = requireSow(sowInput);
  const packetPath = sowPath(baton.playbook.paths.packet, sow);
  const versionCheck =
    options.expectedVersion !== undefined ? { expectedVersion: options.expectedVersion } : {};
  // A packet given as a file or text goes to the SOP path only once its submission is recorded: a refused
  // or losing submission (another one was recorded first) leaves the packet there as it was.
  let given: string | undefined;
  const result = await runCommand(
    baton,
    sow,
    actor,
    async (state) => {
      // Check the rules before touching any file: a refused submission leaves the root as it was.
      checkGuard('submit', state, actor);
      let text: string;
      if (options.text !== undefined || options.file) {
        text = options.text ?? (await readOutside(options.file as string));
        checkPacketSow(baton, text, sow, options.file ?? 'the packet');
        given = text;
      } else text = await readRootFile(baton, packetPath, 'the packet');
      const gate = await gateWithContext(baton, text, packetPath, { submittedAt: baton.now(), state });
      if (gate.sow !== sow)
        throw new AppError('bad-input', `${packetPath} is the packet of ${gate.sow}, not ${sow}`, 'file');
      const hash = sha256Hex(text);
      const frozenPath = frozenPathOf(baton, sow, state.submissions.length + 1, hash);
      const frozen = pathUnderRoot(baton.root, frozenPath);
      await mkdir(dirname(frozen), { recursive: true });
      await writeFile(frozen, text, 'utf8');
      return {
        type: 'submit',
        packetPath,
        frozenPath,
        sha256: hash,
        gate: { verdict: gate.verdict, checks: gate.checks },
      };
    },
    versionCheck,
  );
  if (given !== undefined && result.events.length > 0) {
    const target = pathUnderRoot(baton.root, packetPath);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, given, 'utf8');
  }
  return result;
}

async function readOutside(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new AppError('bad-input', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`, 'file');
  }
}

function checkPacketSow(baton: Baton, text: string, sow: string, file: string): void {
  const parsed = parsePacket(text, baton.playbook, {});
  if (!parsed.ok)
    throw new AppError('not-a-packet', `${file}:${parsed.error.line}: ${parsed.error.message}`, 'file');
  if (parsed.packet.sow !== sow)
    throw new AppError('bad-input', `${file} is the packet of ${parsed.packet.sow}, not ${sow}`, 'file');
}

/** The gate rerun on the frozen copy of the current submission (integrity-checked against its hash). */
async function frozenGate(baton: Baton, state: HandoffState): Promise<GateOutcome> {
  const current = state.submissions.at(-1);
  if (!current) return { verdict: 'fail', checks: [] };
  const text = await readRootFile(baton, current.frozenPath, 'the frozen copy');
  checkFrozenCopy(current, text);
  const gate = await gateWithContext(baton, text, current.packetPath, {
    submittedAt: Temporal.Instant.from(current.at),
    state,
  });
  return { verdict: gate.verdict, checks: gate.checks };
}

function readCheck(value: string, option: string): GateCheckId {
  if ((gateCheckIds as readonly string[]).includes(value)) return value as GateCheckId;
  throw new AppError(
    'bad-input',
    `${option}: unknown check "${value}"; the checks are ${gateCheckIds.join(', ')}`,
    option,
  );
}

/** Reads `CHECK=REASON`. */
export function readAttestation(text: string): { check: GateCheckId; reason: string } {
  const at = text.indexOf('=');
  if (at < 0)
    throw new AppError(
      'bad-input',
      `--attest: write CHECK=REASON, e.g. crm-item-exists="verified in Monday.com"`,
      'attest',
    );
  return { check: readCheck(text.slice(0, at).trim(), '--attest'), reason: text.slice(at + 1).trim() };
}

export function attestReview(
  baton: Baton,
  actor: ActorRef,
  sow: string,
  attestation: { check: GateCheckId; reason: string },
  options: VersionCheck = {},
): Promise<CommandResult> {
  return runCommand(
    baton,
    sow,
    actor,
    async (state) => ({
      type: 'attest',
      check: attestation.check,
      reason: attestation.reason,
      gate: await guardedGate(baton, state, actor, 'attest'),
    }),
    options,
  );
}

async function guardedGate(
  baton: Baton,
  state: HandoffState,
  actor: ActorRef,
  type: 'attest' | 'acknowledge',
): Promise<GateOutcome> {
  checkGuard(type, state, actor);
  return frozenGate(baton, state);
}

export function acknowledgePacket(
  baton: Baton,
  actor: ActorRef,
  sow: string,
  attestations: { check: GateCheckId; reason: string }[] = [],
  options: { expectedVersion?: number } = {},
): Promise<CommandResult> {
  return runCommand(
    baton,
    sow,
    actor,
    async (state) => ({
      type: 'acknowledge',
      attestations,
      gate: await guardedGate(baton, state, actor, 'acknowledge'),
    }),
    options,
  );
}

export async function rejectPacket(
  baton: Baton,
  actor: ActorRef,
  sow: string,
  input: { checks?: string[]; reason?: string },
  options: { expectedVersion?: number } = {},
): Promise<CommandResult> {
  const checks = (input.checks ?? []).map((c) => readCheck(c, '--check'));
  const result = await runCommand(
    baton,
    sow,
    actor,
    () => ({ type: 'reject', checks, ...(input.reason ? { reason: input.reason } : {}) }),
    options,
  );
  // A rejection may complete a pattern across deals (SOP Section 7): draft an SOP Delta if it does.
  await draftSopDeltas(baton, `after the rejection of ${result.sow}`);
  return result;
}

export function scheduleDiscovery(
  baton: Baton,
  actor: ActorRef,
  sow: string,
  discoveryAt: string,
  options: VersionCheck = {},
): Promise<CommandResult> {
  return runCommand(baton, sow, actor, () => ({ type: 'schedule', discoveryAt }), options);
}

/** The warm introduction's recipients: the champion and the scheduling contact of the acknowledged (or latest) version. */
export async function introductionRecipients(
  baton: Baton,
  state: HandoffState,
): Promise<{ role: string; name: string; email: string }[]> {
  const version =
    state.submissions.find((s) => s.n === state.acknowledgement?.submission) ?? state.submissions.at(-1);
  const text = version
    ? await readRootFile(baton, version.frozenPath, 'the frozen copy')
    : await readRootFile(baton, sowPath(baton.playbook.paths.packet, state.sow ?? ''), 'the packet');
  const parsed = parsePacket(text, baton.playbook, {});
  if (!parsed.ok) return [];
  const out: { role: string; name: string; email: string }[] = [];
  for (const id of ['champion', 'schedulingContact']) {
    const parts = parsed.packet.readings[id]?.parts;
    if (parts?.email && !out.some((o) => o.email === parts.email))
      out.push({ role: id, name: parts.name ?? '', email: parts.email });
  }
  return out;
}

export function sendIntroduction(
  baton: Baton,
  actor: ActorRef,
  sow: string,
  options: VersionCheck = {},
): Promise<CommandResult> {
  return runCommand(
    baton,
    sow,
    actor,
    async (state) => {
      checkGuard('introduce', state, actor);
      return { type: 'introduce', to: await introductionRecipients(baton, state) };
    },
    options,
  );
}

/** A command whose only input is a note. */
function noteCommand(type: 'approveDeviation' | 'flag') {
  return (
    baton: Baton,
    actor: ActorRef,
    sow: string,
    note: string,
    options: VersionCheck = {},
  ): Promise<CommandResult> => runCommand(baton, sow, actor, () => ({ type, note }), options);
}

/** The CEO approves a scope deviation (the scope-alignment check then passes). */
export const approveDeviation = noteCommand('approveDeviation');

/** The Chief of Staff flags a handoff for attention. */
export const flagHandoff = noteCommand('flag');

/** Escalation ids carry their SOW: `ESC-SOW-2026-014-2`. */
export function resolveEscalation(
  baton: Baton,
  actor: ActorRef,
  escalationId: string,
  note: string,
  options: VersionCheck = {},
): Promise<CommandResult> {
  const match = /^ESC-(SOW-\d{4}-\d{3,})-\d+$/i.exec(escalationId.trim());
  if (!match?.[1])
    throw new AppError(
      'bad-input',
      `"${escalationId}" is not an escalation id; they look like ESC-SOW-2026-014-1`,
      'ESCALATION-ID',
    );
  return runCommand(
    baton,
    match[1],
    actor,
    () => ({
      type: 'resolve',
      escalationId: escalationId.trim().toUpperCase(),
      note,
    }),
    options,
  );
}
