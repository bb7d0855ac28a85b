// The parser's fast paths against what they stand in for: each must give exactly what the plain version
// gives (markdown-it's table rule and block state, the email, phone and list-label regular expressions,
// the placeholder expressions tried one by one, the character-by-character row split).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { lineMarks } from '../../../src/domain/packet/blocks.ts';
import {
  findPlaceholder,
  isEmail,
  isNotApplicable,
  isPhone,
  parsePacket,
  splitRow,
} from '../../../src/domain/packet/index.ts';
import { blockState } from '../../../src/domain/packet/markdown-blocks.ts';
import { splitLabelled } from '../../../src/domain/packet/parse.ts';
import { rowCellCount, tableRule } from '../../../src/domain/packet/table-rule.ts';
import { builtInPlaybook } from '../../../src/domain/playbook/index.ts';

const playbook = builtInPlaybook();
const runs = { numRuns: 3000 };

/** Strings made of pieces that matter to the code under test. */
function textOf(pieces: string[], maxLength = 10) {
  return fc.array(fc.constantFrom(...pieces), { maxLength }).map((a) => a.join(''));
}

describe('table rule: markdown-it grammar without per-cell tokens', () => {
  const stock = new MarkdownIt('commonmark', { html: true }).enable('table');
  stock.core.ruler.disable(['inline', 'text_join']);
  const light = new MarkdownIt('commonmark', { html: true }).enable('table');
  light.block.ruler.at('table', tableRule, { alt: ['paragraph', 'reference'] });
  light.core.ruler.disable(['inline', 'text_join']);
  const cellTokens = new Set(['th_open', 'th_close', 'td_open', 'td_close']);
  const shape = (tokens: Token[], dropCells: boolean) => {
    const out: string[] = [];
    let inCell = false;
    for (const t of tokens) {
      if (dropCells && cellTokens.has(t.type)) {
        inCell = t.nesting === 1;
        continue;
      }
      if (dropCells && inCell) continue;
      out.push(`${t.type} ${t.level} ${t.map?.join('-') ?? ''} ${t.type === 'inline' ? t.content : ''}`);
    }
    return out;
  };
  const line = textOf([
    '|',
    '|',
    ' | ',
    '\\|',
    '\\',
    ' ',
    '---',
    ':--',
    '--:',
    '-',
    ':',
    'a',
    'Field',
    '>',
    '# ',
    '- ',
    '    ',
    '\t',
    '```',
    '<div>',
    '***',
  ]);
  const row = fc.constantFrom(
    '| Field | Value |',
    '| --- | --- |',
    '|---|---|',
    '| a |',
    'a | b',
    '|:-|-:|',
    ':-: | --',
    '| a \\| b | c |',
    '| x | y | z |',
    '--- | ---',
    '|',
    '| --- |',
    '  | a | b |',
    '',
  );
  const doc = fc.array(fc.oneof(line, row, row), { maxLength: 10 }).map((lines) => lines.join('\n'));

  it('finds the same blocks, rows and line maps as markdown-it', () => {
    fc.assert(
      fc.property(doc, (text) => {
        assert.deepEqual(shape(light.parse(text, {}), false), shape(stock.parse(text, {}), true));
      }),
      runs,
    );
  });

  it('stops a table where markdown-it does when short rows would leave too many cells empty', () => {
    for (const columns of [2, 300, 1000]) {
      const header = `|${' a |'.repeat(columns)}`;
      const delimiter = `|${' - |'.repeat(columns)}`;
      for (const cells of [1, 2, 5]) {
        const rows = Array.from({ length: 260 }, (_, i) => `|${` r${i} |`.repeat(cells)}`);
        const text = [header, delimiter, ...rows, 'after'].join('\n');
        assert.deepEqual(shape(light.parse(text, {}), false), shape(stock.parse(text, {}), true));
      }
    }
  });

  it('counts the cells markdown-it splits a row into', () => {
    const escapedSplitCount = (row: string) => {
      // markdown-it's escapedSplit, then an empty first and last cell dropped.
      const cells: string[] = [];
      let current = '';
      let last = 0;
      let escaped = false;
      for (let pos = 0; pos < row.length; pos++) {
        const ch = row.charCodeAt(pos);
        if (ch === 0x7c) {
          if (!escaped) {
            cells.push(current + row.substring(last, pos));
            current = '';
            last = pos + 1;
          } else {
            current += row.substring(last, pos - 1);
            last = pos;
          }
        }
        escaped = ch === 0x5c;
      }
      cells.push(current + row.substring(last));
      if (cells.length && cells[0] === '') cells.shift();
      if (cells.length && cells[cells.length - 1] === '') cells.pop();
      return cells.length;
    };
    fc.assert(
      fc.property(textOf(['|', '\\', 'a', ' ', '\\|']), (row) => {
        const trimmed = row.trim();
        if (trimmed) assert.equal(rowCellCount(trimmed), escapedSplitCount(trimmed));
      }),
      runs,
    );
  });
});

describe('row splitting', () => {
  it('gives the cells of the character-by-character split', () => {
    const reference = (line: string) => {
      let text = line.trim();
      if (text.startsWith('|')) text = text.slice(1);
      const cells: string[] = [];
      let cell = '';
      for (let i = 0; i < text.length; i++) {
        const ch = text[i]!;
        if (ch === '\\' && (text[i + 1] === '\\' || text[i + 1] === '|')) {
          cell += ch + text[i + 1];
          i++;
        } else if (ch === '|') {
          cells.push(cell);
          cell = '';
        } else cell += ch;
      }
      if (cell.trim() !== '' || !line.trim().endsWith('|')) cells.push(cell);
      return cells;
    };
    fc.assert(
      fc.property(textOf(['|', '|', '\\', '\\|', '\\\\', 'a', ' ', 'x y', '\t']), (line) => {
        assert.deepEqual(splitRow(line), reference(line));
      }),
      runs,
    );
  });
});

describe('labelled list items', () => {
  it('split as the regular expressions do', () => {
    const reference = (text: string) => {
      const bold = /^(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*([\s\S]*)$/.exec(text);
      if (bold) return { label: bold[1]!.replace(/:\s*$/, ''), value: bold[2]!.replace(/^:\s*/, '').trim() };
      const plain = /^([^:|]{1,80}?)\s*:\s+([\s\S]*)$|^([^:|]{1,80}?)\s*:$/.exec(text);
      if (plain)
        return { label: (plain[1] ?? plain[3])!.replace(/[*_]/g, ''), value: (plain[2] ?? '').trim() };
      return undefined;
    };
    const pieces = [
      '*',
      '**',
      '_',
      '__',
      'a',
      ' ',
      ':',
      '\n',
      '\r',
      '\u2028',
      '\u00a0',
      'b c',
      '|',
      '\t',
      'x:',
    ];
    fc.assert(
      fc.property(textOf(pieces), (text) => {
        assert.deepEqual(splitLabelled(text), reference(text), JSON.stringify(text));
      }),
      runs,
    );
  });
});

describe('email addresses', () => {
  const pattern = /^[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]{2,}$/u;
  it('isEmail is the email regular expression', () => {
    const pieces = ['a', 'b', '.', '.', '@', '@', ' ', '\u00a0', '\u3000', '\u2029', '\ufeff', '\u200b'];
    pieces.push('<', ')', ',', ':', '"', '😀', '\ud83d', '\ude00', 'é', '—', '-', '\t', 'co', 'io');
    fc.assert(
      fc.property(textOf(pieces), (text) => {
        assert.equal(isEmail(text), pattern.test(text), JSON.stringify(text));
      }),
      runs,
    );
    for (const text of [
      'a@b.co',
      'a@b.c',
      'a@.co',
      '@b.co',
      'a@b.😀',
      'a@b.😀x',
      'dana.reyes@northwind-partners.io',
    ])
      assert.equal(isEmail(text), pattern.test(text), text);
  });
});

describe('phone numbers', () => {
  it('isPhone is the phone regular expression and the digit count', () => {
    const reference = (text: string) => {
      if (!/^\+?[\d\s().\-/]+((ext\.?|x)\s*\d+)?$/i.test(text.trim())) return false;
      const n = text.replace(/(ext\.?|x)\s*\d+\s*$/i, '').replace(/\D/g, '').length;
      return n >= 7 && n <= 15;
    };
    const pieces = [
      '+',
      '1',
      '415',
      '555',
      ' ',
      '(',
      ')',
      '.',
      '-',
      '/',
      'x',
      'ext',
      'a',
      '\u00a0',
      '\n',
      '12345',
    ];
    fc.assert(
      fc.property(textOf(pieces), (text) => {
        assert.equal(isPhone(text), reference(text), JSON.stringify(text));
      }),
      runs,
    );
  });
});

describe('not applicable', () => {
  it('is the trimmed, lower-cased value being one of the playbook words', () => {
    const words = new Set(playbook.placeholders.notApplicable.map((w) => w.trim().toLowerCase()));
    const pieces = [
      'N',
      'n',
      '/',
      'A',
      'a',
      '-',
      '—',
      '–',
      ' ',
      'one',
      'ONE',
      'Not',
      ' applicable',
      'İ',
      'l',
      'I',
      '\t',
    ];
    fc.assert(
      fc.property(textOf(pieces, 6), (text) => {
        assert.equal(
          isNotApplicable(text, playbook),
          words.has(text.trim().toLowerCase()),
          JSON.stringify(text),
        );
      }),
      runs,
    );
  });
});

/** findPlaceholder's answer worked out plainly: each of the expressions, in order, on the trimmed value. */
function placeholderOneByOne(values: string[]): (value: string) => string | undefined {
  const expressions = values.map((s) => new RegExp(s, 'iu'));
  return (value) => {
    const text = value.trim();
    for (const re of expressions) {
      const m = re.exec(text);
      if (m) return (m[0].trim() || text).slice(0, 60);
    }
    return undefined;
  };
}

describe('placeholders', () => {
  const oneByOne = placeholderOneByOne(playbook.placeholders.values);
  it('finds what the playbook expressions, tried one by one, find', () => {
    const pieces = [
      'tbd',
      'TBD',
      'x',
      'xxx',
      'lorem ipsum',
      '[name]',
      '[a](b)',
      '<email>',
      '<a@b.io>',
      '{{x}}',
    ];
    pieces.push(
      ' ',
      '-',
      'é',
      'a',
      '?',
      '...',
      '…',
      'to be confirmed',
      'later',
      'insert name',
      ';',
      'ſ',
      'K',
    );
    fc.assert(
      fc.property(textOf(pieces, 6), (text) => {
        assert.equal(findPlaceholder(text, playbook), oneByOne(text), JSON.stringify(text));
      }),
      runs,
    );
  });
});

describe('placeholder hints for the expressions of a playbook of its own', () => {
  // Expressions whose leading and trailing boundary groups the hint drops, and some it must keep whole.
  const values = [
    '(^|[^\\p{L}])(tbd|x{2,})([^\\p{L}\\p{N}]|$)',
    'ab(c|$)',
    '(?:a|$)',
    '[(](b|$)',
    '(a(b|$))',
    'q\\(($|z)',
    '[x|](y|$)',
    '^k(l|$)',
  ];
  const custom = { ...playbook, placeholders: { ...playbook.placeholders, values } };
  it('find what the expressions, tried one by one, find', () => {
    const oneByOne = placeholderOneByOne(values);
    const pieces = ['a', 'b', 'c', 'k', 'l', 'q', 'x', 'y', 'z', '(', '|', ' ', 'tbd', 'é', '1', '['];
    fc.assert(
      fc.property(textOf(pieces, 6), (text) => {
        assert.equal(findPlaceholder(text, custom), oneByOne(text), JSON.stringify(text));
      }),
      runs,
    );
  });
});

describe('line marks', () => {
  it('are those markdown-it computes for its block state', () => {
    const md = new MarkdownIt('commonmark', { html: true });
    const pieces = ['a', ' ', '  ', '\t', '\n', '\n', '\n', '|', '-', '#', '😀', '—', '\r', '\u00a0', '> '];
    const fields = [
      'bMarks',
      'eMarks',
      'tShift',
      'sCount',
      'bsCount',
      'lineMax',
      'src',
      'line',
      'blkIndent',
    ] as const;
    fc.assert(
      fc.property(textOf(pieces, 14), (src) => {
        const ours = blockState(src, lineMarks(src), []);
        const theirs = new md.block.State(src, md, {}, []);
        for (const key of fields)
          assert.deepEqual(ours[key], theirs[key], `${key} of ${JSON.stringify(src)}`);
        assert.equal(ours.parentType, theirs.parentType);
        assert.equal(ours.level, theirs.level);
      }),
      runs,
    );
  });

  it('reads rows by the parser line numbers, with and without a final line break or NUL', () => {
    const text =
      '# Handoff SOW-2026-001\n\n## Customer Context Brief\n\n| Field | Value |\n| --- | --- |\n| Company name | A\u0000B |';
    for (const t of [text, `${text}\n`, `${text}\r\n`, `\ufeff${text}`]) {
      const parsed = parsePacket(t, playbook);
      assert.ok(parsed.ok);
      assert.equal(parsed.packet.fields.companyName?.value, 'A\u0000B');
      assert.equal(parsed.packet.fields.companyName?.line, 7);
    }
  });
});
