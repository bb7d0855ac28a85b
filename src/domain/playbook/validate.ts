import type { z } from 'zod';
import { type Playbook, playbookSchema } from './schema.ts';

/** A playbook that does not validate; each issue has the dotted path of a bad key. */
export class PlaybookError extends Error {
  readonly source: string;
  readonly issues: { path: string; message: string }[];
  constructor(source: string, issues: { path: string; message: string }[]) {
    super(
      `playbook ${source} is not valid: ${issues.map((i) => `${i.path || '(top level)'}: ${i.message}`).join('; ')}`,
    );
    this.name = 'PlaybookError';
    this.source = source;
    this.issues = issues;
  }
}

function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/** Validates plain data (from JSON or YAML) as a playbook, applying defaults. */
export function validatePlaybook(data: unknown, source: string): Playbook {
  const result = playbookSchema.safeParse(data);
  if (result.success) return result.data;
  const issues = (result.error as z.ZodError).issues.map((i) => ({
    path: issuePath(i.path),
    message: i.message,
  }));
  throw new PlaybookError(source, issues);
}
