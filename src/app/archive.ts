// The archive (SOP Section 8): every submitted version of a packet and every version of the 6C report,
// kept with its sha256 beside the packet, in `<packet folder>/archive/<SOW>/`, until retention ends.

import { posix } from 'node:path';
import { sowPath } from '../domain/packet/index.ts';
import type { Playbook } from '../domain/playbook/index.ts';
import { sha256Hex } from '../store/index.ts';

/** `operations/handoffs/assessments/archive/SOW-2026-014` (root-relative). */
export function archiveFolderOf(playbook: Playbook, sow: string): string {
  return `${posix.dirname(sowPath(playbook.paths.packet, sow))}/archive/${sow}`;
}

/**
 * A version of the 6C report in the archive, named by the handoff's version it reflects and its hash, with
 * a `.sha256` file beside it in `sha256sum` format (so `sha256sum -c` checks it).
 */
export function reportArchiveFiles(
  playbook: Playbook,
  sow: string,
  version: number,
  content: string,
): { path: string; content: string }[] {
  const hash = sha256Hex(content);
  const name = `${sow}-handoff-report.v${version}.${hash.slice(0, 12)}.md`;
  const path = `${archiveFolderOf(playbook, sow)}/${name}`;
  return [
    { path, content },
    { path: `${path}.sha256`, content: `${hash}  ${name}\n` },
  ];
}
