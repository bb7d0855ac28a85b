import { createRequire } from 'node:module';
import type { Playbook, PlaybookSection } from '../playbook/index.ts';
import { scanBlocks } from './block-scanner.ts';
import { flatten, type LineMarks, type ListItem, lineMarks, type PacketBlock } from './blocks.ts';
import { type FieldRef, normalizeLabel, playbookLabels } from './labels.ts';
import { findSowNumber } from './sow-number.ts';
import type { Diagnostic, Packet, PacketField, ParseResult } from './types.ts';
import { partLabel, readField } from './values.ts';

// The packet's blocks come from a line scanner for the shapes packets are written in, else from markdown-it
// (CommonMark + GFM tables), which is loaded only then: most packets never need it, and loading it is a
// good part of `baton gate`'s start-up. In the CLI bundle esbuild turns the `require` into a lazy start of
// the bundled module; from source, Node loads the .ts file.
declare const require: NodeJS.Require | undefined;
let markdownReader: typeof import('./markdown-blocks.ts') | undefined;
function readBlocks(src: string, marks: LineMarks): PacketBlock[] {
  const scanned = scanBlocks(src, marks);
  if (scanned) return scanned;
  markdownReader ??= (
    typeof require === 'function'
      ? require('./markdown-blocks.ts')
      : createRequire(import.meta.url)('./markdown-blocks.ts')
  ) as typeof import('./markdown-blocks.ts');
  return markdownReader.markdownBlocks(src, marks);
}

const PIPE = 0x7c;
const BACKSLASH = 0x5c;

/** Splits a table row's source on the pipes that are not escaped, keeping each cell's raw text. */
export function splitRow(line: string): string[] {
  const cells: string[] = [];
  splitRowInto(line, cells);
  return cells;
}

/** splitRow into `cells`; whether the row has a backslash (without one, no cell has an escape). */
function splitRowInto(line: string, cells: string[]): boolean {
  const trimmed = line.trim();
  const text = trimmed.charCodeAt(0) === PIPE ? trimmed.slice(1) : trimmed;
  const closed = trimmed.charCodeAt(trimmed.length - 1) === PIPE;
  if (!text.includes('\\')) {
    // No escapes: the cells are the text between pipes; after a closing pipe there is no cell.
    let from = 0;
    for (let i = text.indexOf('|'); i >= 0; i = text.indexOf('|', from)) {
      cells.push(text.slice(from, i));
      from = i + 1;
    }
    if (!closed) cells.push(text.slice(from));
    return false;
  }
  // Escapes (`\\`, `\|`) stay in the cell as written: a cell is the text between two unescaped pipes.
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === BACKSLASH || next === PIPE) i++;
    } else if (ch === PIPE) {
      cells.push(text.slice(start, i));
      start = i + 1;
    }
  }
  const cell = text.slice(start);
  if (cell.trim() !== '' || !closed) cells.push(cell);
  return true;
}

/** Undoes the escapes a table cell needs: `\|` is `|` and `\\` is `\`. */
export function unescapeCell(raw: string): string {
  const text = raw.trim();
  return text.includes('\\') ? text.replace(/\\([\\|])/g, '$1') : text;
}

const valueHeaders = new Set([
  'value',
  'values',
  'answer',
  'details',
  'detail',
  'response',
  'entry',
  'content',
  'info',
  'information',
]);
const labelHeaders = new Set(['field', 'fields', 'label', 'item', 'name', 'key', 'question', 'attribute']);

interface Context {
  /** The packet's text; line `i` (0-based) runs from bMarks[i] to eMarks[i]. */
  text: string;
  bMarks: number[];
  eMarks: number[];
  /** How many lines the text has (as `text.split('\n')` counts them). */
  lineCount: number;
  playbook: Playbook;
  diagnostics: Diagnostic[];
  /** First occurrence of each field, by field id. */
  fields: Map<string, PacketField>;
  /** The entries of `fields`, in the order they were added. */
  firsts: PacketField[];
  duplicates: PacketField[];
  sections: Packet['sections'];
  section: PlaybookSection | undefined;
  /** The field read last. */
  last: FieldRef | undefined;
}

function resolveField(ctx: Context, label: string, line: number): FieldRef | undefined {
  const labels = playbookLabels(ctx.playbook);
  const section = ctx.section;
  // The field after the last one read (or the section's first) is tried first, by its label as written.
  const expected = section
    ? labels.expected.get(ctx.last?.section === section ? ctx.last : section)
    : undefined;
  const local = !section
    ? undefined
    : expected?.label === label
      ? expected.match
      : labels.fieldsBySection.get(section.id)?.find(label);
  const match = local?.how === 'exact' ? local : (labels.allFields.find(label) ?? local);
  if (!match) {
    const where = ctx.section ? `under "${ctx.section.title}"` : 'in this packet';
    ctx.diagnostics.push({
      line,
      severity: 'warning',
      message: `unknown field "${label.trim()}" ${where}; it is not read. Use one of the section's field names (see \`baton playbook show\`)`,
    });
    return undefined;
  }
  const ref = match.target;
  if (match.how === 'typo') {
    ctx.diagnostics.push({
      line,
      severity: 'warning',
      field: ref.field.label,
      message: `read "${label.trim()}" as "${ref.field.label}"; please correct the spelling`,
    });
  }
  if (ctx.section && ref.section.id !== ctx.section.id) {
    ctx.diagnostics.push({
      line,
      severity: 'warning',
      field: ref.field.label,
      message: `"${ref.field.label}" belongs under "${ref.section.title}", not "${ctx.section.title}"; it is read all the same`,
    });
  }
  return ref;
}

function addField(ctx: Context, label: string, value: string, line: number): void {
  const ref = resolveField(ctx, label, line);
  if (!ref) return;
  ctx.last = ref;
  const entry: PacketField = {
    fieldId: ref.field.id,
    sectionId: ref.section.id,
    label: label.trim(),
    value,
    line,
  };
  const first = ctx.fields.get(ref.field.id);
  if (first) {
    ctx.duplicates.push(entry);
    ctx.diagnostics.push({
      line,
      severity: first.value === value ? 'warning' : 'error',
      field: ref.field.label,
      message: `"${ref.field.label}" is given twice (lines ${first.line} and ${line}); the first is read. Keep one`,
    });
    return;
  }
  ctx.fields.set(ref.field.id, entry);
  ctx.firsts.push(entry);
}

/** Line `index` (0-based) of the text, without its line break; '' past the end. */
function sourceLine(ctx: Context, index: number): string {
  if (index < 0 || index >= ctx.lineCount) return '';
  return ctx.text.slice(ctx.bMarks[index], ctx.eMarks[index]);
}

function readTable(ctx: Context, rows: number[]): void {
  const headerLine = rows[0]!;
  const header = splitRow(sourceLine(ctx, headerLine - 1)).map((c) => normalizeLabel(unescapeCell(c)));
  let labelCol = header.findIndex((h) => labelHeaders.has(h));
  let valueCol = header.findIndex((h) => valueHeaders.has(h));
  const headerIsField = labelCol < 0 && valueCol < 0 && header.length >= 2;
  if (labelCol < 0) labelCol = 0;
  if (valueCol < 0) {
    if (header.length === 2 || headerIsField) valueCol = 1;
    else {
      valueCol = header.length - 1;
      ctx.diagnostics.push({
        line: headerLine,
        severity: 'error',
        message: `the table has ${header.length} columns and none is named "Value"; write it as \`| Field | Value |\``,
      });
    }
  }
  const width = header.length;
  rows.forEach((line, index) => {
    if (index === 0 && !headerIsField) return;
    readRowText(ctx, sourceLine(ctx, line - 1), line, labelCol, valueCol, width);
  });
}

function allBlank(cells: string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

function readRowText(
  ctx: Context,
  source: string,
  line: number,
  labelCol: number,
  valueCol: number,
  width: number,
): void {
  const cells: string[] = [];
  const escaped = splitRowInto(source, cells);
  let label = escaped ? unescapeCell(cells[labelCol] ?? '') : (cells[labelCol] ?? '').trim();
  let value = escaped ? unescapeCell(cells[valueCol] ?? '') : (cells[valueCol] ?? '').trim();
  if (label === '' && value === '' && allBlank(cells)) return;
  if (cells.length > width && width === 2) {
    // An unescaped `|`. If the label alone is a field, the pipe was in the value; else in the label
    // (the SOP itself prints `eco | monetize primary contact during sales`).
    const labels = playbookLabels(ctx.playbook);
    const joinedLabel = unescapeCell(cells.slice(0, -1).join('|'));
    if (!labels.allFields.find(label) && labels.allFields.find(joinedLabel)) {
      label = joinedLabel;
      value = unescapeCell(cells[cells.length - 1]!);
    } else {
      value = unescapeCell(cells.slice(1).join('|'));
    }
    ctx.diagnostics.push({
      line,
      severity: 'warning',
      message: `this row has ${cells.length} cells, not 2; a "|" inside a cell must be written "\\|"`,
    });
  } else if (cells.length < 2) {
    ctx.diagnostics.push({
      line,
      severity: 'error',
      message: `this row has no value cell; write it as \`| ${label || 'Field'} | value |\``,
    });
  }
  if (!label) {
    if (value)
      ctx.diagnostics.push({
        line,
        severity: 'warning',
        message: 'a row with a value but no field name; it is not read',
      });
    return;
  }
  addField(ctx, label, value, line);
}

const boldLabel = /^(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*([\s\S]*)$/;
const colonLabel = /^([^:|]{1,80}?)\s*:\s+([\s\S]*)$|^([^:|]{1,80}?)\s*:$/;

/** `**Label:** value`, `**Label**: value` or `Label: value`. */
export function splitLabelled(text: string): { label: string; value: string } | undefined {
  const bold = boldLabel.exec(text);
  if (bold) {
    const label = bold[1]!;
    const value = bold[2]!;
    // As replace(/:\s*$/, '') on the label and replace(/^:\s*/, '') on the value (trimmed after).
    const end = label.trimEnd();
    return {
      label: end.charCodeAt(end.length - 1) === 0x3a /* : */ ? end.slice(0, -1) : label,
      value: (value.charCodeAt(0) === 0x3a ? value.slice(1) : value).trim(),
    };
  }
  const plain = colonLabel.exec(text);
  if (plain) return { label: (plain[1] ?? plain[3])!.replace(/[*_]/g, ''), value: (plain[2] ?? '').trim() };
  return undefined;
}

function readList(ctx: Context, items: ListItem[]): void {
  for (const item of items) {
    const line = item.line;
    if (item.text === undefined) {
      ctx.diagnostics.push({
        line,
        severity: 'warning',
        message: 'a list item without text; write `- **Field:** value`',
      });
      continue;
    }
    const labelled = splitLabelled(item.text);
    if (!labelled) {
      ctx.diagnostics.push({
        line,
        severity: 'warning',
        message: `cannot tell which field "${item.text.slice(0, 60)}" is; write \`- **Field:** value\``,
      });
      continue;
    }
    let value = labelled.value;
    if (value === '' && item.children.length > 0) {
      // Sub-bullets (`- Name: Dana`, `- Email: ...`) are the parts of a structured value.
      value = item.children
        .map((sub) => (sub.text === undefined ? '' : (splitLabelled(sub.text)?.value ?? sub.text)))
        .filter((v) => v !== '')
        .join('; ');
    }
    addField(ctx, labelled.label, value, line);
  }
}

function readParagraph(ctx: Context, start: number, from: number, to: number): void {
  const source: string[] = [];
  const end = Math.min(to, ctx.lineCount);
  for (let i = from; i < end; i++) source.push(sourceLine(ctx, i));
  const pipeRows = source.filter((l) => l.trim().startsWith('|'));
  if (pipeRows.length > 0 && pipeRows.length === source.length) {
    ctx.diagnostics.push({
      line: start,
      severity: 'warning',
      message:
        'these lines look like a table but it has no `| --- | --- |` line under its header; they are read as rows',
    });
    source.forEach((l, i) => {
      if (/^\s*\|?\s*:?-{2,}/.test(l)) return;
      const cells = splitRow(l).map((c) => normalizeLabel(unescapeCell(c)));
      if (labelHeaders.has(cells[0] ?? '') && valueHeaders.has(cells[1] ?? '')) return;
      readRowText(ctx, l, start + i, 0, 1, 2);
    });
    return;
  }
  source.forEach((l, i) => {
    const text = l.trim();
    if (!text) return;
    const labelled = splitLabelled(text);
    const line = start + i;
    if (labelled && playbookLabels(ctx.playbook).allFields.find(labelled.label)) {
      addField(ctx, labelled.label, labelled.value, line);
    } else if (ctx.section) {
      ctx.diagnostics.push({
        line,
        severity: 'warning',
        message: `text under "${ctx.section.title}" that is not a field; write fields as table rows or \`- **Field:** value\``,
      });
    }
  });
}

function readHeading(ctx: Context, text: string, line: number): void {
  const labels = playbookLabels(ctx.playbook);
  const match = labels.sections.find(text);
  if (match) {
    const section = match.target;
    if (match.how === 'typo') {
      ctx.diagnostics.push({
        line,
        severity: 'warning',
        message: `read heading "${text}" as "${section.title}"`,
      });
    }
    if (ctx.sections[section.id]) {
      ctx.diagnostics.push({
        line,
        severity: 'warning',
        message: `"${section.title}" appears twice (lines ${ctx.sections[section.id]!.line} and ${line}); fields of both are read`,
      });
    } else ctx.sections[section.id] = { line, heading: text };
    ctx.section = section;
    return;
  }
  ctx.section = undefined;
  ctx.diagnostics.push({
    line,
    severity: 'warning',
    message: `unknown section "${text}"; the sections are ${ctx.playbook.sections.map((s) => s.title).join(', ')}`,
  });
}

function headingText(content: string): string {
  return flatten(content).replace(/[*_`]/g, '');
}

/** The playbook's field ids in order, and an object with them as keys (made by JSON.parse: fast properties). */
const fieldRecords = new WeakMap<Playbook, { ids: string[]; template: Record<string, null> }>();

/**
 * `{ [entries[i].fieldId]: values[i] }`, keys in the order of `entries`. Adding 32 keys one by one to `{}`
 * is slow (past a dozen, V8 turns the object into a dictionary), so when the fields are all there, in
 * playbook order, the object is a copy of a template with those keys, filled in.
 */
function byFieldId<T>(playbook: Playbook, entries: PacketField[], values: T[]): Record<string, T> {
  let record = fieldRecords.get(playbook);
  if (!record) {
    const ids = playbook.sections.flatMap((s) => s.fields.map((f) => f.id));
    record = { ids, template: JSON.parse(JSON.stringify(Object.fromEntries(ids.map((id) => [id, null])))) };
    fieldRecords.set(playbook, record);
  }
  let inOrder = entries.length === record.ids.length;
  for (let i = 0; inOrder && i < entries.length; i++) inOrder = entries[i]!.fieldId === record.ids[i];
  const out: Record<string, T> = inOrder ? ({ ...record.template } as Record<string, T>) : {};
  for (let i = 0; i < entries.length; i++) out[entries[i]!.fieldId] = values[i]!;
  return out;
}

/**
 * Reads a handoff packet: `#` title with the SOW number, `##` sections by name, each a `| Field | Value |`
 * table or a bullet list. Lenient about what hurried people write, and says so, line by line.
 */
export function parsePacket(
  input: string,
  playbook: Playbook,
  options: { fileName?: string } = {},
): ParseResult {
  const unmarked = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const text = unmarked.includes('\r') ? unmarked.replace(/\r\n?/g, '\n') : unmarked;
  // markdown-it's `normalize` (disabled): a NUL character is read as U+FFFD. Lines keep the text as given.
  const src = text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
  const marks = lineMarks(src);
  let blocks: PacketBlock[];
  try {
    blocks = readBlocks(src, marks);
  } catch (e) {
    return {
      ok: false,
      error: { line: 1, message: `not readable as markdown: ${(e as Error).message}` },
      diagnostics: [],
    };
  }
  const ctx: Context = {
    text,
    bMarks: marks.bMarks,
    eMarks: marks.eMarks,
    // The marks end with an empty line at the end of the text, which is a line of its own only after a
    // final line break.
    lineCount: text === '' || text.endsWith('\n') ? marks.bMarks.length : marks.bMarks.length - 1,
    playbook,
    diagnostics: [],
    fields: new Map(),
    firsts: [],
    duplicates: [],
    sections: {},
    section: undefined,
    last: undefined,
  };
  let sow: string | undefined;
  let titleLine = 0;
  for (const block of blocks) {
    switch (block.kind) {
      case 'heading': {
        const text = headingText(block.content);
        const line = block.line;
        const depth = block.depth;
        const named = findSowNumber(text);
        if (depth === 1 || (named && !sow && Object.keys(ctx.sections).length === 0)) {
          if (named && !sow) {
            sow = named;
            titleLine = line;
          } else if (!named && depth === 1 && !titleLine) titleLine = line;
          if (depth === 1) break;
        }
        readHeading(ctx, text, line);
        break;
      }
      case 'table':
        readTable(ctx, block.rows);
        break;
      case 'list':
        readList(ctx, block.items);
        break;
      case 'paragraph':
        readParagraph(ctx, block.line, block.from, block.to);
        break;
      case 'skipped':
        break;
      case 'other':
        ctx.diagnostics.push({
          line: block.line,
          severity: 'warning',
          message: `a ${block.type} block is not read as fields`,
        });
    }
  }
  const foundSections = Object.keys(ctx.sections).length;
  const foundFields = ctx.firsts.length;
  if (foundSections === 0 && foundFields === 0) {
    return {
      ok: false,
      error: {
        line: 1,
        message: `not a handoff packet: no known section (${playbook.sections.map((s) => s.title).join(', ')}) and no known field`,
      },
      diagnostics: ctx.diagnostics,
    };
  }
  if (!sow) {
    const fromName = options.fileName ? findSowNumber(options.fileName) : undefined;
    if (!fromName) {
      return {
        ok: false,
        error: {
          line: titleLine || 1,
          message:
            'not a handoff packet: no title naming the SOW number; start the file with `# Assessment Handoff Packet: SOW-YYYY-NNN`',
        },
        diagnostics: ctx.diagnostics,
      };
    }
    sow = fromName;
    ctx.diagnostics.push({
      line: titleLine || 1,
      severity: 'warning',
      message: `the title does not name the SOW number; ${sow} is taken from the file name. Start the file with \`# Assessment Handoff Packet: ${sow}\``,
    });
  }
  for (const section of playbook.sections) {
    if (!ctx.sections[section.id] && !section.fields.some((f) => ctx.fields.has(f.id))) {
      ctx.diagnostics.push({
        line: titleLine || 1,
        severity: 'warning',
        message: `section "${section.title}" is missing`,
      });
    }
  }
  const labels = playbookLabels(playbook);
  const readings: Packet['readings'][string][] = [];
  for (const entry of ctx.firsts) {
    const { field } = labels.fieldById.get(entry.fieldId)!;
    const reading = readField(entry.value, field, playbook);
    readings.push(reading);
    for (const bad of reading.invalid) {
      ctx.diagnostics.push({
        line: entry.line,
        severity: 'warning',
        field: field.label,
        message: bad.message,
      });
    }
    if (
      !reading.notApplicable &&
      !reading.placeholder &&
      reading.missing.length > 0 &&
      field.kind !== 'text'
    ) {
      ctx.diagnostics.push({
        line: entry.line,
        severity: 'warning',
        field: field.label,
        message: `cannot find the ${reading.missing.map((m) => partLabel(field, m)).join(', ')} in "${entry.value.slice(0, 80)}"; parts are separated by ";"`,
      });
    }
  }
  ctx.diagnostics.sort((a, b) => a.line - b.line);
  return {
    ok: true,
    packet: {
      sow,
      titleLine,
      fields: byFieldId(playbook, ctx.firsts, ctx.firsts),
      duplicates: ctx.duplicates,
      sections: ctx.sections,
      readings: byFieldId(playbook, ctx.firsts, readings),
    },
    diagnostics: ctx.diagnostics,
  };
}
