import type { Playbook } from '../playbook/index.ts';
import { fieldView, finding, quote } from './field-access.ts';
import type { GateRule, RuleFinding } from './types.ts';
import {
  clausesOf,
  compilePhrase,
  compileVocabulary,
  findVocabularyIn,
  namesVocabulary,
} from './vocabulary.ts';

const compiled = new WeakMap<Playbook, ReturnType<typeof compileAll>>();
function compileAll(playbook: Playbook) {
  const e = playbook.expectations;
  const phrases = (list: string[]) => list.map((phrase) => ({ phrase, tokens: compilePhrase(phrase) }));
  return {
    inScope: compileVocabulary(e.inScope),
    outOfScope: compileVocabulary(e.outOfScope),
    negations: { before: phrases(e.negations), after: phrases(e.negationsAfter) },
  };
}

export const expectationAlignment: GateRule = {
  id: 'expectation-alignment',
  title: 'Expectation alignment',
  run(input) {
    const { playbook } = input;
    let vocab = compiled.get(playbook);
    if (!vocab) {
      vocab = compileAll(playbook);
      compiled.set(playbook, vocab);
    }
    const view = fieldView(input, playbook.expectations.field);
    if (!view.filled || !view.entry) {
      return [
        finding(
          view,
          'review',
          `"${view.def.label}" is not filled in, so it cannot be compared with what the Assessment delivers`,
        ),
      ];
    }
    const text = view.entry.value;
    const out: RuleFinding[] = [];
    const seen = new Set<string>();
    const clauses = clausesOf(text);
    for (const hit of findVocabularyIn(clauses, vocab.outOfScope, vocab.negations)) {
      if (hit.negated || seen.has(hit.entry.id)) continue;
      seen.add(hit.entry.id);
      out.push(
        finding(
          view,
          'fail',
          `the customer expects ${hit.entry.label} ("${hit.words}"), which is outside the Assessment; the CRO and customer.success must reset this with the customer`,
        ),
      );
    }
    if (out.length > 0) return out;
    if (!namesVocabulary(clauses, vocab.inScope)) {
      const names = playbook.expectations.inScope.map((e) => e.label).join(', ');
      return [
        finding(
          view,
          'review',
          `${quote(text)} names no Assessment deliverable (${names}); confirm with the CRO what the customer expects to receive`,
        ),
      ];
    }
    return [];
  },
};
