export { type CommandType, commandNames, type GateOutcome, type HandoffCommand } from './commands.ts';
export { type DecideContext, decide, openClocks } from './decide.ts';
export { actorLabel, evolve, initialState, replay } from './evolve.ts';
export { WorkflowInputError, WorkflowRefusal } from './refusal.ts';
export { renderHandoffReport } from './report.ts';
export { allowedCommands, commandRoles, guard, submitters } from './rules.ts';
export * from './types.ts';
