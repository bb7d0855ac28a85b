import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { packetContent, parsePacket, renderPacket } from '../../../src/domain/packet/index.ts';
import { builtInPlaybook } from '../../../src/domain/playbook/index.ts';

const playbook = builtInPlaybook();
const fieldIds = playbook.sections.flatMap((s) => s.fields.map((f) => f.id));

// Single-line cell text: pipes, backslashes, backticks, HTML, emoji, non-Latin scripts and long runs.
const tricky = fc.constantFrom(
  '|',
  '\\',
  '\\|',
  '`',
  '``',
  '`a|b`',
  '<script>alert(1)</script>',
  '<b>',
  '&amp;',
  '**',
  '_',
  '#',
  '> ',
  '- ',
  '😀',
  '👩🏽‍💻',
  'Ωμέγα',
  'Данные',
  '数据',
  'العربية',
  'עברית',
  '…',
  '—',
  ':---',
  '[x](y)',
  '<!-- c -->',
  '$40M',
);
const cellText = fc
  .array(
    fc.oneof(
      fc.string({ minLength: 1, maxLength: 12 }),
      tricky,
      fc.string({ minLength: 200, maxLength: 600 }),
    ),
    {
      minLength: 1,
      maxLength: 6,
    },
  )
  .map((parts) =>
    parts
      .join(' ')
      .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
      .trim(),
  );

const content = fc.record({
  sow: fc
    .tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 99999 }))
    .map(([y, n]) => `SOW-${y}-${String(n).padStart(3, '0')}`),
  values: fc.dictionary(fc.constantFrom(...fieldIds), cellText, { minKeys: 1, maxKeys: fieldIds.length }),
});

describe('render then parse', () => {
  it('gives back the same content for generated packets', () => {
    fc.assert(
      fc.property(content, (c) => {
        const parsed = parsePacket(renderPacket(c, playbook), playbook);
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
        assert.deepEqual(packetContent(parsed.packet), { sow: c.sow, values: { ...c.values } });
        assert.deepEqual(parsed.packet.duplicates, []);
      }),
      { numRuns: 300 },
    );
  });

  it('escapes pipes and backslashes in cells so that the table keeps two columns', () => {
    const text = renderPacket({ sow: 'SOW-2026-014', values: { companyName: 'A | B \\ C' } }, playbook);
    assert.match(text, /\| Company name \| A \\\| B \\\\ C \|/);
  });

  it('writes sections in playbook order with their 3.x numbers', () => {
    const text = renderPacket({ sow: 'SOW-2026-014', values: { champion: 'x', companyName: 'y' } }, playbook);
    assert.ok(text.indexOf('## 3.1 Customer Context Brief') < text.indexOf('## 3.6 Key Contacts'));
    assert.ok(text.startsWith('# Assessment Handoff Packet: SOW-2026-014'));
  });
});
