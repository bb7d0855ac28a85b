import type { HandoffState } from '../workflow/types.ts';
import { escalationPolicies } from './kinds.ts';

export interface IncidentFile {
  id: string;
  severity: string;
  status: 'open' | 'closed';
  filedBy: string;
  filedAt: string;
  owners: string[];
  sow: string;
  title: string;
  whatFailed: string;
  where: string;
  why: string;
  mitigation: string;
  sopUpdate: string;
  resolution?: { at: string; by: string; note: string };
}

/** A YAML scalar that is always read back as the same string (JSON strings are valid YAML). */
const yamlString = (value: string): string => JSON.stringify(value);

/**
 * Text from people or packets, kept from turning into markdown structure (headings, HTML, links). Each line
 * is trimmed (no indented code) and a line-leading `-`, `=`, `+`, `~` or `1.` is escaped: a `---` line
 * would make the line above it a heading, others start lists or fences.
 */
function plainText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`)
        .replace(/^[-=+~]/, (c) => `\\${c}`)
        .replace(/^(\d+)([.)])/, '$1\\$2'),
    )
    .join('\n')
    .trim();
}

/** The incident file (SOP Section 7): front matter and the five sections people fill in. */
export function renderIncident(incident: IncidentFile): string {
  const lines = [
    '---',
    `incident_id: ${yamlString(incident.id)}`,
    `severity: ${yamlString(incident.severity)}`,
    `status: ${yamlString(incident.status)}`,
    `filed_by: ${yamlString(incident.filedBy)}`,
    `filed_at: ${yamlString(incident.filedAt)}`,
    `owner: ${yamlString(incident.owners.join(', '))}`,
    `sow: ${yamlString(incident.sow)}`,
    '---',
    '',
    `# ${incident.id}: ${plainText(incident.title)}`,
    '',
    '## What Failed',
    '',
    plainText(incident.whatFailed),
    '',
    '## Where',
    '',
    plainText(incident.where),
    '',
    '## Why',
    '',
    plainText(incident.why),
    '',
    '## Temporary Mitigation',
    '',
    plainText(incident.mitigation),
    '',
    '## Recommended SOP Update',
    '',
    plainText(incident.sopUpdate),
    '',
  ];
  if (incident.resolution) {
    lines.push(
      '## Resolution',
      '',
      `Resolved ${incident.resolution.at} by ${plainText(incident.resolution.by)}: ${plainText(incident.resolution.note)}`,
      '',
    );
  }
  return lines.join('\n');
}

const mitigations: Partial<Record<string, { mitigation: string; sopUpdate: string }>> = {
  'gate-failed-twice': {
    mitigation:
      'The Chief of Staff reviews the packet with the CRO and customer.success; discovery scheduling stays blocked until the packet passes the gate.',
    sopUpdate:
      'Review which checks failed twice; if the same check fails across handoffs, propose an SOP Delta (clearer field guidance or a packet template change).',
  },
  'discovery-not-scheduled': {
    mitigation:
      "The CRO and customer.success jointly contact the customer's scheduling contact today and book the discovery session; the CRO informs the customer of the delay.",
    sopUpdate:
      'Check where the time went (packet late, acknowledgement late, scheduling late) and propose an SOP Delta for that step.',
  },
};

/** The incident file for an incident of a handoff, from the workflow's own record. */
export function incidentFileFor(
  state: HandoffState,
  incidentId: string,
  packetPath: string,
): IncidentFile | undefined {
  const incident = state.incidents.find((i) => i.id === incidentId);
  const escalation = state.escalations.find((e) => e.id === incident?.escalationId);
  if (!incident || !escalation) return undefined;
  const text = mitigations[escalation.kind] ?? { mitigation: '', sopUpdate: '' };
  return {
    id: incident.id,
    severity: incident.severity,
    status: incident.status,
    filedBy: 'baton',
    filedAt: incident.filedAt,
    owners: escalation.owners,
    sow: state.sow ?? '',
    title: incident.title,
    whatFailed: escalation.reason,
    where: `${state.sow}: ${packetPath}`,
    why: escalationPolicies[escalation.kind].action,
    mitigation: text.mitigation,
    sopUpdate: text.sopUpdate,
    ...(escalation.status === 'resolved' && escalation.resolvedAt
      ? {
          resolution: {
            at: escalation.resolvedAt,
            by: escalation.resolvedBy ?? '',
            note: escalation.resolution ?? '',
          },
        }
      : {}),
  };
}
