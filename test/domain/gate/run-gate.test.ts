import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gateCheckIds, runGate } from '../../../src/domain/gate/index.ts';
import {
  assertFinding,
  assertPass,
  example,
  gate,
  gateInput,
  lineOf,
  ruleIds,
  withRow,
} from './gate-fixture.ts';

const specOrder = [
  'required-fields',
  'sow-accessible',
  'payment-confirmed',
  'timeline-alignment',
  'scope-alignment',
  'expectation-alignment',
  'contacts-complete',
  'crm-item-exists',
];

describe('runGate on the spec example packet', () => {
  const result = gate(example);

  it('runs all eight checks in the SOP order', () => {
    assert.deepEqual(
      result.checks.map((c) => c.id),
      specOrder,
    );
    assert.deepEqual(ruleIds, specOrder);
    assert.deepEqual([...gateCheckIds], specOrder);
  });

  it('passes every check except crm-item-exists, which needs a person (monday.com not configured)', () => {
    for (const check of result.checks.filter((c) => c.id !== 'crm-item-exists')) assertPass(check);
    const crm = result.checks.find((c) => c.id === 'crm-item-exists')!;
    assertFinding(crm, 'review', {
      field: 'CRM/Monday.com deal ID',
      line: lineOf('CRM/Monday.com deal ID'),
      message: [/not configured/, /8812345/],
    });
    assert.equal(crm.findings.length, 1);
  });

  it('gives the verdict review', () => {
    assert.equal(result.verdict, 'review');
  });

  it('passes once the review is attested, and the check keeps its review status', () => {
    const attested = runGate(gateInput(example), new Set(['crm-item-exists']));
    assert.equal(attested.verdict, 'pass');
    assert.equal(attested.checks.find((c) => c.id === 'crm-item-exists')!.status, 'review');
  });

  it('fails when one check fails, whatever is attested', () => {
    const failing = runGate(
      gateInput(withRow('Payment confirmed', '2026-05-13; pending; ACH')),
      new Set(['crm-item-exists']),
    );
    assert.equal(failing.verdict, 'fail');
    assert.equal(failing.checks.find((c) => c.id === 'payment-confirmed')!.status, 'fail');
  });

  it('passes with a configured monday.com whose item has the expected status', () => {
    const configured = gate(example, {
      crm: { kind: 'found', status: 'Handoff Initiated', expectedStatuses: ['Handoff Initiated'] },
    });
    assert.equal(configured.verdict, 'pass');
    for (const check of configured.checks) assertPass(check);
  });
});
