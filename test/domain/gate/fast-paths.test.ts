// The gate's fast paths against what they stand in for: the one-pass clause splitter against the
// regular expressions it replaces, the vocabulary matcher against matchPhrase on word slices, the
// placeholder email domains against a scan of the list, and the memoised timeline dates against the
// calendar functions called directly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import {
  businessCalendar,
  businessDaysAfter,
  localDate,
  nextBusinessDay,
  nthBusinessDayAfter,
} from '../../../src/domain/calendar/index.ts';
import {
  clausesOf,
  compilePhrase,
  findVocabulary,
  matchPhrase,
  placeholderEmailDomain,
  timelineFacts,
} from '../../../src/domain/gate/index.ts';
import { compileVocabulary } from '../../../src/domain/gate/vocabulary.ts';
import { example, gateInput, playbook, withRows } from './gate-fixture.ts';

const runs = { numRuns: 3000 };

function textOf(pieces: string[], maxLength = 12) {
  return fc.array(fc.constantFrom(...pieces), { maxLength }).map((a) => a.join(''));
}

describe('clausesOf', () => {
  const reference = (text: string) =>
    text
      .toLowerCase()
      .replace(/['’`]/g, '')
      .split(/[.;!?\n]+(?:\s|$)|[;!?\n]/)
      .map((c) => c.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== ''))
      .filter((c) => c.length > 0);
  it('splits as the regular expressions do', () => {
    const pieces = [
      'a',
      'B',
      '0',
      ' ',
      '\t',
      '\n',
      '\r',
      '.',
      '..',
      ';',
      '!',
      '?',
      ',',
      "'",
      '’',
      '`',
      '-',
      'é',
    ];
    pieces.push(
      'İ',
      'ß',
      '\u00a0',
      '\u2028',
      '\ufeff',
      '—',
      '😀',
      '𝐀',
      '\ud800',
      '\udc00',
      '٣',
      'Don’t',
      '3.5',
      'e.g. ',
    );
    fc.assert(
      fc.property(textOf(pieces), (text) => {
        assert.deepEqual(clausesOf(text), reference(text), JSON.stringify(text));
      }),
      runs,
    );
  });
});

describe('findVocabulary', () => {
  const e = playbook.expectations;
  const phrases = (list: string[]) => list.map((phrase) => ({ phrase, tokens: compilePhrase(phrase) }));
  const negations = { before: phrases(e.negations), after: phrases(e.negationsAfter) };
  const vocabulary = compileVocabulary(e.outOfScope);
  // Every phrase that starts with words, matched with matchPhrase; negations on word slices.
  const reference = (text: string) => {
    const hits: string[] = [];
    for (const words of clausesOf(text)) {
      for (const { entry, phrases: list } of vocabulary.entries) {
        for (const { tokens } of list) {
          if (tokens[0]?.kind !== 'words') continue;
          for (let start = 0; start < words.length; start++) {
            const match = matchPhrase(tokens, words.slice(start)).find(([s]) => s === 0);
            if (!match) continue;
            const end = start + match[1];
            const before = words.slice(Math.max(0, start - 4), start);
            const after = words.slice(end, end + 5);
            const negated =
              negations.before.some((n) => matchPhrase(n.tokens, before).length > 0) ||
              negations.after.some((n) => matchPhrase(n.tokens, after).length > 0);
            hits.push(`${entry.id}|${words.slice(start, end).join(' ')}|${negated}`);
          }
        }
      }
    }
    return hits.sort();
  };
  it('finds the phrases, negated or not, that matchPhrase finds', () => {
    const words = [
      'implement',
      'implementation',
      'build',
      'a',
      'the',
      'portal',
      'crm',
      'not',
      'no',
      'out',
      'of',
    ];
    words.push(
      'scope',
      'excluded',
      'ongoing',
      'support',
      'we',
      'will',
      'roadmap',
      'set',
      'up',
      'hubspot',
      'and',
    );
    words.push('retainer', 'partner', 'recruitment', 'for', 'them', 'managed', 'services', 'execute', 'plan');
    const text = fc
      .array(fc.oneof(fc.constantFrom(...words), fc.constantFrom('.', ';', ',')), { maxLength: 16 })
      .map((w) => w.join(' '));
    fc.assert(
      fc.property(text, (t) => {
        const hits = findVocabulary(t, vocabulary, negations).map(
          (h) => `${h.entry.id}|${h.words}|${h.negated}`,
        );
        assert.deepEqual(hits.sort(), reference(t), t);
      }),
      runs,
    );
    // Negations at each distance, up to past the windows (4 words before, 5 after).
    for (let k = 0; k <= 7; k++) {
      const fill = Array.from({ length: k }, () => 'partner').join(' ');
      for (const t of [
        `not ${fill} implement the roadmap`,
        `we will implement ${fill} out of scope`,
        `implement ${fill} excluded`,
        `build a portal ${fill} internally`,
      ]) {
        const hits = findVocabulary(t, vocabulary, negations).map(
          (h) => `${h.entry.id}|${h.words}|${h.negated}`,
        );
        assert.deepEqual(hits.sort(), reference(t), t);
      }
    }
  });
});

describe('placeholder email domains', () => {
  it('are found as the first of the list the domain is, or ends with after a dot', () => {
    const reference = (email: string) => {
      const domain = email.split('@').pop()!.toLowerCase().replace(/\.$/, '');
      return playbook.placeholders.emailDomains.find((d) => domain === d || domain.endsWith(`.${d}`));
    };
    const pieces = [
      '@',
      '.',
      'example',
      'com',
      'Test',
      'x',
      'invalid',
      'LOCALHOST',
      'a@b',
      'email.com.invalid',
      'İ',
      'É',
    ];
    fc.assert(
      fc.property(textOf(pieces, 6), (email) => {
        assert.equal(placeholderEmailDomain(email, playbook), reference(email), email);
      }),
      runs,
    );
  });
});

describe('timeline dates', () => {
  const calendar = businessCalendar(playbook.calendar);
  it('are the calendar functions results, for submissions around the clock and the year', () => {
    const starts = [
      '2026-05-14T14:00:00Z',
      '2026-12-24T22:30:00Z',
      '2026-12-31T23:59:59Z',
      '2027-01-01T04:59:59Z',
    ];
    starts.push(
      '2026-03-08T06:30:00Z',
      '2026-11-01T05:30:00Z',
      '2026-07-03T21:00:00Z',
      '2026-05-23T03:00:00Z',
    );
    for (const at of starts) {
      for (const sow of ['2026-05-12', '2026-12-31', '2026-07-02']) {
        const submittedAt = Temporal.Instant.from(at);
        const input = gateInput(withRows({ 'SOW signed': `${sow}; v0.1; legal/sow/x.pdf` }, example), {
          submittedAt,
          calendar,
        });
        const facts = timelineFacts(input);
        const ackDue = businessDaysAfter(submittedAt, 1, calendar).toPlainDate();
        const earliestDiscovery = nextBusinessDay(ackDue, calendar);
        const min = playbook.timeline.minBusinessDaysDiscoveryToReadout;
        const within = playbook.timeline.discoveryWithinBusinessDaysOfSow;
        assert.equal(facts.submitted.toString(), localDate(submittedAt, calendar).toString(), at);
        assert.equal(facts.ackDue.toString(), ackDue.toString(), at);
        assert.equal(facts.earliestDiscovery.toString(), earliestDiscovery.toString(), at);
        assert.equal(
          facts.earliestReadout.toString(),
          nthBusinessDayAfter(earliestDiscovery, min, calendar).toString(),
          at,
        );
        assert.equal(facts.sowSigned?.toString(), sow);
        assert.equal(
          facts.discoveryLimit?.toString(),
          nthBusinessDayAfter(Temporal.PlainDate.from(sow), within, calendar).toString(),
        );
      }
    }
  });
});
