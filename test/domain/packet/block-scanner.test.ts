// The line scanner against markdown-it, the CommonMark reference it stands in for: wherever it reads a text
// (it may leave one to markdown-it), it must find exactly the blocks markdown-it finds.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { scanBlocks } from '../../../src/domain/packet/block-scanner.ts';
import { lineMarks } from '../../../src/domain/packet/blocks.ts';
import {
  packetContent,
  parsePacket,
  renderPacket,
  renderTemplate,
} from '../../../src/domain/packet/index.ts';
import { markdownBlocks } from '../../../src/domain/packet/markdown-blocks.ts';
import { builtInPlaybook } from '../../../src/domain/playbook/index.ts';

const playbook = builtInPlaybook();
const project = join(import.meta.dirname, '../../..');

/** The scanner's blocks and markdown-it's for `src`; the scanner's are undefined where it gives up. */
function both(src: string) {
  const marks = lineMarks(src);
  return { scanned: scanBlocks(src, marks), reference: markdownBlocks(src, marks) };
}

const indent = fc.constantFrom('', '', '', ' ', '  ', '   ', '    ', '      ', '\t');
const text = fc.constantFrom(
  'plain text',
  'Company name: Northwind',
  '**Industry:** SaaS',
  '**Contacts:**',
  'Name: Dana Reyes',
  '2026-05-13; received; ACH',
  'a | b',
  '| a |',
  '#tag',
  '[ref]: /url',
  '<div>',
  '<!-- note -->',
  '<!--',
  'end -->',
  '> quote',
  '```',
  '`code`',
  '~~~',
  '===',
  '---',
  '- - -',
  '***',
  '* * *',
  '_ _ _',
  '1.5 hours',
  'x  ',
  '\u00a0',
  '',
);
const marker = fc.constantFrom('-', '-', '*', '+', '1.', '1.', '2.', '1)', '0.', '10.', '123456789.');
const gap = fc.constantFrom(' ', ' ', ' ', '  ', '    ', '     ', '', '\t');
const listLine = fc.tuple(indent, marker, gap, text).map(([i, m, g, t]) => `${i}${m}${g}${t}`);
const headingLine = fc
  .tuple(
    fc.constantFrom('', '', ' ', '    '),
    fc.constantFrom('#', '##', '###', '#######'),
    fc.constantFrom(' ', '', '  ', '\t'),
    fc.constantFrom('3.1 Customer Context Brief', 'Handoff SOW-2026-001', '', 'x ##', '##', 'a #b', '# '),
  )
  .map(([i, h, g, t]) => `${i}${h}${g}${t}`);
const tableLine = fc.constantFrom(
  '| Field | Value |',
  '| --- | --- |',
  '|---|---|',
  '| :-- | --: |',
  '| Company name | Northwind |',
  '| a \\| b | c |',
  'a | b',
  '--- | ---',
  '| a |',
  '| --- |',
  '  | a | b |',
  '|',
);
const line = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(indent, text).map(([i, t]) => `${i}${t}`) },
  { weight: 4, arbitrary: listLine },
  { weight: 2, arbitrary: headingLine },
  { weight: 3, arbitrary: tableLine },
  { weight: 3, arbitrary: fc.constant('') },
);
const document = fc
  .tuple(fc.array(line, { maxLength: 14 }), fc.constantFrom('', '\n', '\n  ', '  '))
  .map(([lines, end]) => lines.join('\n') + end);

// Lists and paragraphs only, in the shapes packets take: nesting, lazy lines, blank lines, rules, headings.
const safeText = fc.constantFrom('**Contacts:**', 'Name: Dana', 'x', 'more text', '#tag', '1.5 hours');
const listDocument = fc
  .array(
    fc.oneof(
      {
        weight: 5,
        arbitrary: fc.tuple(indent, marker, gap, safeText).map(([i, m, g, t]) => `${i}${m}${g}${t}`),
      },
      { weight: 2, arbitrary: fc.tuple(indent, safeText).map(([i, t]) => `${i}${t}`) },
      { weight: 2, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constantFrom('## 3.2 Scoping Decisions', '---', '***', '<!-- c -->') },
    ),
    { maxLength: 12 },
  )
  .map((lines) => lines.join('\n'));

/** The scanner agrees with markdown-it on every generated text it reads, and reads over a fifth of them. */
function agreesOn(texts: fc.Arbitrary<string>, what: string) {
  let read = 0;
  let total = 0;
  fc.assert(
    fc.property(texts, (src) => {
      const { scanned, reference } = both(src);
      total++;
      if (scanned === undefined) return;
      read++;
      assert.deepEqual(scanned, reference, JSON.stringify(src));
    }),
    { numRuns: Number(process.env.BATON_FUZZ_RUNS ?? 20000) },
  );
  assert.ok(read / total > 0.2, `${what}: read ${read} of ${total}`);
  if (process.env.BATON_FUZZ_RUNS) console.log(`${what}: read ${read} of ${total}`);
}

describe('block scanner', () => {
  it('finds the blocks markdown-it finds in every text it reads, and reads most of them', () => {
    // Generated texts are full of constructs it leaves to markdown-it; still, it reads a good share.
    agreesOn(document, 'texts');
  });

  it('finds the blocks markdown-it finds in generated lists', () => {
    agreesOn(listDocument, 'lists');
  });

  it('reads lists as markdown-it does: nesting, siblings, lazy lines, loose items, a change of bullet', () => {
    const lists = [
      '- **Contacts:**\n  - Name: Dana\n  - Email: d@x.com\n- **Industry:** SaaS',
      '- a\nlazy line\n- b\n\n- c\n\n  - d\n    more\n- e',
      '1. one\n2. two\n   - sub\n3) three',
      '- a\n* b\n+ c',
      'para\n- interrupts\n\nafter',
      'para\n1. interrupts',
      '<!--\n  a comment\n  - not a list\n-->\n| Field | Value |\n| --- | --- |\n| a | b |\n<!-- ends the table -->',
      '- a\n\n---\n\n## Next',
      '- a\n## Next',
      '   - a\n     - b\n       - c\n   - d',
      '- a\n  - b\n - c\n- d',
    ];
    for (const src of lists) {
      const { scanned, reference } = both(src);
      assert.ok(scanned, `the scanner reads ${JSON.stringify(src)}`);
      assert.deepEqual(scanned, reference, JSON.stringify(src));
    }
  });

  it('leaves to markdown-it what it does not read, and parsePacket still reads those packets', () => {
    const head = '# Handoff SOW-2026-001\n\n## Customer Context Brief\n\n';
    for (const body of [
      '> | Company name | Acme |',
      '```\n| Company name | Acme |\n```',
      '<div>\n- **Company name:** Acme\n</div>',
      'Company name: Acme\n===',
      '- **Company name:** Acme\n\n  second paragraph',
      '-\n  **Company name:** Acme',
    ]) {
      const src = head + body;
      assert.equal(both(src).scanned, undefined, JSON.stringify(body));
      const parsed = parsePacket(src, playbook);
      assert.ok(parsed.ok, JSON.stringify(body));
    }
  });

  it('reads the example packets, the template and rendered packets itself', () => {
    const files = [
      join(project, 'examples/northwind/operations/handoffs/assessments/SOW-2026-014-handoff-packet.md'),
      ...readdirSync(join(project, 'test/fixtures'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => join(project, 'test/fixtures', f)),
    ];
    const example = readFileSync(files[0]!, 'utf8');
    const parsed = parsePacket(example, playbook);
    assert.ok(parsed.ok);
    const texts = [
      ...files.map((f) => readFileSync(f, 'utf8')),
      renderTemplate('SOW-2026-001', playbook),
      renderPacket(packetContent(parsed.packet), playbook),
      // The bullet layout of the same packet.
      example
        .replace(/^\| ([^|]+?) \| (.*?) \|$/gm, (_m, label: string, value: string) =>
          label === 'Field' ? '' : `- **${label}:** ${value}`,
        )
        .replace(/^\| --- \| --- \|$/gm, ''),
    ];
    for (const src of texts) {
      const { scanned, reference } = both(src);
      assert.ok(scanned, src.slice(0, 60));
      assert.deepEqual(scanned, reference);
    }
  });
});
