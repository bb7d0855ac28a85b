export { type IncidentFile, renderIncident } from './incident-file.ts';
export { type EscalationPolicy, escalationOfCheck, escalationPolicies } from './kinds.ts';
