import { gateCheckIds } from '../gate/index.ts';
import { actorLabel } from './evolve.ts';
import type { HandoffState } from './types.ts';

/** Escapes text for a markdown table cell or line: no structure, links or HTML from names and notes. */
function inline(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/\s*\n\s*/g, ' ');
}

/**
 * The Section 6C handoff report filed beside the packet: from, to, type, packet path and hash, the gate's
 * results, the blocking line, Acknowledged By, and the history of submissions and rejections.
 */
export function renderHandoffReport(state: HandoffState): string {
  const sow = state.sow ?? '';
  const current = state.submissions.at(-1);
  const ack = state.acknowledgement;
  const from = current ? actorLabel(current.by) : state.openedBy ? actorLabel(state.openedBy) : 'cro';
  const lines = [
    `# ${sow} Handoff Report`,
    '',
    '| Field | Value |',
    '| --- | --- |',
    `| From | ${inline(from)} |`,
    '| To | customer.success |',
    '| Type | Assessment Handoff Packet |',
    `| File path | ${inline(current?.packetPath ?? '')} |`,
    `| Submitted version | ${current ? `${current.n} (${current.at})` : 'not submitted'} |`,
    `| Frozen copy | ${inline(current?.frozenPath ?? '')} |`,
    `| SHA-256 | ${current?.sha256 ?? ''} |`,
    `| Blocking | ${ack ? 'No -- acknowledged; discovery session scheduling may proceed' : 'Yes -- discovery session scheduling blocked until acknowledged'} |`,
    `| Acknowledged By | ${ack ? `${inline(actorLabel(ack.by))}, ${ack.at}, version ${ack.submission}` : ''} |`,
    '',
    '## Quality gate',
    '',
  ];
  if (current) {
    lines.push(
      `Version ${current.n}: ${current.gate.verdict}`,
      '',
      '| Check | Result | Attestation |',
      '| --- | --- | --- |',
    );
    for (const id of gateCheckIds) {
      const check = current.gate.checks.find((c) => c.id === id);
      const attestation = current.attested.find((a) => a.check === id);
      lines.push(
        `| ${id} | ${check?.status ?? 'not run'} | ${attestation ? inline(`${attestation.reason} (${attestation.by}, ${attestation.at})`) : ''} |`,
      );
    }
  } else lines.push('Not run: nothing submitted yet.');
  lines.push('', '## History', '', '| When | What | Who | Detail |', '| --- | --- | --- | --- |');
  const history = [
    ...state.submissions.map((s) => ({
      at: s.at,
      what: `submitted version ${s.n}`,
      who: actorLabel(s.by),
      detail: `gate ${s.gate.verdict}; sha256 ${s.sha256.slice(0, 12)}`,
    })),
    ...state.rejections.map((r) => ({
      at: r.at,
      what: `rejected version ${r.submission}`,
      who: actorLabel(r.by),
      detail: [r.checks.join(', '), r.reason].filter(Boolean).join(' -- '),
    })),
    ...(ack
      ? [{ at: ack.at, what: `acknowledged version ${ack.submission}`, who: actorLabel(ack.by), detail: '' }]
      : []),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  for (const h of history) lines.push(`| ${h.at} | ${h.what} | ${inline(h.who)} | ${inline(h.detail)} |`);
  lines.push('');
  return lines.join('\n');
}
