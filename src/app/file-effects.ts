import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathUnderRoot } from '../integrations/files/root-files.ts';
import type { FileEffect } from './effects.ts';

/**
 * Carries out a `file.write` effect under the root: written to a temporary file and renamed, so a reader
 * never sees half a file; repeating it gives the same result (idempotent).
 */
export async function writeRootFile(root: string, effect: FileEffect): Promise<void> {
  const target = pathUnderRoot(root, effect.path);
  await mkdir(dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, effect.content, 'utf8');
  await rename(temporary, target);
  if (effect.removeFrom) await rm(pathUnderRoot(root, effect.removeFrom), { force: true });
}
