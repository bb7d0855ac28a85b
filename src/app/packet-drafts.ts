/**
 * Drafting a packet: a packet file written at the SOP path from structured fields (the playbook's), with
 * the gate's findings on it. For agents (MCP) and any interface that fills a packet in from a form.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { z } from 'zod';
import { renderPacket, sowPath } from '../domain/packet/index.ts';
import type { Playbook } from '../domain/playbook/index.ts';
import { type ActorRef, allowedCommands, commandRoles, type HandoffState } from '../domain/workflow/index.ts';
import { pathUnderRoot, probeUnderRoot } from '../integrations/files/root-files.ts';
import { AppError } from './errors.ts';
import { gateText, type HandoffGateReport } from './gate-queries.ts';
import type { Baton } from './handoff-context.ts';
import { asAppError, loadHandoff } from './handoffs.ts';
import { operationSchemas } from './operations.ts';

const sow = operationSchemas.status.shape.sow;

/** Validates input against a schema; the first bad field becomes a `bad-input` naming it. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [...(issue?.path ?? []).map(String)];
  if (issue?.code === 'unrecognized_keys' && issue.keys[0]) path.push(issue.keys[0]);
  const where = path.join('.') || 'input';
  throw new AppError('bad-input', `${where}: ${issue?.message ?? 'invalid'}`, where);
}

function refusal(state: HandoffState, actor: ActorRef, rule: string, message: string): AppError {
  const error = new AppError('refused', message);
  error.rule = rule;
  error.allowed = allowedCommands(state, actor);
  return error;
}

const draftSchemas = new WeakMap<Playbook, ReturnType<typeof buildDraftSchema>>();

function buildDraftSchema(playbook: Playbook) {
  const fields = playbook.sections.flatMap((s) => s.fields);
  const shape = Object.fromEntries(
    fields.map((f) => [
      f.id,
      z
        .string()
        .max(4000)
        .optional()
        .describe(
          `${f.label}${f.required ? '' : ' (if applicable; "N/A" when not)'}: ${f.description}${f.example ? ` e.g. ${f.example}` : ''}`,
        ),
    ]),
  );
  return z.strictObject({
    sow,
    fields: z
      .strictObject(shape)
      .describe(
        "the packet's fields by playbook id; parts of a value are separated by ';'; a field left out is written blank",
      ),
    overwrite: z
      .boolean()
      .default(false)
      .describe('replace the packet file when one exists (default: refuse)'),
  });
}

/** The input of `draftPacket` for a playbook: its fields, by id, with their labels and examples. */
export function draftPacketSchema(playbook: Playbook): ReturnType<typeof buildDraftSchema> {
  let schema = draftSchemas.get(playbook);
  if (!schema) {
    schema = buildDraftSchema(playbook);
    draftSchemas.set(playbook, schema);
  }
  return schema;
}

export interface DraftResult {
  sow: string;
  /** The packet file, relative to the root (the SOP path). */
  file: string;
  /** True when an existing file was replaced. */
  overwritten: boolean;
  /** The fields written with a value, by playbook id. */
  filled: string[];
  gate: HandoffGateReport;
}

/**
 * Writes a packet at the SOP path from structured fields (every field of the playbook, blank where not
 * given) and returns the gate's findings on it. The seller's side drafts (the roles that submit); never
 * once the packet was acknowledged; an existing file is replaced only when `overwrite` says so.
 */
export async function draftPacket(baton: Baton, actor: ActorRef, input: unknown): Promise<DraftResult> {
  const args = parseInput(draftPacketSchema(baton.playbook), input);
  const id = args.sow.toUpperCase();
  try {
    const state = await loadHandoff(baton, id);
    if (!commandRoles.submit.includes(actor.role))
      throw refusal(
        state,
        actor,
        'role-not-allowed',
        `${actor.role} may not draft the packet; only ${commandRoles.submit.join(' or ')} may (the seller's side writes it)`,
      );
    if (state.state === 'acknowledged' || state.state === 'scheduled')
      throw refusal(state, actor, 'already-acknowledged', `${id} was acknowledged; the packet is final`);
    const values: Record<string, string> = {};
    for (const [field, value] of Object.entries(args.fields))
      if (typeof value === 'string' && value.trim() !== '') values[field] = value.trim();
    const text = renderPacket({ sow: id, values }, baton.playbook, { allFields: true });
    const rel = sowPath(baton.playbook.paths.packet, id);
    const overwritten = await writePacketFile(baton.root, rel, text, args.overwrite);
    return {
      sow: id,
      file: rel,
      overwritten,
      filled: Object.keys(values),
      gate: await gateText(baton, text, id),
    };
  } catch (e) {
    throw asAppError(e);
  }
}

/** Writes under the root without following a link out of it; returns whether a file was replaced. */
async function writePacketFile(
  root: string,
  rel: string,
  text: string,
  overwrite: boolean,
): Promise<boolean> {
  const target = pathUnderRoot(root, rel);
  await mkdir(dirname(target), { recursive: true });
  const folder = probeUnderRoot(root, posix.dirname(rel));
  if (folder.kind !== 'directory')
    throw new AppError(
      'refused',
      `the packet folder ${posix.dirname(rel)} leads outside the knowledge root`,
      'file',
    );
  const existing = probeUnderRoot(root, rel);
  if (existing.kind === 'outside-root')
    throw new AppError('refused', `${rel} leads outside the knowledge root (${existing.reason})`, 'file');
  if (existing.kind === 'directory') throw new AppError('conflict', `${rel} is a folder`, 'file');
  if (!overwrite) {
    try {
      // `wx` fails on anything already there, a dangling link included: nothing is ever replaced by accident.
      await writeFile(target, text, { encoding: 'utf8', flag: 'wx' });
      return false;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST')
        throw new AppError(
          'conflict',
          `${rel} already exists; read it first, then draft again with overwrite: true to replace it`,
          'overwrite',
        );
      throw e;
    }
  }
  // Written beside it and renamed: a reader never sees half a packet, and a link is replaced, not followed.
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temporary, target);
  } catch (e) {
    await rm(temporary, { force: true });
    throw e;
  }
  return existing.kind === 'file';
}
