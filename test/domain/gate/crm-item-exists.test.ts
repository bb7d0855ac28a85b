import { describe, it } from 'node:test';
import type { CrmLookup } from '../../../src/domain/gate/index.ts';
import { assertFinding, assertPass, check, lineOf, withRow } from './gate-fixture.ts';

const field = 'CRM/Monday.com deal ID';
const line = lineOf(field);
const url = 'https://ecomonetize.monday.com/boards/4412093/pulses/8812345';
const crm = (value: string, lookup?: CrmLookup) =>
  check('crm-item-exists', withRow(field, value), lookup ? { crm: lookup } : {});

describe('crm-item-exists', () => {
  describe('a malformed deal ID fails, whether or not monday.com is configured', () => {
    for (const value of [
      'DEAL-123',
      'abc',
      '12',
      '#8812345',
      'https://ecomonetize.monday.com/boards/4412093',
      'http://ecomonetize.monday.com/boards/4412093/pulses/8812345',
      'https://ecomonetize.monday.com.evil.example/boards/1/pulses/2',
      'https://hubspot.com/deals/8812345',
    ]) {
      it(value, () => {
        assertFinding(crm(value), 'fail', {
          field,
          line,
          message: [/is not a monday\.com item/, /digits/],
        });
        assertFinding(crm(value, { kind: 'missing' }), 'fail', {
          field,
          line,
          message: /is not a monday\.com item/,
        });
      });
    }
  });

  it('a blank deal ID fails', () => {
    assertFinding(crm('—'), 'fail', { field, line, message: /deal ID is missing/ });
  });

  it('placeholder text fails', () => {
    assertFinding(crm('TBD'), 'fail', { field, line, message: /placeholder text "TBD"/ });
  });

  describe('monday.com not configured: review', () => {
    for (const value of ['8812345', url, `[Northwind deal](${url})`]) {
      it(value, () => {
        assertFinding(crm(value), 'review', {
          field,
          line,
          message: [/not configured/, /item 8812345/],
        });
      });
    }
  });

  it('monday.com unreachable: review, with the reason', () => {
    assertFinding(crm('8812345', { kind: 'unreachable', reason: 'HTTP 503' }), 'review', {
      field,
      line,
      message: [/could not be reached/, /HTTP 503/],
    });
  });

  it('no such item: fail', () => {
    assertFinding(crm(url, { kind: 'missing' }), 'fail', {
      field,
      line,
      message: /monday\.com has no item 8812345/,
    });
  });

  it('found with another status: fail, naming both', () => {
    assertFinding(
      crm(url, {
        kind: 'found',
        status: 'Negotiation',
        expectedStatuses: ['Handoff Initiated', 'Closed Won'],
      }),
      'fail',
      { field, line, message: [/status "Negotiation"/, /expected "Handoff Initiated" or "Closed Won"/] },
    );
  });

  it('found with an expected status (any case): pass', () => {
    assertPass(
      crm(url, {
        kind: 'found',
        status: 'Closed Won',
        expectedStatuses: ['Handoff Initiated', 'Closed Won'],
      }),
    );
    assertPass(
      crm('8812345', { kind: 'found', status: 'handoff initiated', expectedStatuses: ['Handoff Initiated'] }),
    );
  });
});
