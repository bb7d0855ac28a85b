import { readFile } from 'node:fs/promises';
import { isSowNumber, sowPath } from '../domain/packet/index.ts';
import { probeUnderRoot } from '../integrations/files/root-files.ts';
import { AppError } from './errors.ts';
import type { Baton } from './handoff-context.ts';
import { checkFrozenCopy } from './handoff-gate.ts';
import { loadHandoff } from './handoffs.ts';

export interface RootFile {
  /** Relative to the root. */
  path: string;
  text: string;
}

export interface IncidentEntry {
  id: string;
  sow: string;
  severity: string;
  status: 'open' | 'closed';
  filedAt: string;
  path: string;
}

function requireSow(input: string): string {
  const sow = input.trim().toUpperCase();
  if (!isSowNumber(sow))
    throw new AppError('bad-input', `"${input}" is not a SOW number; write SOW-YYYY-NNN`, 'sow');
  return sow;
}

async function readRootFile(baton: Baton, rel: string, what: string): Promise<RootFile> {
  const probe = probeUnderRoot(baton.root, rel);
  if (probe.kind === 'outside-root')
    throw new AppError(
      'refused',
      `${what} ${rel} leads outside the knowledge root (${probe.reason})`,
      'path',
    );
  if (probe.kind !== 'file') throw new AppError('not-found', `${what} ${rel} does not exist`, 'path');
  return { path: rel, text: await readFile(probe.path, 'utf8') };
}

/** The packet or the 6C report of a SOW, at the SOP's path. */
export function readHandoffFile(
  baton: Baton,
  sowInput: string,
  which: 'packet' | 'report',
): Promise<RootFile> {
  const sow = requireSow(sowInput);
  return readRootFile(baton, sowPath(baton.playbook.paths[which], sow), `the ${which} of ${sow}`);
}

/** The frozen copy of submission `n` (1, 2, ...), checked against the hash recorded when it was submitted. */
export async function readSubmission(baton: Baton, sowInput: string, n: number): Promise<RootFile> {
  const sow = requireSow(sowInput);
  const state = await loadHandoff(baton, sow);
  const submission = state.submissions.find((s) => s.n === n);
  if (!submission)
    throw new AppError(
      'not-found',
      `${sow} has no submission ${n} (it has ${state.submissions.length})`,
      'submission',
    );
  const file = await readRootFile(baton, submission.frozenPath, `submission ${n} of ${sow}`);
  checkFrozenCopy(submission, file.text, 'path');
  return file;
}

const incidentColumns = ['id', 'sow', 'severity', 'status', 'filed_at', 'path'] as const;

function incidentEntry(r: {
  id: string;
  sow: string;
  severity: string;
  status: 'open' | 'closed';
  filed_at: string;
  path: string;
}): IncidentEntry {
  return { id: r.id, sow: r.sow, severity: r.severity, status: r.status, filedAt: r.filed_at, path: r.path };
}

export async function listIncidents(baton: Baton): Promise<IncidentEntry[]> {
  const rows = await baton.store.db
    .selectFrom('incidents')
    .select(incidentColumns)
    .orderBy('filed_at')
    .orderBy('id')
    .execute();
  return rows.map(incidentEntry);
}

/** An incident's file, found by its id in the store (open or closed, wherever it now lives). */
export async function readIncident(
  baton: Baton,
  id: string,
): Promise<RootFile & { incident: IncidentEntry }> {
  const row = await baton.store.db
    .selectFrom('incidents')
    .select(incidentColumns)
    .where('id', '=', id.trim())
    .executeTakeFirst();
  if (!row) throw new AppError('not-found', `no incident ${id}`, 'id');
  const incident = incidentEntry(row);
  return { ...(await readRootFile(baton, incident.path, `incident ${incident.id}`)), incident };
}
