/**
 * The dashboard's packet editor and handoff page: the packet file as people edit it between submissions
 * (at the SOP path, written whole or not at all), and the packet on record for a handoff page.
 */

import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import {
  type Diagnostic,
  type Packet,
  parsePacket,
  renderTemplate,
  sowPath,
} from '../domain/packet/index.ts';
import { type ActorRef, commandRoles, type HandoffState } from '../domain/workflow/index.ts';
import { pathUnderRoot, probeUnderRoot } from '../integrations/files/root-files.ts';
import { sha256Hex } from '../store/index.ts';
import { AppError } from './errors.ts';
import { writeRootFile } from './file-effects.ts';
import { gateHandoff, gateText, type HandoffGateReport } from './gate-queries.ts';
import type { Baton } from './handoff-context.ts';
import { loadHandoff } from './handoffs.ts';

/** The most a packet may weigh (the API's submit takes the same). */
export const maxPacketChars = 1_000_000;

export interface PacketDraft {
  sow: string;
  /** Root-relative SOP path of the packet. */
  path: string;
  text: string;
  /** False when there is no file yet and `text` is the empty template. */
  exists: boolean;
  /** sha256 of the file as read (of the empty string when there is none): saving with it detects edits made meanwhile. */
  sha256: string;
}

function sowOf(input: string): string {
  const sow = input.trim().toUpperCase();
  if (!/^SOW-\d{4}-\d{3,}$/.test(sow))
    throw new AppError('bad-input', `"${input}" is not a SOW number; write SOW-YYYY-NNN`, 'sow');
  return sow;
}

async function openHandoffState(baton: Baton, sow: string): Promise<HandoffState> {
  const state = await loadHandoff(baton, sow);
  if (!state.state) throw new AppError('not-found', `no handoff ${sow}; open it first`, 'sow');
  return state;
}

/**
 * Why `actor` may not edit the packet file now, or undefined: the seller's side (whoever may submit:
 * cro, sales.ops) edits it until the handoff is acknowledged. Edits made after a submission are a new
 * version that counts only when resubmitted.
 */
export function editingRefusal(
  state: Pick<HandoffState, 'sow' | 'state'>,
  actor: ActorRef,
): AppError | undefined {
  if (!commandRoles.submit.includes(actor.role)) {
    const error = new AppError(
      'refused',
      `${actor.role} may not edit the packet; only ${commandRoles.submit.join(' or ')} may (customer.success reviews it)`,
    );
    error.rule = 'role-not-allowed';
    return error;
  }
  if (state.state === 'acknowledged' || state.state === 'scheduled') {
    const error = new AppError(
      'refused',
      `${state.sow} was acknowledged; the packet is final and can no longer be edited`,
    );
    error.rule = 'already-acknowledged';
    return error;
  }
  return undefined;
}

function refuseEditing(state: HandoffState, actor: ActorRef): void {
  const refusal = editingRefusal(state, actor);
  if (refusal) throw refusal;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The absolute path of a root-relative file, refusing a path (or a symlink at it) that leaves the root. */
function fileUnderRoot(baton: Baton, rel: string): string {
  const probe = probeUnderRoot(baton.root, rel);
  if (probe.kind === 'outside-root')
    throw new AppError('refused', `${rel} leads outside the knowledge root: ${probe.reason}`, 'path');
  if (probe.kind === 'directory') throw new AppError('bad-input', `${rel} is a folder, not a file`, 'path');
  return pathUnderRoot(baton.root, rel);
}

/** The packet file to edit (the empty template when there is none yet), for someone allowed to edit it. */
export async function packetDraft(baton: Baton, actor: ActorRef, sowInput: string): Promise<PacketDraft> {
  const sow = sowOf(sowInput);
  refuseEditing(await openHandoffState(baton, sow), actor);
  const path = sowPath(baton.playbook.paths.packet, sow);
  const text = await readIfExists(fileUnderRoot(baton, path));
  return {
    sow,
    path,
    text: text ?? renderTemplate(sow, baton.playbook),
    exists: text !== undefined,
    sha256: sha256Hex(text ?? ''),
  };
}

/** Refuses text that is not the packet of this SOW (too long, binary, unreadable, another SOW's). */
function checkPacketOf(baton: Baton, text: string, sow: string, path: string): void {
  if (text.length > maxPacketChars)
    throw new AppError('bad-input', `packet: longer than ${maxPacketChars} characters`, 'packet');
  if (text.includes('\0'))
    throw new AppError('not-a-packet', 'packet: the text has a NUL character', 'packet');
  const parsed = parsePacket(text, baton.playbook, { fileName: posix.basename(path) });
  if (!parsed.ok)
    throw new AppError(
      'not-a-packet',
      `packet: line ${parsed.error.line}: ${parsed.error.message}`,
      'packet',
    );
  if (parsed.packet.sow !== sow)
    throw new AppError(
      'bad-input',
      `packet: this is the packet of ${parsed.packet.sow}, not ${sow}; its title must name ${sow}`,
      'packet',
    );
}

/**
 * Saves packet text at the SOP path (written to a temporary file, then renamed into place). `baseSha256`
 * is the sha256 of the file the person started from: when the file changed since, nothing is written.
 */
export async function savePacketDraft(
  baton: Baton,
  actor: ActorRef,
  sowInput: string,
  text: string,
  options: { baseSha256?: string } = {},
): Promise<{ sow: string; path: string; sha256: string }> {
  const sow = sowOf(sowInput);
  refuseEditing(await openHandoffState(baton, sow), actor);
  const path = sowPath(baton.playbook.paths.packet, sow);
  checkPacketOf(baton, text, sow, path);
  const current = await readIfExists(fileUnderRoot(baton, path));
  if (options.baseSha256 !== undefined && options.baseSha256 !== sha256Hex(current ?? ''))
    throw new AppError(
      'conflict',
      `${path} changed since you opened it (someone saved another version); reload it and apply your edits again`,
      'packet',
    );
  await writeRootFile(baton.root, { path, content: text });
  return { sow, path, sha256: sha256Hex(text) };
}

/** The live gate on unsaved text for a handoff (the editor). `not-a-packet` when it cannot be read as one. */
export async function gatePacketDraft(
  baton: Baton,
  sowInput: string,
  text: string,
): Promise<HandoffGateReport> {
  const sow = sowOf(sowInput);
  await openHandoffState(baton, sow);
  checkPacketOf(baton, text, sow, sowPath(baton.playbook.paths.packet, sow));
  return gateText(baton, text, sow);
}

export interface PacketOnRecord {
  /** What the review is about now (as the gate query reads it), or nothing written yet. */
  source: 'submission' | 'draft' | 'none';
  /** The submission shown, for `submission`. */
  submission?: number;
  /** Root-relative path of what is shown. */
  path: string;
  text?: string;
  /** The file at the SOP path differs from the submitted version shown (edits not submitted). */
  draftChanged?: boolean;
  packet?: Packet;
  diagnostics: Diagnostic[];
  /** Why the packet or its gate could not be shown (unreadable, missing, altered on disk). */
  problem?: string;
  gate?: HandoffGateReport;
}

/**
 * The packet a handoff page shows, with its gate: the frozen copy of the current submission while it
 * awaits review or after acknowledgement (gated as of its submission, attestations counted), else the
 * draft at the SOP path gated as of now (before a submission, and while a rejection is remediated).
 */
export async function packetOnRecord(baton: Baton, sowInput: string): Promise<PacketOnRecord> {
  const sow = sowOf(sowInput);
  const state = await openHandoffState(baton, sow);
  const draftPath = sowPath(baton.playbook.paths.packet, sow);
  let gate: HandoffGateReport | undefined;
  let problem: string | undefined;
  try {
    gate = await gateHandoff(baton, sow);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    problem = e.message;
  }
  const submission =
    gate?.source === 'submission' ? state.submissions.find((s) => s.n === gate.submission) : undefined;
  const path = submission ? submission.frozenPath : draftPath;
  let text: string | undefined;
  try {
    text = await readIfExists(fileUnderRoot(baton, path));
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    problem ??= e.message;
  }
  if (text === undefined)
    return { source: 'none', path, diagnostics: [], ...(problem && gate ? { problem } : {}) };
  const view: PacketOnRecord = {
    source: submission ? 'submission' : 'draft',
    path,
    text,
    diagnostics: [],
    ...(submission ? { submission: submission.n } : {}),
    ...(gate ? { gate } : {}),
    ...(problem ? { problem } : {}),
  };
  if (submission) {
    const draft = await readIfExists(fileUnderRoot(baton, draftPath)).catch(() => undefined);
    view.draftChanged = draft !== undefined && sha256Hex(draft) !== submission.sha256;
  }
  const parsed = parsePacket(text, baton.playbook, { fileName: posix.basename(draftPath) });
  view.diagnostics = parsed.diagnostics;
  if (parsed.ok) view.packet = parsed.packet;
  else view.problem ??= `line ${parsed.error.line}: ${parsed.error.message}`;
  return view;
}
