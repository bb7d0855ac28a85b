export { type IncidentFile, incidentFileFor, renderIncident } from './incident-file.ts';
export { type EscalationPolicy, escalationOfCheck, escalationPolicies } from './kinds.ts';
