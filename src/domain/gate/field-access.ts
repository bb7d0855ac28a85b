import type { FieldReading, PacketField } from '../packet/index.ts';
import { playbookLabels } from '../packet/index.ts';
import type { PlaybookField } from '../playbook/index.ts';
import type { GateInput, RuleFinding } from './types.ts';

/** A field of the packet as the rules see it: its playbook definition, what was written, and its reading. */
export interface FieldView {
  def: PlaybookField;
  entry: PacketField | undefined;
  reading: FieldReading | undefined;
  /** Where to point a finding: the field's line, else its section's heading, else the title. */
  line: number;
  /** Present, and neither "not applicable" nor a placeholder. */
  filled: boolean;
}

export function fieldView(input: GateInput, fieldId: string): FieldView {
  const ref = playbookLabels(input.playbook).fieldById.get(fieldId);
  if (!ref) throw new Error(`the playbook has no field ${fieldId}`);
  const entry = input.packet.fields[fieldId];
  const reading = input.packet.readings[fieldId];
  const line = entry?.line ?? input.packet.sections[ref.section.id]?.line ?? input.packet.titleLine ?? 1;
  const filled = !!entry && !!reading && !reading.notApplicable && !reading.placeholder;
  return { def: ref.field, entry, reading, line, filled };
}

export function finding(view: FieldView, status: 'fail' | 'review', message: string): RuleFinding {
  return { field: view.def.label, line: view.line, message, status };
}

/** Shortens a value for quoting in a message. */
export function quote(text: string, max = 60): string {
  const t = text.trim();
  return `"${t.length > max ? `${t.slice(0, max - 1)}…` : t}"`;
}
