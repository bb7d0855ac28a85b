import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isSowNumber, renderTemplate, sowPath } from '../domain/packet/index.ts';
import type { Playbook } from '../domain/playbook/index.ts';
import { pathUnderRoot } from '../integrations/files/root-files.ts';
import { AppError } from './errors.ts';

/** Writes an empty packet at the SOP's path under the root. Never overwrites. Returns the path written. */
export async function createPacketFile(root: string, sow: string, playbook: Playbook): Promise<string> {
  if (!isSowNumber(sow)) {
    throw new AppError(
      'bad-input',
      `${JSON.stringify(sow)} is not a SOW number; write SOW-YYYY-NNN, e.g. SOW-2026-014`,
      'SOW',
    );
  }
  const path = pathUnderRoot(root, sowPath(playbook.paths.packet, sow));
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, renderTemplate(sow, playbook), { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new AppError('conflict', `${path} already exists; baton new never overwrites a packet`, 'SOW');
    }
    throw e;
  }
  return path;
}
