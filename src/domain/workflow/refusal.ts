/** Why a command is not allowed: the rule's id, a sentence naming it, and what may be done instead. */
export class WorkflowRefusal extends Error {
  readonly rule: string;
  /** The field or option at fault, when there is one. */
  readonly field?: string;
  /** The commands the actor may run on this handoff now. */
  allowed: string[];
  constructor(rule: string, message: string, options: { field?: string; allowed?: string[] } = {}) {
    super(message);
    this.name = 'WorkflowRefusal';
    this.rule = rule;
    if (options.field !== undefined) this.field = options.field;
    this.allowed = options.allowed ?? [];
  }
}

/** Input the workflow cannot read (a malformed date, an unknown check id). */
export class WorkflowInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'WorkflowInputError';
    this.field = field;
  }
}
