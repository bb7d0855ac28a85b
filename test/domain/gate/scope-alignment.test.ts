import { describe, it } from 'node:test';
import type { GateInput } from '../../../src/domain/gate/index.ts';
import { assertFinding, assertPass, check, example, lineOf, withRow } from './gate-fixture.ts';

const modules = 'Assessment modules included';
const deviations = 'Scope deviations from standard SOW';
const approval: GateInput['ceoApproval'] = {
  by: 'ceo',
  at: '2026-05-13T15:00:00Z',
  note: 'Pricing module approved as a one-off',
};
const scope = (label: string, value: string, overrides: Partial<GateInput> = {}) =>
  check('scope-alignment', withRow(label, value), overrides);

describe('scope-alignment: modules', () => {
  it('the example (all three domains) passes', () => {
    assertPass(check('scope-alignment', example));
    assertPass(scope(modules, 'All 3'));
  });

  it('an unknown module fails, named', () => {
    assertFinding(scope(modules, 'Ecosystem Leverage; Revenue Governance; Partner Recruitment'), 'fail', {
      field: modules,
      line: lineOf(modules),
      message: [/"Partner Recruitment" is not one of the SOW's domains/, /Signal Intelligence/],
    });
  });

  it('a misspelt module is not silently accepted', () => {
    assertFinding(scope(modules, 'Ecosystem Leverage; Revenue Governance; Signal Intel'), 'fail', {
      field: modules,
      line: lineOf(modules),
      message: /"Signal Intel" is not one of the SOW's domains/,
    });
  });

  it('text that names no module fails', () => {
    assertFinding(scope(modules, 'Everything'), 'fail', {
      field: modules,
      line: lineOf(modules),
      message: /"Everything" is not one of the SOW's domains/,
    });
  });
});

describe('scope-alignment: scope deviations', () => {
  const stated = 'Added a fourth module on partner pricing';

  it('a stated deviation fails without the CEO’s approval on record', () => {
    assertFinding(scope(deviations, stated), 'fail', {
      field: deviations,
      line: lineOf(deviations),
      message: [/scope deviation is stated/, /fourth module/, /CEO's approval/],
    });
  });

  it('passes with the CEO’s approval on record', () => {
    assertPass(scope(deviations, stated, { ceoApproval: approval }));
  });

  it('approval written in the packet does not count', () => {
    for (const value of [
      `${stated} (approved by CEO)`,
      `${stated}; CEO approved on 2026-05-12`,
      'Approved by CEO: extra readout session',
    ]) {
      assertFinding(scope(deviations, value), 'fail', {
        field: deviations,
        line: lineOf(deviations),
        message: [/scope deviation is stated/, /written in the packet does not count/],
      });
    }
  });

  it('no deviation is not a deviation, however it is written', () => {
    for (const value of [
      '—',
      'N/A',
      'None',
      'None.',
      'No',
      'No deviations',
      'No deviations from standard SOW',
      'None noted',
      'Standard scope',
      'As per SOW',
    ]) {
      assertPass(scope(deviations, value));
    }
  });

  it('"none, except ..." is a deviation', () => {
    for (const value of ['No deviations, except a fourth module', 'Standard plus a pricing module']) {
      assertFinding(scope(deviations, value), 'fail', {
        field: deviations,
        line: lineOf(deviations),
        message: /scope deviation is stated/,
      });
    }
  });

  it('placeholder text is review', () => {
    assertFinding(scope(deviations, 'TBD'), 'review', {
      field: deviations,
      line: lineOf(deviations),
      message: /state the deviation or write N\/A/,
    });
  });
});
