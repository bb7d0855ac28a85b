import type { FieldReading } from './values.ts';

export interface Diagnostic {
  line: number;
  severity: 'error' | 'warning';
  message: string;
  /** The field's playbook label, when the diagnostic is about one field. */
  field?: string;
}

/** One field as written in the file. */
export interface PacketField {
  fieldId: string;
  sectionId: string;
  /** The label as the person wrote it. */
  label: string;
  /** The value as written (markdown kept), with table escapes undone and surrounding space trimmed. */
  value: string;
  line: number;
}

/** The content of a packet, without source positions: what render writes and parse reads back. */
export interface PacketContent {
  sow: string;
  /** Field values by field id, in any order. */
  values: Record<string, string>;
}

export interface Packet {
  sow: string;
  titleLine: number;
  /** First occurrence of each field, by field id. */
  fields: Record<string, PacketField>;
  /** Later occurrences of a field already given. */
  duplicates: PacketField[];
  /** Sections found, by section id, with the line of their heading. */
  sections: Record<string, { line: number; heading: string }>;
  /** Each field's value read into its parts, by field id. */
  readings: Record<string, FieldReading>;
}

export type ParseResult =
  | { ok: true; packet: Packet; diagnostics: Diagnostic[] }
  | { ok: false; error: { line: number; message: string }; diagnostics: Diagnostic[] };
