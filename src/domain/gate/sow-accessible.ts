import { fieldView, finding, quote } from './field-access.ts';
import type { GateRule, RuleFinding } from './types.ts';

/** The SOP writes paths from the knowledge root as `/Claude/...`; both that and a relative path mean "under the root". */
export function rootRelative(link: string): string {
  return link.replace(/^\/?Claude\//i, '').replace(/^\.\//, '');
}

export const sowAccessible: GateRule = {
  id: 'sow-accessible',
  title: 'SOW copy accessible',
  run(input) {
    const view = fieldView(input, 'sowSigned');
    const { reading } = view;
    if (!view.entry || !reading || reading.notApplicable)
      return [
        finding(view, 'fail', 'no SOW is given: write "date signed; version; link to the executed copy"'),
      ];
    if (reading.placeholder)
      return [finding(view, 'fail', `the SOW line still has placeholder text ${quote(reading.placeholder)}`)];
    const out: RuleFinding[] = [];
    if (!reading.parts.date)
      out.push(finding(view, 'fail', 'the date the SOW was signed is missing (e.g. 2026-05-12)'));
    if (!reading.parts.version) out.push(finding(view, 'fail', 'the SOW version is missing (e.g. v0.1)'));
    const link = reading.parts.link;
    if (!link) {
      out.push(
        finding(
          view,
          'fail',
          'the link to the executed SOW is missing: give its path under the knowledge root, e.g. legal/sow/SOW-2026-014-executed.pdf',
        ),
      );
      return out;
    }
    if (/^https:\/\//i.test(link)) {
      out.push(
        finding(
          view,
          'review',
          `the SOW is a web link (${link}) that cannot be opened from here; confirm it opens the executed copy`,
        ),
      );
      return out;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(link)) {
      out.push(
        finding(
          view,
          /^http:/i.test(link) ? 'review' : 'fail',
          `the SOW link ${quote(link)} is not a path under the knowledge root nor an https link`,
        ),
      );
      return out;
    }
    const probe = input.files(rootRelative(link));
    if (probe.kind === 'outside-root')
      out.push(
        finding(
          view,
          'fail',
          `the SOW link ${quote(link)} points outside the knowledge root (${probe.reason}); file the executed copy under the root`,
        ),
      );
    else if (probe.kind === 'missing')
      out.push(
        finding(
          view,
          'fail',
          `there is no file at ${quote(link)} under the knowledge root; file the executed SOW there or fix the path`,
        ),
      );
    else if (probe.kind === 'directory')
      out.push(finding(view, 'fail', `${quote(link)} is a folder; link the executed SOW file itself`));
    else if (probe.size === 0) out.push(finding(view, 'fail', `the SOW file ${quote(link)} is empty`));
    return out;
  },
};
