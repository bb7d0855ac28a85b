// markdown-it's GFM table rule (lib/rules_block/table.mjs, markdown-it 14), with the same grammar: the same
// lines open, continue and end a table. The packet reader takes each row's text from the source (`map`), so
// this rule leaves out what only an HTML renderer needs: no th/td and inline tokens per cell, no cell
// splitting (it counts a row's cells instead), no alignment attributes. It emits table_open, thead_open,
// tr_open / tr_close per row, tbody_open and the closes, each open token with its source lines (`map`).
import type { ParentType, default as StateBlock } from 'markdown-it/lib/rules_block/state_block.mjs';

const PIPE = 0x7c;
const DASH = 0x2d;
const COLON = 0x3a;
const BACKSLASH = 0x5c;

// As markdown-it: a limit on the cells a table's short rows would leave empty.
const MAX_AUTOCOMPLETED_CELLS = 0x10000;

function isSpace(code: number): boolean {
  return code === 0x09 || code === 0x20;
}

/** src[from, to) is /^:?-+:?$/. */
function isAlignCell(src: string, from: number, to: number): boolean {
  let i = from;
  if (src.charCodeAt(i) === COLON) i++;
  const dashes = i;
  while (i < to && src.charCodeAt(i) === DASH) i++;
  if (i === dashes) return false;
  if (i < to && src.charCodeAt(i) === COLON) i++;
  return i === to;
}

/** The text of a line, from its first non-space character. */
function lineText(state: StateBlock, line: number): string {
  return state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]);
}

/**
 * How many cells markdown-it's `escapedSplit` gives for a row (trimmed, non-empty), after it drops an empty
 * first and last piece: the pieces are split on each `|` not right after a `\`.
 */
export function rowCellCount(text: string): number {
  let pipes = 0;
  for (let i = text.indexOf('|'); i >= 0; i = text.indexOf('|', i + 1)) {
    if (i === 0 || text.charCodeAt(i - 1) !== BACKSLASH) pipes++;
  }
  if (pipes === 0) return text === '' ? 0 : 1;
  const n = text.length;
  const leading = text.charCodeAt(0) === PIPE ? 1 : 0;
  const trailing = text.charCodeAt(n - 1) === PIPE && text.charCodeAt(n - 2) !== BACKSLASH ? 1 : 0;
  return pipes + 1 - leading - trailing;
}

/**
 * The number of cells of the delimiter row in src[pos, max) (from its first non-space character), or -1 when
 * it is not one: `|`, `-` or `:` first, then only those and spaces (/^[-:|][-:|\s]*$/), not `- ` (a list
 * item), and its cells (split on `|`, spaces trimmed) each /^:?-+:?$/, empty ones only first and last.
 */
export function delimiterCells(src: string, pos: number, max: number): number {
  const rowStart = pos;
  if (pos >= max) return -1;
  const firstCh = src.charCodeAt(pos++);
  if (firstCh !== PIPE && firstCh !== DASH && firstCh !== COLON) return -1;
  if (pos >= max) return -1;
  const secondCh = src.charCodeAt(pos++);
  if (secondCh !== PIPE && secondCh !== DASH && secondCh !== COLON && !isSpace(secondCh)) return -1;
  if (firstCh === DASH && isSpace(secondCh)) return -1;
  while (pos < max) {
    const ch = src.charCodeAt(pos);
    if (ch !== PIPE && ch !== DASH && ch !== COLON && !isSpace(ch)) return -1;
    pos++;
  }
  let alignCount = 0;
  let cellStart = rowStart;
  for (let i = 0; ; i++) {
    const bar = src.indexOf('|', cellStart);
    const cellEnd = bar < 0 || bar > max ? max : bar;
    const last = cellEnd === max;
    let from = cellStart;
    let to = cellEnd;
    while (from < to && isSpace(src.charCodeAt(from))) from++;
    while (to > from && isSpace(src.charCodeAt(to - 1))) to--;
    if (from === to) {
      // Empty columns are allowed before and after the table, not between columns.
      if (i !== 0 && !last) return -1;
    } else {
      if (!isAlignCell(src, from, to)) return -1;
      alignCount++;
    }
    if (last) break;
    cellStart = cellEnd + 1;
  }
  return alignCount;
}

export function tableRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  // At least two lines: the header and the delimiter row.
  if (startLine + 2 > endLine) return false;
  let nextLine = startLine + 1;
  if (state.sCount[nextLine]! < state.blkIndent) return false;
  // Indented 4 spaces or more: a code block.
  if (state.sCount[nextLine]! - state.blkIndent >= 4) return false;

  const src = state.src;
  const alignCount = delimiterCells(
    src,
    state.bMarks[nextLine]! + state.tShift[nextLine]!,
    state.eMarks[nextLine]!,
  );
  if (alignCount < 0) return false;

  const header = lineText(state, startLine).trim();
  if (header.indexOf('|') === -1) return false;
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  // The header row sets the number of columns; the delimiter row must have as many.
  const columnCount = rowCellCount(header);
  if (columnCount === 0 || columnCount !== alignCount) return false;

  if (silent) return true;

  const oldParentType = state.parentType;
  // markdown-it's own rule sets 'table', which its types do not list.
  state.parentType = 'table' as ParentType;
  // As markdown-it: a table ends where a blockquote would (the most similar block).
  const terminatorRules = state.md.block.ruler.getRules('blockquote');

  const tableOpen = state.push('table_open', 'table', 1);
  const tableLines: [number, number] = [startLine, 0];
  tableOpen.map = tableLines;
  state.push('thead_open', 'thead', 1).map = [startLine, startLine + 1];
  state.push('tr_open', 'tr', 1).map = [startLine, startLine + 1];
  state.push('tr_close', 'tr', -1);
  state.push('thead_close', 'thead', -1);

  let tbodyLines: [number, number] | undefined;
  // A row leaves at most `columnCount` cells empty, so the rows' cells need counting only once enough
  // rows for the limit have been read; then the rows before are counted too.
  let autocompletedCells = 0;
  let counting = false;
  for (nextLine = startLine + 2; nextLine < endLine; nextLine++) {
    if (state.sCount[nextLine]! < state.blkIndent) break;
    let terminate = false;
    for (let i = 0, l = terminatorRules.length; i < l; i++) {
      if (terminatorRules[i]!(state, nextLine, endLine, true)) {
        terminate = true;
        break;
      }
    }
    if (terminate) break;
    const row = lineText(state, nextLine).trim();
    if (!row) break;
    if (state.sCount[nextLine]! - state.blkIndent >= 4) break;
    if (!counting && (nextLine - startLine - 1) * columnCount > MAX_AUTOCOMPLETED_CELLS) {
      counting = true;
      for (let line = startLine + 2; line < nextLine; line++)
        autocompletedCells += columnCount - rowCellCount(lineText(state, line).trim());
    }
    if (counting) {
      // Can be negative when a row has more cells than the header; it only limits expansion.
      autocompletedCells += columnCount - rowCellCount(row);
      if (autocompletedCells > MAX_AUTOCOMPLETED_CELLS) break;
    }
    if (nextLine === startLine + 2) {
      tbodyLines = [startLine + 2, 0];
      state.push('tbody_open', 'tbody', 1).map = tbodyLines;
    }
    state.push('tr_open', 'tr', 1).map = [nextLine, nextLine + 1];
    state.push('tr_close', 'tr', -1);
  }
  if (tbodyLines) {
    state.push('tbody_close', 'tbody', -1);
    tbodyLines[1] = nextLine;
  }
  state.push('table_close', 'table', -1);
  tableLines[1] = nextLine;

  state.parentType = oldParentType;
  state.line = nextLine;
  return true;
}
