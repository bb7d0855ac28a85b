import type { Playbook } from '../playbook/index.ts';
import type { Packet, PacketContent } from './types.ts';

/** A table cell holds one line; `|` and `\` are escaped so that the text reads back exactly. */
export function escapeCell(value: string): string {
  return value.replace(/\s*\n\s*/g, ' ').replace(/[\\|]/g, '\\$&');
}

export function packetTitle(sow: string): string {
  return `# Assessment Handoff Packet: ${sow}`;
}

/**
 * The canonical layout: a title, one `## 3.x Section` per section that has fields, one `| Field | Value |`
 * table each, sections and fields in playbook order. With `allFields`, every field is written (a template).
 */
export function renderPacket(
  content: PacketContent,
  playbook: Playbook,
  options: { allFields?: boolean } = {},
): string {
  const out: string[] = [packetTitle(content.sow), ''];
  for (const section of playbook.sections) {
    const fields = section.fields.filter((f) => options.allFields || content.values[f.id] !== undefined);
    if (fields.length === 0) continue;
    out.push(
      `## ${section.number ? `${section.number} ` : ''}${section.title}`,
      '',
      '| Field | Value |',
      '| --- | --- |',
    );
    for (const field of fields) {
      const value = content.values[field.id] ?? '';
      out.push(`| ${field.label} | ${value === '' ? '' : `${escapeCell(value)} `}|`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** The content of a parsed packet (first value of each field), for rendering or comparing. */
export function packetContent(packet: Packet): PacketContent {
  const values: Record<string, string> = {};
  for (const [id, field] of Object.entries(packet.fields)) values[id] = field.value;
  return { sow: packet.sow, values };
}

/** A new, empty packet for `baton new`: every field, with a note on how to fill it in. */
export function renderTemplate(sow: string, playbook: Playbook): string {
  const body = renderPacket({ sow, values: {} }, playbook, { allFields: true });
  const [title, ...rest] = body.split('\n');
  const note = [
    '',
    '<!--',
    `  Fill in every field; "If applicable" fields may be "N/A". Parts of a value are separated by ";".`,
    '  Check it with `baton gate <this file>` before you submit. Field by field:',
    ...playbook.sections.flatMap((s) =>
      s.fields.map((f) =>
        `  - ${f.label}${f.required ? '' : ' (if applicable)'}: ${f.description}${f.example ? ` e.g. ${f.example}` : ''}`.replace(
          /--/g,
          '-',
        ),
      ),
    ),
    '-->',
  ];
  return [title, ...note, ...rest].join('\n');
}
