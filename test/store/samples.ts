import type { Actor, NewEffect, NewEvent } from '../../src/store/index.ts';

export const salesOps: Actor = { role: 'sales.ops', name: 'Dana Reyes', via: 'cli', onBehalfOf: 'cro' };

/** The n-th minute after 2026-05-14T14:00Z, in the exact format the store wants. */
export function minute(n: number): string {
  return new Date(Date.UTC(2026, 4, 14, 14, n)).toISOString();
}

/** A handoff-like event; `n` varies the data. */
export function sampleEvent(n: number, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    type: n === 1 ? 'handoff.opened' : 'handoff.advanced',
    data: { step: n, state: `state-${n}`, due: minute(60 + n), checks: { passed: 8, failed: 0 } },
    personal: { contact: 'Jordan Smith', email: 'jordan@example.com' },
    actor: salesOps,
    at: minute(n),
    ...overrides,
  };
}

export function sampleEffect(stream: string, version: number, kind = 'slack'): NewEffect {
  return { id: `${stream}:${version}:${kind}`, kind, payload: { stream, version, text: `step ${version}` } };
}
