import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFinding, assertPass, check, example, lineOf, playbook, withRow } from './gate-fixture.ts';

const field = 'What the customer expects to receive';
const line = lineOf(field);
const expects = (value: string) => check('expectation-alignment', withRow(field, value));

/** Realistic customer wording, by out-of-scope category of the playbook. */
const outOfScope: Record<string, string[]> = {
  implementation: [
    'A findings report, and then we want you to implement the fixes in our partner program',
    'Recommendations plus help rolling out the new partner tiers',
    'A readout and then you execute the roadmap with our team',
    'Diagnostic and a Salesforce PRM implementation',
  ],
  'build-systems': [
    'A roadmap, and you build the partner portal for us',
    'Findings report and configuring our HubSpot partner pipeline',
    'A readout, then set up our CRM for partner deal registration',
    'Readout and then hands-on help standing up a partner portal',
  ],
  'ongoing-services': [
    'A report, then ongoing support managing our partner program',
    'Findings and you manage our channel for us going forward',
    'Recommendations and a managed service for partner operations',
  ],
  retainer: [
    'Diagnostic, then a monthly retainer for advisory',
    'A roadmap and an on call advisor afterwards',
  ],
  'partner-recruitment': [
    'Findings and you recruit 10 new resellers for us',
    'A roadmap and introductions to potential partners',
    'Findings readout; they expect us to onboard their first five partners',
  ],
  training: [
    'Recommendations and a training program for our channel team',
    'Report plus train our partner managers',
    'A roadmap and an online course for partner managers',
  ],
  hiring: [
    'Roadmap and help us hire a Head of Partnerships',
    'A findings report and a shortlist of candidates for partner manager',
  ],
  'guaranteed-revenue': [
    'Findings and a guaranteed 20% increase in partner revenue',
    'A plan that will double our partner-sourced pipeline',
    'Findings report and an ROI guarantee',
  ],
};

describe('expectation-alignment: work outside the Assessment fails', () => {
  it('covers every out-of-scope category of the playbook', () => {
    assert.deepEqual(
      Object.keys(outOfScope).sort(),
      playbook.expectations.outOfScope.map((e) => e.id).sort(),
    );
  });

  for (const entry of playbook.expectations.outOfScope) {
    for (const text of outOfScope[entry.id] ?? []) {
      it(`${entry.id}: "${text}"`, () => {
        const result = expects(text);
        const escaped = entry.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        assertFinding(result, 'fail', {
          field,
          line,
          message: [new RegExp(`expects ${escaped} \\("`), /outside the Assessment/, /reset this/],
        });
        assert.equal(result.findings.length, 1, JSON.stringify(result.findings));
      });
    }
  }

  it('names each category once when several are expected', () => {
    const result = expects('A roadmap, then implement it, deploy the tooling and train our reps');
    assert.equal(result.status, 'fail');
    assert.equal(result.findings.length, 2);
    assert.match(result.findings[0]!.message, /expects implementation/);
    assert.match(result.findings[1]!.message, /expects training programs/);
  });
});

describe('expectation-alignment: words that only look like out-of-scope words', () => {
  for (const text of [
    'A findings report on our partnership strategy',
    'A readout on where our Hampshire and Cheshire resellers leak revenue',
    'Recommendations on how our retrained sales reps sell with partners',
    'A report on our constrained partner budget',
    'A diagnostic of why the reimplementation of our partner tiers stalled',
    'A findings report, and of course a readout for the board',
    'An analysis of revenue from our installed base',
    'A prioritized list of fixes for our ongoing partner revenue leakage',
    'A report on our ongoing partner programs',
    'A readout on our partner onboarding process',
  ]) {
    it(`"${text}" passes`, () => {
      assertPass(expects(text));
    });
  }
});

describe('expectation-alignment: negated or excluded work does not fail', () => {
  for (const text of [
    'Findings report; no implementation expected',
    'Findings report; implementation is out of scope',
    'A roadmap (implementation is a separate engagement)',
    'Recommendations only, not implementation',
    'Implementation not expected; a findings readout',
    'A roadmap, without any ongoing support',
    'A roadmap; they will not need training',
    'A prioritized roadmap they will implement themselves',
    'A recommendations deck our team will implement internally',
    'Recommendations on how to recruit partners',
  ]) {
    it(`"${text}" passes`, () => {
      assertPass(expects(text));
    });
  }

  it('a negation in another sentence does not cover the next one', () => {
    assertFinding(expects('No surprises. They want us to implement the roadmap'), 'fail', {
      field,
      line,
      message: /expects implementation/,
    });
  });
});

describe('expectation-alignment: no recognisable deliverable', () => {
  for (const text of ['Better partner revenue', 'They want to grow the channel', 'Help with partners']) {
    it(`"${text}" is review`, () => {
      assertFinding(expects(text), 'review', {
        field,
        line,
        message: [/names no Assessment deliverable/, /findings report/, /confirm with the CRO/],
      });
    });
  }

  it('a placeholder is review', () => {
    assertFinding(expects('TBD'), 'review', { field, line, message: /not filled in/ });
  });
});

describe('expectation-alignment: in-scope expectations pass', () => {
  it('the spec example', () => {
    assertPass(check('expectation-alignment', example));
  });

  for (const text of [
    'A discovery session, a diagnostic of our partner revenue and a readout with recommendations',
    'A roadmap we can take to the board',
  ]) {
    it(`"${text}"`, () => {
      assertPass(expects(text));
    });
  }
});
