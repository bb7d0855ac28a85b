import { incidentFileFor, renderIncident } from '../domain/escalation/index.ts';
import { sowPath } from '../domain/packet/index.ts';
import type { Playbook } from '../domain/playbook/index.ts';
import { type HandoffEvent, type HandoffState, renderHandoffReport } from '../domain/workflow/index.ts';
import type { NewEffect } from '../store/index.ts';
import { reportArchiveFiles } from './archive.ts';

/** Effect kinds carried out on the knowledge root (the rest are integrations', added by them). */
export type FileEffect = { path: string; content: string; removeFrom?: string };

const reportEvents = new Set([
  'PacketSubmitted',
  'PacketRejected',
  'PacketAcknowledged',
  'ReviewAttested',
  'PersonalDataPurged',
]);

/** Extra effects for a decision (notifications), contributed by integrations. */
export type EffectPlanner = (events: HandoffEvent[], after: HandoffState, playbook: Playbook) => NewEffect[];

/**
 * The side effects of one decision: the 6C report rewritten when the review changes, incident files
 * written when filed and moved to closed/ when resolved. Ids are derived from the stream version, so a
 * retry of the same decision is the same effect.
 */
export function fileEffects(events: HandoffEvent[], after: HandoffState, playbook: Playbook): NewEffect[] {
  const sow = after.sow;
  if (!sow) return [];
  const effects: NewEffect[] = [];
  const packetPath = sowPath(playbook.paths.packet, sow);
  if (events.some((e) => reportEvents.has(e.type)) && after.submissions.length > 0) {
    const report = renderHandoffReport(after);
    effects.push({
      id: `${sow}:${after.version}:report`,
      kind: 'file.write',
      payload: { path: sowPath(playbook.paths.report, sow), content: report },
    });
    // Section 8: every version of the report stays in the archive with its hash (the packet's are frozen at submission).
    if (!events.some((e) => e.type === 'PersonalDataPurged'))
      reportArchiveFiles(playbook, sow, after.version, report).forEach((file, i) => {
        effects.push({
          id: `${sow}:${after.version}:report-archive:${i}`,
          kind: 'file.write',
          payload: { path: file.path, content: file.content },
        });
      });
  }
  for (const event of events) {
    if (event.type !== 'IncidentFiled' && event.type !== 'IncidentClosed') continue;
    const id = event.data.id as string;
    const file = incidentFileFor(after, id, packetPath);
    const incident = after.incidents.find((i) => i.id === id);
    if (!file || !incident) continue;
    const payload: FileEffect = { path: incident.path, content: renderIncident(file) };
    if (event.type === 'IncidentClosed') payload.removeFrom = incident.path.replace('/closed/', '/open/');
    effects.push({
      id: `${sow}:${after.version}:incident:${id}`,
      kind: 'file.write',
      payload: { ...payload },
    });
  }
  return effects;
}
