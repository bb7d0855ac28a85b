import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertFinding,
  assertPass,
  check,
  example,
  headingLine,
  lineOf,
  withoutRow,
  withRow,
  withRows,
} from './gate-fixture.ts';

const requiredFields = (text: string) => check('required-fields', text);

describe('required-fields: placeholder text in a required field fails', () => {
  const placeholders = [
    'TBD',
    'tbd',
    'Tbd',
    'TODO',
    'todo',
    '?',
    '???',
    'xxx',
    'XXX',
    'lorem ipsum',
    'Lorem Ipsum dolor sit amet',
    '[Company name]',
    '<name>',
    '{{name}}',
    'Northwind TBD',
  ];
  for (const value of placeholders) {
    it(`"${value}" in Company name`, () => {
      assertFinding(requiredFields(withRow('Company name', value)), 'fail', {
        field: 'Company name',
        line: lineOf('Company name'),
        message: [/placeholder text/, /fill in the real value/],
      });
    });
  }

  it('quotes the placeholder it found', () => {
    const f = assertFinding(requiredFields(withRow('Industry', '{{industry}}')), 'fail', {
      field: 'Industry',
      line: lineOf('Industry'),
      message: /placeholder/,
    });
    assert.match(f.message, /"\{\{industry\}\}"/);
  });
});

describe('required-fields: a blank required field fails', () => {
  for (const value of ['N/A', 'n/a', '-', '—', '']) {
    it(`"${value}" in Industry`, () => {
      assertFinding(requiredFields(withRow('Industry', value)), 'fail', {
        field: 'Industry',
        line: lineOf('Industry'),
        message: [/Industry is blank/, /required/],
      });
    });
  }

  it('a missing required field fails, named, pointing at its section heading', () => {
    const text = withoutRow('Industry');
    assertFinding(requiredFields(text), 'fail', {
      field: 'Industry',
      line: headingLine('Customer Context Brief', text),
      message: [/Industry is missing/, /Customer Context Brief/],
    });
  });

  it('a missing required field in another section names that section', () => {
    const text = withoutRow('Readout format preference');
    assertFinding(requiredFields(text), 'fail', {
      field: 'Readout format preference',
      line: headingLine('Expectations Set', text),
      message: [/Readout format preference is missing/, /Expectations Set/],
    });
  });
});

describe('required-fields: what is not a placeholder', () => {
  it('a markdown link is a value, not a "[...]" placeholder', () => {
    assertPass(requiredFields(withRow('SOW signed', '2026-05-12; v0.1; [SOW](legal/x.pdf)')));
    assertPass(requiredFields(withRow('Account history notes', 'See [the Diagnostic notes](notes/diag.md)')));
  });

  it('the spec example has no placeholder', () => {
    assertPass(requiredFields(example));
  });

  it('"N/A" in an optional field is fine', () => {
    assertPass(requiredFields(withRow('Account history notes', 'N/A')));
  });
});

describe('required-fields: placeholder in an optional field', () => {
  for (const value of ['TBD', 'tbd', '<notes>']) {
    it(`"${value}" in Account history notes is review, not fail`, () => {
      assertFinding(requiredFields(withRow('Account history notes', value)), 'review', {
        field: 'Account history notes',
        line: lineOf('Account history notes'),
        message: [/placeholder text/, /fill it in or write N\/A/],
      });
    });
  }
});

describe('required-fields: structured values lacking a required part fail', () => {
  it('Payment confirmed without a method', () => {
    assertFinding(requiredFields(withRow('Payment confirmed', '2026-05-13; received')), 'fail', {
      field: 'Payment confirmed',
      line: lineOf('Payment confirmed'),
      message: /lacks the payment method/,
    });
  });

  it('Partner ecosystem complexity without a maturity', () => {
    assertFinding(requiredFields(withRow('Partner ecosystem complexity', '35 active partners')), 'fail', {
      field: 'Partner ecosystem complexity',
      line: lineOf('Partner ecosystem complexity'),
      message: /lacks the maturity/,
    });
  });

  it('Partner ecosystem complexity without a number of partners', () => {
    assertFinding(requiredFields(withRow('Partner ecosystem complexity', 'established')), 'fail', {
      field: 'Partner ecosystem complexity',
      line: lineOf('Partner ecosystem complexity'),
      message: /lacks the number of active partners/,
    });
  });

  it('SOW signed without a version', () => {
    assertFinding(requiredFields(withRow('SOW signed', '2026-05-12; legal/sow/x.pdf')), 'fail', {
      field: 'SOW signed',
      line: lineOf('SOW signed'),
      message: /lacks the SOW version/,
    });
  });

  it('an ICP fit score above 100', () => {
    assertFinding(requiredFields(withRow('ICP fit score', '120')), 'fail', {
      field: 'ICP fit score',
      line: lineOf('ICP fit score'),
      message: /above 100/,
    });
  });

  it('a readout format that is not one of the choices', () => {
    assertFinding(requiredFields(withRow('Readout format preference', 'Carrier pigeon')), 'fail', {
      field: 'Readout format preference',
      line: lineOf('Readout format preference'),
      message: /"Carrier pigeon" is not one of Virtual, In-person, Hybrid/,
    });
  });

  it('an NDA that is required without saying where it stands', () => {
    assertFinding(requiredFields(withRow('NDA status', 'Required')), 'fail', {
      field: 'NDA status',
      line: lineOf('NDA status'),
      message: /drafted, signed, pending/,
    });
  });
});

describe('required-fields: fewer than three modules', () => {
  const two = 'Ecosystem Leverage; Revenue Governance';

  it('fails without a rationale for the one left out', () => {
    assertFinding(requiredFields(withRow('Assessment modules included', two)), 'fail', {
      field: 'Assessment modules included',
      line: lineOf('Assessment modules included'),
      message: [/only 2 of the 3/, /Modules excluded or de-emphasized/, /no rationale/],
    });
  });

  it('fails when the rationale is a blank or a placeholder', () => {
    for (const rationale of ['—', 'N/A', 'TBD']) {
      const result = requiredFields(
        withRows({ 'Assessment modules included': two, 'Modules excluded or de-emphasized': rationale }),
      );
      assertFinding(result, 'fail', {
        field: 'Assessment modules included',
        line: lineOf('Assessment modules included'),
        message: /only 2 of the 3/,
      });
    }
  });

  it('passes with a rationale', () => {
    assertPass(
      requiredFields(
        withRows({
          'Assessment modules included': two,
          'Modules excluded or de-emphasized': 'Signal Intelligence: no partner data warehouse yet',
        }),
      ),
    );
  });

  it('"All 3" is the standard scope and needs no rationale', () => {
    assertPass(requiredFields(withRow('Assessment modules included', 'All 3')));
  });
});

describe('required-fields: a field given twice', () => {
  it('with different values is review, pointing at the second line', () => {
    const text = example.replace(/^(\| Industry \|.*)$/m, '$1\n| Industry | Retail |');
    const line = lineOf('Industry') + 1;
    const f = assertFinding(requiredFields(text), 'review', {
      field: 'Industry',
      line,
      message: /given twice with different values/,
    });
    assert.match(f.message, new RegExp(`lines ${lineOf('Industry')} and ${line}`));
  });

  it('with the same value twice is not a finding', () => {
    const text = example.replace(/^(\| Industry \|.*)$/m, '$1\n$1');
    assertPass(requiredFields(text));
  });
});

describe('required-fields: the satisfaction guarantee', () => {
  it('"No" is review: the customer must be told before delivery', () => {
    assertFinding(requiredFields(withRow('Satisfaction guarantee acknowledged', 'No')), 'review', {
      field: 'Satisfaction guarantee acknowledged',
      line: lineOf('Satisfaction guarantee acknowledged'),
      message: /not acknowledged the 14-day satisfaction guarantee/,
    });
  });
});
