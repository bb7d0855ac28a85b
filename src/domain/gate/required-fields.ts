import { partLabel } from '../packet/index.ts';
import { fieldView, finding, quote } from './field-access.ts';
import type { GateRule, RuleFinding } from './types.ts';

/** Kinds whose unreadable parts are this check's business; the others have a check of their own. */
const ownInvalid = new Set(['choice', 'agreement', 'score', 'ecosystem', 'companySize']);

export const requiredFields: GateRule = {
  id: 'required-fields',
  title: 'All required fields populated',
  run(input) {
    const out: RuleFinding[] = [];
    for (const section of input.playbook.sections) {
      for (const def of section.fields) {
        const view = fieldView(input, def.id);
        const { entry, reading } = view;
        const severity = def.required ? 'fail' : 'review';
        if (!entry || !reading) {
          if (def.required)
            out.push(finding(view, 'fail', `${def.label} is missing; add it under "${section.title}"`));
          continue;
        }
        if (reading.notApplicable) {
          if (def.required)
            out.push(
              finding(
                view,
                'fail',
                `${def.label} is blank; it is required, so "N/A" or "-" is not an answer`,
              ),
            );
          continue;
        }
        if (reading.placeholder) {
          out.push(
            finding(
              view,
              severity,
              def.required
                ? `${def.label} still has placeholder text ${quote(reading.placeholder)}; fill in the real value`
                : `${def.label} has placeholder text ${quote(reading.placeholder)}; fill it in or write N/A`,
            ),
          );
          continue;
        }
        if (reading.missing.length > 0 && def.kind !== 'text') {
          const parts = reading.missing.map((m) => partLabel(def, m)).join(', ');
          out.push(
            finding(
              view,
              severity,
              `${def.label} lacks the ${parts}; parts are separated by ";" (e.g. ${def.example || def.description})`,
            ),
          );
        }
        if (ownInvalid.has(def.kind)) {
          for (const bad of reading.invalid)
            out.push(finding(view, severity, `${def.label}: ${bad.message}`));
        }
      }
    }
    const modules = fieldView(input, 'modulesIncluded');
    const rationale = fieldView(input, input.playbook.modules.rationaleField);
    const included = modules.reading?.modules;
    if (
      modules.filled &&
      included &&
      included.length > 0 &&
      included.length < input.playbook.modules.standardCount &&
      !rationale.filled
    ) {
      out.push(
        finding(
          modules,
          'fail',
          `only ${included.length} of the ${input.playbook.modules.standardCount} standard modules are included and "${rationale.def.label}" gives no rationale for the others`,
        ),
      );
    }
    const guarantee = fieldView(input, 'satisfactionGuarantee');
    if (guarantee.filled && guarantee.reading?.parts.choice === 'No') {
      out.push(
        finding(
          guarantee,
          'review',
          'the customer has not acknowledged the 14-day satisfaction guarantee (SOW Section 6); confirm they will be told before delivery',
        ),
      );
    }
    for (const dup of input.packet.duplicates) {
      const first = input.packet.fields[dup.fieldId];
      if (first && first.value.trim() !== dup.value.trim()) {
        const view = fieldView(input, dup.fieldId);
        out.push({
          ...finding(
            view,
            'review',
            `${view.def.label} is given twice with different values (lines ${first.line} and ${dup.line}); keep the right one`,
          ),
          line: dup.line,
        });
      }
    }
    return out;
  },
};
