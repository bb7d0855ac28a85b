// SOP Delta drafts on the service layer. When: after every rejection (rejectPacket), after every sweep
// that records something (a missed clock), and on demand (`baton deltas`). Each run looks at the most
// recent handoffs for patterns (src/domain/sop-delta), drafts the proposals that are new, and records each
// as a `SopDeltaDrafted` event on the governance stream, so no proposal is drafted twice even when its
// file is moved or deleted; the file is written through the outbox in the same transaction.

import { localDate } from '../domain/calendar/index.ts';
import { deltaId, findPatterns, newProposals, patternTitle, renderDelta } from '../domain/sop-delta/index.ts';
import {
  appendEvents,
  enqueueEffects,
  type NewEffect,
  readStream,
  sha256Hex,
  VersionConflict,
  withTransaction,
} from '../store/index.ts';
import { governanceStream, readRecentHistories } from './event-histories.ts';
import type { Baton } from './handoff-context.ts';
import { deliverEffects } from './outbox-dispatcher.ts';
import { isoUtc } from './time.ts';

export interface SopDeltaRecord {
  id: string;
  pattern: 'check' | 'clock';
  subject: string;
  title: string;
  /** Root-relative path of the draft. */
  path: string;
  /** The handoffs it cites as evidence. */
  handoffs: string[];
  /** Earlier drafts of the same pattern. */
  earlier: string[];
  draftedAt: string;
  trigger: string;
  sha256: string;
}

export interface SopDeltaRun {
  /** Proposals drafted by this run. */
  drafted: SopDeltaRecord[];
  /** Every pattern that reaches its threshold now (drafted now or before). */
  patterns: { pattern: 'check' | 'clock'; subject: string; title: string; handoffs: string[]; of: number }[];
  /** Every proposal drafted so far, oldest first. */
  all: SopDeltaRecord[];
}

const systemActor = { role: 'system', name: 'baton', via: 'system' } as const;

/** The proposals drafted so far, oldest first. */
export async function listSopDeltas(baton: Baton): Promise<SopDeltaRecord[]> {
  const events = await readStream(baton.store.db, governanceStream);
  return events
    .filter((e) => e.type === 'SopDeltaDrafted')
    .map((e) => ({ ...(e.data as unknown as SopDeltaRecord), draftedAt: e.at }));
}

/** Looks for patterns and drafts the new proposals; `trigger` says why it ran (kept in the record). */
export async function draftSopDeltas(baton: Baton, trigger: string): Promise<SopDeltaRun> {
  for (let attempt = 0; ; attempt++) {
    const now = isoUtc(baton.now());
    const histories = await readRecentHistories(baton, baton.playbook.governance.sopDelta.recentHandoffs);
    const patterns = findPatterns(histories, baton.playbook, now);
    const stream = await readStream(baton.store.db, governanceStream);
    const all = stream
      .filter((e) => e.type === 'SopDeltaDrafted')
      .map((e) => ({ ...(e.data as unknown as SopDeltaRecord), draftedAt: e.at }));
    const proposals = newProposals(
      patterns,
      all.map((d) => ({ id: d.id, pattern: d.pattern, subject: d.subject, handoffs: d.handoffs })),
    );
    const summary = patterns.map((p) => ({
      pattern: p.pattern,
      subject: p.subject,
      title: p.title,
      handoffs: p.evidence.map((e) => e.sow),
      of: p.recent.length,
    }));
    if (proposals.length === 0) return { drafted: [], patterns: summary, all };
    const date = localDate(baton.now(), baton.calendar).toString();
    const taken = new Set(all.map((d) => d.id));
    const drafted: SopDeltaRecord[] = [];
    const effects: NewEffect[] = [];
    for (const proposal of proposals) {
      const id = deltaId(date, proposal.pattern.slug, taken);
      taken.add(id);
      const path = `${baton.playbook.paths.sopDeltas}/${id}.md`;
      const content = renderDelta(proposal, { id, draftedAt: now, playbook: baton.playbook, trigger });
      drafted.push({
        id,
        pattern: proposal.pattern.pattern,
        subject: proposal.pattern.subject,
        title: patternTitle(proposal.pattern.pattern, proposal.pattern.subject, baton.playbook),
        path,
        handoffs: proposal.pattern.evidence.map((e) => e.sow),
        earlier: proposal.earlier,
        draftedAt: now,
        trigger,
        sha256: sha256Hex(content),
      });
      effects.push({ id: `${governanceStream}:${id}`, kind: 'file.write', payload: { path, content } });
    }
    try {
      await withTransaction(baton.store.db, async (trx) => {
        await appendEvents(
          trx,
          governanceStream,
          stream.length,
          drafted.map(({ draftedAt: _at, ...data }) => ({
            type: 'SopDeltaDrafted',
            data: { ...data },
            actor: systemActor,
            at: now,
          })),
        );
        await enqueueEffects(trx, governanceStream, effects, now);
      });
    } catch (e) {
      // Another process drafted at the same moment: look again with its record in view.
      if (e instanceof VersionConflict && attempt < 3) continue;
      throw e;
    }
    await deliverEffects(baton, { kinds: ['file.write'] });
    return { drafted, patterns: summary, all: [...all, ...drafted] };
  }
}
