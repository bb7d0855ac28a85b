import { readFile } from 'node:fs/promises';
import { Temporal } from 'temporal-polyfill';
import type { GateCheckId } from '../domain/gate/index.ts';
import { parsePacket, sowPath } from '../domain/packet/index.ts';
import { pathUnderRoot } from '../integrations/files/root-files.ts';
import { AppError } from './errors.ts';
import type { GateReport } from './gate-packet.ts';
import type { Baton } from './handoff-context.ts';
import { checkFrozenCopy, gateWithContext } from './handoff-gate.ts';
import { loadHandoff } from './handoffs.ts';

export interface HandoffGateReport extends GateReport {
  /**
   * What was gated: the text given (`text`), the packet file at the SOP path not yet submitted (`draft`), or
   * the frozen copy of the current submission (`submission`, with its attestations counted).
   */
  source: 'text' | 'draft' | 'submission';
  /** The submission's number, for `submission`. */
  submission?: number;
}

const normalSow = (sow: string): string => sow.trim().toUpperCase();

/** Gates packet text as if submitted now, with what the handoff (when open) knows: its CEO approval. */
export async function gateText(baton: Baton, text: string, expectedSow?: string): Promise<HandoffGateReport> {
  const parsed = parsePacket(text, baton.playbook, {});
  if (parsed.ok && expectedSow && parsed.packet.sow !== normalSow(expectedSow))
    throw new AppError(
      'bad-input',
      `packet: this is the packet of ${parsed.packet.sow}, not ${normalSow(expectedSow)}`,
      'packet',
    );
  const sow = parsed.ok ? parsed.packet.sow : expectedSow ? normalSow(expectedSow) : undefined;
  const state = sow ? await loadHandoff(baton, sow) : undefined;
  const file = sow ? sowPath(baton.playbook.paths.packet, sow) : 'packet.md';
  const report = await gateWithContext(baton, text, file, {
    submittedAt: baton.now(),
    ...(state ? { state } : {}),
  });
  return { ...report, source: 'text' };
}

/**
 * A handoff's current packet: the frozen copy of its latest submission while one is awaiting review or was
 * acknowledged (checked against the hash recorded at submission), else the file at the SOP path.
 */
export async function gateHandoff(baton: Baton, sowInput: string): Promise<HandoffGateReport> {
  const sow = normalSow(sowInput);
  const state = await loadHandoff(baton, sow);
  if (!state.state)
    throw new AppError('not-found', `no handoff ${sow}; open it with baton open ${sow}`, 'sow');
  const current = state.submissions.at(-1);
  if (current && state.state !== 'rejected' && state.state !== 'opened') {
    const text = await readUnderRoot(baton, current.frozenPath, 'the frozen copy', 'conflict');
    checkFrozenCopy(current, text);
    const attested = new Set<GateCheckId>([
      ...current.attested.map((a) => a.check),
      ...(state.acknowledgement?.submission === current.n
        ? state.acknowledgement.attestations.map((a) => a.check)
        : []),
    ]);
    const report = await gateWithContext(baton, text, current.packetPath, {
      submittedAt: Temporal.Instant.from(current.at),
      state,
      attested,
    });
    return { ...report, source: 'submission', submission: current.n };
  }
  const packetPath = sowPath(baton.playbook.paths.packet, sow);
  const text = await readUnderRoot(baton, packetPath, 'the packet');
  const report = await gateWithContext(baton, text, packetPath, { submittedAt: baton.now(), state });
  return { ...report, source: 'draft' };
}

/** A file under the root; missing, it is `not-found` (a draft not written yet) or a `conflict` (a frozen copy lost). */
async function readUnderRoot(
  baton: Baton,
  rel: string,
  what: string,
  missing: 'not-found' | 'conflict' = 'not-found',
): Promise<string> {
  try {
    return await readFile(pathUnderRoot(baton.root, rel), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    throw new AppError(
      missing,
      missing === 'conflict'
        ? `${what} ${rel} is missing from the root; run baton verify, and resubmit`
        : `${what} ${rel} does not exist yet; write it first`,
      'file',
    );
  }
}
