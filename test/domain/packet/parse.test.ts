import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type Diagnostic, parsePacket, renderTemplate } from '../../../src/domain/packet/index.ts';
import { builtInPlaybook } from '../../../src/domain/playbook/index.ts';

const playbook = builtInPlaybook();
const example = readFileSync(
  new URL('../../fixtures/SOW-2026-014-handoff-packet.md', import.meta.url),
  'utf8',
);

function parseOk(text: string, fileName?: string) {
  const r = parsePacket(text, playbook, fileName ? { fileName } : {});
  if (!r.ok) assert.fail(`expected a packet: ${r.error.message}`);
  return r;
}
const messages = (ds: Diagnostic[]) => ds.map((d) => `${d.line}: ${d.message}`).join('\n');

describe('parsePacket: the spec example', () => {
  it('reads all 32 fields with their lines and no diagnostics', () => {
    const r = parseOk(example);
    assert.equal(r.packet.sow, 'SOW-2026-014');
    assert.equal(Object.keys(r.packet.fields).length, 32);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.packet.fields.companyName?.value, 'Northwind Partners, Inc.');
    assert.equal(r.packet.fields.companyName?.line, 7);
    assert.equal(
      r.packet.fields.schedulingContact?.line,
      example.split('\n').findIndex((l) => l.startsWith('| Scheduling contact')) + 1,
    );
  });

  it('reads structured values into their parts', () => {
    const { packet } = parseOk(example);
    assert.deepEqual(packet.readings.sowSigned?.parts, {
      date: '2026-05-12',
      version: 'v0.1',
      link: 'legal/sow/SOW-2026-014-executed.pdf',
    });
    assert.deepEqual(packet.readings.paymentConfirmed?.parts, {
      date: '2026-05-13',
      status: 'received',
      method: 'ACH',
    });
    assert.deepEqual(packet.readings.champion?.parts, {
      name: 'Dana Reyes',
      title: 'VP Partnerships',
      email: 'dana.reyes@northwind-partners.io',
      phone: '+1 415 867 2210',
    });
    assert.deepEqual(packet.readings.ecosystemComplexity?.parts, { partners: '35', maturity: 'established' });
    assert.equal(packet.readings.dealId?.parts.item, '8812345');
    assert.deepEqual(packet.readings.modulesIncluded?.modules, [
      'Ecosystem Leverage',
      'Revenue Governance',
      'Signal Intelligence',
    ]);
    assert.equal(packet.readings.modulesExcluded?.notApplicable, true);
  });
});

describe('parsePacket: packets written by people who did not read the spec', () => {
  it('reads the bullet layout, with or without bold, colon inside or outside', () => {
    const text = [
      '# Handoff SOW-2026-021',
      '## Customer Context Brief',
      '- **Company name:** Contoso Ltd',
      '- **Industry**: Logistics',
      '* ICP fit score: 70/100',
      '## Key Contacts',
      '- **Executive sponsor:** Ann Lee; COO',
    ].join('\n');
    const r = parseOk(text);
    assert.equal(r.packet.fields.companyName?.value, 'Contoso Ltd');
    assert.equal(r.packet.fields.industry?.value, 'Logistics');
    assert.equal(r.packet.readings.icpFitScore?.parts.score, '70');
    assert.equal(r.packet.fields.executiveSponsor?.line, 7);
  });

  it('matches headings with or without 3.x, in any case, and labels with typos, extra spaces and colons', () => {
    const text = [
      '# SOW-2026-022',
      '### 3.1. customer context brief:',
      '| Field | Value |',
      '|---|---|',
      '|   Compnay name:   |   Fabrikam   |',
      '| INDUSTRY | Retail |',
      '## Key Contacs',
      '| Field | Value |',
      '|---|---|',
      '| Executive sponser | Bo Chen; CFO |',
    ].join('\n');
    const r = parseOk(text);
    assert.equal(r.packet.fields.companyName?.value, 'Fabrikam');
    assert.equal(r.packet.fields.industry?.value, 'Retail');
    assert.equal(r.packet.fields.executiveSponsor?.value, 'Bo Chen; CFO');
    assert.match(messages(r.diagnostics), /5: read "Compnay name:" as "Company name"/);
    assert.match(messages(r.diagnostics), /10: read "Executive sponser" as "Executive sponsor"/);
    assert.match(messages(r.diagnostics), /read heading "Key Contacs" as "Key Contacts"/);
  });

  it('reports unknown sections and fields with their lines, never dropping them silently', () => {
    const text = [
      '# SOW-2026-023',
      '## Customer Context Brief',
      '- **Favourite colour:** blue',
      '## Pricing Notes',
      '- **Discount:** 10%',
    ].join('\n');
    const r = parseOk(text);
    const m = messages(r.diagnostics);
    assert.match(m, /3: unknown field "Favourite colour"/);
    assert.match(m, /4: unknown section "Pricing Notes"/);
    assert.match(m, /5: unknown field "Discount"/);
  });

  it('reports a duplicate field with both lines and keeps the first', () => {
    const text = [
      '# SOW-2026-024',
      '## Customer Context Brief',
      '- **Company name:** A',
      '- **Company name:** B',
    ].join('\n');
    const r = parseOk(text);
    assert.equal(r.packet.fields.companyName?.value, 'A');
    assert.equal(r.packet.duplicates[0]?.value, 'B');
    const d = r.diagnostics.find((x) => /given twice/.test(x.message));
    assert.equal(d?.line, 4);
    assert.equal(d?.severity, 'error');
    assert.match(d?.message ?? '', /lines 3 and 4/);
  });

  it('reports a value that cannot be read into its parts, on its line', () => {
    const text = [
      '# SOW-2026-025',
      '## Consent Status',
      '| Field | Value |',
      '|---|---|',
      '| SOW signed | last week |',
      '| Payment confirmed | 5/6/2026; received; ACH |',
    ].join('\n');
    const r = parseOk(text);
    const m = messages(r.diagnostics);
    assert.match(m, /5: cannot find the date signed, SOW version, link to the executed copy in "last week"/);
    assert.match(m, /6: "5\/6\/2026" could be two dates/);
  });

  it('reads a malformed table: a row with an unescaped pipe, a table without a delimiter row, a third column', () => {
    const noDelimiter = [
      '# SOW-2026-026',
      '## Customer Context Brief',
      '| Field | Value |',
      '| Company name | Tailspin |',
      '| Industry | Aviation |',
    ].join('\n');
    const a = parseOk(noDelimiter);
    assert.equal(a.packet.fields.companyName?.value, 'Tailspin');
    assert.equal(a.packet.fields.industry?.line, 5);
    assert.match(messages(a.diagnostics), /3: these lines look like a table but it has no/);

    const pipes = [
      '# SOW-2026-027',
      '## Key Contacts',
      '| Field | Value |',
      '|---|---|',
      '| eco | monetize primary contact during sales | cro |',
      '| Executive sponsor | Al | CEO |',
    ].join('\n');
    const b = parseOk(pipes);
    assert.equal(b.packet.fields.salesContact?.value, 'cro');
    assert.equal(b.packet.fields.executiveSponsor?.value, 'Al | CEO');
    assert.match(messages(b.diagnostics), /6: this row has 3 cells, not 2/);

    const threeCols = [
      '# SOW-2026-028',
      '## Customer Context Brief',
      '| Field | Description | Value |',
      '|---|---|---|',
      '| Company name | legal name | Litware |',
    ].join('\n');
    const c = parseOk(threeCols);
    assert.equal(c.packet.fields.companyName?.value, 'Litware');
  });

  it('takes a field under the wrong section, and says where it belongs', () => {
    const text = ['# SOW-2026-029', '## Constraints', '- **Company name:** Proseware'].join('\n');
    const r = parseOk(text);
    assert.equal(r.packet.fields.companyName?.value, 'Proseware');
    assert.match(messages(r.diagnostics), /3: "Company name" belongs under "Customer Context Brief"/);
  });

  it('reads structured sub-bullets as the parts of a value', () => {
    const text = [
      '# SOW-2026-030',
      '## Key Contacts',
      '- **Customer-side champion:**',
      '  - Name: Dana Reyes',
      '  - Title: VP Partnerships',
      '  - Email: dana@northwind.io',
      '  - Phone: +1 415 867 2210',
    ].join('\n');
    const r = parseOk(text);
    assert.deepEqual(r.packet.readings.champion?.parts, {
      name: 'Dana Reyes',
      title: 'VP Partnerships',
      email: 'dana@northwind.io',
      phone: '+1 415 867 2210',
    });
  });

  it('handles CRLF line endings and a byte-order mark', () => {
    const r = parseOk(`\uFEFF${example.replace(/\n/g, '\r\n')}`);
    assert.equal(Object.keys(r.packet.fields).length, 32);
    assert.equal(r.packet.fields.companyName?.line, 7);
  });

  it('takes the SOW number from the file name when the title lacks it, with a warning', () => {
    const r = parseOk(
      example.replace('# Assessment Handoff Packet: SOW-2026-014', '# Handoff packet'),
      'SOW-2026-031-handoff-packet.md',
    );
    assert.equal(r.packet.sow, 'SOW-2026-031');
    assert.match(
      messages(r.diagnostics),
      /1: the title does not name the SOW number; SOW-2026-031 is taken from the file name/,
    );
  });

  it('reads the new-packet template as a packet with every field blank', () => {
    const r = parseOk(renderTemplate('SOW-2026-032', playbook));
    assert.equal(Object.keys(r.packet.fields).length, 32);
    assert.ok(Object.values(r.packet.readings).every((x) => x.notApplicable));
  });
});

describe('parsePacket: files that are not packets', () => {
  it('refuses a file with no known section and no known field', () => {
    const r = parsePacket('# Meeting notes SOW-2026-014\n\nWe talked about lunch.\n', playbook);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error.message, /not a handoff packet: no known section/);
  });

  it('refuses a packet without a SOW number in title or file name, pointing at line 1', () => {
    const r = parsePacket(example.replace('SOW-2026-014', 'the Northwind deal'), playbook, {
      fileName: 'packet.md',
    });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.line, 1);
      assert.match(r.error.message, /no title naming the SOW number/);
    }
  });

  it('refuses an empty file and a JSON file', () => {
    assert.equal(parsePacket('', playbook).ok, false);
    assert.equal(parsePacket('{"company": "x"}', playbook).ok, false);
  });
});
