export {
  type CommandType,
  commandNames,
  type GateOutcome,
  type GovernanceCommand,
  type GovernanceCommandType,
  governanceCommandNames,
  type HandoffCommand,
  isGovernanceCommand,
} from './commands.ts';
export { type DecideContext, decide, openClocks } from './decide.ts';
export { actorLabel, evolve, initialState, replay } from './evolve.ts';
export { WorkflowInputError, WorkflowRefusal } from './refusal.ts';
export { renderHandoffReport } from './report.ts';
export {
  allowedCommands,
  allowedGovernanceCommands,
  commandRoles,
  governanceCommandRoles,
  governanceGuard,
  guard,
  submitters,
} from './rules.ts';
export * from './types.ts';
