// A line scanner for the block shapes packets are written in: ATX headings, GFM tables, paragraphs, rules
// and lists (bullets or numbers, nested, with lazy continuation lines), indented with spaces. It finds the
// same blocks markdown-it does (test/domain/packet/block-scanner.test.ts compares the two on generated
// documents) in a fraction of the time, and without loading markdown-it. Anything else (block quotes,
// fences, HTML, indented code, setext headings, tabs in an indent, a list item holding more than a
// paragraph and lists...) makes it give up (`undefined`), and markdown-it reads the packet instead.
import { flatten, type LineMarks, type ListItem, type PacketBlock } from './blocks.ts';
import { delimiterCells, rowCellCount } from './table-rule.ts';

const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const PIPE = 0x7c;

/** Thrown (and caught in scanBlocks) where the scanner leaves the text to markdown-it. */
const GIVE_UP = Symbol('give up');

// As markdown-it's table rule: a limit on the cells a table's short rows would leave empty.
const MAX_AUTOCOMPLETED_CELLS = 0x10000;

interface Marker {
  /** The number of an ordered item; -1 for a bullet. */
  value: number;
  /** The delimiter after an ordered item's number (`.` or `)`), or the bullet character. */
  delimiter: number;
  /** Position of the item's text in the source. */
  contentPos: number;
  /** Column of the item's text: where the lines of its paragraphs and nested lists start. */
  contentColumn: number;
}

interface OpenItem {
  item: ListItem;
  column: number;
  /** Where the item's paragraph starts, and its last line so far. */
  textPos: number;
  lastLine: number;
}

class Scanner {
  readonly src: string;
  readonly bMarks: number[];
  readonly eMarks: number[];
  readonly tShift: number[];
  readonly sCount: number[];
  readonly lines: number;
  readonly blocks: PacketBlock[] = [];

  constructor(src: string, marks: LineMarks) {
    this.src = src;
    this.bMarks = marks.bMarks;
    this.eMarks = marks.eMarks;
    this.tShift = marks.tShift;
    this.sCount = marks.sCount;
    this.lines = marks.bMarks.length - 1;
  }

  blank(line: number): boolean {
    return this.bMarks[line]! + this.tShift[line]! >= this.eMarks[line]!;
  }

  /** Position of the line's first non-space character; gives up on a tab in the indent. */
  start(line: number): number {
    if (this.tShift[line] !== this.sCount[line]) throw GIVE_UP;
    return this.bMarks[line]! + this.tShift[line]!;
  }

  /** The first character after the indent. */
  first(line: number): number {
    return this.src.charCodeAt(this.start(line));
  }

  /** The heading's depth and text if the line is an ATX heading (`## Title`), as markdown-it reads it. */
  heading(line: number): { depth: number; content: string } | undefined {
    const src = this.src;
    let pos = this.start(line);
    let max = this.eMarks[line]!;
    if (src.charCodeAt(pos) !== HASH) return undefined;
    let depth = 1;
    pos++;
    while (pos < max && src.charCodeAt(pos) === HASH && depth <= 6) {
      depth++;
      pos++;
    }
    if (depth > 6 || (pos < max && !isSpace(src.charCodeAt(pos)))) return undefined;
    // Cut a closing sequence (`## Title ##`) and the spaces around it.
    while (max > pos && isSpace(src.charCodeAt(max - 1))) max--;
    let closing = max;
    while (closing > pos && src.charCodeAt(closing - 1) === HASH) closing--;
    if (closing > pos && isSpace(src.charCodeAt(closing - 1))) max = closing;
    return { depth, content: src.slice(pos, max).trim() };
  }

  /** A thematic break: three or more of `-`, `*` or `_` (the same one), spaces between. */
  rule(line: number): boolean {
    return this.ruleAt(this.start(line), this.eMarks[line]!);
  }

  ruleAt(pos: number, max: number): boolean {
    const src = this.src;
    const marker = src.charCodeAt(pos);
    if (marker !== 0x2d && marker !== 0x2a && marker !== 0x5f) return false;
    let count = 0;
    for (let i = pos; i < max; i++) {
      const ch = src.charCodeAt(i);
      if (ch === marker) count++;
      else if (!isSpace(ch)) return false;
    }
    return count >= 3;
  }

  /** A line of only `=` or only `-` (spaces after): under a paragraph line, a setext heading. */
  underline(line: number): boolean {
    return this.underlineAt(this.start(line), this.eMarks[line]!);
  }

  underlineAt(pos: number, max: number): boolean {
    const src = this.src;
    const marker = src.charCodeAt(pos);
    if (marker !== 0x3d && marker !== 0x2d) return false;
    let i = pos;
    while (i < max && src.charCodeAt(i) === marker) i++;
    while (i < max && isSpace(src.charCodeAt(i))) i++;
    return i === max;
  }

  /**
   * The list marker the line starts with, or undefined. Gives up on what this scanner does not read: an
   * empty item, a tab after the marker, or text 5+ spaces after it (indented code in the item).
   */
  marker(line: number): Marker | undefined {
    return this.markerAt(this.start(line), this.eMarks[line]!, this.sCount[line]!);
  }

  /** `marker` for the text at src[pos, max), which starts at `column`. */
  markerAt(pos: number, max: number, column: number): Marker | undefined {
    const src = this.src;
    const ch = src.charCodeAt(pos);
    let after = pos + 1;
    let value = -1;
    let delimiter = ch;
    if (ch === 0x2d || ch === 0x2b || ch === 0x2a) {
      // A bullet: `-`, `+` or `*`.
    } else if (ch >= 0x30 && ch <= 0x39) {
      while (after < max && after - pos < 10 && isDigit(src.charCodeAt(after))) after++;
      if (after - pos >= 10 || after >= max) return undefined;
      delimiter = src.charCodeAt(after);
      if (delimiter !== 0x2e && delimiter !== 0x29) return undefined;
      value = Number(src.slice(pos, after));
      after++;
    } else return undefined;
    if (after < max && !isSpace(src.charCodeAt(after))) return undefined;
    let contentPos = after;
    while (contentPos < max && src.charCodeAt(contentPos) === SPACE) contentPos++;
    if (contentPos >= max || src.charCodeAt(contentPos) === TAB || contentPos - after > 4) throw GIVE_UP;
    return {
      value,
      delimiter,
      contentPos,
      contentColumn: column + (contentPos - pos),
    };
  }

  /**
   * The number of columns of the table that starts at `line` (its header) at the top level, as markdown-it's
   * table rule says; 0 if none does.
   */
  tableAt(line: number): number {
    const next = line + 1;
    if (next >= this.lines || this.sCount[next]! >= 4 || this.sCount[line]! >= 4) return 0;
    const cells = delimiterCells(this.src, this.bMarks[next]! + this.tShift[next]!, this.eMarks[next]!);
    if (cells < 0) return 0;
    const header = this.src.slice(this.bMarks[line]! + this.tShift[line]!, this.eMarks[line]).trim();
    if (!header.includes('|')) return 0;
    const columns = rowCellCount(header);
    return columns === cells ? columns : 0;
  }

  /** Whether the line has a `|` (in a list, it might be a table's). */
  pipeIn(line: number): boolean {
    const bar = this.src.indexOf('|', this.bMarks[line]);
    return bar >= 0 && bar < this.eMarks[line]!;
  }

  /** Whether an HTML comment starts the line (after at most 3 spaces): an HTML block. */
  comment(line: number): boolean {
    return this.sCount[line]! < 4 && this.src.startsWith('<!--', this.start(line));
  }

  /** The line after the HTML comment block that starts at `line`: the one after the line with `-->`. */
  commentEnd(line: number): number {
    for (let i = line; i < this.lines; i++) {
      if (this.src.slice(this.bMarks[i]! + this.tShift[i]!, this.eMarks[i]).includes('-->')) return i + 1;
    }
    return this.lines;
  }

  /** Characters that open a block this scanner leaves to markdown-it (quote, HTML, fence, reference). */
  static otherBlock(ch: number): boolean {
    return ch === 0x3e || ch === 0x3c || ch === 0x60 || ch === 0x7e || ch === 0x5b;
  }

  scan(): PacketBlock[] {
    let line = 0;
    while (line < this.lines) {
      if (this.blank(line)) {
        line++;
        continue;
      }
      const columns = this.tableAt(line);
      if (columns > 0) {
        line = this.table(line, columns);
        continue;
      }
      if (this.sCount[line]! >= 4) throw GIVE_UP;
      const ch = this.first(line);
      if (this.comment(line)) {
        this.blocks.push({ kind: 'skipped', line: line + 1 });
        line = this.commentEnd(line);
        continue;
      }
      if (Scanner.otherBlock(ch)) throw GIVE_UP;
      if (this.rule(line)) {
        this.blocks.push({ kind: 'skipped', line: line + 1 });
        line++;
        continue;
      }
      if (this.marker(line)) {
        line = this.list(line);
        continue;
      }
      if (ch === HASH) {
        const heading = this.heading(line);
        if (!heading) throw GIVE_UP;
        this.blocks.push({ kind: 'heading', line: line + 1, ...heading });
        line++;
        continue;
      }
      line = this.paragraph(line);
    }
    return this.blocks;
  }

  table(header: number, columns: number): number {
    const rows = [header + 1];
    let line = header + 2;
    for (; line < this.lines; line++) {
      if (this.blank(line) || this.sCount[line]! >= 4) break;
      // A table ends where a block quote would: at a fence, quote, HTML, rule, list item or heading.
      if (this.comment(line)) break;
      if (Scanner.otherBlock(this.first(line))) throw GIVE_UP;
      // As markdown-it: a row that trims to nothing (say, a no-break space) ends the table.
      if (this.src.slice(this.bMarks[line]!, this.eMarks[line]).trim() === '') break;
      if (this.rule(line) || this.heading(line) || this.bulletOrNumber(line)) break;
      // markdown-it limits the empty cells short rows add once they could exceed its limit; left to it.
      if (rows.length * columns > MAX_AUTOCOMPLETED_CELLS) throw GIVE_UP;
      rows.push(line + 1);
    }
    this.blocks.push({ kind: 'table', line: header + 1, rows });
    return line;
  }

  /** Whether the line starts a list item, empty ones included (they end a table). */
  bulletOrNumber(line: number): boolean {
    return this.bulletOrNumberAt(this.start(line), this.eMarks[line]!);
  }

  bulletOrNumberAt(pos: number, max: number): boolean {
    try {
      return this.markerAt(pos, max, 0) !== undefined;
    } catch (e) {
      if (e === GIVE_UP) return true;
      throw e;
    }
  }

  /** A paragraph at the top level, from `from`: its lines run to a blank line or a block that interrupts it. */
  paragraph(from: number): number {
    if (this.first(from) === HASH) throw GIVE_UP;
    let line = from + 1;
    for (; line < this.lines && !this.blank(line); line++) {
      // Indented 4+: a continuation line whatever it holds.
      if (this.sCount[line]! >= 4) continue;
      if (this.underline(line)) throw GIVE_UP;
      if (this.comment(line)) break;
      const ch = this.first(line);
      if (Scanner.otherBlock(ch) && ch !== 0x5b) throw GIVE_UP;
      if (this.tableAt(line) > 0 || this.rule(line) || this.heading(line)) break;
      const marker = this.marker(line);
      if (marker) {
        // A bullet interrupts a paragraph, a number only if it is 1; anything else is left to markdown-it.
        if (marker.value < 0 || marker.value === 1) break;
        throw GIVE_UP;
      }
    }
    this.blocks.push({ kind: 'paragraph', line: from + 1, from, to: line });
    return line;
  }

  /**
   * A list at the top level from `from` (an item's line), with the lists nested in its items: items whose
   * text is one paragraph (its lines may be lazy, not indented) and nested lists.
   */
  list(from: number): number {
    const first = this.marker(from)!;
    const items: ListItem[] = [];
    const open: OpenItem[] = [];
    let kind = listKind(first);
    let listLine = from + 1;
    let blankBefore = false;
    const close = (to: number) => {
      while (open.length > to) {
        const top = open.pop()!;
        top.item.text = flatten(this.src.slice(top.textPos, this.eMarks[top.lastLine]));
      }
    };
    const openItem = (line: number, marker: Marker) => {
      const textStart = this.src.charCodeAt(marker.contentPos);
      // An item that starts with a heading, a table, a quote, another marker...: left to markdown-it.
      if (textStart === HASH || textStart === PIPE || Scanner.otherBlock(textStart)) throw GIVE_UP;
      const item: ListItem = { line: line + 1, text: undefined, children: [] };
      const parent = open[open.length - 1];
      if (parent) parent.item.children.push(item);
      else items.push(item);
      open.push({ item, column: marker.contentColumn, textPos: marker.contentPos, lastLine: line });
    };
    // The item's own text must be a paragraph: not a nested marker, rule or heading on the same line.
    const checkText = (line: number, marker: Marker) => {
      const pos = marker.contentPos;
      const max = this.eMarks[line]!;
      if (this.ruleAt(pos, max) || this.bulletOrNumberAt(pos, max) || this.underlineAt(pos, max))
        throw GIVE_UP;
    };
    if (this.pipeIn(from)) throw GIVE_UP;
    checkText(from, first);
    openItem(from, first);
    let line = from + 1;
    for (; line < this.lines; line++) {
      if (this.blank(line)) {
        blankBefore = true;
        continue;
      }
      const indent = this.sCount[line]!;
      if (this.pipeIn(line)) throw GIVE_UP;
      if (this.rule(line)) {
        // A rule outside every item ends the list; inside one, it is left to markdown-it.
        if (indent >= open[0]!.column) throw GIVE_UP;
        break;
      }
      const ch = this.first(line);
      if (Scanner.otherBlock(ch) || this.underline(line)) throw GIVE_UP;
      const marker = this.marker(line);
      if (marker) {
        const deepest = open[open.length - 1];
        if (deepest && indent >= deepest.column) {
          // A list nested in the deepest item. Right after its paragraph, a number other than 1 would be
          // a continuation line, and 4+ columns in, it is one anyway.
          if (indent - deepest.column >= 4) throw GIVE_UP;
          if (!blankBefore && marker.value >= 0 && marker.value !== 1) throw GIVE_UP;
        } else {
          let depth = open.length;
          while (depth > 0 && indent < open[depth - 1]!.column) depth--;
          const container = depth === 0 ? 0 : open[depth - 1]!.column;
          if (indent - container >= 4) throw GIVE_UP;
          close(depth);
          if (depth === 0) {
            // A top-level sibling; another bullet or delimiter starts a new list.
            const next = listKind(marker);
            if (next !== kind) {
              this.blocks.push({ kind: 'list', line: listLine, items: items.splice(0) });
              kind = next;
              listLine = line + 1;
            }
          }
        }
        checkText(line, marker);
        openItem(line, marker);
        blankBefore = false;
        continue;
      }
      if (ch === HASH && this.heading(line)) {
        // A heading ends the list if it is outside every item; inside one, it is left to markdown-it.
        if (indent >= open[0]!.column) throw GIVE_UP;
        break;
      }
      if (blankBefore) {
        // After a blank line, text outside every item ends the list; inside one it is a second block.
        if (indent >= open[0]!.column) throw GIVE_UP;
        break;
      }
      // A continuation line of the deepest item's paragraph (lazy if it is not indented).
      open[open.length - 1]!.lastLine = line;
    }
    close(0);
    this.blocks.push({ kind: 'list', line: listLine, items });
    return line;
  }
}

function listKind(marker: Marker): number {
  return marker.value < 0 ? marker.delimiter : 0x100 + marker.delimiter;
}

function isSpace(ch: number): boolean {
  return ch === SPACE || ch === TAB;
}

function isDigit(ch: number): boolean {
  return ch >= 0x30 && ch <= 0x39;
}

/** The blocks of `src` (lines marked by `marks`), or undefined where markdown-it must read it. */
export function scanBlocks(src: string, marks: LineMarks): PacketBlock[] | undefined {
  try {
    return new Scanner(src, marks).scan();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}
