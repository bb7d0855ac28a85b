import { basename } from 'node:path';
import type { Temporal } from 'temporal-polyfill';
import { type CheckResult, type CrmLookup, type GateCheckId, runGate } from '../domain/gate/index.ts';
import { type Diagnostic, type ParseResult, parsePacket } from '../domain/packet/index.ts';
import type { Playbook } from '../domain/playbook/index.ts';
import { probeUnderRoot } from '../integrations/files/root-files.ts';
import { calendarFor } from './calendar-for.ts';
import { AppError } from './errors.ts';
import { readFile } from './read-file.ts';

/** The gate's answer for one packet file: the contract of `baton gate --json`. */
export interface GateReport {
  sow: string;
  file: string;
  verdict: 'pass' | 'fail' | 'review';
  checks: CheckResult[];
  diagnostics: Diagnostic[];
}

export interface GateOptions {
  playbook: Playbook;
  root: string;
  /** When the packet is submitted; outside a workflow, now. */
  submittedAt: Temporal.Instant;
  ceoApproval?: { by: string; at: string; note: string };
  crm?: CrmLookup;
  attested?: ReadonlySet<GateCheckId>;
}

/** The packet in `text`, parsed; throws `not-a-packet` (naming the line) when it is not a handoff packet. */
export function parsePacketText(text: string, file: string, playbook: Playbook): ParsedPacket {
  const parsed = parsePacket(text, playbook, { fileName: basename(file) });
  if (!parsed.ok) {
    throw new AppError(
      'not-a-packet',
      `${file}:${parsed.error.line}: ${parsed.error.message}`,
      `line ${parsed.error.line}`,
    );
  }
  return parsed;
}

export type ParsedPacket = Extract<ParseResult, { ok: true }>;

/** Gates a packet already parsed (callers that read it first, e.g. for its deal ID, parse it once). */
export function gateParsedPacket(parsed: ParsedPacket, file: string, options: GateOptions): GateReport {
  const result = runGate(
    {
      packet: parsed.packet,
      playbook: options.playbook,
      calendar: calendarFor(options.playbook),
      submittedAt: options.submittedAt,
      files: (path) => probeUnderRoot(options.root, path),
      ...(options.ceoApproval ? { ceoApproval: options.ceoApproval } : {}),
      ...(options.crm ? { crm: options.crm } : {}),
    },
    options.attested,
  );
  return {
    sow: parsed.packet.sow,
    file,
    verdict: result.verdict,
    checks: result.checks,
    diagnostics: parsed.diagnostics,
  };
}

/** Parses and gates packet text. Throws `not-a-packet` when the text is not a handoff packet. */
export function gatePacketText(text: string, file: string, options: GateOptions): GateReport {
  return gateParsedPacket(parsePacketText(text, file, options.playbook), file, options);
}

export async function gatePacketFile(file: string, options: GateOptions): Promise<GateReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : (code ?? (e as Error).message);
    throw new AppError('bad-input', `cannot read ${file}: ${why}`, 'FILE');
  }
  if (text.includes('\0'))
    throw new AppError('not-a-packet', `${file} is a binary file, not a markdown packet`, 'FILE');
  return gatePacketText(text, file, options);
}
