import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Temporal } from 'temporal-polyfill';
import { businessCalendar } from '../../../src/domain/calendar/index.ts';
import type {
  CheckResult,
  FileProbe,
  GateCheckId,
  GateInput,
  GateResult,
} from '../../../src/domain/gate/index.ts';
import { gateRules, runGate } from '../../../src/domain/gate/index.ts';
import type { Packet } from '../../../src/domain/packet/index.ts';
import { parsePacket } from '../../../src/domain/packet/index.ts';
import { builtInPlaybook } from '../../../src/domain/playbook/index.ts';

export const playbook = builtInPlaybook();
export const calendar = businessCalendar(playbook.calendar);

/** The spec's full example packet (docs: packet-format.md). */
export const example = readFileSync(
  new URL('../../fixtures/SOW-2026-014-handoff-packet.md', import.meta.url),
  'utf8',
);

/** The day after payment in the example, 10:00 in New York. Never the real clock. */
export const submittedAt = Temporal.Instant.from('2026-05-14T14:00:00Z');

/** A probe under which every path is a non-empty file. */
export const allFiles: FileProbe = () => ({ kind: 'file', size: 10 });

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The 1-based line of the example (or of `text`) whose table row has this label. */
export function lineOf(label: string, text = example): number {
  const re = new RegExp(`^\\| ${escapeRegExp(label)} \\|`);
  const index = text.split('\n').findIndex((l) => re.test(l));
  assert.ok(index >= 0, `no row "${label}" in the packet`);
  return index + 1;
}

/** The 1-based line of the `##` heading that contains `title`. */
export function headingLine(title: string, text = example): number {
  const index = text.split('\n').findIndex((l) => l.startsWith('## ') && l.includes(title));
  assert.ok(index >= 0, `no heading "${title}" in the packet`);
  return index + 1;
}

/** The example with one table row's value replaced (the row must exist). */
export function withRow(label: string, value: string, text = example): string {
  const re = new RegExp(`^\\| ${escapeRegExp(label)} \\|.*$`, 'm');
  assert.match(text, re, `no row "${label}" in the packet`);
  return text.replace(re, () => `| ${label} | ${value} |`);
}

/** The example with several rows replaced. */
export function withRows(values: Record<string, string>, text = example): string {
  return Object.entries(values).reduce((t, [label, value]) => withRow(label, value, t), text);
}

/** The example without a table row. */
export function withoutRow(label: string, text = example): string {
  const re = new RegExp(`^\\| ${escapeRegExp(label)} \\|.*\\n`, 'm');
  assert.match(text, re, `no row "${label}" in the packet`);
  return text.replace(re, '');
}

export function parse(text: string): Packet {
  const parsed = parsePacket(text, playbook);
  if (!parsed.ok)
    assert.fail(`the packet does not parse: ${parsed.error.message} (line ${parsed.error.line})`);
  return parsed.packet;
}

export function gateInput(text: string, overrides: Partial<GateInput> = {}): GateInput {
  return { packet: parse(text), playbook, calendar, submittedAt, files: allFiles, ...overrides };
}

export function gate(text: string, overrides: Partial<GateInput> = {}): GateResult {
  return runGate(gateInput(text, overrides));
}

/** Runs one check alone, as runGate would report it. */
export function check(id: GateCheckId, text: string, overrides: Partial<GateInput> = {}): CheckResult {
  const result = gate(text, overrides).checks.find((c) => c.id === id);
  assert.ok(result, `no check ${id}`);
  return result;
}

export const ruleIds = gateRules.map((r) => r.id);

/** Asserts a check's status, with its findings in the failure message. */
export function assertStatus(result: CheckResult, status: CheckResult['status']): void {
  assert.equal(
    result.status,
    status,
    `${result.id}: expected ${status}, got ${result.status}: ${JSON.stringify(result.findings, null, 2)}`,
  );
}

/**
 * Asserts the check has the status and a finding on `field` at `line` whose message matches every pattern;
 * returns that finding.
 */
export function assertFinding(
  result: CheckResult,
  status: 'fail' | 'review',
  expected: { field: string; line: number; message: RegExp | RegExp[] },
): CheckResult['findings'][number] {
  assertStatus(result, status);
  const patterns = Array.isArray(expected.message) ? expected.message : [expected.message];
  const hit = result.findings.find(
    (f) => f.field === expected.field && f.line === expected.line && patterns.every((p) => p.test(f.message)),
  );
  assert.ok(
    hit,
    `${result.id}: no finding on "${expected.field}" line ${expected.line} matching ${patterns.join(' and ')}; got ${JSON.stringify(result.findings, null, 2)}`,
  );
  return hit;
}

/** Asserts the check passes with no findings. */
export function assertPass(result: CheckResult): void {
  assertStatus(result, 'pass');
  assert.deepEqual(result.findings, []);
}
