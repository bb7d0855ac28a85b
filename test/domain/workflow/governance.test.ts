// The governance commands on a handoff: end of relationship, legal hold, purge (SOP Section 8).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ActorRef,
  allowedCommands,
  type GovernanceCommand,
  type HandoffCommand,
  type HandoffEvent,
  replay,
} from '../../../src/domain/workflow/index.ts';
import {
  acknowledged,
  actor,
  carla,
  casey,
  chris,
  dana,
  given,
  history,
  open,
  SOW,
  sam,
  submit,
  system,
  T,
} from './workflow-fixture.ts';

/** The fixture's when() is typed for workflow commands; decide() takes governance commands too. */
const gov = (command: GovernanceCommand): HandoffCommand => command as unknown as HandoffCommand;

const ended = (endedOn: string, company?: string): GovernanceCommand =>
  company === undefined
    ? { type: 'endRelationship', endedOn }
    : { type: 'endRelationship', endedOn, company };
const hold = (reason = 'litigation: Northwind v. Acme'): GovernanceCommand => ({
  type: 'setLegalHold',
  reason,
});
const release = (note?: string): GovernanceCommand =>
  note === undefined ? { type: 'releaseLegalHold' } : { type: 'releaseLegalHold', note };
const purge = (files: string[] = ['a.md']): GovernanceCommand => ({ type: 'purge', files });

/** The events of governance steps after a history (each must be accepted). */
function after(past: HandoffEvent[], ...steps: [GovernanceCommand, ActorRef, string][]): HandoffEvent[] {
  const events = [...past];
  for (const [command, as, now] of steps)
    events.push(
      ...given(...events)
        .when(gov(command), as, now)
        .events(),
    );
  return events;
}

const AUG = '2026-08-03T14:00:00Z';

describe('relationship-ended', () => {
  it('records the date, and the company name only as purgeable personal data', () => {
    const [event] = given(...acknowledged())
      .when(gov(ended('2026-07-31', 'Northwind Partners, Inc.')), carla, AUG)
      .thenEvents({ type: 'RelationshipEnded', data: { endedOn: '2026-07-31' } });
    assert.deepEqual(event?.personal, { company: 'Northwind Partners, Inc.' });
    assert.ok(!JSON.stringify(event?.data).includes('Northwind'));
  });

  it('a correction replaces the date and says which it replaces; the same date again records nothing', () => {
    const past = after(acknowledged(), [ended('2026-07-31'), chris, AUG]);
    given(...past)
      .when(gov(ended('2026-07-30')), dana, AUG)
      .thenEvents({ type: 'RelationshipEnded', data: { endedOn: '2026-07-30', replaces: '2026-07-31' } });
    assert.deepEqual(
      given(...past)
        .when(gov(ended('2026-07-31')), dana, AUG)
        .events(),
      [],
    );
    assert.equal(
      replay(after(past, [ended('2026-07-30'), dana, AUG])).retention?.relationshipEnded?.on,
      '2026-07-30',
    );
  });

  it('refuses a date in the future, before the SOW was signed, or that is not a date, naming the field', () => {
    given(...acknowledged())
      .when(gov(ended('2026-08-04')), chris, AUG)
      .thenInputError('date');
    given(...acknowledged())
      .when(gov(ended('2026-06-29')), chris, AUG)
      .thenInputError('date');
    given(...acknowledged())
      .when(gov(ended('31/07/2026')), chris, AUG)
      .thenInputError('date');
  });

  it('is for the cro, chief.staff and ceo only', () => {
    for (const who of [casey, sam, system]) {
      const refusal = given(...acknowledged())
        .when(gov(ended('2026-07-31')), who, AUG)
        .thenRefused('role-not-allowed');
      assert.match(refusal.message, /only cro or chief\.staff or ceo may/);
    }
  });

  it('needs an opened handoff', () => {
    given()
      .when(gov(ended('2026-07-31')), chris, AUG)
      .thenRefused('not-open');
  });
});

describe('legal hold', () => {
  it('chief.staff or ceo set and release it; the state keeps every hold', () => {
    const events = after(acknowledged(), [hold(), chris, AUG], [release('settled'), dana, AUG]);
    const state = replay(events);
    assert.deepEqual(
      state.retention?.holds.map((h) => [h.reason, h.setBy, h.releasedBy, h.releaseNote]),
      [['litigation: Northwind v. Acme', 'Chris Moss', 'Dana Park', 'settled']],
    );
  });

  it('refuses other roles, a second hold while one is set, a release without a hold, an empty reason', () => {
    for (const who of [carla, sam, casey])
      given(...acknowledged())
        .when(gov(hold()), who, AUG)
        .thenRefused('role-not-allowed');
    const held = after(acknowledged(), [hold(), chris, AUG]);
    const refusal = given(...held)
      .when(gov(hold('again')), dana, AUG)
      .thenRefused('already-on-hold');
    assert.deepEqual(refusal.allowed, ['relationship-ended', 'release', 'purge']);
    given(...acknowledged())
      .when(gov(release()), chris, AUG)
      .thenRefused('not-on-hold');
    given(...acknowledged())
      .when(gov(hold('  ')), chris, AUG)
      .thenInputError('reason');
  });

  it('does not change what anyone may do in the workflow', () => {
    const held = replay(after(acknowledged(), [hold(), chris, AUG]));
    assert.deepEqual(allowedCommands(held, casey), allowedCommands(replay(acknowledged()), casey));
  });
});

describe('purge', () => {
  const endedJuly = () => after(acknowledged(), [ended('2026-07-31'), chris, AUG]);

  it('is refused within retention: the relationship end plus 2 years, through the last day (New York time)', () => {
    const refusal = given(...endedJuly())
      .when(gov(purge()), chris, '2028-08-01T03:59:00Z') // 2028-07-31 23:59 New York
      .thenRefused('within-retention');
    assert.match(refusal.message, /kept until 2028-07-31 inclusive/);
    given(...endedJuly())
      .when(gov(purge(['b.md', 'a.md', 'a.md'])), chris, '2028-08-01T04:00:00Z') // 2028-08-01 00:00
      .thenEvents({
        type: 'PersonalDataPurged',
        data: {
          relationshipEndedOn: '2026-07-31',
          retainedUntil: '2028-07-31',
          files: ['a.md', 'b.md'],
          events: 10,
        },
      });
  });

  it('is refused without a recorded end of relationship, whatever the date', () => {
    given(...acknowledged())
      .when(gov(purge()), chris, '2099-01-01T00:00:00Z')
      .thenRefused('relationship-not-ended');
  });

  it('is refused while a legal hold is set, and allowed once it is released', () => {
    const held = after(endedJuly(), [hold(), chris, AUG]);
    const late = '2029-01-02T15:00:00Z';
    const refusal = given(...held)
      .when(gov(purge()), dana, late)
      .thenRefused('legal-hold');
    assert.match(refusal.message, /litigation: Northwind v\. Acme/);
    given(...after(held, [release(), dana, late]))
      .when(gov(purge()), dana, late)
      .thenEvents({ type: 'PersonalDataPurged' });
  });

  it('a purged handoff refuses everything, governance and workflow alike', () => {
    const purged = after(endedJuly(), [purge(), chris, '2029-01-02T15:00:00Z']);
    const later = '2029-01-03T15:00:00Z';
    for (const command of [hold(), release(), purge(), ended('2027-01-01')])
      given(...purged)
        .when(gov(command), chris, later)
        .thenRefused('purged');
    given(...purged)
      .when(submit(), carla, later)
      .thenRefused('purged');
    assert.deepEqual(allowedCommands(replay(purged), chris), []);
  });

  it('is for chief.staff and ceo only', () => {
    for (const who of [carla, casey, sam, system, actor('cro', 'Another')])
      given(...endedJuly())
        .when(gov(purge()), who, '2029-01-02T15:00:00Z')
        .thenRefused('role-not-allowed');
  });

  it('29 February plus two years is 28 February', () => {
    const leap = after(
      history([
        open({
          sowSignedOn: '2028-02-01',
          payment: { status: 'received', confirmedAt: '2028-02-01T15:00:00Z' },
        }),
        carla,
        '2028-02-02T15:00:00Z',
      ]),
      [ended('2028-02-29'), chris, '2028-03-01T15:00:00Z'],
    );
    given(...leap)
      .when(gov(purge()), chris, '2030-02-28T15:00:00Z')
      .thenRefused('within-retention');
    given(...leap)
      .when(gov(purge()), chris, '2030-03-01T15:00:00Z')
      .thenEvents({ type: 'PersonalDataPurged', data: { retainedUntil: '2030-02-28' } });
  });
});

describe('a state without governance events is as before them', () => {
  it('has no retention key at all', () => {
    assert.equal('retention' in replay(acknowledged()), false);
    assert.equal(replay(acknowledged()).sow, SOW);
    assert.ok(T.ack);
  });
});
