import type { GateReport } from '../../app/gate-packet.ts';
import { colours, type Io } from './output.ts';

/** The readable report: a line per check, its findings under it, then the diagnostics. */
export function printGateReport(io: Io, report: GateReport): void {
  const c = colours(io);
  const badge = { pass: c.green('pass  '), fail: c.red('FAIL  '), review: c.yellow('review') };
  const verdict = { pass: c.green('PASS'), fail: c.red('FAIL'), review: c.yellow('REVIEW') }[report.verdict];
  const lines = [`${c.bold(report.sow)}  ${report.file}`, `verdict: ${verdict}`, ''];
  for (const check of report.checks) {
    lines.push(`  ${badge[check.status]}  ${check.id.padEnd(22)} ${c.dim(check.title)}`);
    for (const f of check.findings)
      lines.push(`            line ${String(f.line).padStart(3)}  ${c.bold(f.field)}: ${f.message}`);
  }
  if (report.diagnostics.length > 0) {
    lines.push('', 'diagnostics:');
    for (const d of report.diagnostics) {
      lines.push(
        `  line ${String(d.line).padStart(3)}  ${d.severity === 'error' ? c.red('error  ') : c.yellow('warning')}  ${d.message}`,
      );
    }
  }
  if (report.verdict === 'review') {
    lines.push('', c.dim('review: customer.success must attest each review check before acknowledging.'));
  }
  io.out(`${lines.join('\n')}\n`);
}
