// The packet's blocks as markdown-it (CommonMark + GFM tables) finds them: the reference the line scanner
// (block-scanner.ts) stands in for, and the reader of whatever the scanner leaves to it. parse.ts loads
// this module only then, so that reading an ordinary packet does not load markdown-it.
//
// Block structure only: values are kept as written (markdown and all), so the inline pass is not needed;
// each block token carries its source lines (`map`). The table rule is markdown-it's grammar without the
// per-cell tokens (rows are read from their source line). The block parser is run directly (the only core
// rule left besides `normalize`, whose work parse.ts does), on the line marks the scanner uses too.
import MarkdownIt from 'markdown-it';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import { flatten, type LineMarks, type ListItem, type PacketBlock } from './blocks.ts';
import { tableRule } from './table-rule.ts';

const markdown = new MarkdownIt('commonmark', { html: true }).enable('table');
markdown.block.ruler.at('table', tableRule, { alt: ['paragraph', 'reference'] });
markdown.core.ruler.disable(['normalize', 'inline', 'text_join']);

/** markdown-it's block state for `src`, as `new markdown.block.State(src, ...)` makes it, from `marks`. */
export function blockState(src: string, marks: LineMarks, tokens: Token[]): StateBlock {
  const state = new markdown.block.State('', markdown, {}, tokens);
  state.src = src;
  state.bMarks = marks.bMarks.slice();
  state.eMarks = marks.eMarks.slice();
  state.tShift = marks.tShift.slice();
  state.sCount = marks.sCount.slice();
  state.bsCount = marks.bMarks.map(() => 0);
  state.lineMax = marks.bMarks.length - 1;
  return state;
}

function lineOf(token: Token): number {
  return (token.map?.[0] ?? 0) + 1;
}

/** The index of the token that closes the block opened at `i` (same nesting level). */
function closeOf(tokens: Token[], i: number): number {
  const open = tokens[i]!;
  if (open.nesting !== 1) return i;
  let j = i + 1;
  while (j < tokens.length && !(tokens[j]!.nesting === -1 && tokens[j]!.level === open.level)) j++;
  return j;
}

/** The items of the list opened at `start` (whose close is `end`), with their nested lists. */
function listItems(tokens: Token[], start: number, end: number): ListItem[] {
  const items: ListItem[] = [];
  for (let i = start + 1; i < end; i++) {
    const t = tokens[i]!;
    if (t.type !== 'list_item_open') continue;
    const close = closeOf(tokens, i);
    const item: ListItem = { line: lineOf(t), text: undefined, children: [] };
    if (tokens[i + 1]?.type === 'paragraph_open') item.text = flatten(tokens[i + 2]?.content ?? '');
    for (let j = i + 1; j < close; j++) {
      const n = tokens[j]!;
      if ((n.type === 'bullet_list_open' || n.type === 'ordered_list_open') && n.level === t.level + 1) {
        const nestedClose = closeOf(tokens, j);
        item.children.push(...listItems(tokens, j, nestedClose));
        j = nestedClose;
      }
    }
    items.push(item);
    i = close;
  }
  return items;
}

/** The blocks of `src` (lines marked by `marks`), as markdown-it parses it. Throws if markdown-it does. */
export function markdownBlocks(src: string, marks: LineMarks): PacketBlock[] {
  const tokens: Token[] = [];
  const state = blockState(src, marks, tokens);
  if (src) markdown.block.tokenize(state, state.line, state.lineMax);
  const blocks: PacketBlock[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const end = closeOf(tokens, i);
    const line = lineOf(token);
    switch (token.type) {
      case 'heading_open':
        blocks.push({
          kind: 'heading',
          line,
          depth: Number(token.tag.slice(1)),
          content: tokens[i + 1]?.content ?? '',
        });
        break;
      case 'table_open': {
        const rows: number[] = [];
        for (let j = i; j < end; j++) if (tokens[j]!.type === 'tr_open') rows.push(lineOf(tokens[j]!));
        blocks.push({ kind: 'table', line, rows });
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open':
        blocks.push({ kind: 'list', line, items: listItems(tokens, i, end) });
        break;
      case 'paragraph_open':
        blocks.push({ kind: 'paragraph', line, from: token.map?.[0] ?? 0, to: token.map?.[1] ?? 0 });
        break;
      case 'html_block':
      case 'blockquote_open':
      case 'hr':
        blocks.push({ kind: 'skipped', line });
        break;
      default:
        if (token.nesting !== -1)
          blocks.push({ kind: 'other', line, type: token.type.replace(/_open$/, '') });
    }
    i = end;
  }
  return blocks;
}
