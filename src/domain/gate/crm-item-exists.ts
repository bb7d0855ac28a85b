import { fieldView, finding, quote } from './field-access.ts';
import type { GateRule } from './types.ts';

export const crmItemExists: GateRule = {
  id: 'crm-item-exists',
  title: 'Monday.com item exists',
  run(input) {
    const view = fieldView(input, 'dealId');
    const { reading } = view;
    if (!view.entry || !reading || reading.notApplicable) {
      return [finding(view, 'fail', 'the monday.com deal ID is missing: give the item id or its URL')];
    }
    if (reading.placeholder)
      return [finding(view, 'fail', `the deal ID is placeholder text ${quote(reading.placeholder)}`)];
    const item = reading.parts.item;
    if (!item) {
      const why =
        reading.invalid[0]?.message ?? `${quote(view.entry.value)} is not a monday.com item id or URL`;
      return [finding(view, 'fail', why)];
    }
    const crm = input.crm;
    if (!crm)
      return [
        finding(
          view,
          'review',
          `monday.com is not configured, so item ${item} cannot be looked up; confirm it exists on the revenue board with the right status`,
        ),
      ];
    if (crm.kind === 'missing')
      return [
        finding(
          view,
          'fail',
          `monday.com has no item ${item}; create the deal on the revenue board or fix the ID`,
        ),
      ];
    if (crm.kind === 'unreachable')
      return [
        finding(
          view,
          'review',
          `monday.com could not be reached (${crm.reason}); confirm item ${item} exists`,
        ),
      ];
    if (!crm.expectedStatuses.some((s) => s.toLowerCase() === crm.status.toLowerCase())) {
      return [
        finding(
          view,
          'fail',
          `monday.com item ${item} has status "${crm.status}"; expected ${crm.expectedStatuses.map((s) => `"${s}"`).join(' or ')}`,
        ),
      ];
    }
    return [];
  },
};
