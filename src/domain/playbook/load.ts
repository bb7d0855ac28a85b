import type { z } from 'zod';
import builtIn from './assessment-handoff-v0.json' with { type: 'json' };
import { type Playbook, playbookSchema } from './schema.ts';

/** A playbook that does not validate; `path` is the dotted path of the first bad key. */
export class PlaybookError extends Error {
  readonly source: string;
  readonly issues: { path: string; message: string }[];
  constructor(source: string, issues: { path: string; message: string }[]) {
    const first = issues[0];
    super(
      `playbook ${source} is not valid: ${issues.map((i) => `${i.path || '(top level)'}: ${i.message}`).join('; ')}` +
        (first ? '' : ''),
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

/** Validates plain data (from JSON or YAML) as a playbook. */
export function validatePlaybook(data: unknown, source: string): Playbook {
  const result = playbookSchema.safeParse(data);
  if (result.success) return result.data;
  const issues = (result.error as z.ZodError).issues.map((i) => ({
    path: issuePath(i.path),
    message: i.message,
  }));
  throw new PlaybookError(source, issues);
}

let cached: Playbook | undefined;
/** The built-in "assessment-handoff v0" playbook. */
export function builtInPlaybook(): Playbook {
  cached ??= validatePlaybook(builtIn, 'assessment-handoff-v0 (built in)');
  return cached;
}

/** A deep copy of the built-in playbook's data, for a company to start its own from. */
export function builtInPlaybookData(): unknown {
  return structuredClone(builtIn);
}
