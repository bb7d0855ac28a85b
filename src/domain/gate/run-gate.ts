import { contactsComplete } from './contacts-complete.ts';
import { crmItemExists } from './crm-item-exists.ts';
import { expectationAlignment } from './expectation-alignment.ts';
import { paymentConfirmed } from './payment-confirmed.ts';
import { requiredFields } from './required-fields.ts';
import { scopeAlignment } from './scope-alignment.ts';
import { sowAccessible } from './sow-accessible.ts';
import { timelineAlignment } from './timeline-alignment.ts';
import type { CheckResult, CheckStatus, GateCheckId, GateInput, GateResult, GateRule } from './types.ts';

/** The SOP's eight checks, in the SOP's order. */
export const gateRules: readonly GateRule[] = [
  requiredFields,
  sowAccessible,
  paymentConfirmed,
  timelineAlignment,
  scopeAlignment,
  expectationAlignment,
  contactsComplete,
  crmItemExists,
];

/**
 * Runs every check. The verdict is `fail` when a check fails, `review` when a check needs a person and has
 * no attestation, else `pass`. Attested reviews count as passed for the verdict; their status stays `review`.
 */
export function runGate(input: GateInput, attested: ReadonlySet<GateCheckId> = new Set()): GateResult {
  const checks: CheckResult[] = gateRules.map((rule) => {
    const found = rule.run(input);
    const status: CheckStatus = found.some((f) => f.status === 'fail')
      ? 'fail'
      : found.length > 0
        ? 'review'
        : 'pass';
    const findings = found.map(({ field, line, message }) => ({ field, line, message }));
    return { id: rule.id, title: rule.title, status, findings };
  });
  const verdict: CheckStatus = checks.some((c) => c.status === 'fail')
    ? 'fail'
    : checks.some((c) => c.status === 'review' && !attested.has(c.id))
      ? 'review'
      : 'pass';
  return { verdict, checks };
}
