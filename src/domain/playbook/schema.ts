import { z } from 'zod';

/** A value grammar: how a field's text is read into parts. The grammar is code; its vocabulary is data. */
export const fieldKinds = [
  'text',
  'companySize',
  'score',
  'ecosystem',
  'dealId',
  'modules',
  'choice',
  'agreement',
  'sowSigned',
  'payment',
  'contact',
] as const;
export type FieldKind = (typeof fieldKinds)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM (24h), e.g. 17:00');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date, e.g. 2026-12-24');
const nonEmpty = z.string().trim().min(1, 'must not be empty');

const partSchema = z.strictObject({
  id: nonEmpty,
  label: nonEmpty,
  required: z.boolean(),
  /** Allowed values, matched without regard to case. Absent: any text of the part's shape. */
  values: z.array(nonEmpty).optional(),
});

const fieldSchema = z.strictObject({
  id: z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'a camelCase identifier'),
  label: nonEmpty,
  aliases: z.array(nonEmpty).default([]),
  required: z.boolean(),
  kind: z.enum(fieldKinds),
  description: z.string().default(''),
  parts: z.array(partSchema).default([]),
  /** At least one of these parts must be present (for "name; email and/or phone"). */
  requireOneOf: z.array(nonEmpty).default([]),
  /** For `choice`: the allowed answers. For `agreement`: statuses after `Required`. */
  values: z.array(nonEmpty).default([]),
  /** Example shown in a new packet's template. */
  example: z.string().default(''),
});

const sectionSchema = z.strictObject({
  id: z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'a camelCase identifier'),
  number: z.string().default(''),
  title: nonEmpty,
  aliases: z.array(nonEmpty).default([]),
  fields: z.array(fieldSchema).min(1),
});

const vocabularyEntrySchema = z.strictObject({
  id: nonEmpty,
  label: nonEmpty,
  /** Phrases matched on whole words. `*` ends a word prefix (`implement*`); `~` allows up to 3 words between. */
  phrases: z.array(nonEmpty).min(1),
});

const clockSchema = z.strictObject({
  id: z.enum([
    'packetDue',
    'ackDue',
    'remediationDue',
    'kickoffDue',
    'discoveryScheduleDue',
    'misalignmentResolveDue',
  ]),
  label: nonEmpty,
  startsAt: nonEmpty,
  businessDays: z.number().int().min(0).max(60),
  whenMissed: z.string().default(''),
});

const governanceDefaults = {
  sopDelta: { recentHandoffs: 10, checkFailures: 3, clockMisses: 3 },
  chartWeeks: 8,
};

const governanceSchema = z.strictObject({
  /** A pattern in the most recent handoffs drafts an SOP Delta proposal for people to review. */
  sopDelta: z
    .strictObject({
      /** How many of the most recently opened handoffs are looked at ("the last 10"). */
      recentHandoffs: z.number().int().min(1).max(1000).default(10),
      /** The same gate check failing in at least this many of them drafts a proposal ("3 of the last 10"). */
      checkFailures: z.number().int().min(1).default(3),
      /** The same clock missed in at least this many of them drafts a proposal. */
      clockMisses: z.number().int().min(1).default(3),
    })
    .default(governanceDefaults.sopDelta),
  /** Weeks shown in the weekly summary's chart, ending with the summarised week. */
  chartWeeks: z.number().int().min(1).max(52).default(8),
});

/** The placeholders the warm introduction email may use (`{{company}}`); the app fills them in. */
export const introEmailPlaceholders = ['company', 'sow', 'recipients', 'deliveryLead', 'sender'] as const;

/** The CRO's warm introduction of customer.success (SOP Step 5): plain text with `{{placeholder}}`s. */
const introEmailSchema = z
  .strictObject({
    subject: nonEmpty,
    text: nonEmpty,
  })
  .superRefine((t, ctx) => {
    for (const key of ['subject', 'text'] as const)
      for (const m of t[key].matchAll(/\{\{\s*([^}]*?)\s*\}\}/g))
        if (!(introEmailPlaceholders as readonly string[]).includes(m[1] ?? ''))
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `unknown placeholder {{${m[1]}}}; use ${introEmailPlaceholders.map((n) => `{{${n}}}`).join(', ')}`,
          });
  });

export const playbookSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9-]+$/, 'lower-case words joined by -'),
    version: z.string().regex(/^v\d+(\.\d+)*$/, 'a version such as v0 or v1.2'),
    name: nonEmpty,
    paths: z.strictObject({
      packet: z.string().includes('{sow}', { message: 'must contain {sow}' }),
      report: z.string().includes('{sow}', { message: 'must contain {sow}' }),
      incidents: nonEmpty,
      /** Where drafted SOP Delta proposals are filed (Section 7: patterns across deals). */
      sopDeltas: nonEmpty.default('operations/sop-deltas'),
      /** Where `baton weekly-summary` writes its section and chart unless told otherwise. */
      weeklySummaries: nonEmpty.default('operations/governance/weekly'),
    }),
    sections: z.array(sectionSchema).min(1),
    modules: z.strictObject({
      names: z.array(nonEmpty).min(1),
      /** Ways of writing "all of them". */
      all: z.array(nonEmpty).default([]),
      /** Fewer modules than this need a rationale in `rationaleField`. */
      standardCount: z.number().int().min(1),
      rationaleField: nonEmpty,
    }),
    expectations: z.strictObject({
      field: nonEmpty,
      inScope: z.array(vocabularyEntrySchema).min(1),
      outOfScope: z.array(vocabularyEntrySchema).min(1),
      /** Words that, shortly before an out-of-scope phrase, say the customer does not expect it. */
      negations: z.array(nonEmpty).default([]),
      /** Phrases that, shortly after an out-of-scope phrase, say it is excluded ("implementation is out of scope"). */
      negationsAfter: z.array(nonEmpty).default([]),
    }),
    placeholders: z.strictObject({
      /** Regular expressions (case-insensitive) for a value, or a part of one, that is not filled in. */
      values: z.array(nonEmpty).min(1),
      /** Contact names that are placeholders, compared without case. */
      names: z.array(nonEmpty).default([]),
      /** Email domains (and their subdomains) reserved for examples and tests. */
      emailDomains: z.array(nonEmpty).default([]),
      /** Regular expressions for phone numbers that are not real (digits only are compared). */
      phones: z.array(nonEmpty).default([]),
      /** Cell text meaning "not applicable"; a blank for a required field. */
      notApplicable: z.array(z.string()).default([]),
    }),
    calendar: z.strictObject({
      timeZone: nonEmpty,
      closeOfBusiness: hhmm,
      startOfBusiness: hhmm,
      holidays: z.strictObject({
        region: nonEmpty,
        dates: z.array(isoDate).default([]),
        workdays: z.array(isoDate).default([]),
      }),
    }),
    clocks: z.array(clockSchema).min(1),
    timeline: z.strictObject({
      /** SOW Section 4: discovery within this many business days of SOW execution. */
      discoveryWithinBusinessDaysOfSow: z.number().int().min(0),
      /** Minimum business days from discovery to readout. */
      minBusinessDaysDiscoveryToReadout: z.number().int().min(0),
    }),
    payment: z.strictObject({
      confirmed: z.array(nonEmpty).min(1),
      blocking: z.array(nonEmpty).min(1),
    }),
    escalation: z.strictObject({
      /** The n-th gate failure of one handoff escalates to the Chief of Staff with a SEV2 incident. */
      gateFailuresBeforeEscalation: z.number().int().min(1),
      /** Business days an escalation's owners have to resolve it before it is marked overdue. */
      resolveWithinBusinessDays: z.number().int().min(0),
    }),
    /** Section 9 (the Chief of Staff's metrics) and Section 7 (SOP Delta drafts); absent: the defaults. */
    governance: governanceSchema.default(governanceDefaults),
    /** Section 8: archives kept for the life of the customer relationship plus this many years. */
    retention: z
      .strictObject({
        yearsAfterRelationshipEnds: z.number().int().min(0).max(100).default(2),
      })
      .default({ yearsAfterRelationshipEnds: 2 }),
    /** The warm introduction email's template; absent: no template, the introduction is only recorded. */
    introEmail: introEmailSchema.optional(),
  })
  .superRefine((p, ctx) => {
    const fieldIds = new Set<string>();
    p.sections.forEach((s, si) => {
      s.fields.forEach((f, fi) => {
        if (fieldIds.has(f.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', si, 'fields', fi, 'id'],
            message: `duplicate field id ${f.id}`,
          });
        }
        fieldIds.add(f.id);
        for (const id of f.requireOneOf) {
          if (!f.parts.some((part) => part.id === id)) {
            ctx.addIssue({
              code: 'custom',
              path: ['sections', si, 'fields', fi, 'requireOneOf'],
              message: `no part ${id}`,
            });
          }
        }
      });
    });
    for (const key of ['rationaleField'] as const) {
      if (!fieldIds.has(p.modules[key])) {
        ctx.addIssue({
          code: 'custom',
          path: ['modules', key],
          message: `no field with id ${p.modules[key]}`,
        });
      }
    }
    for (const key of ['checkFailures', 'clockMisses'] as const) {
      if (p.governance.sopDelta[key] > p.governance.sopDelta.recentHandoffs) {
        ctx.addIssue({
          code: 'custom',
          path: ['governance', 'sopDelta', key],
          message: `must not exceed recentHandoffs (${p.governance.sopDelta.recentHandoffs}): a pattern is counted within them`,
        });
      }
    }
    if (!fieldIds.has(p.expectations.field)) {
      ctx.addIssue({
        code: 'custom',
        path: ['expectations', 'field'],
        message: `no field with id ${p.expectations.field}`,
      });
    }
    p.placeholders.values.forEach((source, i) => {
      try {
        new RegExp(source, 'iu');
      } catch (e) {
        ctx.addIssue({
          code: 'custom',
          path: ['placeholders', 'values', i],
          message: `not a regular expression: ${(e as Error).message}`,
        });
      }
    });
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: p.calendar.timeZone });
    } catch {
      ctx.addIssue({
        code: 'custom',
        path: ['calendar', 'timeZone'],
        message: `unknown time zone ${p.calendar.timeZone}`,
      });
    }
  });

export type Playbook = z.infer<typeof playbookSchema>;
export type PlaybookSection = Playbook['sections'][number];
export type PlaybookField = PlaybookSection['fields'][number];
export type PlaybookPart = PlaybookField['parts'][number];
export type VocabularyEntry = Playbook['expectations']['inScope'][number];
export type ClockId = Playbook['clocks'][number]['id'];
