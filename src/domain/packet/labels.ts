import type { Playbook, PlaybookField, PlaybookSection } from '../playbook/index.ts';

/** Lower case, no markdown emphasis, no leading `3.1`, every run of non-letters a single space. */
const normalized = new Map<string, string>();
export function normalizeLabel(label: string): string {
  const hit = normalized.get(label);
  if (hit !== undefined) return hit;
  const key = normalizeUncached(label);
  // Labels repeat across packets; the memo is bounded so that odd input cannot grow it without end.
  if (normalized.size > 5000) normalized.clear();
  normalized.set(label, key);
  return key;
}

function normalizeUncached(label: string): string {
  return label
    .toLowerCase()
    .replace(/^\s*\d+(\.\d+)*\.?\s+/, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions), capped. */
export function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Number.POSITIVE_INFINITY;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > cap) return cap + 1;
  }
  return rows[a.length]![b.length]!;
}

function typoAllowance(length: number): number {
  if (length <= 4) return 0;
  if (length <= 8) return 1;
  if (length <= 16) return 2;
  return 3;
}

export interface LabelMatch<T> {
  target: T;
  /** `exact`: the label or an alias; `typo`: close enough to one. */
  how: 'exact' | 'typo';
  /** The name it was matched to, for messages. */
  matched: string;
}

/** Finds what a label written by a person means: exact (label or alias) first, then a unique close typo. */
export class LabelIndex<T> {
  private readonly exact = new Map<string, T>();
  private readonly names: { key: string; name: string; target: T }[] = [];
  add(name: string, target: T): void {
    const key = normalizeLabel(name);
    if (!key) return;
    if (!this.exact.has(key)) this.exact.set(key, target);
    this.names.push({ key, name, target });
  }
  find(label: string): LabelMatch<T> | undefined {
    const key = normalizeLabel(label);
    if (!key) return undefined;
    const hit = this.exact.get(key);
    if (hit !== undefined) return { target: hit, how: 'exact', matched: label };
    const cap = typoAllowance(key.length);
    if (cap === 0) return undefined;
    let best: { d: number; entry: { key: string; name: string; target: T } } | undefined;
    let tie = false;
    for (const entry of this.names) {
      const d = editDistance(key, entry.key, cap);
      if (d > cap) continue;
      if (!best || d < best.d) {
        best = { d, entry };
        tie = false;
      } else if (d === best.d && best.entry.target !== entry.target) tie = true;
    }
    if (!best || tie) return undefined;
    return { target: best.entry.target, how: 'typo', matched: best.entry.name };
  }
}

export interface FieldRef {
  field: PlaybookField;
  section: PlaybookSection;
}

export interface PlaybookLabels {
  sections: LabelIndex<PlaybookSection>;
  /** Fields of one section, by section id. */
  fieldsBySection: Map<string, LabelIndex<FieldRef>>;
  allFields: LabelIndex<FieldRef>;
  fieldById: Map<string, FieldRef>;
  /**
   * The label most likely next, after a field (the next field of its section) or a section heading (its
   * first field), with what the section's index finds for it (exact): packets mostly follow the playbook's
   * order, and comparing with one label is cheaper than looking one up.
   */
  expected: Map<FieldRef | PlaybookSection, { label: string; match: LabelMatch<FieldRef> }>;
}

const cache = new WeakMap<Playbook, PlaybookLabels>();

/** The label indexes of a playbook, built once per playbook object. */
export function playbookLabels(playbook: Playbook): PlaybookLabels {
  const hit = cache.get(playbook);
  if (hit) return hit;
  const sections = new LabelIndex<PlaybookSection>();
  const fieldsBySection = new Map<string, LabelIndex<FieldRef>>();
  const allFields = new LabelIndex<FieldRef>();
  const fieldById = new Map<string, FieldRef>();
  const expected: PlaybookLabels['expected'] = new Map();
  for (const section of playbook.sections) {
    sections.add(section.title, section);
    for (const alias of section.aliases) sections.add(alias, section);
    const index = new LabelIndex<FieldRef>();
    for (const field of section.fields) {
      const ref = { field, section };
      fieldById.set(field.id, ref);
      for (const name of [field.label, ...field.aliases]) {
        index.add(name, ref);
        allFields.add(name, ref);
      }
    }
    fieldsBySection.set(section.id, index);
    let previous: FieldRef | PlaybookSection = section;
    for (const field of section.fields) {
      const match = index.find(field.label);
      if (match?.how === 'exact') expected.set(previous, { label: field.label, match });
      previous = fieldById.get(field.id)!;
    }
  }
  const labels = { sections, fieldsBySection, allFields, fieldById, expected };
  cache.set(playbook, labels);
  return labels;
}
