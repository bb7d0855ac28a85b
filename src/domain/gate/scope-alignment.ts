import { fieldView, finding, quote } from './field-access.ts';
import type { GateRule, RuleFinding } from './types.ts';

/**
 * "No deviations", "None.", "Standard scope", "As per SOW": the field says there is none, in words that the
 * packet's blank ("N/A", "-") does not cover. Anything more ("none, except ...") is a deviation.
 */
const noDeviation = new RegExp(
  [
    '^(?:no|none|nil|nothing|zero)',
    '(?: (?:scope )?(?:deviations?|changes?|differences?|exceptions?))?',
    '(?: (?:from|to) (?:the )?(?:standard )?(?:sow|scope|template)(?: template| scope)?)?',
    '(?: (?:noted|stated|promised|agreed|made|identified|requested))?$',
    '|^(?:(?:as )?per (?:the )?|same as (?:the )?|matches (?:the )?)?(?:standard )?(?:sow|scope)(?: scope)?(?: only)?$',
    '|^standard(?: scope| sow)?(?: only)?$',
  ].join(''),
);

function statesNoDeviation(text: string): boolean {
  const t = text
    .toLowerCase()
    .replace(/[*_`"]/g, '')
    .replace(/[\s.!]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return noDeviation.test(t);
}

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
      } else if (!input.ceoApproval && !statesNoDeviation(deviation.entry.value)) {
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
