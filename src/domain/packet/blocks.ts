// The block structure of a packet as the reader needs it: headings, tables (their rows' lines), lists (their
// items' first paragraphs, nested) and paragraphs (their lines). Two readers produce it: a line scanner for
// the shapes packets are written in (block-scanner.ts) and markdown-it, the CommonMark reference, for
// everything else (markdown-blocks.ts). Both work on the same line marks.

export interface ListItem {
  /** 1-based line of the item's marker. */
  line: number;
  /** The text of the item's first paragraph, or undefined when it starts with something else. */
  text: string | undefined;
  /** Items of the lists nested in this one, in order. */
  children: ListItem[];
}

export type PacketBlock =
  /** `content`: the heading's text as markdown-it's inline token holds it. */
  | { kind: 'heading'; line: number; depth: number; content: string }
  /** `rows`: 1-based lines of the table's rows, the header first. */
  | { kind: 'table'; line: number; rows: number[] }
  | { kind: 'list'; line: number; items: ListItem[] }
  /** Lines `from` (0-based) up to `to` (excluded). */
  | { kind: 'paragraph'; line: number; from: number; to: number }
  /** HTML, a block quote or a rule: not fields, and nothing to say about them. */
  | { kind: 'skipped'; line: number }
  /** Any other block (code, a fence): not read as fields; `type` names it. */
  | { kind: 'other'; line: number; type: string };

/**
 * The text's lines as markdown-it's block state marks them: for each line its start and end (`bMarks`,
 * `eMarks`), the width of its leading spaces and tabs (`tShift`) and its indent with tabs expanded
 * (`sCount`); then an empty line at the end. As there, a last line of only spaces and tabs without a line
 * break after it is left out.
 */
export interface LineMarks {
  bMarks: number[];
  eMarks: number[];
  tShift: number[];
  sCount: number[];
}

export function lineMarks(src: string): LineMarks {
  const bMarks: number[] = [];
  const eMarks: number[] = [];
  const tShift: number[] = [];
  const sCount: number[] = [];
  const length = src.length;
  let start = 0;
  while (start < length) {
    let pos = start;
    let indent = 0;
    let offset = 0;
    for (; pos < length; pos++) {
      const ch = src.charCodeAt(pos);
      if (ch === 0x20) offset++;
      else if (ch === 0x09) offset += 4 - (offset % 4);
      else break;
      indent++;
    }
    if (pos === length) break;
    const lineBreak = src.indexOf('\n', pos);
    const end = lineBreak < 0 ? length : lineBreak;
    bMarks.push(start);
    eMarks.push(end);
    tShift.push(indent);
    sCount.push(offset);
    start = end + 1;
  }
  bMarks.push(length);
  eMarks.push(length);
  tShift.push(0);
  sCount.push(0);
  return { bMarks, eMarks, tShift, sCount };
}

/** A paragraph's lines as one line: the line breaks and the spaces around them become one space. */
export function flatten(source: string): string {
  return (source.includes('\n') ? source.replace(/\s*\n\s*/g, ' ') : source).trim();
}
