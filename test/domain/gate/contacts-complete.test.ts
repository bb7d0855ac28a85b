import { describe, it } from 'node:test';
import { assertFinding, assertPass, check, example, lineOf, withRow } from './gate-fixture.ts';

const champion = 'Customer-side champion';
const sponsor = 'Executive sponsor';
const scheduling = 'Scheduling contact';
const poc = 'Technical POC';
const contacts = (label: string, value: string) => check('contacts-complete', withRow(label, value));

const name = 'Dana Reyes';
const title = 'VP Partnerships';
const email = 'dana.reyes@northwind-partners.io';
const phone = '+1 415 867 2210';

describe('contacts-complete: the champion', () => {
  it('the example passes', () => {
    assertPass(check('contacts-complete', example));
  });

  const lacking: [string, string, RegExp][] = [
    ['name', [title, email, phone].join('; '), /champion's name is missing/],
    ['title', [name, email, phone].join('; '), /champion's title is missing/],
    ['email', [name, title, phone].join('; '), /champion's email is missing/],
    ['phone', [name, title, email].join('; '), /champion's phone is missing/],
  ];
  for (const [part, value, message] of lacking) {
    it(`lacking a ${part} fails`, () => {
      assertFinding(contacts(champion, value), 'fail', { field: champion, line: lineOf(champion), message });
    });
  }

  it('missing altogether fails, listing what to give', () => {
    assertFinding(contacts(champion, '—'), 'fail', {
      field: champion,
      line: lineOf(champion),
      message: /champion is missing: give name, title, email, phone/,
    });
  });

  for (const bad of [
    'dana.reyes@northwind',
    'dana.reyes@@northwind-partners.io',
    'dana@invalid',
    'dana@localhost',
  ]) {
    it(`an invalid email (${bad}) fails`, () => {
      assertFinding(contacts(champion, [name, title, bad, phone].join('; ')), 'fail', {
        field: champion,
        line: lineOf(champion),
        message: new RegExp(`email "${bad.replace(/\./g, '\\.')}" is not a valid address`),
      });
    });
  }

  for (const placeholder of [
    'John Doe',
    'john doe',
    'JANE DOE',
    'Jane Doe',
    'Test User',
    'test user',
    'First Last',
  ]) {
    it(`the placeholder name "${placeholder}" fails`, () => {
      assertFinding(contacts(champion, [placeholder, title, email, phone].join('; ')), 'fail', {
        field: champion,
        line: lineOf(champion),
        message: new RegExp(`name "${placeholder}" is a placeholder`),
      });
    });
  }

  for (const [domain, reported] of [
    ['example.com', 'example.com'],
    ['EXAMPLE.COM', 'example.com'],
    ['mail.example.com', 'example.com'],
    ['example.org', 'example.org'],
    ['example.net', 'example.net'],
    ['test.com', 'test.com'],
    ['northwind.invalid', 'invalid'],
    ['mail.localhost', 'localhost'],
  ] as const) {
    it(`an email at ${domain} fails as a placeholder domain`, () => {
      const address = `dana@${domain}`;
      assertFinding(contacts(champion, [name, title, address, phone].join('; ')), 'fail', {
        field: champion,
        line: lineOf(champion),
        message: new RegExp(
          `email "${address.replace(/\./g, '\\.')}" is at ${reported.replace(/\./g, '\\.')}, a placeholder domain`,
        ),
      });
    });
  }

  for (const placeholder of ['555-0100', '+1 415 555 0100', '(415) 555-0123', '555-1212', '000-0000']) {
    it(`the placeholder phone ${placeholder} fails`, () => {
      assertFinding(contacts(champion, [name, title, email, placeholder].join('; ')), 'fail', {
        field: champion,
        line: lineOf(champion),
        message: /is a placeholder number/,
      });
    });
  }

  it('a real 555 number outside 555-0100..0199 passes', () => {
    assertPass(contacts(champion, [name, title, email, '+1 415 555 0200'].join('; ')));
  });

  it('placeholder text in the whole value fails', () => {
    assertFinding(contacts(champion, 'TBD'), 'fail', {
      field: champion,
      line: lineOf(champion),
      message: /placeholder text \("TBD"\)/,
    });
  });
});

describe('contacts-complete: the executive sponsor', () => {
  it('lacking a title fails', () => {
    assertFinding(contacts(sponsor, 'Sam Okafor'), 'fail', {
      field: sponsor,
      line: lineOf(sponsor),
      message: /executive sponsor's title is missing/,
    });
  });

  it('lacking a name fails', () => {
    assertFinding(contacts(sponsor, 'Chief Revenue Officer'), 'fail', {
      field: sponsor,
      line: lineOf(sponsor),
      message: /executive sponsor's name is missing \("Chief Revenue Officer" reads as a title\)/,
    });
  });

  it('a placeholder name fails', () => {
    assertFinding(contacts(sponsor, 'Jane Doe; CEO'), 'fail', {
      field: sponsor,
      line: lineOf(sponsor),
      message: /name "Jane Doe" is a placeholder/,
    });
  });
});

describe('contacts-complete: the scheduling contact', () => {
  it('name and phone only passes', () => {
    assertPass(contacts(scheduling, 'Priya Nair; +1 415 867 2211'));
  });

  it('name and email only passes (the example)', () => {
    assertPass(contacts(scheduling, 'Priya Nair; priya.nair@northwind-partners.io'));
  });

  it('a name only fails: no way to reach them', () => {
    assertFinding(contacts(scheduling, 'Priya Nair'), 'fail', {
      field: scheduling,
      line: lineOf(scheduling),
      message: /scheduling contact's email or phone is missing/,
    });
  });

  it('an email only fails: no name', () => {
    assertFinding(contacts(scheduling, 'priya.nair@northwind-partners.io'), 'fail', {
      field: scheduling,
      line: lineOf(scheduling),
      message: /scheduling contact's name is missing/,
    });
  });

  it('a placeholder phone (555-0100) fails', () => {
    assertFinding(contacts(scheduling, 'Priya Nair; 555-0100'), 'fail', {
      field: scheduling,
      line: lineOf(scheduling),
      message: /phone "555-0100" is a placeholder number/,
    });
  });
});

describe('contacts-complete: the optional technical POC', () => {
  it('incomplete is review, not fail', () => {
    assertFinding(contacts(poc, 'Lee Park; lee.park@northwind-partners.io'), 'review', {
      field: poc,
      line: lineOf(poc),
      message: /technical POC's title is missing/,
    });
  });

  it('left out ("—") passes', () => {
    assertPass(contacts(poc, '—'));
  });
});
