import type { Playbook } from '../../domain/playbook/index.ts';
import { colours, type Io } from './output.ts';

export function printPlaybook(io: Io, playbook: Playbook): void {
  const c = colours(io);
  const lines = [
    c.bold(`${playbook.id} ${playbook.version}`),
    playbook.name,
    '',
    `packet: <root>/${playbook.paths.packet}`,
    `report: <root>/${playbook.paths.report}`,
    '',
  ];
  for (const s of playbook.sections) {
    lines.push(c.bold(`${s.number} ${s.title}`.trim()));
    for (const f of s.fields) {
      const parts =
        f.parts.length > 0
          ? ` [${f.parts.map((p) => `${p.label}${p.required ? '' : '?'}${p.values ? `: ${p.values.join('/')}` : ''}`).join('; ')}]`
          : '';
      const values = f.values.length > 0 ? ` (${f.values.join(' / ')})` : '';
      lines.push(`  ${f.required ? '*' : ' '} ${f.label}${values}${parts}`);
    }
    lines.push('');
  }
  lines.push(
    c.dim('* required'),
    '',
    c.bold('modules'),
    `  ${playbook.modules.names.join(', ')} (standard: ${playbook.modules.standardCount})`,
    '',
  );
  lines.push(c.bold('clocks (business days)'));
  for (const k of playbook.clocks)
    lines.push(
      `  ${k.label.padEnd(30)} ${String(k.businessDays).padStart(2)} from ${k.startsAt}${k.whenMissed ? `; missed: ${k.whenMissed}` : ''}`,
    );
  const cal = playbook.calendar;
  lines.push(
    '',
    c.bold('calendar'),
    `  ${cal.timeZone}, business hours ${cal.startOfBusiness}-${cal.closeOfBusiness}, holidays: ${cal.holidays.region}${cal.holidays.dates.length ? ` + ${cal.holidays.dates.join(', ')}` : ''}`,
  );
  lines.push(
    '',
    c.bold('timeline'),
    `  discovery within ${playbook.timeline.discoveryWithinBusinessDaysOfSow} business days of SOW signing; readout at least ${playbook.timeline.minBusinessDaysDiscoveryToReadout} business days after discovery`,
  );
  io.out(`${lines.join('\n')}\n`);
}
