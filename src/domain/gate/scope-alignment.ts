import { fieldView, finding, quote } from './field-access.ts';
import type { GateRule, RuleFinding } from './types.ts';

export const scopeAlignment: GateRule = {
  id: 'scope-alignment',
  title: 'Scope alignment',
  run(input) {
    const out: RuleFinding[] = [];
    const names = input.playbook.modules.names;
    const modules = fieldView(input, 'modulesIncluded');
    if (modules.filled && modules.reading) {
      for (const unknown of modules.reading.unknownModules ?? []) {
        out.push(
          finding(modules, 'fail', `${quote(unknown)} is not one of the SOW's domains (${names.join(', ')})`),
        );
      }
      if (
        (modules.reading.modules ?? []).length === 0 &&
        (modules.reading.unknownModules ?? []).length === 0
      ) {
        out.push(finding(modules, 'fail', `no module is named; include ${names.join(', ')} or "All 3"`));
      }
    }
    const deviation = fieldView(input, 'scopeDeviations');
    if (deviation.entry && deviation.reading && !deviation.reading.notApplicable) {
      if (deviation.reading.placeholder) {
        out.push(
          finding(
            deviation,
            'review',
            `scope deviations say ${quote(deviation.entry.value)}; state the deviation or write N/A`,
          ),
        );
      } else if (!input.ceoApproval) {
        out.push(
          finding(
            deviation,
            'fail',
            `a scope deviation is stated (${quote(deviation.entry.value)}); it needs the CEO's approval on record in baton (approve-deviation, ceo only). Approval written in the packet does not count`,
          ),
        );
      }
    }
    return out;
  },
};
