import type { EscalationKind, Role } from '../workflow/types.ts';

export interface EscalationPolicy {
  owners: Role[];
  informed: Role[];
  /** The SOP's words for what happens (handoff-rules.md, Escalations). */
  action: string;
  /** A SEV2 incident is filed with it. */
  incident: boolean;
  /** Roles that may resolve it besides the owners. */
  resolvers: Role[];
}

/** handoff-rules.md, Escalations (Section 7): who owns each kind, who is told, and whether it files an incident. */
export const escalationPolicies: Record<EscalationKind, EscalationPolicy> = {
  'gate-failed-twice': {
    owners: ['chief.staff'],
    informed: ['cro', 'customer.success'],
    action: 'the gate failed twice: escalated to the Chief of Staff, SEV2 incident logged',
    incident: true,
    resolvers: ['ceo'],
  },
  'expectation-misaligned': {
    owners: ['cro', 'customer.success'],
    informed: [],
    action:
      'expectations misaligned with the standard scope: CRO and customer.success resolve it within 1 business day',
    incident: false,
    resolvers: ['chief.staff'],
  },
  'misalignment-mediation': {
    owners: ['chief.staff'],
    informed: ['cro', 'customer.success'],
    action: 'the misalignment was not resolved in time: the Chief of Staff mediates',
    incident: false,
    resolvers: [],
  },
  'timeline-unachievable': {
    owners: ['cro', 'customer.success'],
    informed: ['chief.staff'],
    action:
      "the promised timeline is unachievable: the CRO resets the customer's expectations, customer.success drafts a revised timeline",
    incident: false,
    resolvers: ['chief.staff'],
  },
  'scope-deviation': {
    owners: ['ceo'],
    informed: ['cro', 'chief.staff'],
    action:
      'a scope deviation from the SOW: escalated to the CEO; the gate cannot pass until the CEO approves',
    incident: false,
    resolvers: [],
  },
  'discovery-not-scheduled': {
    owners: ['cro', 'customer.success'],
    informed: ['chief.staff'],
    action:
      'discovery session not scheduled within 5 business days of SOW execution: SEV2 incident, CRO and customer.success own remediation',
    incident: true,
    resolvers: ['chief.staff'],
  },
  'quality-concern': {
    owners: ['chief.staff'],
    informed: ['cro', 'customer.success'],
    action: 'the Chief of Staff flagged a quality concern',
    incident: false,
    resolvers: [],
  },
};

/** Escalations a passing check of a later submission clears by itself; the rest are closed by a person. */
export const escalationOfCheck = {
  'expectation-alignment': 'expectation-misaligned',
  'timeline-alignment': 'timeline-unachievable',
  'scope-alignment': 'scope-deviation',
} as const satisfies Record<string, EscalationKind>;
