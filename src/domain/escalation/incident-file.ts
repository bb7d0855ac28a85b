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

/** Text from people or packets, kept from turning into markdown structure (headings, HTML, links). */
function plainText(text: string): string {
  return text
    .replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`)
    .replace(/\r\n?/g, '\n')
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
