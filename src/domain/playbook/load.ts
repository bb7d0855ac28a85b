import builtIn from './assessment-handoff-v0.json' with { type: 'json' };
import type { Playbook } from './schema.ts';

/**
 * The built-in "assessment-handoff v0" playbook. The file is kept in the schema's normal form (a test checks
 * that validating it changes nothing), so it is used as it is and start-up does not load the validator.
 */
export function builtInPlaybook(): Playbook {
  return builtIn as Playbook;
}

/** A deep copy of the built-in playbook's data, for a company to start its own from. */
export function builtInPlaybookData(): unknown {
  return structuredClone(builtIn);
}
