export {
  activeHold,
  type PlanRow,
  purgePlan,
  type RetentionStatus,
  retainedUntil,
  retentionStatus,
} from './retention.ts';
