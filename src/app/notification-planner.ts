/**
 * Turns workflow events into notification effects: Slack posts (the SOP's Rule 6 message, rejections,
 * acknowledgements, scheduling, and what needs the Chief of Staff), monday.com updates (status and owner at
 * submission, the discovery date at scheduling) and the warm introduction email. Each integration that is
 * not configured gets a `notification.log` effect with the same content instead, so nothing is lost and
 * the default install works with no accounts. Effect ids are `<SOW>:<event version>:<integration>`, so
 * planning the same decision again gives the same effects.
 */
import { readFileSync } from 'node:fs';
import { Temporal } from 'temporal-polyfill';
import { parsePacket } from '../domain/packet/index.ts';
import type { Playbook } from '../domain/playbook/index.ts';
import type { HandoffEvent, HandoffState, Role } from '../domain/workflow/index.ts';
import { renderEmail } from '../integrations/email/intro-email.ts';
import { pathUnderRoot } from '../integrations/files/root-files.ts';
import {
  acknowledgementMessage,
  attentionMessage,
  discoveryScheduledMessage,
  rejectionMessage,
  type SlackMessage,
  submissionMessage,
} from '../integrations/slack/messages.ts';
import type { NewEffect } from '../store/index.ts';
import type { EffectPlanner } from './effects.ts';
import { defaultSlackChannel, type IntegrationsConfig } from './integrations-config.ts';

/** The kind of the effects that go to the embedded notification log. */
export const notificationLogKind = 'notification.log';

/** Clocks whose miss the Chief of Staff is told of (handoff-rules.md, Business-day clocks). */
const chiefOfStaffClocks = new Set(['packetDue', 'ackDue', 'remediationDue']);

export interface SlackPostPayload {
  [key: string]: unknown;
  channel: string;
  text: string;
  blocks: SlackMessage['blocks'];
}

export interface MondayUpdatePayload {
  [key: string]: unknown;
  boardId: string;
  itemId: string;
  columnValues: Record<string, unknown>;
  addPeople?: { columnId: string; personIds: number[] };
}

export interface EmailPayload {
  [key: string]: unknown;
  to: { name: string; email: string }[];
  cc: { name: string; email: string }[];
  replyTo?: { name: string; email: string };
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface LogPayload {
  [key: string]: unknown;
  integration: 'slack' | 'monday' | 'email';
  /** The effect kind it stands in for. */
  kind: string;
  summary: string;
  message: Record<string, unknown>;
}

/** What the planner needs from the packet: read from the frozen copy of the submission in question. */
interface PacketFacts {
  company: string | undefined;
  itemId: string | undefined;
}

const unescapeMrkdwn = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function firstLine(text: string): string {
  return unescapeMrkdwn(text.split('\n')[0] ?? '').slice(0, 300);
}

/** The part of the From address after @, for Message-IDs (`baton.invalid` when there is none). */
function mailDomain(from: string | undefined): string {
  const match = from ? /@([A-Za-z0-9.-]+)>?\s*$/.exec(from) : null;
  return match?.[1] ?? 'baton.invalid';
}

function names(list: readonly string[]): string {
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

export function notificationPlanner(config: IntegrationsConfig, root: string): EffectPlanner {
  /** The configured people with these roles, in the order of the roles. */
  const peopleWithRoles = (roles: readonly string[]) =>
    roles.flatMap((role) => Object.entries(config.people).filter(([, p]) => p.role === role));
  const displayName = (name: string) => config.people[name]?.displayName ?? name;

  return (events: HandoffEvent[], after: HandoffState, playbook: Playbook): NewEffect[] => {
    const sow = after.sow;
    if (!sow) return [];
    const effects: NewEffect[] = [];
    const dashboardUrl = `${config.publicUrl}/handoffs/${sow}`;
    const firstVersion = after.version - events.length + 1;
    const slackChannel = config.slack?.channel ?? defaultSlackChannel;

    const factsCache = new Map<number, PacketFacts>();
    const factsOf = (submission: number | undefined): PacketFacts => {
      const record = after.submissions.find((s) => s.n === submission) ?? after.submissions.at(-1);
      const key = record?.n ?? 0;
      const known = factsCache.get(key);
      if (known) return known;
      let facts: PacketFacts = { company: undefined, itemId: undefined };
      if (record)
        try {
          const parsed = parsePacket(
            readFileSync(pathUnderRoot(root, record.frozenPath), 'utf8'),
            playbook,
            {},
          );
          if (parsed.ok)
            facts = {
              company: parsed.packet.fields.companyName?.value,
              itemId: parsed.packet.readings.dealId?.parts.item,
            };
        } catch {
          // The frozen copy is missing or outside the root: plan without it (the gate reports it).
        }
      factsCache.set(key, facts);
      return facts;
    };

    const slack = (id: string, message: SlackMessage, channel: string, summary = firstLine(message.text)) => {
      const payload: SlackPostPayload = { channel, text: message.text, blocks: message.blocks };
      effects.push(
        config.slack
          ? { id: `${id}:slack`, kind: 'slack.post', payload }
          : {
              id: `${id}:slack`,
              kind: notificationLogKind,
              payload: log('slack', 'slack.post', summary, payload),
            },
      );
    };
    const attention = (id: string, roles: Role[], headline: string, details: string[]) => {
      const forRoles = [...new Set(roles)];
      const mentionIds = peopleWithRoles(forRoles).flatMap(([, p]) => (p.slackId ? [p.slackId] : []));
      const toLeaders = forRoles.includes('chief.staff') || forRoles.includes('ceo');
      const channel = toLeaders ? (config.slack?.attentionChannel ?? slackChannel) : slackChannel;
      slack(
        id,
        attentionMessage({ sow, headline, details, forRoles, mentionIds, dashboardUrl }),
        channel,
        headline,
      );
    };

    events.forEach((event, index) => {
      const id = `${sow}:${firstVersion + index}`;
      const d = event.data;
      const by = displayName(event.actor.name);
      switch (event.type) {
        case 'PacketSubmitted': {
          const packetPath = String(d.packetPath);
          slack(
            id,
            submissionMessage({
              sow,
              filePath: `${config.slack?.filePathPrefix ?? ''}${packetPath}`,
              dashboardUrl,
            }),
            slackChannel,
            `Rule 6: ${sow} submitted (submission ${d.n}) for customer.success, blocking discovery scheduling`,
          );
          const itemId = factsOf(Number(d.n)).itemId;
          if (!itemId) break;
          const owners = peopleWithRoles(['customer.success']);
          if (config.monday) {
            const personIds = owners.flatMap(([, p]) => (p.mondayId ? [p.mondayId] : []));
            const payload: MondayUpdatePayload = {
              boardId: config.monday.boardId,
              itemId,
              columnValues: { [config.monday.columns.status]: { label: config.monday.handoffStatus } },
              ...(config.monday.columns.owner && personIds.length > 0
                ? { addPeople: { columnId: config.monday.columns.owner, personIds } }
                : {}),
            };
            effects.push({ id: `${id}:monday`, kind: 'monday.update', payload });
          } else
            effects.push({
              id: `${id}:monday`,
              kind: notificationLogKind,
              payload: log(
                'monday',
                'monday.update',
                `monday.com item ${itemId}: status to "Handoff Initiated", customer.success added to the owner column`,
                { itemId, status: 'Handoff Initiated', addOwners: owners.map(([name]) => name) },
              ),
            });
          break;
        }
        case 'PacketRejected':
          slack(
            id,
            rejectionMessage({
              sow,
              checks: (d.checks as string[]) ?? [],
              ...(d.reason ? { reason: String(d.reason) } : {}),
              by,
              dashboardUrl,
            }),
            slackChannel,
          );
          break;
        case 'PacketAcknowledged':
          slack(
            id,
            acknowledgementMessage({ sow, by: `${by} (${event.actor.role})`, dashboardUrl }),
            slackChannel,
          );
          break;
        case 'DiscoveryScheduled': {
          const at = Temporal.Instant.from(String(d.discoveryAt));
          const local = at.toZonedDateTimeISO(playbook.calendar.timeZone);
          const when = `${local.toPlainDate().toString()} ${local.toPlainTime().toString({ smallestUnit: 'minute' })} (${playbook.calendar.timeZone})`;
          slack(id, discoveryScheduledMessage({ sow, when, by, dashboardUrl }), slackChannel);
          const itemId = factsOf(after.acknowledgement?.submission).itemId;
          if (!itemId) break;
          const utc = at.toZonedDateTimeISO('UTC');
          const value = {
            date: utc.toPlainDate().toString(),
            time: utc.toPlainTime().toString({ smallestUnit: 'second' }),
          };
          if (config.monday?.columns.discoveryDate)
            effects.push({
              id: `${id}:monday`,
              kind: 'monday.update',
              payload: {
                boardId: config.monday.boardId,
                itemId,
                columnValues: { [config.monday.columns.discoveryDate]: value },
              } satisfies MondayUpdatePayload,
            });
          else if (!config.monday)
            effects.push({
              id: `${id}:monday`,
              kind: notificationLogKind,
              payload: log('monday', 'monday.update', `monday.com item ${itemId}: discovery date ${when}`, {
                itemId,
                discoveryDate: value,
              }),
            });
          break;
        }
        case 'IntroductionSent': {
          const template = playbook.introEmail;
          const to = ((event.personal?.to as { name: string; email: string }[] | undefined) ?? []).map(
            (r) => ({
              name: r.name,
              email: r.email,
            }),
          );
          if (!template || to.length === 0) break;
          const lead = after.acknowledgement?.by.name;
          const leadPerson = lead ? config.people[lead] : undefined;
          const sender = config.people[event.actor.name];
          const rendered = renderEmail(template, {
            company: factsOf(after.acknowledgement?.submission).company ?? sow,
            sow,
            recipients: names(to.map((r) => r.name.split(/\s+/)[0] ?? r.name)),
            deliveryLead: lead ? displayName(lead) : 'our delivery lead',
            sender: by,
          });
          const payload: EmailPayload = {
            to,
            cc: [
              ...(lead && leadPerson?.email ? [{ name: displayName(lead), email: leadPerson.email }] : []),
              ...(sender?.email ? [{ name: by, email: sender.email }] : []),
            ],
            ...(sender?.email ? { replyTo: { name: by, email: sender.email } } : {}),
            ...rendered,
            messageId: `${id.replace(/:/g, '.')}.intro@${mailDomain(config.email?.from)}`,
          };
          effects.push(
            config.email
              ? { id: `${id}:email`, kind: 'email.send', payload }
              : {
                  id: `${id}:email`,
                  kind: notificationLogKind,
                  payload: log(
                    'email',
                    'email.send',
                    `warm introduction to ${to.map((r) => r.email).join(', ')}: ${rendered.subject}`,
                    payload,
                  ),
                },
          );
          break;
        }
        case 'EscalationRaised':
          attention(
            id,
            [...((d.owners as Role[]) ?? []), ...((d.informed as Role[]) ?? [])],
            `Escalation ${d.id} (${d.kind}) on ${sow}`,
            [
              String(d.reason ?? ''),
              // The gate's findings (they quote the packet) travel in the event's purgeable part.
              ...((event.personal?.findings as { field: string; message: string }[] | undefined) ?? [])
                .slice(0, 5)
                .map((f) => `${f.field}: ${f.message}`),
              `Owners: ${((d.owners as string[]) ?? []).join(', ')}${d.due ? `; due ${d.due}` : ''}`,
            ],
          );
          break;
        case 'EscalationOverdue':
          attention(id, ['chief.staff'], `Escalation ${d.id} on ${sow} is overdue (was due ${d.due})`, []);
          break;
        case 'IncidentFiled':
          attention(id, ['chief.staff'], `${d.severity} incident ${d.id} filed: ${d.title}`, [
            String(d.reason ?? ''),
            `File: ${d.path}`,
          ]);
          break;
        case 'ClockMissed': {
          if (!chiefOfStaffClocks.has(String(d.clock))) break;
          const label = playbook.clocks.find((c) => c.id === d.clock)?.label ?? String(d.clock);
          attention(id, ['chief.staff'], `${sow}: ${label} missed (was due ${d.due})`, []);
          break;
        }
      }
    });
    return effects;
  };
}

function log(
  integration: LogPayload['integration'],
  kind: string,
  summary: string,
  message: Record<string, unknown>,
): LogPayload {
  return { integration, kind, summary, message };
}
